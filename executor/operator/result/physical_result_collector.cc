#include "executor/operator/result/physical_result_collector.h"

#include "src/common/result_receiver.h"

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
  std::lock_guard lock(state.mutex);
  if (max_rows_ && state.row_count >= max_rows_) return SinkResult::kFinished;
  state.row_count += in.size();
  if (mode_ == Mode::kStream) {
    worker.query.receiver->on_chunk(in);
  } else {
    DataChunk copy;
    copy.initialize(in.types(), in.size());
    copy.append(in);
    state.chunks.push_back(std::move(copy));
  }
  return max_rows_ && state.row_count >= max_rows_ ? SinkResult::kFinished : SinkResult::kNeedMoreInput;
}

}  // namespace tessera::executor
