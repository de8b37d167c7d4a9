#include "planner/binder/binder.h"

#include <set>

#include "catalog/catalog.h"
#include "catalog/catalog_entry.h"
#include "planner/logical/logical_operator.h"
#include "src/common/sql_error.h"

namespace tessera::planner {

BoundStatement Binder::bind_vacuum(const VacuumStatement& stmt) {
  auto vacuum = std::make_unique<LogicalVacuum>();
  VacuumOptions& options = vacuum->options;
  options.vacuum = stmt.vacuum;
  options.full = stmt.full;
  options.freeze = stmt.freeze;
  options.verbose = stmt.verbose;
  options.analyze = stmt.analyze;
  // ANALYZE takes no lock, so it never waits for one and SKIP_LOCKED changes nothing; VACUUM
  // waits for the exclusive lock of its rewrite, and has no way yet to give up instead.
  if (stmt.vacuum && stmt.skip_locked) {
    throw SqlError(SqlState::kFeatureNotSupported, "VACUUM (SKIP_LOCKED) is not supported yet");
  }
  const char* verb = stmt.vacuum ? "vacuum" : "analyze";
  auto add_target = [&](const std::shared_ptr<catalog::TableEntry>& table, std::vector<size_t> columns) {
    if (columns.empty()) {
      for (size_t c = 0; c < table->columns().size(); c++) columns.push_back(c);
    }
    vacuum->targets.push_back({table, schema_name(*table) + "." + table->name(), std::move(columns)});
  };
  if (stmt.relations.empty()) {
    // Every table of the database, in name order.
    for (const auto& entry : catalog_.entries(transaction_)) {
      if (entry->kind() == catalog::EntryKind::kTable) add_target(std::static_pointer_cast<catalog::TableEntry>(entry), {});
    }
  }
  for (const VacuumRelation& relation : stmt.relations) {
    auto entry = find_relation(relation.name, relation.location, true);
    if (!entry) {
      throw SqlError(SqlState::kUndefinedTable, "relation \"" + relation_display_name(relation.name) + "\" does not exist");
    }
    if (entry->kind() != catalog::EntryKind::kTable) {
      vacuum->notices.push_back({"01000", "skipping \"" + entry->name() + "\" --- cannot " + verb +
                                              " non-tables or special system tables", ""});
      continue;
    }
    auto table = std::static_pointer_cast<catalog::TableEntry>(entry);
    std::vector<size_t> columns;
    std::set<size_t> seen;
    for (const std::string& name : relation.columns) {
      const auto column = table->find_column(name);
      if (!column) {
        throw SqlError(SqlState::kUndefinedColumn,
                       "column \"" + name + "\" of relation \"" + table->name() + "\" does not exist");
      }
      if (!seen.insert(*column).second) {
        throw SqlError(SqlState::kDuplicateColumn,
                       "column \"" + name + "\" of relation \"" + table->name() + "\" appears more than once");
      }
      columns.push_back(*column);
    }
    add_target(table, std::move(columns));
  }
  BoundStatement result;
  result.plan = std::move(vacuum);
  result.properties.command = stmt.vacuum ? CommandKind::kVacuum : CommandKind::kAnalyze;
  result.properties.read_only = false;
  return result;
}

}  // namespace tessera::planner
