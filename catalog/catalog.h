#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "catalog/catalog_entry.h"

namespace tessera::catalog {

/// The relations of the database (schema `public`). Thread-safe: lookups take a shared lock,
/// changes an exclusive one. Entries are handed out as shared_ptr so a running query keeps
/// a relation alive while another session drops it.
class Catalog {
 public:
  Catalog();

  /// The relation called `name`, or nullptr.
  std::shared_ptr<CatalogEntry> find(const std::string& name) const;
  /// The relation called `name`; throws 42P01 `relation "name" does not exist`.
  std::shared_ptr<CatalogEntry> get(const std::string& name) const;
  /// The table called `name`; throws 42P01, or 42809 when it is not a table.
  std::shared_ptr<TableEntry> get_table(const std::string& name) const;

  /// Creates a table; throws 42P07 when the name is taken (unless if_not_exists, then returns
  /// nullptr), 42701 for a duplicate column name.
  std::shared_ptr<TableEntry> create_table(const std::string& name, std::vector<ColumnDefinition> columns,
                                           bool if_not_exists);
  /// Creates (or with or_replace, replaces) a view reading the relations in `dependencies`.
  std::shared_ptr<ViewEntry> create_view(const std::string& name, std::vector<ColumnDefinition> columns,
                                         std::string query_text, std::vector<std::string> dependencies, bool or_replace);
  /// Removes a relation of `kind`; throws 42P01 when missing (unless if_exists: returns nothing)
  /// and 42809 when the name is a relation of another kind. Views that read it (directly or
  /// through other views) make it fail with 2BP01, unless `cascade`, which removes them too.
  /// Dependent views named in `dropping` (the rest of the same DROP statement) do not need
  /// CASCADE. Returns every removed entry, the named one last.
  std::vector<std::shared_ptr<CatalogEntry>> drop(const std::string& name, EntryKind kind, bool if_exists, bool cascade,
                                                  const std::set<std::string>& dropping = {});
  /// Puts back an entry removed by drop (transaction rollback).
  void restore(std::shared_ptr<CatalogEntry> entry);
  /// Removes an entry created by create_* (transaction rollback); no-op when absent.
  void remove_created(const std::string& name, const CatalogEntry* entry);

  /// Every relation, ordered by name.
  std::vector<std::shared_ptr<CatalogEntry>> entries() const;

 private:
  Oid allocate_oid();

  mutable std::shared_mutex mutex_;
  std::map<std::string, std::shared_ptr<CatalogEntry>> entries_;
  Oid next_oid_ = 16384;  // PostgreSQL's FirstNormalObjectId
};

}  // namespace tessera::catalog
