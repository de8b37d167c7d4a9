#pragma once

#include <atomic>
#include <cstdint>

namespace tessera::storage {

class Transaction;
class TransactionManager;

/// Transaction ids start here; commit timestamps stay below, so a version v (the writer's id
/// until commit, then the commit timestamp) is visible to a transaction iff
/// `v <= start_ts || v == id`.
inline constexpr uint64_t kTransactionIdStart = uint64_t{1} << 62;
/// The version of rolled-back rows and objects: above every timestamp and never an id, so never
/// visible. Also the deletion stamp of an object that is not deleted.
inline constexpr uint64_t kRolledBackVersion = ~uint64_t{0};
inline constexpr uint64_t kNotDeleted = kRolledBackVersion;
/// Each transaction owns a block of this many consecutive versions: its id (the block's first,
/// stamped on catalog changes) and one write version per statement (id + statement number), so
/// a statement's reads can leave out the rows the statement itself writes (PostgreSQL's
/// command ids).
inline constexpr uint64_t kVersionsPerTransaction = uint64_t{1} << 24;

/// Which row versions one read sees: those committed at or before `start_ts`, and the reading
/// transaction's own versions in [own_begin, own_end).
struct RowVisibility {
  uint64_t start_ts = 0;
  uint64_t own_begin = 0;
  uint64_t own_end = 0;
  bool sees(uint64_t version) const { return version <= start_ts || version - own_begin < own_end - own_begin; }
};

/// An object versioned like a row (a catalog entry): its creation and its deletion are stamped
/// with the writing transaction's id until that transaction commits, then with the commit
/// timestamp, in the same commit and under the same lock as the transaction's rows. A version
/// is visible to a snapshot that sees its creation and not its deletion.
///
/// Only the transaction machinery stamps versions (Transaction::record_*, TransactionManager).
/// Thread-safety: the stamps are atomics; readers may check visibility at any time.
class VersionedObject {
 public:
  VersionedObject() = default;
  VersionedObject(const VersionedObject&) = delete;
  VersionedObject& operator=(const VersionedObject&) = delete;
  virtual ~VersionedObject();

  uint64_t created_version() const { return created_.load(std::memory_order_acquire); }
  uint64_t deleted_version() const { return deleted_.load(std::memory_order_acquire); }
  /// Visible in `txn`'s snapshot (commits at or before its start, plus its own changes).
  bool visible_to(const Transaction& txn) const;
  /// Visible in the latest committed state plus `txn`'s own changes: what DDL checks against,
  /// under the name lock, so that it never acts on a stale snapshot (PostgreSQL's catalog
  /// snapshot).
  bool current_for(const Transaction& txn) const;

 protected:
  /// Stamps an object that exists from the start (a built-in schema) as created before every
  /// transaction; call before the object is published.
  void mark_created_at_start() { created_.store(0, std::memory_order_release); }
  /// Called once when no transaction can see this version any more (its creation rolled back,
  /// or its deletion committed before every active transaction started): the holder removes it
  /// from its structures. Runs without the commit lock held; must not throw.
  virtual void on_unreachable() noexcept = 0;

 private:
  friend class Transaction;
  friend class TransactionManager;

  /// Until a transaction records the creation, the object is invisible to all.
  std::atomic<uint64_t> created_{kRolledBackVersion};
  std::atomic<uint64_t> deleted_{kNotDeleted};
};

}  // namespace tessera::storage
