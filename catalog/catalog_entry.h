#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "src/common/logical_type.h"
#include "src/common/value.h"

namespace tessera::storage { class DataTable; }

namespace tessera::catalog {

/// The kinds of relations the catalog holds (values frozen: persisted later).
enum class EntryKind : uint8_t { kTable = 0, kView = 1 };

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
};

/// A named relation in schema `public`. Immutable after creation except where noted;
/// shared by the catalog and the queries that pinned it.
class CatalogEntry {
 public:
  CatalogEntry(EntryKind kind, std::string name, Oid oid, std::vector<ColumnDefinition> columns);
  virtual ~CatalogEntry();

  EntryKind kind() const { return kind_; }
  const std::string& name() const { return name_; }
  Oid oid() const { return oid_; }
  const std::vector<ColumnDefinition>& columns() const { return columns_; }
  /// Index of the column called `name`, if any.
  std::optional<size_t> find_column(const std::string& name) const;
  /// "table" or "view", as PostgreSQL's messages say.
  const char* kind_name() const;

 private:
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

 private:
  std::unique_ptr<storage::DataTable> storage_;
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
