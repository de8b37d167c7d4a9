#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace tessera::pgwire {

/// An elastic pool of threads that run connection work, statements included. A submitted task
/// starts at once on an idle thread or on a new one, so a long statement on one connection
/// never delays another; a thread idle for `idle_timeout` exits, so idle connections hold no
/// thread. Thread-safe.
class StatementPool {
 public:
  explicit StatementPool(std::chrono::milliseconds idle_timeout = std::chrono::seconds(30));
  /// Calls shutdown().
  ~StatementPool();
  StatementPool(const StatementPool&) = delete;
  StatementPool& operator=(const StatementPool&) = delete;

  /// Runs `task` on a pool thread as soon as possible. When no thread can be created the task
  /// waits for a busy thread; if there is none, std::system_error is thrown.
  void submit(std::function<void()> task);
  /// Lets every submitted task finish (including tasks submitted meanwhile), then joins all
  /// threads. Must not be called from a pool thread.
  void shutdown();
  /// Threads alive now (running or idle).
  size_t thread_count() const;

 private:
  void worker_loop();
  /// Moves the threads that have left worker_loop out of threads_ for joining.
  std::vector<std::thread> take_exited_locked();

  const std::chrono::milliseconds idle_timeout_;
  mutable std::mutex mutex_;
  std::condition_variable work_available_;
  std::deque<std::function<void()>> tasks_;
  std::map<std::thread::id, std::thread> threads_;
  std::vector<std::thread::id> exited_;
  size_t idle_ = 0;
  bool shutting_down_ = false;
};

}  // namespace tessera::pgwire
