#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace tessera::storage {

class RowGroup;

/// Transaction ids start here; commit timestamps stay below, so a row version v (the writer's id
/// until commit, then the commit timestamp) is visible to a transaction iff
/// `v <= start_ts || v == id`.
inline constexpr uint64_t kTransactionIdStart = uint64_t{1} << 62;
/// The version of rolled-back rows: above every timestamp and never an id, so never visible.
inline constexpr uint64_t kRolledBackVersion = ~uint64_t{0};

/// A transaction's view of the table data. It sees the rows committed at or before its start,
/// plus its own rows (snapshot isolation for reads).
///
/// A transaction ends with TransactionManager::commit or rollback; it must not read or write
/// afterwards (its own rows then carry the commit timestamp, which it does not see).
///
/// Thread-safety: the accessors are safe from any thread; several threads may append rows on
/// behalf of one transaction at once (parallel insert). Commit and rollback go through the
/// TransactionManager, after all appends of the transaction have returned.
class Transaction {
 public:
  /// Use TransactionManager::begin().
  Transaction(uint64_t start_ts, uint64_t id) : start_ts_(start_ts), id_(id) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  uint64_t start_ts() const { return start_ts_; }
  /// Unique, >= kTransactionIdStart.
  uint64_t id() const { return id_; }
  /// True while the transaction has written nothing.
  bool is_read_only() const;
  /// Whether a row carrying `version` is visible to this transaction.
  bool sees(uint64_t version) const { return version <= start_ts_ || version == id_; }

  enum class State : uint8_t { kActive = 0, kCommitted = 1, kRolledBack = 2 };
  State state() const { return state_.load(std::memory_order_acquire); }

  /// Storage-internal: records that rows [start, start + count) of `row_group` were appended by
  /// this transaction, so that commit and rollback can stamp them. Adjacent ranges merge.
  void record_append(const std::shared_ptr<RowGroup>& row_group, size_t start, size_t count);

 private:
  friend class TransactionManager;

  struct AppendRange {
    std::shared_ptr<RowGroup> row_group;  // keeps the rows alive until commit even if the table is dropped
    size_t start;
    size_t count;
  };

  const uint64_t start_ts_;
  const uint64_t id_;
  std::atomic<State> state_{State::kActive};
  std::atomic<bool> has_writes_{false};
  mutable std::mutex mutex_;  // guards appends_
  std::vector<AppendRange> appends_;
};

}  // namespace tessera::storage
