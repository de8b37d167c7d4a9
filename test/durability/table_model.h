#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "test/durability/pg_client.h"

namespace tessera::durability {

/// The column types the workload uses, with their PostgreSQL type OIDs.
enum class ColumnType : uint32_t {
  kBool = 16,
  kBigint = 20,
  kInt = 23,
  kText = 25,
  kDouble = 701,
  kDate = 1082,
  kNumeric = 1700,
};

/// SQL spelling of a column type in CREATE TABLE / ADD COLUMN.
const char* sql_type_name(ColumnType type);

struct Column {
  std::string name;
  ColumnType type = ColumnType::kInt;
  /// Filled by a sequence (serial or identity): never written by the workload.
  bool generated = false;
};

/// What a table is made for, which decides the statements the workload sends to it.
enum class TableKind : uint8_t {
  kPlain,     // (k int, v text, n bigint, x numeric(12,2), d date, f float8, b bool)
  kKeyed,     // (id int PRIMARY KEY, v text, n bigint)
  kSerial,    // (id serial PRIMARY KEY, v text)
  kIdentity,  // (id bigint GENERATED ALWAYS AS IDENTITY, v text, n int)
};

/// One table of the model: its columns and its rows as an unordered multiset of text tuples.
struct TableModel {
  TableKind kind = TableKind::kPlain;
  std::vector<Column> columns;
  std::vector<Row> rows;
  std::set<std::string> indexes;
  /// The largest sequence value in a row of this table (serial / identity): a value the
  /// sequence hands out later must be larger.
  int64_t max_generated = 0;

  /// The integer key column (k or id).
  size_t key_column() const { return 0; }
  /// The position of a column, or -1.
  int find_column(const std::string& name) const;
};

/// The state of a set of tables (qualified names, "s1.t0" or "t0") and schemas. Tables are
/// shared between copies until one is edited (copies are cheap: a transaction starts from one).
class DatabaseModel {
 public:
  const TableModel* find(const std::string& name) const;
  /// The table, copied first if another model shares it. It must exist.
  TableModel& edit(const std::string& name);
  void create(const std::string& name, TableModel table);
  void drop(const std::string& name);
  void rename(const std::string& from, const std::string& to);
  const std::map<std::string, std::shared_ptr<TableModel>>& tables() const { return tables_; }

  std::set<std::string>& schemas() { return schemas_; }
  const std::set<std::string>& schemas() const { return schemas_; }

 private:
  std::map<std::string, std::shared_ptr<TableModel>> tables_;
  std::set<std::string> schemas_;
};

/// Rows sorted (NULL first, then byte order), so two multisets compare with ==.
void sort_rows(std::vector<Row>& rows);
/// A row for messages: (1, NULL, 'a\tb').
std::string format_row(const Row& row);

}  // namespace tessera::durability
