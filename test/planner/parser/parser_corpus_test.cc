// Parses every statement of the SQLite sqllogictest corpus files select1..5.test, which
// exercise a broad mix of expressions, subqueries, joins and compound selects.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "planner/parser/parser.h"
#include "src/common/sql_error.h"

namespace tessera::planner {
namespace {

namespace fs = std::filesystem;

/// Finds shared/sqllogictest/sqlite/test: next to the repository (located from this source
/// file's path, or by walking up from the working directory).
std::optional<fs::path> find_corpus_dir() {
  const fs::path relative = fs::path("shared") / "sqllogictest" / "sqlite" / "test";
  std::vector<fs::path> starts;
  fs::path source(__FILE__);
  if (source.is_relative()) source = fs::current_path() / source;
  starts.push_back(source.parent_path());
  starts.push_back(fs::current_path());
  for (fs::path dir : starts) {
    for (int i = 0; i < 8 && !dir.empty(); ++i) {
      std::error_code ec;
      if (fs::exists(dir / relative / "select1.test", ec)) return dir / relative;
      if (dir == dir.parent_path()) break;
      dir = dir.parent_path();
    }
  }
  return std::nullopt;
}

struct Record {
  int line = 0;
  bool expect_error = false;
  std::string sql;
};

/// Extracts the SQL of every record (`statement ok|error`, `query ...`) that is not
/// restricted to another database with `onlyif <db>` / `skipif postgresql`.
std::vector<Record> read_records(const fs::path& file) {
  std::ifstream in(file);
  std::vector<Record> records;
  std::string line;
  int line_number = 0;
  bool skip_next = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("onlyif ", 0) == 0) {
      if (line.substr(7) != "postgresql") skip_next = true;
      continue;
    }
    if (line.rfind("skipif ", 0) == 0) {
      if (line.substr(7) == "postgresql") skip_next = true;
      continue;
    }
    const bool statement = line.rfind("statement ", 0) == 0;
    const bool query = line.rfind("query ", 0) == 0;
    if (!statement && !query) {
      if (line.empty()) skip_next = false;
      continue;
    }
    Record record;
    record.line = line_number;
    record.expect_error = line.rfind("statement error", 0) == 0;
    while (std::getline(in, line)) {
      ++line_number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line == "----") break;
      record.sql += line;
      record.sql += '\n';
    }
    if (!skip_next) records.push_back(std::move(record));
    skip_next = false;
  }
  return records;
}

TEST(ParserCorpusTest, SqliteSelectFilesParse) {
  std::optional<fs::path> dir = find_corpus_dir();
  if (!dir) GTEST_SKIP() << "shared/sqllogictest/sqlite/test not found";
  size_t parsed = 0;
  for (const char* name : {"select1.test", "select2.test", "select3.test", "select4.test",
                           "select5.test"}) {
    const fs::path file = *dir / name;
    if (!fs::exists(file)) continue;
    for (const Record& record : read_records(file)) {
      if (record.expect_error) continue;
      try {
        auto statements = parse_sql(record.sql);
        EXPECT_EQ(statements.size(), 1u) << name << ":" << record.line;
        ++parsed;
      } catch (const SqlError& error) {
        ADD_FAILURE() << name << ":" << record.line << ": " << error.what() << " (position "
                      << error.position() << ")\n"
                      << record.sql;
      }
    }
  }
  EXPECT_GT(parsed, 1000u);
}

}  // namespace
}  // namespace tessera::planner
