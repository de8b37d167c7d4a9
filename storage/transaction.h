#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "storage/lock_manager.h"
#include "storage/versioned_object.h"

namespace tessera::storage {

class RowGroup;
class Transaction;
class TransactionManager;

/// Work another part attaches to the end of transactions (WAL, statistics, materialized-view
/// maintenance). A commit goes through three steps (see TransactionManager); for the hooks of
/// one transaction, in registration order:
///  - `has_commit_work` is asked first when the transaction wrote nothing: when no hook has
///    work, the transaction ends at once (no commit timestamp, no commit lock, none of the
///    functions below runs), so a reader never waits behind a writer's log write.
///  - `before_commit` runs under the commit lock, in commit order, after the commit timestamp
///    is chosen and before anything is stamped or published (the WAL writes the records
///    here, so the log's order is the commit order). It may throw: the transaction is then
///    rolled back instead (nothing of it becomes visible; every hook's `after_rollback` runs)
///    and commit rethrows the error.
///  - `await_commit` runs after the commit lock is released, before the commit is published:
///    commits of other transactions proceed meanwhile (the WAL waits here until the records
///    are durable, one sync shared by all the commits waiting). It may throw, with the same
///    effect as `before_commit`'s throw.
///  - `after_commit` runs under the publication lock, in commit order, after the commit is
///    published (visible to transactions that begin from then on); it must not throw.
///  - `after_rollback` runs under the publication lock once the rollback is complete, in
///    reverse registration order; it must not throw.
/// Each transaction runs each of its hooks' functions at most once. Hooks must not commit or
/// roll back any transaction, nor register hooks with the ending transaction; they may begin
/// transactions.
class TransactionHook {
 public:
  virtual ~TransactionHook();
  /// Whether committing `txn` (which wrote nothing) needs this hook; true by default.
  virtual bool has_commit_work(const Transaction& txn) const;
  virtual void before_commit(Transaction& txn, uint64_t commit_ts);
  virtual void await_commit(Transaction& txn, uint64_t commit_ts);
  virtual void after_commit(Transaction& txn, uint64_t commit_ts) noexcept;
  virtual void after_rollback(Transaction& txn) noexcept;
};

/// The undo log's entries: what a transaction changed, so commit can stamp it and rollback
/// can take it back. Typed, not closures: each kind says what it undoes.
struct AppendedRows {
  /// Keeps the rows alive until the transaction ends even if the table is dropped.
  std::shared_ptr<RowGroup> row_group;
  size_t start;
  size_t count;
};
/// Rows of one row group deleted by the transaction (offsets within the group). Commit stamps
/// their delete versions with the commit timestamp; rollback makes them live again.
struct DeletedRows {
  std::shared_ptr<RowGroup> row_group;
  std::vector<uint32_t> rows;
};
struct CreatedObject {
  std::shared_ptr<VersionedObject> object;
};
struct DroppedObject {
  std::shared_ptr<VersionedObject> object;
};
/// A new version replacing an old one under the same name (CREATE OR REPLACE).
struct ReplacedObject {
  std::shared_ptr<VersionedObject> old_version;
  std::shared_ptr<VersionedObject> new_version;
};
using UndoEntry = std::variant<AppendedRows, DeletedRows, CreatedObject, DroppedObject, ReplacedObject>;

/// PostgreSQL's isolation levels as this engine runs them. READ COMMITTED (also what READ
/// UNCOMMITTED gets, as in PostgreSQL) takes a new snapshot for every statement; REPEATABLE
/// READ and SERIALIZABLE keep the snapshot of the transaction's first statement (snapshot
/// isolation; SERIALIZABLE has no serializable-conflict detection, so it is REPEATABLE READ).
enum class IsolationLevel : uint8_t { kReadCommitted = 0, kRepeatableRead = 1, kSerializable = 2 };

/// One transaction: its snapshot (for reads: the data and catalog committed at or before its
/// start timestamp, plus its own changes; TransactionManager::refresh_snapshot moves it), its undo log over data and catalog alike, the locks it holds
/// and the hooks to run when it ends.
///
/// A transaction ends with TransactionManager::commit or rollback; it must not read or write
/// afterwards (its own changes then carry the commit timestamp, which it does not see). A
/// transaction destroyed while active is rolled back.
///
/// Thread-safety: the accessors are safe from any thread; several threads may append rows on
/// behalf of one transaction at once (parallel insert). Catalog changes, locks and hooks are
/// recorded by the thread running the statement. Commit and rollback go through the
/// TransactionManager, after all work of the transaction has returned.
class Transaction {
 public:
  /// Use TransactionManager::begin().
  Transaction(TransactionManager& manager, uint64_t start_ts, uint64_t id);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  /// The snapshot: commits at or before it are visible. Set by begin and refresh_snapshot.
  uint64_t start_ts() const { return start_ts_.load(std::memory_order_acquire); }
  /// How the session runs the transaction's statements (see IsolationLevel); storage itself
  /// keeps one snapshot until refresh_snapshot. Set by the session at each statement start;
  /// REPEATABLE READ until then.
  IsolationLevel isolation() const { return isolation_.load(std::memory_order_acquire); }
  void set_isolation(IsolationLevel level) { isolation_.store(level, std::memory_order_release); }
  /// Unique, >= kTransactionIdStart; the first of kVersionsPerTransaction versions it owns.
  uint64_t id() const { return id_; }
  /// Whether `version` was written by this transaction (in any statement).
  bool owns(uint64_t version) const { return version - id_ < kVersionsPerTransaction; }
  /// The transaction that owns an uncommitted version.
  static uint64_t owner_of(uint64_t version) {
    return kTransactionIdStart + ((version - kTransactionIdStart) & ~(kVersionsPerTransaction - 1));
  }
  /// The version the current statement stamps on the rows it appends and deletes.
  uint64_t write_version() const { return id_ + statement_.load(std::memory_order_acquire); }
  /// What reads see now: the snapshot, plus this transaction's own writes — after
  /// begin_statement, only those of earlier statements.
  RowVisibility row_visibility() const;
  /// Starts a new statement (the session calls it before binding each one): from now on the
  /// transaction's reads see the rows its earlier statements wrote but not those the new
  /// statement writes, so a statement reads one snapshot however it interleaves its reads and
  /// writes (PostgreSQL's command counter). A transaction that never calls it sees all of its
  /// own writes at once. 54000 after 2^24 - 1 statements. The statement's undo entries start
  /// here (TransactionManager::rollback_statement takes back the current statement only).
  void begin_statement();
  /// True while the transaction has written nothing (rows or catalog).
  bool is_read_only() const;
  /// The start timestamp of the oldest running transaction: a version committed at or before it
  /// is settled for every snapshot, present and future.
  uint64_t oldest_active_start_ts() const;
  /// Whether a catalog object version carrying `version` is visible to this transaction (rows
  /// use row_visibility).
  bool sees(uint64_t version) const { return version <= start_ts() || version == id_; }

  enum class State : uint8_t { kActive = 0, kCommitted = 1, kRolledBack = 2 };
  State state() const { return state_.load(std::memory_order_acquire); }

  /// Storage-internal: records that rows [start, start + count) of `row_group` were appended by
  /// this transaction, so that commit and rollback can stamp them. Adjacent ranges merge.
  void record_append(const std::shared_ptr<RowGroup>& row_group, size_t start, size_t count);
  /// Storage-internal: records that `rows` (offsets in `row_group`) now carry this transaction's
  /// id as their delete version. Consecutive records for one row group merge.
  void record_delete(const std::shared_ptr<RowGroup>& row_group, const uint32_t* rows, size_t count);
  /// Storage-internal: before this transaction stamps its first row delete, takes the lock other
  /// transactions wait on to learn that it ended (see wait_for).
  void begin_row_writes();
  /// Blocks until transaction `other_id` (which stamped a row this one wants to delete) has
  /// committed or rolled back, through the lock manager: 57014 when interrupted, 40P01 when
  /// the wait closes a cycle.
  void wait_for(uint64_t other_id);
  /// Stamps `object` as created by this transaction (call before publishing it to readers).
  void record_create(std::shared_ptr<VersionedObject> object);
  /// Stamps `object` (visible to this transaction) as deleted by this transaction.
  void record_drop(std::shared_ptr<VersionedObject> object);
  /// Stamps `old_version` deleted and `new_version` created by this transaction.
  void record_replace(std::shared_ptr<VersionedObject> old_version, std::shared_ptr<VersionedObject> new_version);
  /// The undo log, oldest entry first (tests, debugging; not during parallel appends).
  const std::vector<UndoEntry>& undo_log() const { return undo_; }

  /// Registers a hook (see TransactionHook); hooks run in registration order.
  void add_hook(std::shared_ptr<TransactionHook> hook);

  /// Takes a lock on relation name `name`, held until the transaction ends; may wait (see
  /// LockManager: 57014 when interrupted, 40P01 on deadlock).
  void lock(const std::string& name, LockMode mode);
  /// The flag whose setting interrupts this transaction's lock waits (the session's cancel
  /// flag); null for none. The flag must outlive the transaction.
  void set_interrupt_flag(const std::atomic<bool>* flag) { interrupt_ = flag; }
  bool interrupted() const { return interrupt_ && interrupt_->load(std::memory_order_relaxed); }
  /// Where this transaction's lock waits read their limit in milliseconds (the session's
  /// lock_timeout, which may change between statements; 0 = wait forever); null for none.
  void set_lock_timeout_source(const std::atomic<int64_t>* milliseconds) { lock_timeout_ = milliseconds; }
  int64_t lock_timeout_ms() const { return lock_timeout_ ? lock_timeout_->load(std::memory_order_relaxed) : 0; }
  /// Whether the commit waits until its log records are durable (synchronous_commit on, the
  /// default) or is acknowledged once they are written (off: a crash of the machine may lose
  /// it). Set by the thread that commits, before it commits.
  void set_synchronous_commit(bool on) { synchronous_commit_ = on; }
  bool synchronous_commit() const { return synchronous_commit_; }

 private:
  friend class TransactionManager;

  TransactionManager& manager_;
  std::atomic<uint64_t> start_ts_;
  const uint64_t id_;
  std::atomic<IsolationLevel> isolation_{IsolationLevel::kRepeatableRead};
  std::atomic<State> state_{State::kActive};
  std::atomic<bool> has_writes_{false};
  std::atomic<bool> holds_row_lock_{false};
  std::atomic<uint64_t> statement_{0};
  std::atomic<bool> statement_reads_fenced_{false};
  const std::atomic<bool>* interrupt_ = nullptr;
  const std::atomic<int64_t>* lock_timeout_ = nullptr;
  bool synchronous_commit_ = true;
  mutable std::mutex mutex_;  // guards undo_, statement_undo_start_ and hooks_
  std::vector<UndoEntry> undo_;
  /// The current statement's first undo entry: entries before it are never merged into.
  size_t statement_undo_start_ = 0;
  std::vector<std::shared_ptr<TransactionHook>> hooks_;
};

}  // namespace tessera::storage
