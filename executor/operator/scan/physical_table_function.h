#pragma once

#include <vector>

#include "catalog/function_entry.h"
#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"

namespace tessera::executor {

/// Emits the rows of a table function (generate_series, ...). The arguments, which reference no
/// columns, are evaluated once when the first worker starts; the function's run splits its rows
/// into parts that the pipeline's workers produce in parallel (row order across parts is not
/// kept, as for a table scan). With `ordinality` one worker produces the parts in order and a
/// last bigint column numbers the rows from 1 (WITH ORDINALITY).
class PhysicalTableFunction : public PhysicalOperator {
 public:
  PhysicalTableFunction(const catalog::TableFunction& function, std::vector<planner::BoundExprPtr> arguments,
                        catalog::TableFunctionSchema schema, bool ordinality = false);

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_source(WorkerContext& worker, GlobalState& global) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  std::string explain_details() const override { return function_.name; }

 private:
  const catalog::TableFunction& function_;
  std::vector<planner::BoundExprPtr> arguments_;
  catalog::TableFunctionSchema schema_;
  bool ordinality_;
};

}  // namespace tessera::executor
