#include "storage/transaction_manager.h"

#include "src/common/assert.h"
#include "storage/row_group.h"

namespace tessera::storage {

std::unique_ptr<Transaction> TransactionManager::begin() {
  const uint64_t id = next_id_.fetch_add(1, std::memory_order_relaxed);
  return std::make_unique<Transaction>(clock_.load(std::memory_order_acquire), id);
}

void TransactionManager::commit(Transaction& txn) {
  std::lock_guard<std::mutex> lock(commit_mutex_);
  TS_CHECK(txn.state() == Transaction::State::kActive, "commit of a transaction that is not active");
  const uint64_t commit_ts = clock_.load(std::memory_order_relaxed) + 1;
  TS_CHECK(commit_ts < kTransactionIdStart, "commit timestamps exhausted");
  {
    std::lock_guard<std::mutex> txn_lock(txn.mutex_);
    for (const auto& range : txn.appends_) range.row_group->commit_rows(range.start, range.count, commit_ts);
    txn.appends_.clear();
  }
  txn.state_.store(Transaction::State::kCommitted, std::memory_order_release);
  // Publish only after every row is stamped: this is what makes the commit atomic to readers.
  clock_.store(commit_ts, std::memory_order_release);
}

void TransactionManager::rollback(Transaction& txn) {
  std::lock_guard<std::mutex> lock(commit_mutex_);
  TS_CHECK(txn.state() == Transaction::State::kActive, "rollback of a transaction that is not active");
  {
    std::lock_guard<std::mutex> txn_lock(txn.mutex_);
    for (const auto& range : txn.appends_) range.row_group->rollback_rows(range.start, range.count);
    txn.appends_.clear();
  }
  txn.state_.store(Transaction::State::kRolledBack, std::memory_order_release);
}

}  // namespace tessera::storage
