#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tessera::executor {

/// A fixed pool of worker threads, one per core by default. Pipelines run as batches of tasks
/// (one per worker) over morsels. Thread-safe.
class Scheduler {
 public:
  /// `threads` = 0 means one per hardware thread.
  explicit Scheduler(size_t threads);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  size_t thread_count() const { return thread_count_; }

  /// Runs task(0) .. task(count-1) on the workers and waits for all of them. The calling thread
  /// runs tasks of this batch too, so a batch always makes progress. Exceptions thrown by tasks
  /// are rethrown here (the first one) after every task ended.
  void run_batch(size_t count, const std::function<void(size_t)>& task);

 private:
  struct Batch;
  void worker_loop();
  static void run_one(Batch& batch, size_t index);

  std::mutex mutex_;
  std::condition_variable work_available_;
  std::deque<std::pair<Batch*, size_t>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
  size_t thread_count_ = 1;  ///< workers_ plus the thread calling run_batch
};

}  // namespace tessera::executor
