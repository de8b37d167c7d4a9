#include "executor/operator/result/physical_result_collector.h"

#include "executor/operator/result/result_queue.h"
#include "src/common/assert.h"

namespace tessera::executor {

PhysicalResultCollector::PhysicalResultCollector(Mode mode, size_t max_rows, std::unique_ptr<PhysicalOperator> child)
    : PhysicalOperator("RESULT", child->output_types()), mode_(mode), max_rows_(max_rows) {
  add_child(std::move(child));
}

std::unique_ptr<GlobalState> PhysicalResultCollector::make_global_sink(QueryContext&) const {
  return std::make_unique<State>();
}

SinkResult PhysicalResultCollector::sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState&) const {
  auto& state = static_cast<State&>(global);
  if (mode_ == Mode::kStream) {
    ResultQueue* results = worker.query.results;
    TS_CHECK(results != nullptr && worker.task != nullptr, "a streaming result needs a result queue and a scheduler task");
    switch (results->push(in, *worker.task)) {
      case ResultQueue::PushResult::kFull: return SinkResult::kBlocked;
      case ResultQueue::PushResult::kClosed: return SinkResult::kFinished;
      case ResultQueue::PushResult::kAccepted: break;
    }
    worker.query.processed_rows += in.size();
    std::lock_guard lock(state.mutex);
    state.row_count += in.size();
    return SinkResult::kNeedMoreInput;
  }
  std::lock_guard lock(state.mutex);
  if (max_rows_ && state.row_count >= max_rows_) return SinkResult::kFinished;
  state.row_count += in.size();
  DataChunk copy;
  copy.initialize(in.types(), in.size());
  copy.append(in);
  state.chunks.push_back(std::move(copy));
  return max_rows_ && state.row_count >= max_rows_ ? SinkResult::kFinished : SinkResult::kNeedMoreInput;
}

}  // namespace tessera::executor
