#include "storage/transaction.h"

#include "src/common/assert.h"
#include "src/common/sql_error.h"
#include "storage/transaction_manager.h"

namespace tessera::storage {

VersionedObject::~VersionedObject() = default;

bool VersionedObject::visible_to(const Transaction& txn) const {
  return txn.sees(created_version()) && !txn.sees(deleted_version());
}

bool VersionedObject::current_for(const Transaction& txn) const {
  auto stamped = [&](uint64_t version) { return version < kTransactionIdStart || version == txn.id(); };
  return stamped(created_version()) && !stamped(deleted_version());
}

TransactionHook::~TransactionHook() = default;
bool TransactionHook::has_commit_work(const Transaction&) const { return true; }
void TransactionHook::before_commit(Transaction&, uint64_t) {}
void TransactionHook::await_commit(Transaction&, uint64_t) {}
void TransactionHook::after_commit(Transaction&, uint64_t) noexcept {}
void TransactionHook::after_rollback(Transaction&) noexcept {}

Transaction::Transaction(TransactionManager& manager, uint64_t start_ts, uint64_t id)
    : manager_(manager), start_ts_(start_ts), id_(id) {}

Transaction::~Transaction() {
  if (state() == State::kActive) manager_.rollback(*this);
}

RowVisibility Transaction::row_visibility() const {
  const uint64_t statement = statement_.load(std::memory_order_acquire);
  const bool fenced = statement_reads_fenced_.load(std::memory_order_acquire);
  return RowVisibility{start_ts(), id_, id_ + statement + (fenced ? 0 : 1)};
}

uint64_t Transaction::oldest_active_start_ts() const { return manager_.oldest_active_start_ts(); }

void Transaction::begin_statement() {
  const uint64_t next = statement_.load(std::memory_order_relaxed) + 1;
  if (next >= kVersionsPerTransaction) {
    throw SqlError(SqlState::kProgramLimitExceeded, "cannot have more than 2^24-1 commands in a transaction");
  }
  statement_.store(next, std::memory_order_release);
  statement_reads_fenced_.store(true, std::memory_order_release);
  std::lock_guard<std::mutex> lock(mutex_);
  statement_undo_start_ = undo_.size();
}

bool Transaction::is_read_only() const { return !has_writes_.load(std::memory_order_acquire); }

void Transaction::record_append(const std::shared_ptr<RowGroup>& row_group, size_t start, size_t count) {
  if (count == 0) return;
  has_writes_.store(true, std::memory_order_release);
  std::lock_guard<std::mutex> lock(mutex_);
  if (undo_.size() > statement_undo_start_) {
    if (auto* last = std::get_if<AppendedRows>(&undo_.back())) {
      if (last->row_group == row_group && last->start + last->count == start) {
        last->count += count;
        return;
      }
    }
  }
  undo_.emplace_back(std::in_place_type<AppendedRows>, row_group, start, count);
}

void Transaction::record_delete(const std::shared_ptr<RowGroup>& row_group, const uint32_t* rows, size_t count) {
  if (count == 0) return;
  has_writes_.store(true, std::memory_order_release);
  std::lock_guard<std::mutex> lock(mutex_);
  if (undo_.size() > statement_undo_start_) {
    if (auto* last = std::get_if<DeletedRows>(&undo_.back()); last && last->row_group == row_group) {
      last->rows.insert(last->rows.end(), rows, rows + count);
      return;
    }
  }
  undo_.emplace_back(std::in_place_type<DeletedRows>, row_group, std::vector<uint32_t>(rows, rows + count));
}

void Transaction::begin_row_writes() {
  if (holds_row_lock_.load(std::memory_order_acquire)) return;
  TS_CHECK(state() == State::kActive, "row write by a transaction that is not active");
  manager_.locks().lock(*this, LockManager::transaction_lock_name(id_), LockMode::kExclusive);
  holds_row_lock_.store(true, std::memory_order_release);
}

void Transaction::wait_for(uint64_t other_id) {
  TS_CHECK(other_id != id_, "a transaction waits for itself");
  manager_.locks().lock(*this, LockManager::transaction_lock_name(other_id), LockMode::kShared);
}

void Transaction::record_create(std::shared_ptr<VersionedObject> object) {
  TS_CHECK(state() == State::kActive, "catalog change by a transaction that is not active");
  TS_CHECK(object->created_version() == kRolledBackVersion, "object created twice");
  object->created_.store(id_, std::memory_order_release);
  has_writes_.store(true, std::memory_order_release);
  std::lock_guard<std::mutex> lock(mutex_);
  undo_.push_back(CreatedObject{std::move(object)});
}

void Transaction::record_drop(std::shared_ptr<VersionedObject> object) {
  TS_CHECK(state() == State::kActive, "catalog change by a transaction that is not active");
  TS_CHECK(object->deleted_version() == kNotDeleted, "object dropped twice");
  object->deleted_.store(id_, std::memory_order_release);
  has_writes_.store(true, std::memory_order_release);
  std::lock_guard<std::mutex> lock(mutex_);
  undo_.push_back(DroppedObject{std::move(object)});
}

void Transaction::record_replace(std::shared_ptr<VersionedObject> old_version,
                                 std::shared_ptr<VersionedObject> new_version) {
  TS_CHECK(state() == State::kActive, "catalog change by a transaction that is not active");
  TS_CHECK(old_version->deleted_version() == kNotDeleted, "object dropped twice");
  TS_CHECK(new_version->created_version() == kRolledBackVersion, "object created twice");
  old_version->deleted_.store(id_, std::memory_order_release);
  new_version->created_.store(id_, std::memory_order_release);
  has_writes_.store(true, std::memory_order_release);
  std::lock_guard<std::mutex> lock(mutex_);
  undo_.push_back(ReplacedObject{std::move(old_version), std::move(new_version)});
}

void Transaction::add_hook(std::shared_ptr<TransactionHook> hook) {
  TS_CHECK(hook != nullptr, "null transaction hook");
  std::lock_guard<std::mutex> lock(mutex_);
  hooks_.push_back(std::move(hook));
}

void Transaction::lock(const std::string& name, LockMode mode) {
  TS_CHECK(state() == State::kActive, "lock by a transaction that is not active");
  manager_.locks().lock(*this, name, mode);
}

}  // namespace tessera::storage
