#pragma once

#include <vector>

#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"

namespace tessera::executor {

/// Emits literal rows (VALUES lists; one empty row for a SELECT without FROM). Each row's
/// expressions are evaluated when the query runs. A single-threaded source.
class PhysicalValues : public PhysicalOperator {
 public:
  PhysicalValues(std::vector<LogicalType> types, std::vector<std::vector<planner::BoundExprPtr>> rows);

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  std::string explain_details() const override { return std::to_string(rows_.size()) + " rows"; }

 private:
  std::vector<std::vector<planner::BoundExprPtr>> rows_;
};

}  // namespace tessera::executor
