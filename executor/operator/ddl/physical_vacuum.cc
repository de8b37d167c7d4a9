#include "executor/operator/ddl/physical_vacuum.h"

#include <optional>

#include "catalog/catalog.h"
#include "catalog/catalog_entry.h"
#include "executor/operator/ddl/physical_alter_table.h"
#include "planner/binder/binder.h"
#include "storage/data_table.h"
#include "storage/transaction.h"

namespace tessera::executor {

namespace {

/// The version of `table` current for the transaction (a table named twice, or rewritten
/// earlier in the statement, has a newer version than the binder saw).
std::shared_ptr<catalog::TableEntry> current_version(QueryContext& query, const std::shared_ptr<catalog::TableEntry>& table) {
  auto entry = query.catalog->find(*query.transaction, table->schema_oid(), table->name());
  if (entry && entry->kind() == catalog::EntryKind::kTable && entry->oid() == table->oid()) {
    return std::static_pointer_cast<catalog::TableEntry>(entry);
  }
  return table;
}

}  // namespace

PhysicalVacuum::PhysicalVacuum(planner::VacuumOptions options, std::vector<planner::VacuumTarget> targets,
                               std::vector<std::array<std::string, 3>> notices)
    : PhysicalOperator(options.vacuum ? "VACUUM" : "ANALYZE", {}),
      options_(options),
      targets_(std::move(targets)),
      notices_(std::move(notices)) {}

SourceResult PhysicalVacuum::get_data(WorkerContext& worker, DataChunk& out, GlobalState&, LocalState&) const {
  QueryContext& query = worker.query;
  out.set_size(0);
  storage::Transaction& txn = *query.transaction;
  for (const auto& notice : notices_) query.notice(notice[0], notice[1], notice[2]);
  for (const planner::VacuumTarget& target : targets_) {
    query.check_cancelled();
    std::shared_ptr<catalog::TableEntry> table = target.table;
    std::optional<uint64_t> rewritten_rows;
    if (options_.vacuum) {
      table = current_version(query, table);
      query.catalog->lock_relation(txn, *table, storage::LockMode::kExclusive);
      if (options_.verbose) query.notice("00000", "vacuuming \"" + target.qualified_name + "\"");
      const storage::DataTable& storage = table->storage();
      const uint64_t slots = storage.row_id_end();
      const uint64_t live = storage.count_current_rows(txn, [&query] { query.check_cancelled(); });
      const uint64_t dead = slots - live;
      const bool rewrite = options_.full || (dead > 0 && static_cast<double>(dead) >= kVacuumDeadShare * static_cast<double>(slots));
      if (rewrite) {
        table = rewrite_table(query, *table, planner::unaltered_definition(*query.catalog, txn, *table), {}, {}, {});
        rewritten_rows = live;
      }
      if (options_.verbose) {
        query.notice("00000",
                     "\"" + target.qualified_name + "\": found " + std::to_string(dead) + " removable, " +
                         std::to_string(live) + " nonremovable row versions",
                     rewrite ? "The table was rewritten without the removable row versions."
                             : "The table was not rewritten: removable row versions are under 20% of it.");
      }
    }
    if (options_.analyze) {
      table = current_version(query, table);
      if (options_.verbose) query.notice("00000", "analyzing \"" + target.qualified_name + "\"");
      // A rewritten table's storage holds exactly the live rows, and its figures, kept as they
      // were appended, are what ANALYZE would measure (the statement's own appends are not in
      // its snapshot, so measuring them is left to those figures).
      const uint64_t live = rewritten_rows ? *rewritten_rows : table->storage().analyze(txn, target.columns);
      if (options_.verbose) {
        query.notice("00000", "\"" + table->name() + "\": containing " + std::to_string(live) + " live rows");
      }
    }
  }
  return SourceResult::kFinished;
}

std::string PhysicalVacuum::explain_details() const {
  std::string names;
  for (const auto& target : targets_) {
    if (!names.empty()) names += ", ";
    names += target.qualified_name;
  }
  return names;
}

}  // namespace tessera::executor
