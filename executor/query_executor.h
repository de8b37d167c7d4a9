#pragma once

#include <condition_variable>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "executor/execution_context.h"
#include "executor/physical_operator.h"
#include "executor/pipeline.h"
#include "executor/scheduler.h"

namespace tessera::executor {

/// Runs one physical plan: cuts it into pipelines, creates the operators' global states and
/// runs the pipelines one after another in dependency order. With a scheduler, each pipeline
/// runs as up to query.max_threads tasks on the scheduler's workers; the last task to finish a
/// pipeline finalizes its sink and starts the next pipeline, so the thread that started the
/// query only waits (or consumes the query's ResultQueue). Tasks yield after a time slice and
/// park while their sink is blocked, so other queries' tasks run meanwhile. Without a
/// scheduler (subqueries evaluated inside a task, tests) everything runs inline on the calling
/// thread.
///
/// Errors: a task that throws records the first error and stops its siblings (query.stopped);
/// wait() rethrows it on the caller's thread. Thread-safety: start/wait/stop/destruction from
/// one thread; the tasks synchronize among themselves.
class QueryExecutor : public StateRegistry {
 public:
  /// `root` must be a sink (result collector, insert, ...). `query` must outlive the executor.
  QueryExecutor(const PhysicalOperator& root, QueryContext& query);
  /// Stops the query if it still runs and waits until none of its tasks runs.
  ~QueryExecutor() override;

  /// Starts the query. With a scheduler it returns at once; without one it runs the whole plan
  /// (and throws its error).
  void start();
  /// Waits until the query ended; rethrows the first error of any task.
  void wait();
  /// Runs the plan to completion: start() then wait().
  void execute();
  /// Asks the query to stop early (a portal closed before its end): tasks end at their next
  /// check, parked result producers are woken, queued results are dropped. Does not wait.
  void stop();
  /// Whether the query ended (all its tasks finished); thread-safe.
  bool is_finished() const;

  GlobalState& sink_state(const PhysicalOperator& op) override;
  GlobalState* find_sink_state(const PhysicalOperator& op) override;

 private:
  struct PipelineRun;
  class PipelineTask;
  class FinalizeTask;

  void run_inline();
  /// Creates the states and tasks of pipeline `index` of order_ and schedules them.
  void start_pipeline(size_t index);
  /// Called by each task of `run` when it ended; the last one finalizes (scheduling the sink's
  /// parallel finalize parts first, when it has some) and moves on.
  void task_finished(PipelineRun& run);
  /// Called by each finalize task of `run` when it ended; the last one completes the pipeline.
  void finalize_task_finished(PipelineRun& run);
  /// Runs the sink's finalize, then starts the next pipeline or ends the query.
  void complete_pipeline(PipelineRun& run);
  void record_error(std::exception_ptr error);
  bool has_error();
  /// Marks the query ended and wakes its waiters. The executor may be destroyed as soon as
  /// this returns, so it is the last thing a task does.
  void finish_query();

  const PhysicalOperator& root_;
  QueryContext& query_;
  std::unique_ptr<PipelineBuilder> pipelines_;
  std::vector<Pipeline*> order_;
  /// Pipelines whose sink a later pipeline shares (UNION ALL branches): they combine into the
  /// sink but leave finalizing it to the last one.
  std::set<const Pipeline*> sink_finalized_later_;
  std::map<const PhysicalOperator*, std::unique_ptr<GlobalState>> sink_states_;
  TaskGroup group_;
  /// Runs of the pipelines started so far. Appended to by whoever starts the next pipeline
  /// (one at a time); read after the query ended.
  std::vector<std::unique_ptr<PipelineRun>> runs_;

  mutable std::mutex mutex_;
  std::condition_variable finished_cv_;
  bool started_ = false;
  bool finished_ = false;        ///< guarded by mutex_
  std::exception_ptr error_;     ///< guarded by mutex_
};

}  // namespace tessera::executor
