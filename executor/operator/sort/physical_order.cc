#include "executor/operator/sort/physical_order.h"

#include <mutex>

#include "executor/expression/expression_executor.h"
#include "executor/operator/sort/sort_buffer.h"
#include "src/common/assert.h"

namespace tessera::executor {

namespace {

struct OrderGlobalState : GlobalState {
  OrderGlobalState(const std::vector<LogicalType>& types, const std::vector<SortKey>& keys) : buffer(types, keys) {}
  std::mutex mutex;
  SortBuffer buffer;
};

struct OrderLocalState : LocalState {
  OrderLocalState(QueryContext& query, const std::vector<LogicalType>& types, const std::vector<SortKey>& keys)
      : expressions(query), buffer(types, keys) {}
  ExpressionExecutor expressions;
  SortBuffer buffer;
};

/// Single-threaded scan of the sorted rows (max_threads 1 keeps the order).
struct OrderSourceState : GlobalState {
  explicit OrderSourceState(OrderGlobalState& sink) : sink(sink) {}
  OrderGlobalState& sink;
  size_t position = 0;
};

}  // namespace

PhysicalOrder::PhysicalOrder(std::vector<LogicalType> types, std::vector<SortKey> keys, std::unique_ptr<PhysicalOperator> child)
    : PhysicalOperator("ORDER", std::move(types)), keys_(std::move(keys)) {
  TS_CHECK(child->output_types().size() == types_.size(), "order: output must be the child's columns");
  add_child(std::move(child));
}

std::unique_ptr<GlobalState> PhysicalOrder::make_global_sink(QueryContext&) const {
  return std::make_unique<OrderGlobalState>(types_, keys_);
}

std::unique_ptr<LocalState> PhysicalOrder::make_local_sink(WorkerContext& worker, GlobalState&) const {
  return std::make_unique<OrderLocalState>(worker.query, types_, keys_);
}

SinkResult PhysicalOrder::sink(WorkerContext&, DataChunk& in, GlobalState&, LocalState& local_state) const {
  auto& local = static_cast<OrderLocalState&>(local_state);
  local.buffer.append(local.expressions, in);
  return SinkResult::kNeedMoreInput;
}

void PhysicalOrder::combine(WorkerContext&, GlobalState& global, LocalState& local_state) const {
  auto& g = static_cast<OrderGlobalState&>(global);
  auto& local = static_cast<OrderLocalState&>(local_state);
  std::lock_guard lock(g.mutex);
  g.buffer.absorb(local.buffer);
}

void PhysicalOrder::finalize(QueryContext&, GlobalState& global) const { static_cast<OrderGlobalState&>(global).buffer.sort(); }

std::unique_ptr<GlobalState> PhysicalOrder::make_global_source(QueryContext& query) const {
  return std::make_unique<OrderSourceState>(static_cast<OrderGlobalState&>(query.states->sink_state(*this)));
}

SourceResult PhysicalOrder::get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const {
  auto& state = static_cast<OrderSourceState&>(global);
  const SortBuffer& buffer = state.sink.buffer;
  buffer.scan(&state.position, buffer.sorted_count(), out);
  return state.position >= buffer.sorted_count() ? SourceResult::kFinished : SourceResult::kHaveMoreOutput;
}

std::string PhysicalOrder::explain_details() const {
  std::string out;
  for (size_t i = 0; i < keys_.size(); i++) {
    if (i) out += ", ";
    out += keys_[i].to_string();
  }
  return out;
}

}  // namespace tessera::executor
