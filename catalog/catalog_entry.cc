#include "catalog/catalog_entry.h"

#include "catalog/catalog.h"
#include "storage/data_table.h"

namespace tessera::catalog {

CatalogEntry::CatalogEntry(EntryKind kind, std::string name, Oid oid, std::vector<ColumnDefinition> columns)
    : kind_(kind), name_(std::move(name)), oid_(oid), columns_(std::move(columns)) {}

CatalogEntry::~CatalogEntry() = default;

std::optional<size_t> CatalogEntry::find_column(const std::string& name) const {
  for (size_t i = 0; i < columns_.size(); i++) {
    if (columns_[i].name == name) return i;
  }
  return std::nullopt;
}

void CatalogEntry::on_unreachable() noexcept {
  if (catalog_) catalog_->unlink(*this);
}

const char* CatalogEntry::kind_name() const {
  switch (kind_) {
    case EntryKind::kTable: return "table";
    case EntryKind::kView: return "view";
    case EntryKind::kIndex: return "index";
  }
  return "relation";
}

namespace {

std::vector<LogicalType> column_types(const std::vector<ColumnDefinition>& columns) {
  std::vector<LogicalType> types;
  types.reserve(columns.size());
  for (const auto& c : columns) types.push_back(c.type);
  return types;
}

}  // namespace

TableEntry::TableEntry(std::string name, Oid oid, std::vector<ColumnDefinition> columns)
    : CatalogEntry(EntryKind::kTable, std::move(name), oid, columns),
      storage_(std::make_unique<storage::DataTable>(column_types(columns))) {}

TableEntry::~TableEntry() = default;

storage::TableStatistics TableEntry::statistics() const { return storage_->statistics(); }

IndexEntry::IndexEntry(std::string name, Oid oid, std::string table, IndexDefinition definition,
                       std::shared_ptr<storage::HashIndex> index)
    : CatalogEntry(EntryKind::kIndex, std::move(name), oid, {}),
      table_(std::move(table)),
      definition_(std::move(definition)),
      index_(std::move(index)) {}

IndexEntry::~IndexEntry() = default;

ViewEntry::ViewEntry(std::string name, Oid oid, std::vector<ColumnDefinition> columns, std::string query_text,
                     std::vector<std::string> dependencies)
    : CatalogEntry(EntryKind::kView, std::move(name), oid, std::move(columns)),
      query_text_(std::move(query_text)),
      dependencies_(std::move(dependencies)) {}

}  // namespace tessera::catalog
