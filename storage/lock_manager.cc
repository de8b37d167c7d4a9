#include "storage/lock_manager.h"

#include <chrono>
#include <unordered_set>

#include "src/common/sql_error.h"
#include "storage/transaction.h"

namespace tessera::storage {

namespace {

/// How often a waiter re-checks its interrupt flag and the wait-for graph.
constexpr auto kWaitPoll = std::chrono::milliseconds(10);

const char* mode_name(LockMode mode) { return mode == LockMode::kExclusive ? "ExclusiveLock" : "ShareLock"; }

/// The number of a transaction in messages: 0 for the first one that began, and so on.
uint64_t transaction_number(uint64_t id) { return (id - kTransactionIdStart) / kVersionsPerTransaction; }

constexpr char kTransactionLockPrefix[] = "\x01transaction ";

/// How a lock's name reads in a message: `relation "t"`, `transaction 5`, or for the names of
/// other catalog objects, which start with a NUL and their kind (`\0schema s`), `schema "s"`.
std::string describe_name(const std::string& name) {
  const std::string prefix = kTransactionLockPrefix;
  if (name.compare(0, prefix.size(), prefix) == 0) {
    return "transaction " + std::to_string(transaction_number(std::stoull(name.substr(prefix.size()))));
  }
  const size_t space = name.find(' ');
  if (!name.empty() && name[0] == '\0' && space != std::string::npos) {
    return name.substr(1, space - 1) + " \"" + name.substr(space + 1) + "\"";
  }
  return "relation \"" + name + "\"";
}

}  // namespace

std::string LockManager::transaction_lock_name(uint64_t txn_id) {
  return kTransactionLockPrefix + std::to_string(txn_id);
}

bool LockManager::grantable(const Lock& lock, uint64_t txn_id, LockMode mode) const {
  for (const auto& [holder, held] : lock.holders) {
    if (holder == txn_id) continue;
    if (mode == LockMode::kExclusive || held == LockMode::kExclusive) return false;
  }
  return true;
}

bool LockManager::closes_cycle(uint64_t start) const {
  // Depth-first over "waits for": a waiter waits for every other holder of the name it wants
  // whose mode conflicts with the one it asks for.
  std::vector<uint64_t> pending{start};
  std::unordered_set<uint64_t> visited;
  while (!pending.empty()) {
    const uint64_t txn = pending.back();
    pending.pop_back();
    auto wait = waiting_.find(txn);
    if (wait == waiting_.end()) continue;
    auto lock = locks_.find(wait->second.name);
    if (lock == locks_.end()) continue;
    for (const auto& [holder, held] : lock->second.holders) {
      if (holder == txn) continue;
      if (wait->second.mode != LockMode::kExclusive && held != LockMode::kExclusive) continue;
      if (holder == start) return true;
      if (visited.insert(holder).second) pending.push_back(holder);
    }
  }
  return false;
}

void LockManager::lock(Transaction& txn, const std::string& name, LockMode mode) {
  const uint64_t id = txn.id();
  std::unique_lock<std::mutex> guard(mutex_);
  {
    auto it = locks_.find(name);
    if (it != locks_.end()) {
      auto held = it->second.holders.find(id);
      if (held != it->second.holders.end() && (held->second == LockMode::kExclusive || mode == LockMode::kShared)) return;
    }
  }
  bool waited = false;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  while (!grantable(locks_[name], id, mode)) {
    if (!waited) {
      waiting_[id] = Wait{name, mode};
      waited = true;
      if (const int64_t timeout = txn.lock_timeout_ms(); timeout > 0) {
        deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout);
      }
    }
    if (closes_cycle(id)) {
      waiting_.erase(id);
      auto lock = locks_.find(name);
      std::string blockers;
      for (const auto& [holder, held] : lock->second.holders) {
        if (holder == id) continue;
        if (!blockers.empty()) blockers += ", ";
        blockers += std::to_string(transaction_number(holder));
      }
      throw SqlError(SqlState::kDeadlockDetected, "deadlock detected")
          .with_detail("Transaction " + std::to_string(transaction_number(id)) + " waits for " + mode_name(mode) +
                       " on " + describe_name(name) + "; blocked by transaction " + blockers + ".")
          .with_hint("See server log for query details.");
    }
    if (txn.interrupted()) {
      waiting_.erase(id);
      throw SqlError(SqlState::kQueryCanceled, "canceling statement due to user request");
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      waiting_.erase(id);
      throw SqlError(SqlState::kLockNotAvailable, "canceling statement due to lock timeout");
    }
    released_.wait_for(guard, std::min<std::chrono::steady_clock::duration>(kWaitPoll, deadline - now));
  }
  if (waited) waiting_.erase(id);
  Lock& lock = locks_[name];
  auto [it, inserted] = lock.holders.emplace(id, mode);
  if (inserted) {
    held_[id].push_back(name);
  } else if (mode == LockMode::kExclusive) {
    it->second = LockMode::kExclusive;
  }
}

void LockManager::release_all(uint64_t txn_id) {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    auto held = held_.find(txn_id);
    if (held == held_.end()) return;
    for (const auto& name : held->second) {
      auto lock = locks_.find(name);
      if (lock == locks_.end()) continue;
      lock->second.holders.erase(txn_id);
      if (lock->second.holders.empty()) locks_.erase(lock);
    }
    held_.erase(held);
  }
  released_.notify_all();
}

size_t LockManager::waiting_count() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return waiting_.size();
}

bool LockManager::is_waiting(uint64_t txn_id, const std::string& name) const {
  std::lock_guard<std::mutex> guard(mutex_);
  auto it = waiting_.find(txn_id);
  return it != waiting_.end() && it->second.name == name;
}

size_t LockManager::held_count(uint64_t txn_id) const {
  std::lock_guard<std::mutex> guard(mutex_);
  auto it = held_.find(txn_id);
  return it == held_.end() ? 0 : it->second.size();
}

}  // namespace tessera::storage
