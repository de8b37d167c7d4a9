#include "src/main/statement_timer.h"

#include <utility>

namespace tessera {

StatementTimer& StatementTimer::instance() {
  static StatementTimer timer;
  return timer;
}

StatementTimer::StatementTimer() : thread_([this] { run(); }) {}

StatementTimer::~StatementTimer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

StatementTimer::Id StatementTimer::arm(Clock::time_point deadline, std::function<void()> fire) {
  std::lock_guard lock(mutex_);
  const Id id = next_id_++;
  entries_.emplace(std::make_pair(deadline, id), std::move(fire));
  deadlines_.emplace(id, deadline);
  wake_.notify_all();
  return id;
}

void StatementTimer::disarm(Id id) {
  // Callbacks run under the mutex, so holding it means none is running.
  std::lock_guard lock(mutex_);
  auto it = deadlines_.find(id);
  if (it == deadlines_.end()) return;
  entries_.erase(std::make_pair(it->second, id));
  deadlines_.erase(it);
}

void StatementTimer::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (entries_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto first = entries_.begin();
    // A copy: while this thread waits, disarm may erase the entry.
    const Clock::time_point deadline = first->first.first;
    if (Clock::now() < deadline) {
      wake_.wait_until(lock, deadline);
      continue;
    }
    std::function<void()> fire = std::move(first->second);
    deadlines_.erase(first->first.second);
    entries_.erase(first);
    fire();
  }
}

}  // namespace tessera
