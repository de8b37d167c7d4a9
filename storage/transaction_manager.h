#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "storage/lock_manager.h"
#include "storage/transaction.h"

namespace tessera::storage {

/// Hands out transactions (each with a block of kVersionsPerTransaction versions from its id),
/// orders commits, holds the lock table and collects garbage.
/// Commit timestamps come from one logical clock; a transaction's start timestamp is the clock
/// value when it begins.
///
/// Commits go through three steps, so that concurrent commits share one log sync (group
/// commit) while the log's order, the commit order and the order of visibility stay one:
///  1. under the commit lock: the next commit timestamp is taken and the hooks'
///     before_commit run (the WAL writes the records, without syncing);
///  2. with no lock: the hooks' await_commit run (the WAL waits until the records are
///     durable; other commits go through step 1 meanwhile);
///  3. in commit timestamp order, under the publication lock: the transaction's rows and
///     catalog versions are stamped with its commit timestamp, then that timestamp is
///     published as the new clock value (release), which begin() reads (acquire); then the
///     hooks' after_commit run. A transaction that began earlier has a smaller start timestamp
///     and sees none of the changes; one that begins later sees all of them. Until step 3 the
///     changes carry the transaction's id (uncommitted to everyone else), so nothing reads a
///     commit before it is durable. Locks are released after the publication, so a
///     transaction that waited for them finds the committed state.
/// A failure in step 1 or 2 rolls the transaction back instead (its commit timestamp, if one
/// was taken, is published with nothing stamped, so the later ones keep their order). A
/// transaction that wrote nothing and whose hooks have no commit work ends at once.
/// Rollbacks apply the undo log under the publication lock too.
///
/// Garbage: object versions whose deletion committed at timestamp d are unreachable once every
/// active transaction started at or after d (the oldest active start timestamp is tracked);
/// rolled-back creations at once. Collection runs at the end of every commit and rollback and
/// calls VersionedObject::on_unreachable once per version.
///
/// Thread-safety: all methods are thread-safe.
class TransactionManager {
 public:
  TransactionManager();
  TransactionManager(const TransactionManager&) = delete;
  TransactionManager& operator=(const TransactionManager&) = delete;
  ~TransactionManager();

  std::unique_ptr<Transaction> begin();
  /// Atomically makes all changes of `txn` visible to transactions that begin later, running
  /// its hooks as TransactionHook states. If a hook's before_commit throws, `txn` is rolled
  /// back instead and the exception is rethrown. `txn` must be active and have no work in
  /// progress. Ends the transaction either way.
  void commit(Transaction& txn);
  /// Takes back every change of `txn` (newest first): its rows become invisible to everyone,
  /// its created catalog versions vanish and its dropped ones are live again.
  void rollback(Transaction& txn);

  /// Moves `txn`'s snapshot to now: from then on it sees every commit published so far (READ
  /// COMMITTED's snapshot per statement; REPEATABLE READ's snapshot at the first statement).
  /// The oldest active start timestamp follows. Not while a query of `txn` runs.
  void refresh_snapshot(Transaction& txn);
  /// Takes back the changes of `txn`'s current statement (the undo entries since its
  /// Transaction::begin_statement, newest first), as rollback does for a whole transaction;
  /// the transaction stays active with its locks and hooks (READ COMMITTED runs the statement
  /// again). Not while a query of `txn` runs.
  void rollback_statement(Transaction& txn);

  /// A hook registered with every transaction that begins from now on, ahead of the hooks the
  /// transaction registers itself (e.g. the WAL).
  void add_global_hook(std::shared_ptr<TransactionHook> hook);

  /// Makes every transaction id handed out from now on greater than `used` (recovery: the ids
  /// a log holds are not handed out again, so no record of an earlier run can be taken for a
  /// later transaction's).
  void reserve_transaction_ids(uint64_t used);

  /// Runs `f` with the commit lock held, once every commit that went through step 1 is
  /// published: no commit is in progress or starts while it runs (a checkpoint takes its
  /// snapshot and its log position there, so that they agree). `f` may begin transactions but
  /// must not end any.
  void run_between_commits(const std::function<void()>& f);

  /// The timestamp of the latest commit (0 before any).
  uint64_t last_commit_ts() const { return clock_.load(std::memory_order_acquire); }
  /// The smallest start timestamp of the active transactions; the clock when there are none.
  uint64_t oldest_active_start_ts() const;
  size_t active_count() const;
  /// Unreachable-to-be versions not yet collected (tests, monitoring).
  size_t pending_garbage() const;

  LockManager& locks() { return locks_; }

 private:
  struct Garbage {
    uint64_t unreachable_at;  ///< collectable once the oldest active start is >= this
    std::shared_ptr<VersionedObject> object;
  };

  /// Commits a transaction that wrote nothing and whose hooks have no commit work, if `txn`
  /// is one; returns whether it did.
  bool commit_without_work(Transaction& txn);
  /// Step 3 of commit: waits for `commit_ts`'s turn, then publishes `txn` (or rolls it back
  /// when `failed`) and passes the turn on.
  void publish(Transaction& txn, uint64_t commit_ts, bool failed, std::vector<Garbage>& garbage);
  /// Applies the undo log backwards and runs the rollback hooks; publication lock held.
  void rollback_locked(Transaction& txn, std::vector<Garbage>& garbage);
  /// Takes back the undo entries from `first` on, newest first, and drops them from the log;
  /// the transaction's lock held.
  static void undo_entries(Transaction& txn, size_t first, std::vector<Garbage>& garbage);
  /// Releases locks, leaves the active set, queues `garbage` and collects what is unreachable.
  void finish(Transaction& txn, std::vector<Garbage> garbage);

  std::mutex commit_mutex_;
  uint64_t assigned_ts_ = 0;  ///< the latest commit timestamp taken; guarded by commit_mutex_
  std::mutex publish_mutex_;  // serializes stamping and rollbacks; clock_ changes under it
  std::condition_variable published_;  // clock_ moved
  std::atomic<uint64_t> clock_{0};
  std::atomic<uint64_t> next_id_{kTransactionIdStart};
  LockManager locks_;

  mutable std::mutex active_mutex_;  // guards active_starts_, garbage_, global_hooks_
  std::multiset<uint64_t> active_starts_;
  std::vector<Garbage> garbage_;
  std::vector<std::shared_ptr<TransactionHook>> global_hooks_;
};

}  // namespace tessera::storage
