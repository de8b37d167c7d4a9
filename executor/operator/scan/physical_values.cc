#include "executor/operator/scan/physical_values.h"

#include "executor/expression/expression_executor.h"

namespace tessera::executor {

namespace {

struct ValuesState : GlobalState {
  size_t next_row = 0;
};

}  // namespace

PhysicalValues::PhysicalValues(std::vector<LogicalType> types, std::vector<std::vector<planner::BoundExprPtr>> rows)
    : PhysicalOperator("VALUES", std::move(types)), rows_(std::move(rows)) {}

std::unique_ptr<GlobalState> PhysicalValues::make_global_source(QueryContext&) const { return std::make_unique<ValuesState>(); }

SourceResult PhysicalValues::get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState&) const {
  auto& state = static_cast<ValuesState&>(global);
  ExpressionExecutor expressions(worker.query);
  // Row expressions see one empty input row.
  DataChunk single;
  single.set_size(1);
  size_t produced = 0;
  while (state.next_row < rows_.size() && produced < kVectorSize) {
    const auto& row = rows_[state.next_row++];
    for (size_t c = 0; c < row.size(); c++) {
      Vector v;
      expressions.execute(*row[c], single, v);
      out.set_value(c, produced, v.get_value(0));
    }
    produced++;
  }
  out.set_size(produced);
  return state.next_row < rows_.size() ? SourceResult::kHaveMoreOutput : SourceResult::kFinished;
}

}  // namespace tessera::executor
