#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"

namespace tessera::executor {

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
