#include "executor/expression/subquery_plan.h"

#include "executor/operator/result/physical_result_collector.h"
#include "executor/query_executor.h"

namespace tessera::executor {

std::vector<DataChunk> run_subquery(const SubqueryPlan& plan, const QueryContext& outer, const std::vector<Value>& params) {
  QueryContext context;
  context.catalog = outer.catalog;
  context.transaction = outer.transaction;
  context.cancelled = outer.cancelled;
  context.parameters = &params;
  context.max_threads = 1;  // runs inline on the calling worker
  context.parent = &outer;  // materialized WITH queries of the enclosing query
  QueryExecutor executor(*plan.root, context);
  executor.execute();
  auto& state = static_cast<PhysicalResultCollector::State&>(executor.sink_state(*plan.root));
  return std::move(state.chunks);
}

}  // namespace tessera::executor
