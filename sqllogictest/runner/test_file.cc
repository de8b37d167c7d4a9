#include "sqllogictest/runner/test_file.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace tessera {

namespace {

/// A non-comment line with its 1-based line number.
struct Line {
  size_t number;
  std::string_view text;
};

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\v\f") == std::string_view::npos;
}

/// Splits on runs of spaces and tabs.
std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (true) {
    pos = text.find_first_not_of(" \t", pos);
    if (pos == std::string_view::npos) break;
    size_t end = text.find_first_of(" \t", pos);
    if (end == std::string_view::npos) end = text.size();
    words.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

std::string join_lines(const std::vector<Line>& lines, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) out += '\n';
    out += lines[i].text;
  }
  return out;
}

bool is_separator(std::string_view text) {
  // The reference runner accepts "----" only; trailing blanks are tolerated.
  return text.substr(0, 4) == "----" && is_blank(text.substr(4));
}

bool is_sqlstate(std::string_view word) {
  if (word.size() != 5) return false;
  for (char c : word) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

/// Fills `record` from the record's lines (`lines[0]` is its first non-condition line).
void parse_command(const std::vector<Line>& lines, size_t first, Record& record) {
  std::vector<std::string_view> words = split_words(lines[first].text);
  record.line = lines[first].number;
  auto fail = [&](std::string message) {
    record.kind = RecordKind::kInvalid;
    record.parse_error = std::move(message);
  };
  const std::string_view command = words.empty() ? std::string_view() : words[0];
  // SQL and results start on the line after the command.
  const size_t body = first + 1;
  size_t separator = lines.size();
  for (size_t i = body; i < lines.size(); ++i) {
    if (is_separator(lines[i].text)) {
      separator = i;
      break;
    }
  }

  if (command == "statement") {
    if (words.size() < 2 || (words[1] != "ok" && words[1] != "error")) {
      return fail("expected 'statement ok' or 'statement error'");
    }
    if (words[1] == "ok") {
      if (words.size() > 2) return fail("unexpected text after 'statement ok'");
      record.kind = RecordKind::kStatementOk;
      record.sql = join_lines(lines, body, lines.size());
    } else {
      record.kind = RecordKind::kStatementError;
      if (words.size() > 3) return fail("unexpected text after 'statement error <SQLSTATE>'");
      if (words.size() == 3) {
        if (!is_sqlstate(words[2])) return fail("'statement error' takes a 5-character SQLSTATE");
        record.expected_sqlstate = std::string(words[2]);
      }
      record.sql = join_lines(lines, body, separator);
      if (separator < lines.size()) record.expected_message = join_lines(lines, separator + 1, lines.size());
    }
    if (is_blank(record.sql)) return fail("statement without SQL");
    return;
  }

  if (command == "query") {
    if (words.size() < 2 || words.size() > 4) return fail("expected 'query <types> [<sort mode> [<label>]]'");
    for (char c : words[1]) {
      if (c != 'I' && c != 'T' && c != 'R') {
        return fail("unknown column type '" + std::string(1, c) + "' (expected I, T or R)");
      }
    }
    record.kind = RecordKind::kQuery;
    record.column_types = std::string(words[1]);
    if (words.size() >= 3) {
      if (words[2] == "nosort") {
        record.sort_mode = SortMode::kNoSort;
      } else if (words[2] == "rowsort") {
        record.sort_mode = SortMode::kRowSort;
      } else if (words[2] == "valuesort") {
        record.sort_mode = SortMode::kValueSort;
      } else {
        return fail("unknown sort mode '" + std::string(words[2]) + "'");
      }
    }
    if (words.size() == 4) record.label = std::string(words[3]);
    record.sql = join_lines(lines, body, separator);
    for (size_t i = separator + 1; i < lines.size(); ++i) record.expected.emplace_back(lines[i].text);
    if (is_blank(record.sql)) return fail("query without SQL");
    return;
  }

  if (command == "hash-threshold") {
    if (words.size() != 2) return fail("expected 'hash-threshold <N>'");
    std::string digits(words[1]);
    char* end = nullptr;
    unsigned long long value = std::strtoull(digits.c_str(), &end, 10);
    if (digits.empty() || *end != '\0' || digits[0] == '-') return fail("bad hash-threshold '" + digits + "'");
    record.kind = RecordKind::kHashThreshold;
    record.hash_threshold = static_cast<size_t>(value);
    return;
  }

  if (command == "halt") {
    record.kind = RecordKind::kHalt;
    return;
  }

  fail("unknown record type '" + std::string(command) + "'");
}

Record parse_record(const std::vector<Line>& lines) {
  Record record;
  size_t first = 0;
  for (; first < lines.size(); ++first) {
    std::vector<std::string_view> words = split_words(lines[first].text);
    if (words.empty() || (words[0] != "skipif" && words[0] != "onlyif")) break;
    if (words.size() < 2) {
      record.line = lines[first].number;
      record.kind = RecordKind::kInvalid;
      record.parse_error = std::string(words[0]) + " without an engine name";
      return record;
    }
    // Anything after the engine name (usually "# comment") is ignored.
    record.conditions.push_back(Condition{words[0] == "onlyif", std::string(words[1])});
  }
  if (first == lines.size()) {
    record.line = lines.back().number;
    record.kind = RecordKind::kInvalid;
    record.parse_error = "conditions without a record";
    return record;
  }
  parse_command(lines, first, record);
  return record;
}

}  // namespace

TestFile TestFile::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read " + path);
  return parse(path, contents.str());
}

TestFile TestFile::parse(std::string path, std::string_view text) {
  TestFile file;
  file.path_ = std::move(path);
  std::vector<Line> current;
  size_t number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() == '#') continue;
    if (is_blank(line)) {
      if (!current.empty()) file.records_.push_back(parse_record(current));
      current.clear();
      continue;
    }
    current.push_back(Line{number, line});
  }
  if (!current.empty()) file.records_.push_back(parse_record(current));
  return file;
}

}  // namespace tessera
