#include "storage/buffer_pool.h"

#include "storage/column_data.h"

namespace tessera::storage {

BufferPool& BufferPool::instance() {
  static BufferPool pool;
  return pool;
}

void BufferPool::set_limit(uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  limit_ = bytes;
  shrink(nullptr);
}

BufferPoolStats BufferPool::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return BufferPoolStats{limit_, bytes_, entries_.size(), loads_, evictions_};
}

void BufferPool::loaded(const ColumnData* column, size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = entries_.find(column); it != entries_.end()) {
    bytes_ -= it->second->bytes;
    clock_.erase(it->second);
  }
  clock_.push_back(Entry{column, bytes});
  entries_[column] = std::prev(clock_.end());
  bytes_ += bytes;
  loads_++;
  shrink(column);
}

void BufferPool::forget(const ColumnData* column) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(column);
  if (it == entries_.end()) return;
  bytes_ -= it->second->bytes;
  clock_.erase(it->second);
  entries_.erase(it);
}

void BufferPool::shrink(const ColumnData* keep) {
  if (limit_ == 0) return;
  // Each entry is passed at most twice: once to take its second chance, once to go.
  for (size_t steps = 2 * clock_.size(); bytes_ > limit_ && steps > 0 && !clock_.empty(); steps--) {
    const Entry entry = clock_.front();
    clock_.pop_front();
    if (entry.column == keep || entry.column->take_referenced()) {
      clock_.push_back(entry);
      entries_[entry.column] = std::prev(clock_.end());
      continue;
    }
    entries_.erase(entry.column);
    bytes_ -= entry.bytes;
    if (entry.column->evict()) evictions_++;
  }
}

}  // namespace tessera::storage
