#include "catalog/catalog.h"

#include <algorithm>
#include <set>

#include "src/common/sql_error.h"

namespace tessera::catalog {

Catalog::Catalog() = default;

Oid Catalog::allocate_oid() { return next_oid_++; }

std::shared_ptr<CatalogEntry> Catalog::find(const std::string& name) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : it->second;
}

std::shared_ptr<CatalogEntry> Catalog::get(const std::string& name) const {
  auto entry = find(name);
  if (!entry) throw SqlError(SqlState::kUndefinedTable, "relation \"" + name + "\" does not exist");
  return entry;
}

std::shared_ptr<TableEntry> Catalog::get_table(const std::string& name) const {
  auto entry = get(name);
  if (entry->kind() != EntryKind::kTable) {
    throw SqlError(SqlState::kWrongObjectType, "\"" + name + "\" is not a table");
  }
  return std::static_pointer_cast<TableEntry>(entry);
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

std::shared_ptr<TableEntry> Catalog::create_table(const std::string& name, std::vector<ColumnDefinition> columns,
                                                  bool if_not_exists) {
  check_columns(columns);
  std::unique_lock lock(mutex_);
  if (entries_.count(name)) {
    if (if_not_exists) return nullptr;
    throw SqlError(SqlState::kDuplicateTable, "relation \"" + name + "\" already exists");
  }
  auto entry = std::make_shared<TableEntry>(name, allocate_oid(), std::move(columns));
  entries_[name] = entry;
  return entry;
}

std::shared_ptr<ViewEntry> Catalog::create_view(const std::string& name, std::vector<ColumnDefinition> columns,
                                                std::string query_text, std::vector<std::string> dependencies,
                                                bool or_replace) {
  check_columns(columns);
  std::unique_lock lock(mutex_);
  auto it = entries_.find(name);
  if (it != entries_.end()) {
    if (!or_replace || it->second->kind() != EntryKind::kView) {
      throw SqlError(SqlState::kDuplicateTable, "relation \"" + name + "\" already exists");
    }
  }
  auto entry = std::make_shared<ViewEntry>(name, allocate_oid(), std::move(columns), std::move(query_text),
                                           std::move(dependencies));
  entries_[name] = entry;
  return entry;
}

std::vector<std::shared_ptr<CatalogEntry>> Catalog::drop(const std::string& name, EntryKind kind, bool if_exists,
                                                         bool cascade, const std::set<std::string>& dropping) {
  std::unique_lock lock(mutex_);
  auto it = entries_.find(name);
  const char* kind_text = kind == EntryKind::kTable ? "table" : "view";
  if (it == entries_.end()) {
    if (if_exists) return {};
    throw SqlError(SqlState::kUndefinedTable, std::string(kind_text) + " \"" + name + "\" does not exist");
  }
  if (it->second->kind() != kind) {
    throw SqlError(SqlState::kWrongObjectType, "\"" + name + "\" is not a " + kind_text)
        .with_hint(std::string("Use DROP ") + (kind == EntryKind::kTable ? "VIEW" : "TABLE") + " to remove a " +
                   it->second->kind_name() + ".");
  }
  // The views that read `name`, directly or through other views, in the order they must go.
  std::vector<std::string> dependents;
  std::string detail;
  std::vector<std::string> pending{name};
  while (!pending.empty()) {
    std::string current = pending.back();
    pending.pop_back();
    for (const auto& [other_name, entry] : entries_) {
      if (entry->kind() != EntryKind::kView) continue;
      const auto& deps = static_cast<const ViewEntry&>(*entry).dependencies();
      if (std::find(deps.begin(), deps.end(), current) == deps.end()) continue;
      if (std::find(dependents.begin(), dependents.end(), other_name) != dependents.end()) continue;
      dependents.push_back(other_name);
      pending.push_back(other_name);
      if (!detail.empty()) detail += "\n";
      detail += "view " + other_name + " depends on " + (current == name ? kind_text : "view") + " " + current;
    }
  }
  bool all_dropping = std::all_of(dependents.begin(), dependents.end(), [&](const std::string& d) { return dropping.count(d); });
  if (!dependents.empty() && !cascade && !all_dropping) {
    throw SqlError(SqlState::kDependentObjectsStillExist,
                   "cannot drop " + std::string(kind_text) + " " + name + " because other objects depend on it")
        .with_detail(detail)
        .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
  }
  std::vector<std::shared_ptr<CatalogEntry>> removed;
  // Without CASCADE the dependents are all named by the statement and go in their own turn.
  if (!cascade) dependents.clear();
  for (auto d = dependents.rbegin(); d != dependents.rend(); ++d) {
    auto dit = entries_.find(*d);
    removed.push_back(dit->second);
    entries_.erase(dit);
  }
  removed.push_back(it->second);
  entries_.erase(it);
  return removed;
}

void Catalog::restore(std::shared_ptr<CatalogEntry> entry) {
  std::unique_lock lock(mutex_);
  entries_[entry->name()] = std::move(entry);
}

void Catalog::remove_created(const std::string& name, const CatalogEntry* entry) {
  std::unique_lock lock(mutex_);
  auto it = entries_.find(name);
  if (it != entries_.end() && it->second.get() == entry) entries_.erase(it);
}

std::vector<std::shared_ptr<CatalogEntry>> Catalog::entries() const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<CatalogEntry>> result;
  for (const auto& [name, entry] : entries_) result.push_back(entry);
  return result;
}

}  // namespace tessera::catalog
