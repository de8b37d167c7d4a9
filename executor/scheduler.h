#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace tessera::executor {

class Scheduler;

/// What a task's run() asks of the scheduler.
enum class TaskResult : uint8_t {
  kDone,     ///< finished; the scheduler never touches the task again
  kYield,    ///< more work; requeue behind the other queries' tasks
  kBlocked,  ///< cannot continue until someone calls Scheduler::wake(task); parked meanwhile
};

/// The tasks of one query. The scheduler takes tasks from its groups round-robin, so one
/// query's many tasks do not starve another query's few. Owned by the query; must outlive
/// every task of it the scheduler holds.
class TaskGroup {
 private:
  friend class Scheduler;
  std::deque<class Task*> ready_;  ///< guarded by the scheduler's mutex
  bool in_ring_ = false;           ///< guarded by the scheduler's mutex
};

/// A unit of work of one query, run on a scheduler worker. A task that returns kYield or
/// kBlocked keeps its state and is run again later (DuckDB's blocked-task model): a task never
/// blocks a worker thread. Owned by the query, which keeps it alive until run() returned kDone.
class Task {
 public:
  explicit Task(TaskGroup& group) : group_(&group) {}
  virtual ~Task() = default;
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;

  /// Runs a slice of the task's work. Must not throw. After returning kDone the task may be
  /// destroyed by its owner at any time; run() must not touch it after signalling its owner.
  virtual TaskResult run() = 0;

 private:
  friend class Scheduler;
  enum class State : uint8_t { kIdle, kQueued, kRunning, kParked };
  TaskGroup* group_;
  State state_ = State::kIdle;  ///< guarded by the scheduler's mutex
  bool wake_pending_ = false;   ///< wake() arrived while running; guarded by the scheduler's mutex
};

/// A fixed pool of worker threads, one per core by default: the only threads that run query
/// work. Statement threads hand tasks to it and wait; they never run tasks themselves, so
/// concurrent queries share the cores instead of oversubscribing them. Tasks of different
/// groups (queries) are interleaved round-robin. Thread-safe.
class Scheduler {
 public:
  /// `threads` = 0 means one per hardware thread.
  explicit Scheduler(size_t threads);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  size_t thread_count() const { return workers_.size(); }

  /// Queues `task` (idle: never scheduled, or finished a previous run with kDone) to run.
  void schedule(Task& task);
  /// Makes a task that returned (or is about to return) kBlocked runnable again. A wake that
  /// arrives while the task still runs makes its kBlocked act as kYield, so no wake is lost.
  void wake(Task& task);

 private:
  void worker_loop();
  /// Puts a task at the back of its group and its group in the ring. Requires mutex_.
  void enqueue_locked(Task& task);

  std::mutex mutex_;
  std::condition_variable work_available_;
  std::deque<TaskGroup*> ring_;  ///< groups with ready tasks, in round-robin order
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace tessera::executor
