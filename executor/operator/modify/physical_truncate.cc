#include "executor/operator/modify/physical_truncate.h"

#include "catalog/catalog.h"
#include "catalog/catalog_entry.h"
#include "storage/data_table.h"

namespace tessera::executor {

PhysicalTruncate::PhysicalTruncate(std::vector<std::shared_ptr<catalog::TableEntry>> tables)
    : PhysicalOperator("TRUNCATE", {}), tables_(std::move(tables)) {}

SourceResult PhysicalTruncate::get_data(WorkerContext& worker, DataChunk& out, GlobalState&, LocalState&) const {
  QueryContext& query = worker.query;
  // Every lock first, then the deletes: a failure to lock one table changes nothing.
  for (const auto& table : tables_) query.catalog->lock_relation(*query.transaction, *table, storage::LockMode::kExclusive);
  for (const auto& table : tables_) table->storage().delete_all(*query.transaction);
  out.set_size(0);
  return SourceResult::kFinished;
}

std::string PhysicalTruncate::explain_details() const {
  std::string names;
  for (const auto& table : tables_) {
    if (!names.empty()) names += ", ";
    names += table->name();
  }
  return names;
}

}  // namespace tessera::executor
