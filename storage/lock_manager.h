#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace tessera::storage {

class Transaction;

/// How a transaction holds a relation name. Shared: writing rows (INSERT), or reading the
/// relation's definition to create an object that depends on it. Exclusive: creating, dropping
/// or replacing the relation. Shared locks are compatible with each other; an exclusive lock
/// with nothing held by another transaction. Plain reads take no lock (snapshot isolation).
enum class LockMode : uint8_t { kShared = 0, kExclusive = 1 };

/// Relation-name locks held until the end of the holding transaction (two-phase locking for
/// DDL, PostgreSQL's AccessExclusiveLock / RowExclusiveLock pair). A request that conflicts
/// with another transaction's lock waits until that transaction ends; while waiting it checks
/// the transaction's interrupt flag (57014) and the wait-for graph: a request that would close
/// a cycle of waiting transactions fails with 40P01 in the transaction that closes it (the
/// others keep waiting and proceed once it rolls back).
///
/// A transaction may hold a name in both modes; asking again for a mode it holds is a no-op.
/// Waiters are not queued: a shared request is granted while only shared locks are held,
/// even if an exclusive request waits.
///
/// Thread-safety: all methods are thread-safe.
class LockManager {
 public:
  LockManager() = default;
  LockManager(const LockManager&) = delete;
  LockManager& operator=(const LockManager&) = delete;

  /// Blocks until `txn` holds `name` in `mode`. Throws SqlError 57014 when the transaction's
  /// interrupt flag is set while waiting, 40P01 on deadlock.
  void lock(Transaction& txn, const std::string& name, LockMode mode);
  /// The name a transaction locks exclusively while it may hold row deletes, so that another
  /// transaction can wait for it to end by asking for the name in shared mode. Relation names
  /// never start with the control byte it starts with.
  static std::string transaction_lock_name(uint64_t txn_id);

  /// Releases every lock of transaction `txn_id` and wakes the waiters.
  void release_all(uint64_t txn_id);

  /// Number of transactions waiting for a lock (tests and monitoring).
  size_t waiting_count() const;
  /// Whether transaction `txn_id` waits for a lock on `name`.
  bool is_waiting(uint64_t txn_id, const std::string& name) const;
  /// Number of locks `txn_id` holds.
  size_t held_count(uint64_t txn_id) const;

 private:
  struct Lock {
    /// Holders and the strongest mode each holds.
    std::map<uint64_t, LockMode> holders;
  };
  struct Wait {
    std::string name;
    LockMode mode;
  };

  bool grantable(const Lock& lock, uint64_t txn_id, LockMode mode) const;
  /// Whether `start` waits, directly or through other waiting transactions, for itself.
  bool closes_cycle(uint64_t start) const;

  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::unordered_map<std::string, Lock> locks_;
  std::unordered_map<uint64_t, Wait> waiting_;
  std::unordered_map<uint64_t, std::vector<std::string>> held_;
};

}  // namespace tessera::storage
