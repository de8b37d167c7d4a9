#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "src/common/logical_type.h"
#include "src/common/value.h"
#include "storage/table_statistics.h"
#include "storage/versioned_object.h"

namespace tessera::storage {
class DataTable;
class HashIndex;
}  // namespace tessera::storage

namespace tessera::catalog {

class Catalog;

/// The kinds of relations the catalog holds (values frozen: persisted later).
enum class EntryKind : uint8_t { kTable = 0, kView = 1, kIndex = 2 };

/// One column of a table or view.
struct ColumnDefinition {
  ColumnDefinition() = default;
  ColumnDefinition(std::string name, LogicalType type, bool not_null = false)
      : name(std::move(name)), type(type), not_null(not_null), default_value(Value::null(type)) {}

  std::string name;
  LogicalType type;
  bool not_null = false;
  /// Constant DEFAULT value; a NULL value when the column has no default.
  Value default_value;
  /// A DEFAULT that is not a constant (e.g. now(), random() + 1): its source text, bound again
  /// and evaluated per row by each INSERT or UPDATE that uses it; empty otherwise.
  std::string default_expression;
};

/// An index to create: a PRIMARY KEY or UNIQUE constraint's, or CREATE INDEX's.
struct IndexDefinition {
  std::string name;
  std::vector<size_t> columns;  ///< table column indexes, in key order
  bool unique = false;
  bool primary_key = false;
  /// Made by a PRIMARY KEY or UNIQUE constraint (DROP INDEX refuses it).
  bool constraint = false;
};

/// A named relation in schema `public`: one version of it. Versioned like a row (creation and
/// deletion stamps, see storage::VersionedObject): an ALTER-like change (CREATE OR REPLACE)
/// makes a new version. Immutable after creation except for the stamps; shared by the catalog
/// and the queries that pinned it, so a dropped table's storage lives while a snapshot or a
/// running query still reads it.
class CatalogEntry : public storage::VersionedObject {
 public:
  CatalogEntry(EntryKind kind, std::string name, Oid oid, std::vector<ColumnDefinition> columns);
  ~CatalogEntry() override;

  EntryKind kind() const { return kind_; }
  const std::string& name() const { return name_; }
  Oid oid() const { return oid_; }
  const std::vector<ColumnDefinition>& columns() const { return columns_; }
  /// Index of the column called `name`, if any.
  std::optional<size_t> find_column(const std::string& name) const;
  /// "table", "view" or "index", as PostgreSQL's messages say.
  const char* kind_name() const;

 protected:
  void on_unreachable() noexcept override;

 private:
  friend class Catalog;

  Catalog* catalog_ = nullptr;  ///< the catalog holding this version, until it unlinks it
  EntryKind kind_;
  std::string name_;
  Oid oid_;
  std::vector<ColumnDefinition> columns_;
};

/// A base table: its columns and its storage.
class TableEntry : public CatalogEntry {
 public:
  TableEntry(std::string name, Oid oid, std::vector<ColumnDefinition> columns);
  ~TableEntry() override;
  storage::DataTable& storage() const { return *storage_; }
  /// Estimated statistics (row count; per column distinct count, NULL fraction, min/max) for
  /// the planner's row estimates, as the storage keeps them.
  storage::TableStatistics statistics() const;

 private:
  std::unique_ptr<storage::DataTable> storage_;
};

/// An index on a table (a relation: index names share the namespace of tables and views),
/// backed by a storage::HashIndex kept with the table's storage. Dropped with its table.
class IndexEntry : public CatalogEntry {
 public:
  IndexEntry(std::string name, Oid oid, std::string table, IndexDefinition definition,
             std::shared_ptr<storage::HashIndex> index);
  ~IndexEntry() override;
  const std::string& table_name() const { return table_; }
  const IndexDefinition& definition() const { return definition_; }
  const std::shared_ptr<storage::HashIndex>& index() const { return index_; }

 private:
  std::string table_;
  IndexDefinition definition_;
  std::shared_ptr<storage::HashIndex> index_;
};

/// A view: its defining query text (re-bound on every use), its output columns and the
/// relations its query reads (which cannot be dropped without CASCADE while it exists).
class ViewEntry : public CatalogEntry {
 public:
  ViewEntry(std::string name, Oid oid, std::vector<ColumnDefinition> columns, std::string query_text,
            std::vector<std::string> dependencies);
  const std::string& query_text() const { return query_text_; }
  const std::vector<std::string>& dependencies() const { return dependencies_; }

 private:
  std::string query_text_;
  std::vector<std::string> dependencies_;
};

}  // namespace tessera::catalog
