#include "executor/scheduler.h"

#include <exception>

namespace tessera::executor {

struct Scheduler::Batch {
  const std::function<void(size_t)>* task;
  std::mutex mutex;
  std::condition_variable done;
  size_t remaining;
  std::exception_ptr error;
};

Scheduler::Scheduler(size_t threads) {
  if (threads == 0) threads = std::thread::hardware_concurrency();
  if (threads == 0) threads = 1;
  // The thread calling run_batch is one of the workers, so start one fewer.
  for (size_t i = 1; i < threads; i++) workers_.emplace_back([this] { worker_loop(); });
  thread_count_ = threads;
}

Scheduler::~Scheduler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_available_.notify_all();
  for (auto& t : workers_) t.join();
}

void Scheduler::run_one(Batch& batch, size_t index) {
  try {
    (*batch.task)(index);
  } catch (...) {
    std::lock_guard lock(batch.mutex);
    if (!batch.error) batch.error = std::current_exception();
  }
  std::lock_guard lock(batch.mutex);
  if (--batch.remaining == 0) batch.done.notify_all();
}

void Scheduler::worker_loop() {
  for (;;) {
    std::pair<Batch*, size_t> item;
    {
      std::unique_lock lock(mutex_);
      work_available_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty()) return;
      item = queue_.front();
      queue_.pop_front();
    }
    run_one(*item.first, item.second);
  }
}

void Scheduler::run_batch(size_t count, const std::function<void(size_t)>& task) {
  if (count == 0) return;
  Batch batch;
  batch.task = &task;
  batch.remaining = count;
  if (count > 1) {
    std::lock_guard lock(mutex_);
    for (size_t i = 1; i < count; i++) queue_.emplace_back(&batch, i);
  }
  if (count > 1) work_available_.notify_all();
  run_one(batch, 0);
  // Help with this batch's queued tasks rather than idling.
  for (;;) {
    std::pair<Batch*, size_t> item{nullptr, 0};
    {
      std::lock_guard lock(mutex_);
      for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        if (it->first == &batch) {
          item = *it;
          queue_.erase(it);
          break;
        }
      }
    }
    if (!item.first) break;
    run_one(batch, item.second);
  }
  std::unique_lock lock(batch.mutex);
  batch.done.wait(lock, [&] { return batch.remaining == 0; });
  if (batch.error) std::rethrow_exception(batch.error);
}

}  // namespace tessera::executor
