#include "storage/transaction_manager.h"
#include "src/common/atomic_max.h"

#include <exception>
#include <type_traits>

#include "src/common/assert.h"
#include "storage/row_group.h"

namespace tessera::storage {

namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

TransactionManager::TransactionManager() = default;
TransactionManager::~TransactionManager() = default;

std::unique_ptr<Transaction> TransactionManager::begin() {
  const uint64_t id = next_id_.fetch_add(kVersionsPerTransaction, std::memory_order_relaxed);
  TS_CHECK(id < kRolledBackVersion - kVersionsPerTransaction, "transaction ids exhausted");
  std::lock_guard<std::mutex> lock(active_mutex_);
  // Reading the clock and joining the active set under one lock: garbage collection, which
  // reads both under it too, never misses a snapshot that is about to start.
  const uint64_t start_ts = clock_.load(std::memory_order_acquire);
  auto txn = std::make_unique<Transaction>(*this, start_ts, id);
  active_starts_.insert(start_ts);
  txn->hooks_ = global_hooks_;
  return txn;
}

void TransactionManager::add_global_hook(std::shared_ptr<TransactionHook> hook) {
  TS_CHECK(hook != nullptr, "null transaction hook");
  std::lock_guard<std::mutex> lock(active_mutex_);
  global_hooks_.push_back(std::move(hook));
}

void TransactionManager::reserve_transaction_ids(uint64_t used) {
  if (used < kTransactionIdStart) return;
  atomic_raise(next_id_, Transaction::owner_of(used) + kVersionsPerTransaction);
}

void TransactionManager::run_between_commits(const std::function<void()>& f) {
  std::lock_guard<std::mutex> lock(commit_mutex_);
  {
    // Commits past step 1 are in the log: wait until they are published too.
    std::unique_lock<std::mutex> publish_lock(publish_mutex_);
    published_.wait(publish_lock, [&] { return clock_.load(std::memory_order_relaxed) == assigned_ts_; });
  }
  f();
}

bool TransactionManager::commit_without_work(Transaction& txn) {
  if (!txn.is_read_only()) return false;
  {
    std::lock_guard<std::mutex> txn_lock(txn.mutex_);
    for (const auto& hook : txn.hooks_) {
      if (hook->has_commit_work(txn)) return false;
    }
    txn.hooks_.clear();
    txn.state_.store(Transaction::State::kCommitted, std::memory_order_release);
  }
  finish(txn, {});
  return true;
}

void TransactionManager::commit(Transaction& txn) {
  TS_CHECK(txn.state() == Transaction::State::kActive, "commit of a transaction that is not active");
  if (commit_without_work(txn)) return;
  std::exception_ptr hook_error;
  uint64_t commit_ts = 0;
  {
    std::lock_guard<std::mutex> lock(commit_mutex_);
    commit_ts = assigned_ts_ + 1;
    TS_CHECK(commit_ts < kTransactionIdStart, "commit timestamps exhausted");
    std::lock_guard<std::mutex> txn_lock(txn.mutex_);
    try {
      for (const auto& hook : txn.hooks_) hook->before_commit(txn, commit_ts);
      assigned_ts_ = commit_ts;
    } catch (...) {
      hook_error = std::current_exception();
    }
  }
  if (hook_error) {
    // No timestamp was taken: nothing waits for this transaction's turn.
    rollback(txn);
    std::rethrow_exception(hook_error);
  }
  {
    std::lock_guard<std::mutex> txn_lock(txn.mutex_);
    for (const auto& hook : txn.hooks_) {
      try {
        hook->await_commit(txn, commit_ts);
      } catch (...) {
        if (!hook_error) hook_error = std::current_exception();
      }
    }
  }
  std::vector<Garbage> garbage;
  publish(txn, commit_ts, hook_error != nullptr, garbage);
  finish(txn, std::move(garbage));
  if (hook_error) std::rethrow_exception(hook_error);
}

void TransactionManager::publish(Transaction& txn, uint64_t commit_ts, bool failed, std::vector<Garbage>& garbage) {
  std::unique_lock<std::mutex> lock(publish_mutex_);
  published_.wait(lock, [&] { return clock_.load(std::memory_order_relaxed) == commit_ts - 1; });
  // The turn passes on even if stamping fails an internal check: later commits must not hang.
  struct PassTurn {
    TransactionManager& manager;
    uint64_t commit_ts;
    ~PassTurn() {
      if (manager.clock_.load(std::memory_order_relaxed) < commit_ts) {
        manager.clock_.store(commit_ts, std::memory_order_release);
      }
      manager.published_.notify_all();
    }
  } pass_turn{*this, commit_ts};
  std::lock_guard<std::mutex> txn_lock(txn.mutex_);
  if (failed) {
    // The timestamp is published (by pass_turn) with nothing stamped with it.
    rollback_locked(txn, garbage);
  } else {
    for (const auto& entry : txn.undo_) {
      std::visit(Overloaded{
                     [&](const AppendedRows& rows) { rows.row_group->commit_rows(rows.start, rows.count, commit_ts); },
                     [&](const DeletedRows& deleted) { deleted.row_group->commit_deletes(deleted.rows, commit_ts); },
                     [&](const CreatedObject& created) { created.object->created_.store(commit_ts, std::memory_order_release); },
                     [&](const DroppedObject& dropped) {
                       dropped.object->deleted_.store(commit_ts, std::memory_order_release);
                       garbage.push_back({commit_ts, dropped.object});
                     },
                     [&](const ReplacedObject& replaced) {
                       replaced.old_version->deleted_.store(commit_ts, std::memory_order_release);
                       replaced.new_version->created_.store(commit_ts, std::memory_order_release);
                       garbage.push_back({commit_ts, replaced.old_version});
                     },
                 },
                 entry);
    }
    txn.undo_.clear();
    txn.state_.store(Transaction::State::kCommitted, std::memory_order_release);
    // Publish only after every change is stamped: this is what makes the commit atomic.
    clock_.store(commit_ts, std::memory_order_release);
    for (const auto& hook : txn.hooks_) hook->after_commit(txn, commit_ts);
    txn.hooks_.clear();
  }
}

void TransactionManager::rollback(Transaction& txn) {
  std::vector<Garbage> garbage;
  {
    std::lock_guard<std::mutex> lock(publish_mutex_);
    TS_CHECK(txn.state() == Transaction::State::kActive, "rollback of a transaction that is not active");
    std::lock_guard<std::mutex> txn_lock(txn.mutex_);
    rollback_locked(txn, garbage);
  }
  finish(txn, std::move(garbage));
}

void TransactionManager::refresh_snapshot(Transaction& txn) {
  TS_CHECK(txn.state() == Transaction::State::kActive, "snapshot of a transaction that is not active");
  std::lock_guard<std::mutex> lock(active_mutex_);
  // Under the lock begin() takes too, for the same reason: garbage collection never misses it.
  auto it = active_starts_.find(txn.start_ts());
  TS_CHECK(it != active_starts_.end(), "transaction missing from the active set");
  active_starts_.erase(it);
  const uint64_t start_ts = clock_.load(std::memory_order_acquire);
  active_starts_.insert(start_ts);
  txn.start_ts_.store(start_ts, std::memory_order_release);
}

void TransactionManager::rollback_statement(Transaction& txn) {
  TS_CHECK(txn.state() == Transaction::State::kActive, "statement rollback of a transaction that is not active");
  std::vector<Garbage> garbage;
  {
    std::lock_guard<std::mutex> txn_lock(txn.mutex_);
    undo_entries(txn, txn.statement_undo_start_, garbage);
  }
  if (garbage.empty()) return;
  std::lock_guard<std::mutex> lock(active_mutex_);
  for (auto& g : garbage) garbage_.push_back(std::move(g));
}

void TransactionManager::rollback_locked(Transaction& txn, std::vector<Garbage>& garbage) {
  undo_entries(txn, 0, garbage);
  txn.state_.store(Transaction::State::kRolledBack, std::memory_order_release);
  for (auto it = txn.hooks_.rbegin(); it != txn.hooks_.rend(); ++it) (*it)->after_rollback(txn);
  txn.hooks_.clear();
}

void TransactionManager::undo_entries(Transaction& txn, size_t first, std::vector<Garbage>& garbage) {
  if (first >= txn.undo_.size()) return;
  for (auto it = txn.undo_.rbegin(); it != txn.undo_.rend() - static_cast<std::ptrdiff_t>(first); ++it) {
    std::visit(Overloaded{
                   [&](const AppendedRows& rows) { rows.row_group->rollback_rows(rows.start, rows.count); },
                   [&](const DeletedRows& deleted) { deleted.row_group->rollback_deletes(deleted.rows); },
                   [&](const CreatedObject& created) {
                     created.object->created_.store(kRolledBackVersion, std::memory_order_release);
                     garbage.push_back({0, created.object});
                   },
                   [&](const DroppedObject& dropped) { dropped.object->deleted_.store(kNotDeleted, std::memory_order_release); },
                   [&](const ReplacedObject& replaced) {
                     replaced.new_version->created_.store(kRolledBackVersion, std::memory_order_release);
                     replaced.old_version->deleted_.store(kNotDeleted, std::memory_order_release);
                     garbage.push_back({0, replaced.new_version});
                   },
               },
               *it);
  }
  txn.undo_.erase(txn.undo_.begin() + static_cast<std::ptrdiff_t>(first), txn.undo_.end());
}

void TransactionManager::finish(Transaction& txn, std::vector<Garbage> garbage) {
  locks_.release_all(txn.id());
  std::vector<std::shared_ptr<VersionedObject>> unreachable;
  {
    std::lock_guard<std::mutex> lock(active_mutex_);
    auto it = active_starts_.find(txn.start_ts());
    TS_CHECK(it != active_starts_.end(), "transaction missing from the active set");
    active_starts_.erase(it);
    for (auto& g : garbage) garbage_.push_back(std::move(g));
    const uint64_t oldest =
        active_starts_.empty() ? clock_.load(std::memory_order_acquire) : *active_starts_.begin();
    size_t kept = 0;
    for (auto& g : garbage_) {
      if (g.unreachable_at <= oldest) {
        unreachable.push_back(std::move(g.object));
      } else {
        garbage_[kept++] = std::move(g);
      }
    }
    garbage_.resize(kept);
  }
  // Outside the lock: the holders take their own locks to unlink.
  for (const auto& object : unreachable) object->on_unreachable();
}

uint64_t TransactionManager::oldest_active_start_ts() const {
  std::lock_guard<std::mutex> lock(active_mutex_);
  return active_starts_.empty() ? clock_.load(std::memory_order_acquire) : *active_starts_.begin();
}

size_t TransactionManager::active_count() const {
  std::lock_guard<std::mutex> lock(active_mutex_);
  return active_starts_.size();
}

size_t TransactionManager::pending_garbage() const {
  std::lock_guard<std::mutex> lock(active_mutex_);
  return garbage_.size();
}

}  // namespace tessera::storage
