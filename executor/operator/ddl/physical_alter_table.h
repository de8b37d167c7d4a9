#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"

namespace tessera::executor {

/// A table rewrite (ALTER TABLE, VACUUM): locks `table` (current for the query's transaction)
/// exclusively, makes its new version `altered` in the catalog (Catalog::alter_table: new
/// storage with a new storage id, new indexes) and copies into it every row of the old version
/// current for the transaction, each new row computed from the old one by `expressions`
/// (resolved over the old columns), checked against the NOT NULL columns (23502), the CHECK
/// constraints `checks` (23514) and the FOREIGN KEYs to `referenced` (23503); then fills the
/// indexes (23505). Empty `expressions`: every row is copied as it is, unchecked (VACUUM). All
/// of it belongs to the transaction: a rollback restores the old version with its rows, and
/// snapshots older than the commit keep reading the old version. Returns the new version.
std::shared_ptr<catalog::TableEntry> rewrite_table(QueryContext& query, const catalog::TableEntry& table,
                                                   const catalog::AlteredTable& altered,
                                                   const std::vector<planner::BoundExprPtr>& expressions,
                                                   const std::vector<planner::BoundExprPtr>& checks,
                                                   const std::vector<std::shared_ptr<catalog::TableEntry>>& referenced);

/// ALTER TABLE: locks the table exclusively, makes its new version in the catalog
/// (Catalog::alter_table) and rewrites its rows into the new version's storage: each new
/// column computed from the old row by `expressions` (resolved over the old columns), every
/// row checked against the NOT NULL columns (23502), the CHECK constraints (23514), the
/// FOREIGN KEYs (23503), then the indexes filled (23505). All of it belongs to the query's
/// transaction: a rollback restores the old version with its rows. A source that emits nothing.
class PhysicalAlterTable : public PhysicalOperator {
 public:
  /// `table` null: only `notices` (IF EXISTS of a missing table).
  PhysicalAlterTable(std::shared_ptr<catalog::TableEntry> table, catalog::AlteredTable altered,
                     std::vector<planner::BoundExprPtr> expressions, std::vector<planner::BoundExprPtr> checks,
                     std::vector<std::shared_ptr<catalog::TableEntry>> referenced,
                     std::vector<std::array<std::string, 3>> notices);

  bool is_source() const override { return true; }
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  std::string explain_details() const override { return altered_.name; }

 private:
  std::shared_ptr<catalog::TableEntry> table_;
  catalog::AlteredTable altered_;
  std::vector<planner::BoundExprPtr> expressions_;
  std::vector<planner::BoundExprPtr> checks_;
  std::vector<std::shared_ptr<catalog::TableEntry>> referenced_;
  std::vector<std::array<std::string, 3>> notices_;
};

}  // namespace tessera::executor
