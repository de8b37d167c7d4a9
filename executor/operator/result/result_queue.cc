#include "executor/operator/result/result_queue.h"

#include <algorithm>

#include "executor/scheduler.h"
#include "src/common/assert.h"

namespace tessera::executor {

ResultQueue::ResultQueue(Scheduler* scheduler, size_t capacity) : scheduler_(scheduler), capacity_(std::max<size_t>(capacity, 1)) {}

ResultQueue::PushResult ResultQueue::push(const DataChunk& chunk, Task& producer) {
  // Copy outside the lock: the producer's chunk is reused for its next rows.
  Item item;
  item.chunk.initialize(chunk.types(), chunk.size());
  item.chunk.append(chunk);
  std::lock_guard lock(mutex_);
  if (closed_) return PushResult::kClosed;
  if (queued_chunks_ >= capacity_) {
    TS_CHECK(scheduler_ != nullptr, "a full result queue needs a scheduler to park its producer");
    blocked_.push_back(&producer);
    return PushResult::kFull;
  }
  items_.push_back(std::move(item));
  queued_chunks_++;
  high_water_mark_ = std::max(high_water_mark_, queued_chunks_);
  available_.notify_one();
  return PushResult::kAccepted;
}

void ResultQueue::push_notice(QueryNotice notice) {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  Item item;
  item.is_notice = true;
  item.notice = std::move(notice);
  items_.push_back(std::move(item));
  available_.notify_one();
}

void ResultQueue::finish() {
  std::lock_guard lock(mutex_);
  finished_ = true;
  available_.notify_all();
}

std::vector<Task*> ResultQueue::take_blocked_locked() {
  std::vector<Task*> blocked;
  blocked.swap(blocked_);
  return blocked;
}

void ResultQueue::close() {
  std::vector<Task*> blocked;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    items_.clear();
    queued_chunks_ = 0;
    blocked = take_blocked_locked();
  }
  for (Task* task : blocked) scheduler_->wake(*task);
}

bool ResultQueue::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool ResultQueue::pop(Item& item) {
  std::vector<Task*> blocked;
  {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [this] { return !items_.empty() || finished_; });
    if (items_.empty()) return false;
    item = std::move(items_.front());
    items_.pop_front();
    if (!item.is_notice) {
      queued_chunks_--;
      blocked = take_blocked_locked();
    }
  }
  // A slot is free: every parked producer retries (those that find it taken park again).
  for (Task* task : blocked) scheduler_->wake(*task);
  return true;
}

size_t ResultQueue::queued_chunks() const {
  std::lock_guard lock(mutex_);
  return queued_chunks_;
}

size_t ResultQueue::high_water_mark() const {
  std::lock_guard lock(mutex_);
  return high_water_mark_;
}

}  // namespace tessera::executor
