#include "executor/query_executor.h"

#include <atomic>

#include "executor/scheduler.h"
#include "src/common/assert.h"

namespace tessera::executor {

void QueryContext::check_cancelled() const {
  if (is_cancelled()) throw SqlError(SqlState::kQueryCanceled, "canceling statement due to user request");
}

QueryExecutor::QueryExecutor(const PhysicalOperator& root, QueryContext& query) : root_(root), query_(query) {
  query_.states = this;
  pipelines_ = PipelineBuilder::build(root_);
  for (const auto& p : pipelines_->pipelines()) sink_states_[p->sink] = p->sink->make_global_sink(query_);
}

QueryExecutor::~QueryExecutor() = default;

GlobalState& QueryExecutor::sink_state(const PhysicalOperator& op) {
  auto it = sink_states_.find(&op);
  TS_CHECK(it != sink_states_.end(), "no sink state for operator " + op.name());
  return *it->second;
}

void QueryExecutor::execute() {
  for (Pipeline* p : pipelines_->schedule_order()) {
    query_.check_cancelled();
    run_pipeline(*p);
  }
}

namespace {

/// One worker's run of a pipeline: pulls from the source and pushes through the operators into
/// the sink until the source is exhausted or the sink (or an operator) is finished.
class PipelineWorker {
 public:
  PipelineWorker(const Pipeline& pipeline, WorkerContext& worker, GlobalState& source_global,
                 std::vector<std::unique_ptr<GlobalState>>& op_globals, GlobalState& sink_global,
                 std::atomic<bool>& pipeline_done)
      : pipeline_(pipeline),
        worker_(worker),
        source_global_(source_global),
        op_globals_(op_globals),
        sink_global_(sink_global),
        pipeline_done_(pipeline_done) {
    source_local_ = pipeline.source->make_local_source(worker, source_global);
    for (size_t i = 0; i < pipeline.operators.size(); i++) {
      op_locals_.push_back(pipeline.operators[i]->make_local_operator(worker, *op_globals[i]));
      intermediates_.emplace_back();
      intermediates_.back().initialize(pipeline.operators[i]->output_types());
    }
    sink_local_ = pipeline.sink->make_local_sink(worker, sink_global);
    source_chunk_.initialize(pipeline.source->output_types());
  }

  void run() {
    for (;;) {
      if (pipeline_done_.load(std::memory_order_relaxed)) break;
      worker_.query.check_cancelled();
      source_chunk_.reset();
      SourceResult sr = pipeline_.source->get_data(worker_, source_chunk_, source_global_, *source_local_);
      if (source_chunk_.size() > 0) {
        if (!push(source_chunk_, 0)) {
          pipeline_done_.store(true, std::memory_order_relaxed);
          break;
        }
      }
      if (sr == SourceResult::kFinished) break;
    }
    pipeline_.sink->combine(worker_, sink_global_, *sink_local_);
  }

 private:
  /// Returns false when the pipeline is finished (sink or operator said so).
  bool push(DataChunk& chunk, size_t op_index) {
    if (op_index == pipeline_.operators.size()) {
      return pipeline_.sink->sink(worker_, chunk, sink_global_, *sink_local_) == SinkResult::kNeedMoreInput;
    }
    const PhysicalOperator& op = *pipeline_.operators[op_index];
    DataChunk& out = intermediates_[op_index];
    for (;;) {
      // One input chunk may produce many output chunks (joins): stay responsive to cancels.
      worker_.query.check_cancelled();
      if (pipeline_done_.load(std::memory_order_relaxed)) return false;
      out.reset();
      OperatorResult r = op.execute(worker_, chunk, out, *op_globals_[op_index], *op_locals_[op_index]);
      if (out.size() > 0 && !push(out, op_index + 1)) return false;
      if (r == OperatorResult::kFinished) return false;
      if (r == OperatorResult::kNeedMoreInput) return true;
    }
  }

  const Pipeline& pipeline_;
  WorkerContext& worker_;
  GlobalState& source_global_;
  std::vector<std::unique_ptr<GlobalState>>& op_globals_;
  GlobalState& sink_global_;
  std::atomic<bool>& pipeline_done_;
  std::unique_ptr<LocalState> source_local_;
  std::vector<std::unique_ptr<LocalState>> op_locals_;
  std::unique_ptr<LocalState> sink_local_;
  DataChunk source_chunk_;
  std::vector<DataChunk> intermediates_;
};

}  // namespace

void QueryExecutor::run_pipeline(const Pipeline& pipeline) {
  auto source_global = pipeline.source->make_global_source(query_);
  std::vector<std::unique_ptr<GlobalState>> op_globals;
  for (const auto* op : pipeline.operators) op_globals.push_back(op->make_global_operator(query_));
  GlobalState& sink_global = sink_state(*pipeline.sink);

  size_t threads = std::min(query_.max_threads, source_global->max_threads());
  if (threads == 0) threads = 1;
  std::atomic<bool> pipeline_done{false};
  auto task = [&](size_t worker_index) {
    WorkerContext worker{query_, worker_index};
    try {
      PipelineWorker runner(pipeline, worker, *source_global, op_globals, sink_global, pipeline_done);
      runner.run();
    } catch (...) {
      // Stop the sibling workers; the scheduler rethrows the first error to the caller.
      pipeline_done.store(true);
      throw;
    }
  };
  if (threads == 1 || !query_.scheduler) {
    task(0);
  } else {
    query_.scheduler->run_batch(threads, task);
  }
  pipeline.sink->finalize(query_, sink_global);
}

}  // namespace tessera::executor
