#pragma once

#include <memory>
#include <vector>

#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"

namespace tessera::catalog { class TableEntry; }

namespace tessera::executor {

/// Reads the projected columns of a table, one row group (morsel) per claim, in parallel, and
/// applies the pushed-down filters to each chunk. A source.
class PhysicalTableScan : public PhysicalOperator {
 public:
  PhysicalTableScan(std::vector<LogicalType> types, std::shared_ptr<catalog::TableEntry> table,
                    std::vector<size_t> column_ids, std::vector<planner::BoundExprPtr> filters);

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_source(WorkerContext& worker, GlobalState& global) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  std::string explain_details() const override;

 private:
  std::shared_ptr<catalog::TableEntry> table_;
  std::vector<size_t> column_ids_;
  std::vector<planner::BoundExprPtr> filters_;
};

}  // namespace tessera::executor
