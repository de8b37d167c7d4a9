#include "executor/query_executor.h"

#include <algorithm>
#include <atomic>
#include <chrono>

#include "executor/operator/result/result_queue.h"
#include "executor/operator_profile.h"
#include "src/common/assert.h"
#include "src/common/memory_tracker.h"

namespace tessera::executor {

void QueryContext::check_cancelled() const {
  if (is_cancelled()) throw SqlError(SqlState::kQueryCanceled, "canceling statement due to user request");
}

GlobalState& QueryContext::enclosing_sink_state(const PhysicalOperator& op) const {
  for (const QueryContext* query = this; query; query = query->parent) {
    if (!query->states) continue;
    if (GlobalState* state = query->states->find_sink_state(op)) return *state;
  }
  internal_error(__FILE__, __LINE__, "no enclosing query has a sink state for operator " + op.name());
}

void QueryContext::notice(std::string sqlstate, std::string message, std::string detail) const {
  if (results) results->push_notice(QueryNotice{std::move(sqlstate), std::move(message), std::move(detail)});
}

namespace {

/// How long a task runs before it yields its worker to other queries' tasks.
constexpr auto kTimeSlice = std::chrono::milliseconds(10);

uint64_t nanos_since(std::chrono::steady_clock::time_point start) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
}

/// Times one call into `profile` when profiling (`profile` non-null), else just makes it.
template <typename F>
auto timed(OperatorProfile* profile, F&& call) {
  if (!profile) return call();
  const auto start = std::chrono::steady_clock::now();
  auto result = call();
  profile->nanos += nanos_since(start);
  return result;
}

/// One worker's share of a pipeline: pulls from the source and pushes through the operators
/// into the sink. Resumable: step() returns kBlocked when the sink refused a chunk (which it
/// offers again on the next step) and kYield when its time slice is used up, keeping every
/// local state and the chunks in flight.
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
    chunks_.resize(pipeline.operators.size() + 1);
    chunks_[0].initialize(pipeline.source->output_types());
    for (size_t i = 0; i < pipeline.operators.size(); i++) {
      op_locals_.push_back(pipeline.operators[i]->make_local_operator(worker, *op_globals[i]));
      chunks_[i + 1].initialize(pipeline.operators[i]->output_types());
    }
    sink_local_ = pipeline.sink->make_local_sink(worker, sink_global);
    // Profiles: [0] the source, [i + 1] operator i, the last one the sink.
    if (worker.query.profile) profiles_.resize(pipeline.operators.size() + 2);
  }

  /// Runs until the pipeline is done for this worker (then combines), the sink blocks, or the
  /// time slice ends. `deadline` = time_point::max() runs without yielding.
  TaskResult step(std::chrono::steady_clock::time_point deadline) {
    const size_t sink_level = pipeline_.operators.size();
    for (;;) {
      if (pipeline_done_.load(std::memory_order_relaxed)) break;
      worker_.query.check_cancelled();
      if (std::chrono::steady_clock::now() >= deadline) return TaskResult::kYield;
      if (stack_.empty()) {
        if (source_exhausted_ || operator_finished_) {
          if (operator_finished_) pipeline_done_.store(true, std::memory_order_relaxed);
          break;
        }
        chunks_[0].reset();
        SourceResult sr = timed(profile(0), [&] {
          return pipeline_.source->get_data(worker_, chunks_[0], source_global_, *source_local_);
        });
        if (!profiles_.empty()) profiles_[0].rows_out += chunks_[0].size();
        if (sr == SourceResult::kFinished) source_exhausted_ = true;
        if (chunks_[0].size() > 0) stack_.push_back(0);
        continue;
      }
      const size_t level = stack_.back();
      if (level == sink_level) {
        SinkResult r = timed(profile(level + 1),
                             [&] { return pipeline_.sink->sink(worker_, chunks_[level], sink_global_, *sink_local_); });
        if (r == SinkResult::kBlocked) return TaskResult::kBlocked;  // offered again on resume
        if (!profiles_.empty()) profiles_[level + 1].rows_in += chunks_[level].size();
        stack_.pop_back();
        if (r == SinkResult::kFinished) {
          pipeline_done_.store(true, std::memory_order_relaxed);
          break;
        }
        continue;
      }
      // Operator `level` takes chunks_[level]; one input may yield many outputs (joins), so
      // the level stays on the stack while it says kHaveMoreOutput.
      DataChunk& out = chunks_[level + 1];
      out.reset();
      OperatorResult r = timed(profile(level + 1), [&] {
        return pipeline_.operators[level]->execute(worker_, chunks_[level], out, *op_globals_[level],
                                                   *op_locals_[level]);
      });
      if (!profiles_.empty()) profiles_[level + 1].rows_out += out.size();
      if (r != OperatorResult::kHaveMoreOutput) stack_.pop_back();
      if (r == OperatorResult::kFinished) {
        // Nothing below this operator is needed any more; its last output still flows on.
        stack_.clear();
        operator_finished_ = true;
      }
      if (out.size() > 0) stack_.push_back(level + 1);
    }
    timed(profile(sink_level + 1), [&] {
      pipeline_.sink->combine(worker_, sink_global_, *sink_local_);
      return 0;
    });
    if (!profiles_.empty()) merge_profiles();
    return TaskResult::kDone;
  }

 private:
  const Pipeline& pipeline_;
  WorkerContext& worker_;
  GlobalState& source_global_;
  std::vector<std::unique_ptr<GlobalState>>& op_globals_;
  GlobalState& sink_global_;
  std::atomic<bool>& pipeline_done_;
  std::unique_ptr<LocalState> source_local_;
  std::vector<std::unique_ptr<LocalState>> op_locals_;
  std::unique_ptr<LocalState> sink_local_;
  /// chunks_[0] is the source's output, chunks_[i + 1] operator i's.
  std::vector<DataChunk> chunks_;
  /// Levels whose input chunk is ready to be processed (operator index, or the sink's level),
  /// innermost last; strictly increasing from bottom to top.
  std::vector<size_t> stack_;
  bool source_exhausted_ = false;
  bool operator_finished_ = false;
  /// This worker's counts per pipeline position while profiling; empty otherwise.
  std::vector<OperatorProfile> profiles_;

  OperatorProfile* profile(size_t position) { return profiles_.empty() ? nullptr : &profiles_[position]; }

  /// Adds this worker's counts (and its source state's) to the query's profile.
  void merge_profiles() {
    QueryProfile& query_profile = *worker_.query.profile;
    profiles_[0].produces = true;
    pipeline_.source->collect_source_profile(*source_local_, profiles_[0]);
    query_profile.merge(*pipeline_.source, profiles_[0]);
    for (size_t i = 0; i < pipeline_.operators.size(); i++) {
      profiles_[i + 1].produces = true;
      query_profile.merge(*pipeline_.operators[i], profiles_[i + 1]);
    }
    query_profile.merge(*pipeline_.sink, profiles_.back());
  }
};

/// Runs a sink's finalization step, adding its time to the query's profile when profiling.
template <typename F>
auto timed_finalize(QueryContext& query, const PhysicalOperator& sink, F&& call) {
  OperatorProfile step;
  auto result = timed(query.profile ? &step : nullptr, call);
  if (query.profile) query.profile->add_time(sink, step.nanos);
  return result;
}

}  // namespace

struct QueryExecutor::PipelineRun {
  size_t index = 0;
  const Pipeline* pipeline = nullptr;
  std::unique_ptr<GlobalState> source_global;
  std::vector<std::unique_ptr<GlobalState>> op_globals;
  GlobalState* sink_global = nullptr;
  std::atomic<bool> done{false};
  size_t remaining = 0;  ///< tasks still running; guarded by QueryExecutor::mutex_
  std::vector<std::unique_ptr<PipelineTask>> tasks;
  // The sink's parallel finalize parts, once the pipeline's tasks ended.
  size_t finalize_parts = 0;
  std::atomic<size_t> next_part{0};
  size_t finalize_remaining = 0;  ///< finalize tasks still running; guarded by QueryExecutor::mutex_
  std::vector<std::unique_ptr<FinalizeTask>> finalize_tasks;
};

class QueryExecutor::PipelineTask : public Task {
 public:
  PipelineTask(QueryExecutor& executor, PipelineRun& run, size_t worker_index)
      : Task(executor.group_), executor_(executor), run_(run), worker_{executor.query_, worker_index, this} {}

  TaskResult run() override {
    // The query's allocations on this worker count against its memory tracker.
    MemoryTracker::Scope memory(executor_.query_.memory.get());
    ScopedDateTimeContext datetime(&executor_.query_.datetime);
    catalog::ScopedSequenceContext sequences(&executor_.query_.sequences);
    TaskResult result = TaskResult::kDone;
    try {
      if (!runner_) {
        runner_ = std::make_unique<PipelineWorker>(*run_.pipeline, worker_, *run_.source_global, run_.op_globals,
                                                   *run_.sink_global, run_.done);
      }
      result = runner_->step(std::chrono::steady_clock::now() + kTimeSlice);
    } catch (...) {
      // Stop the sibling tasks; the statement thread rethrows the first error.
      run_.done.store(true);
      executor_.record_error(std::current_exception());
      result = TaskResult::kDone;
    }
    if (result != TaskResult::kDone) return result;
    runner_.reset();
    executor_.task_finished(run_);  // the last touch: the executor may be gone after it
    return TaskResult::kDone;
  }

 private:
  QueryExecutor& executor_;
  PipelineRun& run_;
  WorkerContext worker_;
  std::unique_ptr<PipelineWorker> runner_;
};

/// Runs parts of a sink's finalization: claims part indices until none are left.
class QueryExecutor::FinalizeTask : public Task {
 public:
  FinalizeTask(QueryExecutor& executor, PipelineRun& run) : Task(executor.group_), executor_(executor), run_(run) {}

  TaskResult run() override {
    MemoryTracker::Scope memory(executor_.query_.memory.get());
    ScopedDateTimeContext datetime(&executor_.query_.datetime);
    catalog::ScopedSequenceContext sequences(&executor_.query_.sequences);
    try {
      for (;;) {
        if (executor_.query_.stopped.load()) break;
        const size_t part = run_.next_part.fetch_add(1);
        if (part >= run_.finalize_parts) break;
        timed_finalize(executor_.query_, *run_.pipeline->sink, [&] {
          run_.pipeline->sink->finalize_part(executor_.query_, *run_.sink_global, part);
          return 0;
        });
      }
    } catch (...) {
      executor_.record_error(std::current_exception());
    }
    executor_.finalize_task_finished(run_);  // the last touch: the executor may be gone after it
    return TaskResult::kDone;
  }

 private:
  QueryExecutor& executor_;
  PipelineRun& run_;
};

QueryExecutor::QueryExecutor(const PhysicalOperator& root, QueryContext& query) : root_(root), query_(query) {
  query_.states = this;
  pipelines_ = PipelineBuilder::build(root_);
  order_ = pipelines_->schedule_order();
  std::set<const PhysicalOperator*> later_sinks;
  for (size_t i = order_.size(); i-- > 0;) {
    if (!later_sinks.insert(order_[i]->sink).second) sink_finalized_later_.insert(order_[i]);
  }
  for (const auto& p : pipelines_->pipelines()) sink_states_[p->sink] = p->sink->make_global_sink(query_);
}

QueryExecutor::~QueryExecutor() {
  if (!started_ || !query_.scheduler) return;
  stop();
  std::unique_lock lock(mutex_);
  finished_cv_.wait(lock, [this] { return finished_; });
}

GlobalState& QueryExecutor::sink_state(const PhysicalOperator& op) {
  auto it = sink_states_.find(&op);
  TS_CHECK(it != sink_states_.end(), "no sink state for operator " + op.name());
  return *it->second;
}

GlobalState* QueryExecutor::find_sink_state(const PhysicalOperator& op) {
  auto it = sink_states_.find(&op);
  return it == sink_states_.end() ? nullptr : it->second.get();
}

void QueryExecutor::execute() {
  start();
  wait();
}

void QueryExecutor::start() {
  TS_CHECK(!started_, "a query executor runs once");
  started_ = true;
  if (!query_.scheduler) {
    run_inline();
    return;
  }
  if (order_.empty()) {
    finish_query();
    return;
  }
  start_pipeline(0);
}

void QueryExecutor::wait() {
  std::unique_lock lock(mutex_);
  finished_cv_.wait(lock, [this] { return finished_; });
  if (error_) std::rethrow_exception(error_);
}

void QueryExecutor::stop() {
  query_.stopped.store(true);
  if (query_.results) query_.results->close();
}

bool QueryExecutor::is_finished() const {
  std::lock_guard lock(mutex_);
  return finished_;
}

void QueryExecutor::run_inline() {
  for (Pipeline* p : order_) {
    query_.check_cancelled();
    auto source_global = p->source->make_global_source(query_);
    std::vector<std::unique_ptr<GlobalState>> op_globals;
    for (const auto* op : p->operators) op_globals.push_back(op->make_global_operator(query_));
    GlobalState& sink_global = sink_state(*p->sink);
    std::atomic<bool> done{false};
    WorkerContext worker{query_, 0, nullptr};
    PipelineWorker runner(*p, worker, *source_global, op_globals, sink_global, done);
    TaskResult result = runner.step(std::chrono::steady_clock::time_point::max());
    TS_CHECK(result == TaskResult::kDone, "a pipeline run inline cannot wait for a consumer");
    if (sink_finalized_later_.count(p)) continue;
    timed_finalize(query_, *p->sink, [&] {
      const size_t parts = p->sink->prepare_finalize(query_, sink_global);
      for (size_t i = 0; i < parts; i++) p->sink->finalize_part(query_, sink_global, i);
      p->sink->finalize(query_, sink_global);
      return 0;
    });
  }
  std::lock_guard lock(mutex_);
  finished_ = true;
}

void QueryExecutor::start_pipeline(size_t index) {
  try {
    query_.check_cancelled();
    auto run = std::make_unique<PipelineRun>();
    run->index = index;
    run->pipeline = order_[index];
    run->source_global = run->pipeline->source->make_global_source(query_);
    for (const auto* op : run->pipeline->operators) run->op_globals.push_back(op->make_global_operator(query_));
    run->sink_global = &sink_state(*run->pipeline->sink);
    size_t threads = std::min(query_.max_threads, run->source_global->max_threads());
    if (threads == 0) threads = 1;
    for (size_t i = 0; i < threads; i++) run->tasks.push_back(std::make_unique<PipelineTask>(*this, *run, i));
    {
      std::lock_guard lock(mutex_);
      run->remaining = threads;
    }
    PipelineRun& started = *run;
    runs_.push_back(std::move(run));
    for (auto& task : started.tasks) query_.scheduler->schedule(*task);
  } catch (...) {
    record_error(std::current_exception());
    finish_query();
  }
}

void QueryExecutor::task_finished(PipelineRun& run) {
  {
    std::lock_guard lock(mutex_);
    if (--run.remaining > 0) return;
  }
  // The last task of the pipeline: finalize its sink, with its parallel parts (if any) on the
  // scheduler's workers first.
  if (!has_error() && !query_.stopped.load() && !sink_finalized_later_.count(run.pipeline)) {
    try {
      run.finalize_parts = timed_finalize(
          query_, *run.pipeline->sink, [&] { return run.pipeline->sink->prepare_finalize(query_, *run.sink_global); });
    } catch (...) {
      record_error(std::current_exception());
    }
    if (run.finalize_parts > 0 && !has_error()) {
      const size_t tasks = std::max<size_t>(1, std::min(run.finalize_parts, query_.max_threads));
      for (size_t i = 0; i < tasks; i++) run.finalize_tasks.push_back(std::make_unique<FinalizeTask>(*this, run));
      {
        std::lock_guard lock(mutex_);
        run.finalize_remaining = tasks;
      }
      for (auto& task : run.finalize_tasks) query_.scheduler->schedule(*task);
      return;
    }
  }
  complete_pipeline(run);
}

void QueryExecutor::finalize_task_finished(PipelineRun& run) {
  {
    std::lock_guard lock(mutex_);
    if (--run.finalize_remaining > 0) return;
  }
  complete_pipeline(run);
}

void QueryExecutor::complete_pipeline(PipelineRun& run) {
  if (!has_error() && !query_.stopped.load() && !sink_finalized_later_.count(run.pipeline)) {
    try {
      timed_finalize(query_, *run.pipeline->sink, [&] {
        run.pipeline->sink->finalize(query_, *run.sink_global);
        return 0;
      });
    } catch (...) {
      record_error(std::current_exception());
    }
  }
  if (!has_error() && !query_.stopped.load() && run.index + 1 < order_.size()) {
    start_pipeline(run.index + 1);
    return;
  }
  finish_query();
}

void QueryExecutor::record_error(std::exception_ptr error) {
  query_.stopped.store(true);
  std::lock_guard lock(mutex_);
  if (!error_) error_ = std::move(error);
}

bool QueryExecutor::has_error() {
  std::lock_guard lock(mutex_);
  return error_ != nullptr;
}

void QueryExecutor::finish_query() {
  if (query_.results) query_.results->finish();
  std::lock_guard lock(mutex_);
  finished_ = true;
  finished_cv_.notify_all();
}

}  // namespace tessera::executor
