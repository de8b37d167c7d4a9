#include "pgwire/internal/statement_pool.h"

#include <system_error>
#include <utility>

namespace tessera::pgwire {

StatementPool::StatementPool(std::chrono::milliseconds idle_timeout) : idle_timeout_(idle_timeout) {}

StatementPool::~StatementPool() { shutdown(); }

void StatementPool::submit(std::function<void()> task) {
  std::vector<std::thread> exited;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    exited = take_exited_locked();
    tasks_.push_back(std::move(task));
    if (idle_ >= tasks_.size()) {
      work_available_.notify_one();
    } else {
      try {
        std::thread thread([this] { worker_loop(); });
        std::thread::id id = thread.get_id();
        threads_.emplace(id, std::move(thread));
      } catch (const std::system_error&) {
        // Out of threads: the task waits for a running one to finish, unless none exists.
        if (threads_.empty()) {
          tasks_.pop_back();
          throw;
        }
      }
    }
  }
  for (std::thread& t : exited) t.join();
}

void StatementPool::shutdown() {
  std::unique_lock<std::mutex> lock(mutex_);
  shutting_down_ = true;
  work_available_.notify_all();
  while (!threads_.empty()) {
    std::vector<std::thread> threads;
    for (auto& [id, thread] : threads_) threads.push_back(std::move(thread));
    threads_.clear();
    exited_.clear();
    lock.unlock();
    for (std::thread& t : threads) t.join();
    lock.lock();
  }
}

size_t StatementPool::thread_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return threads_.size() - exited_.size();
}

void StatementPool::worker_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (!tasks_.empty()) {
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      // Whatever the task holds (a connection, say) is released outside the lock.
      task = nullptr;
      lock.lock();
      continue;
    }
    if (shutting_down_) break;
    ++idle_;
    bool has_work = work_available_.wait_for(lock, idle_timeout_, [this] { return !tasks_.empty() || shutting_down_; });
    --idle_;
    if (!has_work) break;
  }
  exited_.push_back(std::this_thread::get_id());
}

std::vector<std::thread> StatementPool::take_exited_locked() {
  std::vector<std::thread> exited;
  for (std::thread::id id : exited_) {
    auto it = threads_.find(id);
    if (it == threads_.end()) continue;
    exited.push_back(std::move(it->second));
    threads_.erase(it);
  }
  exited_.clear();
  return exited;
}

}  // namespace tessera::pgwire
