#include "executor/operator/scan/physical_table_function.h"

#include <atomic>

#include "executor/expression/expression_executor.h"
#include "src/common/run_once.h"

namespace tessera::executor {

namespace {

/// The run is started by the first worker (on a thread with the query's date/time context).
struct TableFunctionGlobalState : GlobalState {
  RunOnce started;
  std::unique_ptr<catalog::TableFunctionRun> run;
  std::atomic<size_t> next_part{0};
  size_t threads = 1;
  size_t max_threads() const override { return threads; }
};

struct TableFunctionLocalState : LocalState {
  std::unique_ptr<catalog::TableFunctionPart> part;
  /// WITH ORDINALITY: rows produced so far (one worker produces them all).
  int64_t ordinal = 0;
};

}  // namespace

PhysicalTableFunction::PhysicalTableFunction(const catalog::TableFunction& function,
                                             std::vector<planner::BoundExprPtr> arguments,
                                             catalog::TableFunctionSchema schema, bool ordinality)
    : PhysicalOperator("TABLE_FUNCTION", schema.types),
      function_(function),
      arguments_(std::move(arguments)),
      schema_(std::move(schema)),
      ordinality_(ordinality) {
  if (ordinality_) types_.push_back(LogicalType::bigint());
}

std::unique_ptr<GlobalState> PhysicalTableFunction::make_global_source(QueryContext& query) const {
  auto state = std::make_unique<TableFunctionGlobalState>();
  // Parts are produced in parallel; how many is known once the run starts, so allow every
  // worker and let the extra ones find no part.
  state->threads = ordinality_ ? 1 : query.max_threads;
  return state;
}

std::unique_ptr<LocalState> PhysicalTableFunction::make_local_source(WorkerContext&, GlobalState&) const {
  return std::make_unique<TableFunctionLocalState>();
}

SourceResult PhysicalTableFunction::get_data(WorkerContext& worker, DataChunk& out, GlobalState& global_state,
                                             LocalState& local_state) const {
  auto& global = static_cast<TableFunctionGlobalState&>(global_state);
  auto& local = static_cast<TableFunctionLocalState&>(local_state);
  global.started.run([&] {
    ExpressionExecutor expressions(worker.query);
    DataChunk single;
    single.set_size(1);
    std::vector<Value> values;
    values.reserve(arguments_.size());
    for (const auto& argument : arguments_) {
      Vector v;
      expressions.execute(*argument, single, v);
      values.push_back(v.get_value(0));
    }
    global.run = function_.init(values, schema_);
  });
  const size_t num_parts = global.run->num_parts();
  while (true) {
    if (!local.part) {
      const size_t part = global.next_part.fetch_add(1);
      if (part >= num_parts) {
        out.set_size(0);
        return SourceResult::kFinished;
      }
      local.part = global.run->open_part(part);
    }
    if (local.part->produce(out)) {
      if (ordinality_) {
        Vector& ordinals = out.column(schema_.types.size());
        ordinals.reset(kVectorSize);
        auto* data = reinterpret_cast<int64_t*>(ordinals.mutable_data());
        for (size_t i = 0; i < out.size(); i++) data[i] = ++local.ordinal;
      }
      return SourceResult::kHaveMoreOutput;
    }
    local.part.reset();
  }
}

}  // namespace tessera::executor
