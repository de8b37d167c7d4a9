#include "storage/transaction.h"

namespace tessera::storage {

bool Transaction::is_read_only() const { return !has_writes_.load(std::memory_order_acquire); }

void Transaction::record_append(const std::shared_ptr<RowGroup>& row_group, size_t start, size_t count) {
  if (count == 0) return;
  has_writes_.store(true, std::memory_order_release);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!appends_.empty()) {
    AppendRange& last = appends_.back();
    if (last.row_group == row_group && last.start + last.count == start) {
      last.count += count;
      return;
    }
  }
  appends_.push_back(AppendRange{row_group, start, count});
}

}  // namespace tessera::storage
