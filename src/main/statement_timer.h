#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace tessera {

/// Runs callbacks at deadlines on one background thread (statement_timeout). Thread-safe.
class StatementTimer {
 public:
  using Clock = std::chrono::steady_clock;
  using Id = uint64_t;

  /// The process's timer; its thread starts on first use and stops at exit.
  static StatementTimer& instance();

  StatementTimer();
  ~StatementTimer();
  StatementTimer(const StatementTimer&) = delete;
  StatementTimer& operator=(const StatementTimer&) = delete;

  /// Calls `fire` once at `deadline` (on the timer's thread) unless disarmed first.
  Id arm(Clock::time_point deadline, std::function<void()> fire);
  /// Cancels `id`. When this returns, its callback has either finished or will never run.
  void disarm(Id id);

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  /// Armed entries by (deadline, id).
  std::map<std::pair<Clock::time_point, Id>, std::function<void()>> entries_;
  std::map<Id, Clock::time_point> deadlines_;
  Id next_id_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tessera
