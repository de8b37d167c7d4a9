#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "storage/transaction.h"

namespace tessera::storage {

/// Hands out transactions and orders commits. Commit timestamps come from one logical clock;
/// a transaction's start timestamp is the clock value when it begins.
///
/// Atomic visibility: commits are serialized under a mutex; a commit stamps all of the
/// transaction's rows with the next timestamp and only then publishes that timestamp as the new
/// clock value (release), which begin() reads (acquire). A transaction that began earlier has a
/// smaller start timestamp and sees none of the rows; one that begins later sees all of them.
///
/// Thread-safety: all methods are thread-safe.
class TransactionManager {
 public:
  TransactionManager() = default;
  TransactionManager(const TransactionManager&) = delete;
  TransactionManager& operator=(const TransactionManager&) = delete;

  std::unique_ptr<Transaction> begin();
  /// Atomically makes all rows appended by `txn` visible to transactions that begin later.
  /// `txn` must be active and have no append in progress.
  void commit(Transaction& txn);
  /// Makes the rows appended by `txn` invisible to everyone, forever. (A transaction destroyed
  /// while active behaves the same for readers: its id never becomes visible.)
  void rollback(Transaction& txn);

  /// The timestamp of the latest commit (0 before any).
  uint64_t last_commit_ts() const { return clock_.load(std::memory_order_acquire); }

 private:
  std::mutex commit_mutex_;
  std::atomic<uint64_t> clock_{0};
  std::atomic<uint64_t> next_id_{kTransactionIdStart};
};

}  // namespace tessera::storage
