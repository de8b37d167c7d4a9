#include "src/main/procedures.h"

#include <charconv>

#include "executor/functions/tpch/dbgen.h"
#include "src/common/sql_error.h"

namespace tessera {

namespace {

/// tpch_generate(scale_factor): creates the eight TPC-H tables in the current schema and fills
/// them at the scale factor (the rows come from the table function tpch_data, generated in
/// parallel straight into the insert).
std::vector<std::string> tpch_generate(std::span<const Value> args) {
  if (args[0].is_null()) throw SqlError(SqlState::kNullValueNotAllowed, "the TPC-H scale factor must not be NULL");
  // The shortest text that reads back as the same double.
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), args[0].get_double());
  const std::string sf(buffer, end);
  std::vector<std::string> statements;
  for (executor::tpch::Table table : executor::tpch::kAllTables) {
    statements.push_back(executor::tpch::create_table_sql(table));
  }
  for (executor::tpch::Table table : executor::tpch::kAllTables) {
    const std::string name(executor::tpch::table_name(table));
    statements.push_back("INSERT INTO " + name + " SELECT * FROM tpch_data('" + name + "', " + sf +
                         "::double precision)");
  }
  return statements;
}

const std::vector<Procedure>& procedures() {
  static const std::vector<Procedure> all = {
      {"tpch_generate", {LogicalType::double_precision()}, tpch_generate},
  };
  return all;
}

}  // namespace

const Procedure* find_procedure(std::string_view name, size_t num_args) {
  for (const Procedure& p : procedures()) {
    if (p.name == name && p.params.size() == num_args) return &p;
  }
  return nullptr;
}

}  // namespace tessera
