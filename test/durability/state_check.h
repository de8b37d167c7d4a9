#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "test/durability/pg_client.h"
#include "test/durability/table_model.h"

namespace tessera::durability {

/// A table as a restarted server shows it.
struct ObservedTable {
  std::vector<std::string> column_names;
  std::vector<uint32_t> column_types;
  std::vector<Row> rows;  // sorted
};

/// What a server holds of a writer's tables and schemas (absent ones are not listed).
struct ObservedState {
  std::map<std::string, ObservedTable> tables;
  std::set<std::string> schemas;
};

/// Reads every table of `table_names` (SELECT *) and whether each schema of `schema_names`
/// exists. Returns false with `error` when the server answers something unexpected.
bool observe(PgClient& client, const std::vector<std::string>& table_names,
             const std::vector<std::string>& schema_names, ObservedState& out, std::string& error);

/// The differences between the model and the observed state, for a message ("" when equal):
/// per table, the first few rows missing and the first few unexpected ones.
std::string compare(const DatabaseModel& model, const ObservedState& observed);

/// Checks what the rows alone do not show, on a server whose rows equal `model`: each primary
/// key still refuses a duplicate (23505), each index exists (CREATE INDEX of its name is
/// 42P07), and lookups of a few keys of indexed tables count what the model counts. Returns
/// "" or what failed.
std::string check_constraints_and_indexes(PgClient& client, const DatabaseModel& model);

/// Lines of a server log that show a crash or an internal error ("" when none).
std::string crash_lines(const std::string& log_path);

}  // namespace tessera::durability
