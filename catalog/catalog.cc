#include "catalog/catalog.h"

#include <algorithm>
#include <set>

#include "src/common/sql_error.h"
#include "storage/transaction.h"

namespace tessera::catalog {

using storage::LockMode;
using storage::Transaction;

Catalog::Catalog() = default;

Catalog::~Catalog() {
  // Versions still referenced elsewhere (queries, the transaction manager's garbage list) must
  // not call back into a destroyed catalog.
  for (auto& [name, versions] : entries_) {
    for (auto& entry : versions) entry->catalog_ = nullptr;
  }
}

Oid Catalog::allocate_oid() { return next_oid_++; }

std::shared_ptr<CatalogEntry> Catalog::find(const Transaction& txn, const std::string& name) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return nullptr;
  // At most one version of a name is visible to a snapshot; the newest are likeliest.
  for (auto v = it->second.rbegin(); v != it->second.rend(); ++v) {
    if ((*v)->visible_to(txn)) return *v;
  }
  return nullptr;
}

std::shared_ptr<CatalogEntry> Catalog::get(const Transaction& txn, const std::string& name) const {
  auto entry = find(txn, name);
  if (!entry) throw SqlError(SqlState::kUndefinedTable, "relation \"" + name + "\" does not exist");
  return entry;
}

std::shared_ptr<TableEntry> Catalog::get_table(const Transaction& txn, const std::string& name) const {
  auto entry = get(txn, name);
  if (entry->kind() != EntryKind::kTable) {
    throw SqlError(SqlState::kWrongObjectType, "\"" + name + "\" is not a table");
  }
  return std::static_pointer_cast<TableEntry>(entry);
}

std::vector<std::shared_ptr<CatalogEntry>> Catalog::entries(const Transaction& txn) const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<CatalogEntry>> result;
  for (const auto& [name, versions] : entries_) {
    for (auto v = versions.rbegin(); v != versions.rend(); ++v) {
      if ((*v)->visible_to(txn)) {
        result.push_back(*v);
        break;
      }
    }
  }
  return result;
}

std::shared_ptr<CatalogEntry> Catalog::current_locked(const Transaction& txn, const std::string& name) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) return nullptr;
  for (auto v = it->second.rbegin(); v != it->second.rend(); ++v) {
    if ((*v)->current_for(txn)) return *v;
  }
  return nullptr;
}

namespace {

void check_columns(const std::vector<ColumnDefinition>& columns) {
  std::set<std::string> seen;
  for (const auto& c : columns) {
    if (!seen.insert(c.name).second) {
      throw SqlError(SqlState::kDuplicateColumn, "column \"" + c.name + "\" specified more than once");
    }
  }
}

}  // namespace

std::shared_ptr<TableEntry> Catalog::create_table(Transaction& txn, const std::string& name,
                                                  std::vector<ColumnDefinition> columns, bool if_not_exists) {
  check_columns(columns);
  txn.lock(name, LockMode::kExclusive);
  std::unique_lock lock(mutex_);
  if (current_locked(txn, name)) {
    if (if_not_exists) return nullptr;
    throw SqlError(SqlState::kDuplicateTable, "relation \"" + name + "\" already exists");
  }
  auto entry = std::make_shared<TableEntry>(name, allocate_oid(), std::move(columns));
  entry->catalog_ = this;
  txn.record_create(entry);
  entries_[name].push_back(entry);
  return entry;
}

std::shared_ptr<ViewEntry> Catalog::create_view(Transaction& txn, const std::string& name,
                                                std::vector<ColumnDefinition> columns, std::string query_text,
                                                std::vector<std::string> dependencies, bool or_replace) {
  check_columns(columns);
  txn.lock(name, LockMode::kExclusive);
  for (const auto& dependency : dependencies) txn.lock(dependency, LockMode::kShared);
  std::unique_lock lock(mutex_);
  for (const auto& dependency : dependencies) {
    if (!current_locked(txn, dependency)) {
      throw SqlError(SqlState::kUndefinedTable, "relation \"" + dependency + "\" does not exist");
    }
  }
  auto existing = current_locked(txn, name);
  if (existing && (!or_replace || existing->kind() != EntryKind::kView)) {
    throw SqlError(SqlState::kDuplicateTable, "relation \"" + name + "\" already exists");
  }
  auto entry = std::make_shared<ViewEntry>(name, existing ? existing->oid() : allocate_oid(), std::move(columns),
                                           std::move(query_text), std::move(dependencies));
  entry->catalog_ = this;
  if (existing) {
    txn.record_replace(existing, entry);
  } else {
    txn.record_create(entry);
  }
  entries_[name].push_back(entry);
  return entry;
}

std::vector<std::string> Catalog::dependents_locked(const Transaction& txn, const std::string& name,
                                                    const char* kind_text, std::string& detail) const {
  std::vector<std::string> dependents;
  std::vector<std::string> pending{name};
  while (!pending.empty()) {
    std::string current = pending.back();
    pending.pop_back();
    for (const auto& [other_name, versions] : entries_) {
      auto entry = current_locked(txn, other_name);
      if (!entry || entry->kind() != EntryKind::kView) continue;
      const auto& deps = static_cast<const ViewEntry&>(*entry).dependencies();
      if (std::find(deps.begin(), deps.end(), current) == deps.end()) continue;
      if (std::find(dependents.begin(), dependents.end(), other_name) != dependents.end()) continue;
      dependents.push_back(other_name);
      pending.push_back(other_name);
      if (!detail.empty()) detail += "\n";
      detail += "view " + other_name + " depends on " + (current == name ? kind_text : "view") + " " + current;
    }
  }
  return dependents;
}

std::vector<std::shared_ptr<CatalogEntry>> Catalog::drop(Transaction& txn, const std::string& name, EntryKind kind,
                                                         bool if_exists, bool cascade,
                                                         const std::set<std::string>& dropping) {
  const char* kind_text = kind == EntryKind::kTable ? "table" : "view";
  txn.lock(name, LockMode::kExclusive);
  std::set<std::string> locked{name};
  for (;;) {
    std::unique_lock lock(mutex_);
    auto entry = current_locked(txn, name);
    if (!entry) {
      if (if_exists) return {};
      throw SqlError(SqlState::kUndefinedTable, std::string(kind_text) + " \"" + name + "\" does not exist");
    }
    if (entry->kind() != kind) {
      throw SqlError(SqlState::kWrongObjectType, "\"" + name + "\" is not a " + kind_text)
          .with_hint(std::string("Use DROP ") + (kind == EntryKind::kTable ? "VIEW" : "TABLE") + " to remove a " +
                     entry->kind_name() + ".");
    }
    std::string detail;
    std::vector<std::string> dependents = dependents_locked(txn, name, kind_text, detail);
    bool all_dropping =
        std::all_of(dependents.begin(), dependents.end(), [&](const std::string& d) { return dropping.count(d); });
    if (!dependents.empty() && !cascade && !all_dropping) {
      throw SqlError(SqlState::kDependentObjectsStillExist,
                     "cannot drop " + std::string(kind_text) + " " + name + " because other objects depend on it")
          .with_detail(detail)
          .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
    }
    // Without CASCADE the dependents are all named by the statement and go in their own turn.
    if (!cascade) dependents.clear();
    std::vector<std::string> unlocked;
    for (const auto& d : dependents) {
      if (!locked.count(d)) unlocked.push_back(d);
    }
    if (!unlocked.empty()) {
      // Waiting for a lock must not hold the catalog: lock, then look again.
      lock.unlock();
      for (const auto& d : unlocked) {
        txn.lock(d, LockMode::kExclusive);
        locked.insert(d);
      }
      continue;
    }
    std::vector<std::shared_ptr<CatalogEntry>> removed;
    for (auto d = dependents.rbegin(); d != dependents.rend(); ++d) {
      auto dependent = current_locked(txn, *d);
      txn.record_drop(dependent);
      removed.push_back(std::move(dependent));
    }
    txn.record_drop(entry);
    removed.push_back(std::move(entry));
    return removed;
  }
}

void Catalog::lock_relation(Transaction& txn, const CatalogEntry& entry, LockMode mode) {
  txn.lock(entry.name(), mode);
  if (!entry.current_for(txn)) {
    throw SqlError(SqlState::kUndefinedTable, "relation \"" + entry.name() + "\" does not exist");
  }
}

size_t Catalog::version_count(const std::string& name) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(name);
  return it == entries_.end() ? 0 : it->second.size();
}

void Catalog::unlink(const CatalogEntry& entry) noexcept {
  std::unique_lock lock(mutex_);
  auto it = entries_.find(entry.name());
  if (it == entries_.end()) return;
  auto& versions = it->second;
  versions.erase(std::remove_if(versions.begin(), versions.end(),
                                [&](const std::shared_ptr<CatalogEntry>& v) { return v.get() == &entry; }),
                 versions.end());
  if (versions.empty()) entries_.erase(it);
}

}  // namespace tessera::catalog
