#include "test/durability/state_check.h"

#include <algorithm>
#include <fstream>

namespace tessera::durability {

namespace {

constexpr size_t kShownRows = 5;

/// SQLSTATEs of a relation or schema that does not exist.
bool is_absent(const StatementResult& result) {
  return result.sqlstate == "42P01" || result.sqlstate == "3F000";
}

void append_rows(std::string& out, const char* what, const std::vector<Row>& rows) {
  if (rows.empty()) return;
  out += "    " + std::string(what) + " (" + std::to_string(rows.size()) + "):\n";
  for (size_t i = 0; i < rows.size() && i < kShownRows; ++i) out += "      " + format_row(rows[i]) + "\n";
}

}  // namespace

bool observe(PgClient& client, const std::vector<std::string>& table_names,
             const std::vector<std::string>& schema_names, ObservedState& out, std::string& error) {
  for (const std::string& name : table_names) {
    StatementResult result = client.execute("SELECT * FROM " + name);
    if (!result.ok) {
      if (is_absent(result)) continue;
      error = "SELECT * FROM " + name + " failed: " + result.sqlstate + " " + result.message;
      return false;
    }
    ObservedTable& table = out.tables[name];
    table.column_names = std::move(result.column_names);
    table.column_types = std::move(result.column_types);
    table.rows = std::move(result.rows);
    sort_rows(table.rows);
  }
  for (const std::string& schema : schema_names) {
    // Creating a table in it (rolled back) tells whether the schema exists.
    StatementResult begin = client.execute("BEGIN");
    StatementResult probe = client.execute("CREATE TABLE " + schema + ".crash_test_probe (a integer)");
    StatementResult rollback = client.execute("ROLLBACK");
    if (!begin.ok || !rollback.ok || (!probe.ok && !is_absent(probe))) {
      error = "probing schema " + schema + " failed: " + probe.sqlstate + " " + probe.message;
      return false;
    }
    if (probe.ok) out.schemas.insert(schema);
  }
  return true;
}

std::string compare(const DatabaseModel& model, const ObservedState& observed) {
  std::string out;
  for (const auto& [name, observed_table] : observed.tables) {
    if (model.find(name) == nullptr) {
      out += "  table " + name + " exists (" + std::to_string(observed_table.rows.size()) +
             " rows), the model has no such table\n";
    }
  }
  for (const auto& [name, table] : model.tables()) {
    const auto it = observed.tables.find(name);
    if (it == observed.tables.end()) {
      out += "  table " + name + " (" + std::to_string(table->rows.size()) + " rows in the model) does not exist\n";
      continue;
    }
    const ObservedTable& found = it->second;
    std::string expected_columns;
    std::string found_columns;
    for (const Column& column : table->columns) {
      expected_columns += " " + column.name + ":" + std::to_string(static_cast<uint32_t>(column.type));
    }
    for (size_t i = 0; i < found.column_names.size(); ++i) {
      found_columns += " " + found.column_names[i] + ":" + std::to_string(found.column_types[i]);
    }
    if (expected_columns != found_columns) {
      out += "  table " + name + ": columns (name:type oid) expected" + expected_columns + ", found" + found_columns + "\n";
      continue;
    }
    std::vector<Row> expected = table->rows;
    sort_rows(expected);
    if (expected == found.rows) continue;
    std::vector<Row> missing;
    std::vector<Row> unexpected;
    std::set_difference(expected.begin(), expected.end(), found.rows.begin(), found.rows.end(),
                        std::back_inserter(missing));
    std::set_difference(found.rows.begin(), found.rows.end(), expected.begin(), expected.end(),
                        std::back_inserter(unexpected));
    out += "  table " + name + ": expected " + std::to_string(expected.size()) + " rows, found " +
           std::to_string(found.rows.size()) + "\n";
    append_rows(out, "expected, not found", missing);
    append_rows(out, "found, not expected", unexpected);
  }
  for (const std::string& schema : model.schemas()) {
    if (observed.schemas.count(schema) == 0) out += "  schema " + schema + " does not exist\n";
  }
  for (const std::string& schema : observed.schemas) {
    if (model.schemas().count(schema) == 0) out += "  schema " + schema + " exists, the model has no such schema\n";
  }
  return out;
}

std::string check_constraints_and_indexes(PgClient& client, const DatabaseModel& model) {
  std::string out;
  for (const auto& [name, table] : model.tables()) {
    const std::string& key = table->columns[0].name;
    const bool has_primary_key = table->kind == TableKind::kKeyed || table->kind == TableKind::kSerial;
    if (has_primary_key && !table->rows.empty() && table->rows.front()[0]) {
      const std::string sql = "INSERT INTO " + name + " (" + key + ") VALUES (" + *table->rows.front()[0] + ")";
      const StatementResult result = client.execute(sql);
      if (result.sqlstate != "23505") {
        out += "  " + sql + ": expected 23505 (the primary key), got " +
               (result.ok ? std::string("success") : result.sqlstate + " " + result.message) + "\n";
      }
    }
    for (const std::string& index : table->indexes) {
      client.execute("BEGIN");
      const std::string sql = "CREATE INDEX " + index + " ON " + name + " (" + key + ")";
      const StatementResult result = client.execute(sql);
      client.execute("ROLLBACK");
      if (result.sqlstate != "42P07") {
        out += "  " + sql + ": expected 42P07 (the index exists), got " +
               (result.ok ? std::string("success") : result.sqlstate + " " + result.message) + "\n";
      }
    }
    if (table->indexes.empty() || table->rows.empty()) continue;
    for (size_t probe = 0; probe < 3; ++probe) {
      const Cell& value = table->rows[(probe * 7919) % table->rows.size()][0];
      if (!value) continue;
      const int64_t expected = std::count_if(table->rows.begin(), table->rows.end(),
                                             [&](const Row& row) { return row[0] == value; });
      const std::string sql = "SELECT count(*) FROM " + name + " WHERE " + key + " = " + *value;
      const StatementResult result = client.execute(sql);
      if (!result.ok || result.rows.size() != 1 || result.rows[0][0] != std::to_string(expected)) {
        out += "  " + sql + ": expected " + std::to_string(expected) + ", got " +
               (result.ok && result.rows.size() == 1 && result.rows[0][0] ? *result.rows[0][0]
                                                                           : result.sqlstate + " " + result.message) +
               "\n";
      }
    }
  }
  return out;
}

std::string crash_lines(const std::string& log_path) {
  static constexpr const char* kMarkers[] = {"internal error", "XX000",       "terminate called", "Assertion",
                                             "Segmentation",   "Sanitizer",   "runtime error:",   "PANIC",
                                             "core dumped",    "stack trace", "Aborted"};
  std::ifstream in(log_path);
  std::string line;
  std::string out;
  while (std::getline(in, line)) {
    for (const char* marker : kMarkers) {
      if (line.find(marker) != std::string::npos) {
        out += "  " + line + "\n";
        break;
      }
    }
  }
  return out;
}

}  // namespace tessera::durability
