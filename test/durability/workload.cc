#include "test/durability/workload.h"

#include <charconv>
#include <cstdio>

namespace tessera::durability {

namespace {

constexpr size_t kMaxColumns = 12;
/// A table this large gets more DELETEs and TRUNCATEs, so a long run stays fast to verify.
constexpr size_t kLargeTable = 40000;

std::string escape_copy(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

std::optional<int64_t> as_integer(const Cell& cell) {
  if (!cell) return std::nullopt;
  int64_t value = 0;
  const auto [end, error] = std::from_chars(cell->data(), cell->data() + cell->size(), value);
  if (error != std::errc() || end != cell->data() + cell->size()) return std::nullopt;
  return value;
}

/// The schema of a qualified name ("" for public) and the name within it.
std::pair<std::string, std::string> split_name(const std::string& qualified) {
  const size_t dot = qualified.find('.');
  if (dot == std::string::npos) return {"", qualified};
  return {qualified.substr(0, dot), qualified.substr(dot + 1)};
}

TableModel new_table(TableKind kind) {
  TableModel table;
  table.kind = kind;
  switch (kind) {
    case TableKind::kPlain:
      table.columns = {{"k", ColumnType::kInt},       {"v", ColumnType::kText},   {"n", ColumnType::kBigint},
                       {"x", ColumnType::kNumeric},   {"d", ColumnType::kDate},   {"f", ColumnType::kDouble},
                       {"b", ColumnType::kBool}};
      break;
    case TableKind::kKeyed:
      table.columns = {{"id", ColumnType::kInt}, {"v", ColumnType::kText}, {"n", ColumnType::kBigint}};
      break;
    case TableKind::kSerial:
      table.columns = {{"id", ColumnType::kInt, true}, {"v", ColumnType::kText}};
      break;
    case TableKind::kIdentity:
      table.columns = {{"id", ColumnType::kBigint, true}, {"v", ColumnType::kText}, {"n", ColumnType::kInt}};
      break;
  }
  return table;
}

const char* create_table_body(TableKind kind) {
  switch (kind) {
    case TableKind::kPlain:
      return "(k integer, v text, n bigint, x numeric(12,2), d date, f double precision, b boolean)";
    case TableKind::kKeyed:
      return "(id integer PRIMARY KEY, v text, n bigint)";
    case TableKind::kSerial:
      return "(id serial PRIMARY KEY, v text)";
    case TableKind::kIdentity:
      return "(id bigint GENERATED ALWAYS AS IDENTITY, v text, n integer)";
  }
  return "";
}

/// `INSERT INTO t (a, b)` / `COPY t (a, b)`: the columns the workload writes.
std::string written_columns(const TableModel& table) {
  std::string out;
  for (const Column& column : table.columns) {
    if (column.generated) continue;
    if (!out.empty()) out += ", ";
    out += column.name;
  }
  return out;
}

/// Applies `change` to every row `matches` accepts; returns how many it changed.
int64_t update_rows(TableModel& table, const std::function<bool(const Row&)>& matches,
                    const std::function<void(Row&)>& change) {
  int64_t count = 0;
  for (Row& row : table.rows) {
    if (!matches(row)) continue;
    change(row);
    ++count;
  }
  return count;
}

}  // namespace

std::string sql_literal(const Cell& cell, ColumnType type) {
  if (!cell) return "NULL";
  switch (type) {
    case ColumnType::kText: {
      std::string out = "'";
      for (const char c : *cell) {
        out += c;
        if (c == '\'') out += '\'';
      }
      return out + "'";
    }
    case ColumnType::kDate: return "DATE '" + *cell + "'";
    case ColumnType::kBool: return *cell == "t" ? "true" : "false";
    default: return *cell;
  }
}

Writer::Writer(std::string prefix, uint64_t seed, bool uses_schemas)
    : prefix_(std::move(prefix)), rng_(seed), uses_schemas_(uses_schemas) {}

std::vector<std::string> Writer::table_names() const {
  std::vector<std::string> names;
  for (int i = 0; i < 6; ++i) names.push_back(prefix_ + "_t" + std::to_string(i));
  names.push_back(prefix_ + "_q0");
  names.push_back(prefix_ + "_g0");
  for (const std::string& schema : schema_names()) {
    for (int i = 0; i < 2; ++i) names.push_back(schema + "." + prefix_ + "_t" + std::to_string(i));
  }
  return names;
}

std::vector<std::string> Writer::schema_names() const {
  if (!uses_schemas_) return {};
  return {prefix_ + "_s1", prefix_ + "_s2"};
}

void Writer::resolve_in_doubt(bool applied) {
  if (!in_doubt_) return;
  if (applied) {
    committed_ = *in_doubt_;
    ++stats_.in_doubt_applied;
  } else {
    ++stats_.in_doubt_lost;
  }
  in_doubt_.reset();
}

void Writer::run(PgClient& client, const std::atomic<bool>& killed, const std::atomic<bool>& stop) {
  while (failure_.empty() && !stop.load()) {
    const Outcome outcome = chance(0.3) ? run_autocommit(client, killed) : run_transaction(client, killed);
    if (outcome == Outcome::kStop) return;
  }
}

Writer::Outcome Writer::on_error(const StatementResult& result, const std::string& sql,
                                 const std::atomic<bool>& killed) {
  if (result.connection_lost && killed.load()) return Outcome::kStop;
  const std::string shown = sql.size() > 300 ? sql.substr(0, 300) + "..." : sql;
  if (result.connection_lost) {
    failure_ = "the connection broke before the server was killed (" + result.message + ") at: " + shown;
  } else {
    failure_ = "unexpected error " + result.sqlstate + " \"" + result.message + "\" from: " + shown;
  }
  return Outcome::kStop;
}

bool Writer::check_count(const Operation& op, int64_t expected, const StatementResult& result) {
  if (!failure_.empty()) return false;
  if (expected < 0 || result.affected_rows == expected) return true;
  const std::string shown = op.sql.size() > 300 ? op.sql.substr(0, 300) + "..." : op.sql;
  failure_ = "the server reported " + std::to_string(result.affected_rows) + " rows where the model has " +
             std::to_string(expected) + " for: " + shown;
  return false;
}

Writer::Outcome Writer::run_autocommit(PgClient& client, const std::atomic<bool>& killed) {
  const Operation op = next_operation(committed_, false);
  DatabaseModel candidate = committed_;
  const int64_t expected = op.apply(candidate, nullptr);
  in_doubt_ = candidate;
  const StatementResult result = op.copy_data ? client.copy_in(op.sql, *op.copy_data) : client.execute(op.sql);
  ++stats_.statements;
  if (!result.ok) {
    if (!result.connection_lost) in_doubt_.reset();
    return on_error(result, op.sql, killed);
  }
  committed_ = std::move(candidate);
  in_doubt_.reset();
  ++stats_.autocommit_statements;
  if (op.copy_data) stats_.copy_rows += result.affected_rows;
  if (!check_count(op, expected, result)) return Outcome::kStop;
  return result.connection_lost ? Outcome::kStop : Outcome::kContinue;
}

Writer::Outcome Writer::run_transaction(PgClient& client, const std::atomic<bool>& killed) {
  StatementResult result = client.execute("BEGIN");
  if (!result.ok) return on_error(result, "BEGIN", killed);
  DatabaseModel working = committed_;
  const int64_t num_statements = chance(0.5) ? uniform(1, 4) : uniform(1, 20);
  for (int64_t i = 0; i < num_statements; ++i) {
    const Operation op = next_operation(working, true);
    result = op.copy_data ? client.copy_in(op.sql, *op.copy_data) : client.execute(op.sql);
    ++stats_.statements;
    if (!result.ok) return on_error(result, op.sql, killed);
    if (!check_count(op, op.apply(working, &result), result)) return Outcome::kStop;
    if (op.copy_data) stats_.copy_rows += result.affected_rows;
    if (result.connection_lost) return Outcome::kStop;
  }
  if (chance(0.12)) {
    result = client.execute("ROLLBACK");
    if (!result.ok) return on_error(result, "ROLLBACK", killed);
    ++stats_.transactions_rolled_back;
    return Outcome::kContinue;
  }
  in_doubt_ = working;
  result = client.execute("COMMIT");
  if (!result.ok) {
    if (!result.connection_lost) in_doubt_.reset();
    return on_error(result, "COMMIT", killed);
  }
  in_doubt_.reset();
  if (result.command_tag != "COMMIT") {
    failure_ = "COMMIT answered " + result.command_tag;
    return Outcome::kStop;
  }
  committed_ = std::move(working);
  ++stats_.transactions_committed;
  return result.connection_lost ? Outcome::kStop : Outcome::kContinue;
}

Operation Writer::next_operation(const DatabaseModel& model, bool in_transaction) {
  if (model.tables().empty() || chance(0.05)) return catalog_operation(model);
  if (checkpoint_supported_ && !in_transaction && chance(0.02)) {
    return Operation{"CHECKPOINT", std::nullopt, false, [](DatabaseModel&, const StatementResult*) { return -1; }};
  }
  auto it = model.tables().begin();
  std::advance(it, uniform(0, static_cast<int64_t>(model.tables().size()) - 1));
  const std::string& name = it->first;
  const TableModel& table = *it->second;
  const bool generated_key = table.kind == TableKind::kSerial || table.kind == TableKind::kIdentity;
  int64_t pick = uniform(0, 99);
  if (table.rows.size() > kLargeTable) pick = pick < 15 ? 86 : 60;
  if (pick < 30) {
    if (generated_key && !in_transaction) return update_operation(name, table);
    return insert_operation(name, table);
  }
  if (pick < 40) {
    if (generated_key) return in_transaction ? insert_operation(name, table) : delete_operation(name, table);
    return copy_operation(name, table);
  }
  if (pick < 60) return update_operation(name, table);
  if (pick < 75) return delete_operation(name, table);
  if (pick < 82) return alter_operation(name, table);
  if (pick < 86) return index_operation(name, table);
  if (pick < 88) {
    return Operation{"TRUNCATE " + name, std::nullopt, false, [name](DatabaseModel& m, const StatementResult*) {
                       m.edit(name).rows.clear();
                       return -1;
                     }};
  }
  return catalog_operation(model);
}

Operation Writer::create_table_operation(const std::string& name, TableKind kind) {
  return Operation{"CREATE TABLE " + name + " " + create_table_body(kind), std::nullopt, false,
                   [name, kind](DatabaseModel& m, const StatementResult*) {
                     m.create(name, new_table(kind));
                     return -1;
                   }};
}

Operation Writer::catalog_operation(const DatabaseModel& model) {
  std::vector<std::string> absent;
  std::vector<std::string> present_plain;
  for (const std::string& name : table_names()) {
    const TableModel* table = model.find(name);
    const auto [schema, unqualified] = split_name(name);
    if (table == nullptr) {
      if (schema.empty() || model.schemas().count(schema) > 0) absent.push_back(name);
    } else if (table->kind == TableKind::kPlain) {
      present_plain.push_back(name);
    }
  }
  const int64_t pick = uniform(0, 99);
  if (uses_schemas_ && pick < 10) {
    const std::vector<std::string> schemas = schema_names();
    const std::string& schema = schemas[static_cast<size_t>(uniform(0, 1))];
    if (model.schemas().count(schema) == 0) {
      return Operation{"CREATE SCHEMA " + schema, std::nullopt, false,
                       [schema](DatabaseModel& m, const StatementResult*) {
                         m.schemas().insert(schema);
                         return -1;
                       }};
    }
    bool empty = true;
    for (const auto& [name, table] : model.tables()) empty = empty && split_name(name).first != schema;
    if (empty && chance(0.5)) {
      return Operation{"DROP SCHEMA " + schema, std::nullopt, false,
                       [schema](DatabaseModel& m, const StatementResult*) {
                         m.schemas().erase(schema);
                         return -1;
                       }};
    }
  }
  if (pick < 30 && !present_plain.empty()) {
    // RENAME to a free name of the same schema; only plain tables (a key's index and a serial
    // column's sequence keep the old table's name, which a new table of that name would need).
    const std::string& from = present_plain[static_cast<size_t>(uniform(0, static_cast<int64_t>(present_plain.size()) - 1))];
    const std::string schema = split_name(from).first;
    for (const std::string& to : absent) {
      const auto [to_schema, to_name] = split_name(to);
      if (to_schema != schema || to_name.find("_t") == std::string::npos) continue;
      return Operation{"ALTER TABLE " + from + " RENAME TO " + to_name, std::nullopt, false,
                       [from, to](DatabaseModel& m, const StatementResult*) {
                         m.rename(from, to);
                         return -1;
                       }};
    }
  }
  if ((pick < 55 || absent.empty()) && !model.tables().empty()) {
    auto it = model.tables().begin();
    std::advance(it, uniform(0, static_cast<int64_t>(model.tables().size()) - 1));
    const std::string name = it->first;
    return Operation{"DROP TABLE " + name, std::nullopt, false, [name](DatabaseModel& m, const StatementResult*) {
                       m.drop(name);
                       return -1;
                     }};
  }
  if (absent.empty()) {
    return Operation{"SELECT 1", std::nullopt, false, [](DatabaseModel&, const StatementResult*) { return -1; }};
  }
  const std::string name = absent[static_cast<size_t>(uniform(0, static_cast<int64_t>(absent.size()) - 1))];
  TableKind kind = chance(0.5) ? TableKind::kPlain : TableKind::kKeyed;
  if (name.find("_q") != std::string::npos) kind = TableKind::kSerial;
  if (name.find("_g") != std::string::npos) kind = TableKind::kIdentity;
  return create_table_operation(name, kind);
}

std::string Writer::random_text() {
  static constexpr const char* kSpecial[] = {"\t", "\n", "\r", "\\", "'", "\"", ",", " ", "\xc3\xa9", "\xe2\x82\xac", "|"};
  int64_t length = uniform(0, 12);
  if (chance(0.03)) length = uniform(100, 3000);
  std::string out;
  for (int64_t i = 0; i < length; ++i) {
    if (chance(0.08)) {
      out += kSpecial[uniform(0, static_cast<int64_t>(std::size(kSpecial)) - 1)];
    } else {
      out += static_cast<char>('a' + uniform(0, 25));
    }
  }
  return out;
}

Cell Writer::random_value(ColumnType type, bool key) {
  if (!key && chance(0.08)) return std::nullopt;
  switch (type) {
    case ColumnType::kInt:
      if (key && chance(0.03)) return std::nullopt;
      return std::to_string(key ? uniform(0, 999) : uniform(-2000000000, 2000000000));
    case ColumnType::kBigint: return std::to_string(uniform(-1000000000000000LL, 1000000000000000LL));
    case ColumnType::kText: return random_text();
    case ColumnType::kNumeric: {
      const int64_t cents = uniform(-999999999LL, 999999999LL);
      const int64_t magnitude = cents < 0 ? -cents : cents;
      char buffer[40];
      std::snprintf(buffer, sizeof(buffer), "%s%lld.%02lld", cents < 0 ? "-" : "",
                    static_cast<long long>(magnitude / 100), static_cast<long long>(magnitude % 100));
      return std::string(buffer);
    }
    case ColumnType::kDate: {
      char buffer[16];
      std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", static_cast<int>(uniform(1990, 2030)),
                    static_cast<int>(uniform(1, 12)), static_cast<int>(uniform(1, 28)));
      return std::string(buffer);
    }
    case ColumnType::kDouble: {
      // Quarters are exact in binary, so PostgreSQL's shortest output is this text.
      const double value = static_cast<double>(uniform(-4000000, 4000000)) / 4.0;
      char buffer[64];
      const auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed);
      return std::string(buffer, end);
    }
    case ColumnType::kBool: return std::string(chance(0.5) ? "t" : "f");
  }
  return std::nullopt;
}

Row Writer::random_row(const TableModel& table) {
  Row row;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const Column& column = table.columns[i];
    if (column.generated) continue;
    if (i == 0 && table.kind == TableKind::kKeyed) {
      row.emplace_back(std::to_string(next_key_++));
    } else {
      row.push_back(random_value(column.type, i == 0));
    }
  }
  return row;
}

Operation Writer::insert_operation(const std::string& name, const TableModel& table) {
  int64_t num_rows = uniform(1, 50);
  if (chance(0.05)) num_rows = uniform(200, 1000);
  std::vector<Row> rows;
  std::string sql = "INSERT INTO " + name + " (" + written_columns(table) + ") VALUES ";
  for (int64_t r = 0; r < num_rows; ++r) {
    rows.push_back(random_row(table));
    sql += r == 0 ? "(" : ", (";
    size_t written = 0;
    for (const Column& column : table.columns) {
      if (column.generated) continue;
      if (written > 0) sql += ", ";
      sql += sql_literal(rows.back()[written], column.type);
      ++written;
    }
    sql += ")";
  }
  const bool generated = table.kind == TableKind::kSerial || table.kind == TableKind::kIdentity;
  if (!generated) {
    return Operation{sql, std::nullopt, false, [name, rows](DatabaseModel& m, const StatementResult*) {
                       TableModel& t = m.edit(name);
                       t.rows.insert(t.rows.end(), rows.begin(), rows.end());
                       return static_cast<int64_t>(rows.size());
                     }};
  }
  sql += " RETURNING *";
  return Operation{sql, std::nullopt, true, [this, name, num_rows](DatabaseModel& m, const StatementResult* result) {
                     TableModel& t = m.edit(name);
                     if (static_cast<int64_t>(result->rows.size()) != num_rows) {
                       failure_ = "INSERT ... RETURNING into " + name + " returned " +
                                  std::to_string(result->rows.size()) + " rows for " + std::to_string(num_rows);
                       return static_cast<int64_t>(-1);
                     }
                     for (const Row& row : result->rows) {
                       const std::optional<int64_t> id = row.empty() ? std::nullopt : as_integer(row[0]);
                       if (!id || *id <= t.max_generated) {
                         failure_ = "the sequence of " + name + " handed out " + (row.empty() || !row[0] ? "NULL" : *row[0]) +
                                    ", not above " + std::to_string(t.max_generated) +
                                    " (the largest value a row committed or written earlier holds)";
                         return static_cast<int64_t>(-1);
                       }
                       t.max_generated = *id;
                       t.rows.push_back(row);
                     }
                     return num_rows;
                   }};
}

Operation Writer::copy_operation(const std::string& name, const TableModel& table) {
  int64_t num_rows = uniform(1, 300);
  if (chance(0.05)) num_rows = uniform(10000, 25000);
  // Now and then more than a row group (122,880 rows), so checkpoints write data files.
  if (chance(0.015)) num_rows = uniform(123000, 130000);
  std::vector<Row> rows;
  rows.reserve(static_cast<size_t>(num_rows));
  std::string data;
  for (int64_t r = 0; r < num_rows; ++r) {
    rows.push_back(random_row(table));
    for (size_t i = 0; i < rows.back().size(); ++i) {
      if (i > 0) data += '\t';
      const Cell& cell = rows.back()[i];
      data += cell ? escape_copy(*cell) : "\\N";
    }
    data += '\n';
  }
  return Operation{"COPY " + name + " (" + written_columns(table) + ") FROM STDIN", std::move(data), false,
                   [name, rows = std::move(rows)](DatabaseModel& m, const StatementResult*) {
                     TableModel& t = m.edit(name);
                     t.rows.insert(t.rows.end(), rows.begin(), rows.end());
                     return static_cast<int64_t>(rows.size());
                   }};
}

std::pair<std::string, std::function<bool(const Row&)>> Writer::key_predicate(const TableModel& table) {
  const std::string key = table.columns[0].name;
  std::optional<int64_t> sample;
  if (!table.rows.empty()) sample = as_integer(table.rows[static_cast<size_t>(uniform(0, static_cast<int64_t>(table.rows.size()) - 1))][0]);
  const int64_t pick = uniform(0, 9);
  if (sample && pick < 4) {
    const int64_t low = *sample;
    return {key + " = " + std::to_string(low), [low](const Row& row) { return as_integer(row[0]) == low; }};
  }
  if (sample && pick < 7) {
    const int64_t low = *sample;
    const int64_t high = low + uniform(0, 30);
    return {key + " BETWEEN " + std::to_string(low) + " AND " + std::to_string(high), [low, high](const Row& row) {
              const std::optional<int64_t> v = as_integer(row[0]);
              return v && *v >= low && *v <= high;
            }};
  }
  if (pick == 7 && table.kind == TableKind::kPlain) {
    return {key + " IS NULL", [](const Row& row) { return !row[0].has_value(); }};
  }
  const int64_t modulus = uniform(2, 9);
  const int64_t remainder = uniform(0, modulus - 1);
  return {key + " % " + std::to_string(modulus) + " = " + std::to_string(remainder), [modulus, remainder](const Row& row) {
            const std::optional<int64_t> v = as_integer(row[0]);
            return v && *v % modulus == remainder;
          }};
}

Operation Writer::update_operation(const std::string& name, const TableModel& table) {
  auto [where, matches] = key_predicate(table);
  if (table.kind == TableKind::kPlain && chance(0.35)) {
    // A key change: every matching row moves.
    return Operation{"UPDATE " + name + " SET k = k + 1000 WHERE " + where, std::nullopt, false,
                     [name, matches](DatabaseModel& m, const StatementResult*) {
                       return update_rows(m.edit(name), matches,
                                          [](Row& row) {
                                            if (row[0]) row[0] = std::to_string(*as_integer(row[0]) + 1000);
                                          });
                     }};
  }
  if (table.kind == TableKind::kKeyed && !table.rows.empty() && chance(0.4)) {
    // A primary key change of one row to a key never used.
    const Cell old_key = table.rows[static_cast<size_t>(uniform(0, static_cast<int64_t>(table.rows.size()) - 1))][0];
    const std::string new_key = std::to_string(next_key_++);
    return Operation{"UPDATE " + name + " SET id = " + new_key + " WHERE id = " + *old_key, std::nullopt, false,
                     [name, old_key, new_key](DatabaseModel& m, const StatementResult*) {
                       return update_rows(
                           m.edit(name), [old_key](const Row& row) { return row[0] == old_key; },
                           [new_key](Row& row) { row[0] = new_key; });
                     }};
  }
  const Cell text = random_value(ColumnType::kText, false);
  const int value_column = table.find_column("v");
  const int counter_column = table.find_column("n");
  std::string sql = "UPDATE " + name + " SET v = " + sql_literal(text, ColumnType::kText);
  if (counter_column >= 0) sql += ", n = n + 1";
  sql += " WHERE " + where;
  return Operation{sql, std::nullopt, false,
                   [name, matches, text, value_column, counter_column](DatabaseModel& m, const StatementResult*) {
                     return update_rows(m.edit(name), matches, [&](Row& row) {
                       row[static_cast<size_t>(value_column)] = text;
                       if (counter_column >= 0) {
                         Cell& counter = row[static_cast<size_t>(counter_column)];
                         if (counter) counter = std::to_string(*as_integer(counter) + 1);
                       }
                     });
                   }};
}

Operation Writer::delete_operation(const std::string& name, const TableModel& table) {
  auto [where, matches] = key_predicate(table);
  return Operation{"DELETE FROM " + name + " WHERE " + where, std::nullopt, false,
                   [name, matches](DatabaseModel& m, const StatementResult*) {
                     std::vector<Row>& rows = m.edit(name).rows;
                     const size_t before = rows.size();
                     std::erase_if(rows, matches);
                     return static_cast<int64_t>(before - rows.size());
                   }};
}

Operation Writer::alter_operation(const std::string& name, const TableModel& table) {
  std::vector<size_t> added;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].name[0] == 'c' || table.columns[i].name[0] == 'r') added.push_back(i);
  }
  if (!added.empty() && (table.columns.size() >= kMaxColumns || chance(0.3))) {
    const size_t position = added[static_cast<size_t>(uniform(0, static_cast<int64_t>(added.size()) - 1))];
    const std::string from = table.columns[position].name;
    const std::string to = "r" + std::to_string(next_index_++);
    return Operation{"ALTER TABLE " + name + " RENAME COLUMN " + from + " TO " + to, std::nullopt, false,
                     [name, position, to](DatabaseModel& m, const StatementResult*) {
                       m.edit(name).columns[position].name = to;
                       return -1;
                     }};
  }
  if (table.columns.size() >= kMaxColumns) return index_operation(name, table);
  static constexpr ColumnType kTypes[] = {ColumnType::kInt, ColumnType::kText, ColumnType::kBigint, ColumnType::kBool,
                                          ColumnType::kDate};
  const ColumnType type = kTypes[uniform(0, static_cast<int64_t>(std::size(kTypes)) - 1)];
  const std::string column = "c" + std::to_string(next_index_++);
  Cell fill;
  std::string sql = "ALTER TABLE " + name + " ADD COLUMN " + column + " " + sql_type_name(type);
  if (chance(0.6)) {
    fill = random_value(type, false);
    if (fill) sql += " DEFAULT " + sql_literal(fill, type);
  }
  return Operation{sql, std::nullopt, false, [name, column, type, fill](DatabaseModel& m, const StatementResult*) {
                     TableModel& t = m.edit(name);
                     t.columns.push_back(Column{column, type});
                     for (Row& row : t.rows) row.push_back(fill);
                     return -1;
                   }};
}

Operation Writer::index_operation(const std::string& name, const TableModel& table) {
  const std::string index = prefix_ + "_i" + std::to_string(next_index_++);
  const std::string column = chance(0.7) ? table.columns[0].name : "v";
  return Operation{"CREATE INDEX " + index + " ON " + name + " (" + column + ")", std::nullopt, false,
                   [name, index](DatabaseModel& m, const StatementResult*) {
                     m.edit(name).indexes.insert(index);
                     return -1;
                   }};
}

}  // namespace tessera::durability
