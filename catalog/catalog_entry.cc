#include "catalog/catalog_entry.h"

#include "catalog/catalog.h"
#include "catalog/entry_kind_name.h"
#include "src/common/sql_error.h"
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

SchemaEntry::SchemaEntry(std::string name, Oid oid, std::string owner, std::string comment)
    : name_(std::move(name)), oid_(oid), owner_(std::move(owner)), comment_(std::move(comment)) {}

SchemaEntry::~SchemaEntry() = default;

void SchemaEntry::on_unreachable() noexcept {
  if (catalog_) catalog_->unlink_schema(*this);
}

const char* entry_kind_name(EntryKind kind) {
  switch (kind) {
    case EntryKind::kTable: return "table";
    case EntryKind::kView: return "view";
    case EntryKind::kIndex: return "index";
    case EntryKind::kSequence: return "sequence";
  }
  return "relation";
}

const char* CatalogEntry::kind_name() const { return entry_kind_name(kind_); }

std::vector<LogicalType> column_types(const std::vector<ColumnDefinition>& columns) {
  std::vector<LogicalType> types;
  types.reserve(columns.size());
  for (const auto& c : columns) types.push_back(c.type);
  return types;
}

TableEntry::TableEntry(std::string name, Oid oid, std::vector<ColumnDefinition> columns,
                       std::vector<CheckConstraint> checks, std::vector<ForeignKey> foreign_keys)
    : CatalogEntry(EntryKind::kTable, std::move(name), oid, columns),
      checks_(std::move(checks)),
      foreign_keys_(std::move(foreign_keys)),
      storage_(std::make_shared<storage::DataTable>(column_types(columns))) {}

TableEntry::TableEntry(std::string name, Oid oid, std::vector<ColumnDefinition> columns,
                       std::vector<CheckConstraint> checks, std::vector<ForeignKey> foreign_keys,
                       std::shared_ptr<storage::DataTable> storage)
    : CatalogEntry(EntryKind::kTable, std::move(name), oid, std::move(columns)),
      checks_(std::move(checks)),
      foreign_keys_(std::move(foreign_keys)),
      storage_(std::move(storage)) {}

TableEntry::~TableEntry() = default;

storage::TableStatistics TableEntry::statistics() const { return storage_->statistics(); }

IndexEntry::IndexEntry(std::string name, Oid oid, std::string table, IndexDefinition definition,
                       std::shared_ptr<storage::HashIndex> index)
    : CatalogEntry(EntryKind::kIndex, std::move(name), oid, {}),
      table_(std::move(table)),
      definition_(std::move(definition)),
      index_(std::move(index)) {}

IndexEntry::~IndexEntry() = default;

SequenceEntry::SequenceEntry(std::string name, Oid oid, SequenceOptions options, std::string owner_table,
                             std::string owner_column)
    : CatalogEntry(EntryKind::kSequence, std::move(name), oid, {}),
      options_(options),
      owner_table_(std::move(owner_table)),
      owner_column_(std::move(owner_column)),
      counter_(std::make_shared<Counter>()) {
  counter_->last_value = options.start;
}

SequenceEntry::SequenceEntry(const SequenceEntry& previous, std::string name, SequenceOptions options,
                             std::string owner_table, std::string owner_column)
    : CatalogEntry(EntryKind::kSequence, std::move(name), previous.oid(), {}),
      options_(options),
      owner_table_(std::move(owner_table)),
      owner_column_(std::move(owner_column)),
      counter_(previous.counter_) {}

int64_t SequenceEntry::next_value() {
  std::unique_lock lock(counter_->mutex);
  int64_t& last_value = counter_->last_value;
  if (!counter_->is_called) {
    counter_->is_called = true;
    const int64_t value = last_value;
    const bool newly_noted = mark_noted_locked();
    lock.unlock();
    note_change(newly_noted);
    return value;
  }
  const SequenceOptions& o = options_;
  int64_t next;
  // The bounds lie inside int64, so an overflowing step is past them.
  bool past_end = __builtin_add_overflow(last_value, o.increment, &next) ||
                  (o.increment > 0 ? next > o.max_value : next < o.min_value);
  if (past_end) {
    if (!o.cycle) {
      throw SqlError(SqlState::kSequenceGeneratorLimitExceeded,
                     std::string("nextval: reached ") + (o.increment > 0 ? "maximum" : "minimum") +
                         " value of sequence \"" + name() + "\" (" +
                         std::to_string(o.increment > 0 ? o.max_value : o.min_value) + ")");
    }
    next = o.increment > 0 ? o.min_value : o.max_value;
  }
  last_value = next;
  const bool newly_noted = mark_noted_locked();
  lock.unlock();
  note_change(newly_noted);
  return next;
}

void SequenceEntry::set_value(int64_t value, bool is_called) {
  if (value < options_.min_value || value > options_.max_value) {
    throw SqlError(SqlState::kNumericValueOutOfRange,
                   "setval: value " + std::to_string(value) + " is out of bounds for sequence \"" + name() + "\" (" +
                       std::to_string(options_.min_value) + ".." + std::to_string(options_.max_value) + ")");
  }
  bool newly_noted;
  {
    std::lock_guard lock(counter_->mutex);
    counter_->last_value = value;
    counter_->is_called = is_called;
    newly_noted = mark_noted_locked();
  }
  note_change(newly_noted);
}

SequenceEntry::CounterState SequenceEntry::counter_state() const {
  std::lock_guard lock(counter_->mutex);
  return {counter_->last_value, counter_->is_called};
}

bool SequenceEntry::mark_noted_locked() const {
  // An entry no catalog holds has no one to tell; the catalog pointer is set before the entry
  // is published, so every thread that can reach the entry sees it.
  if (!catalog() || counter_->noted) return false;
  counter_->noted = true;
  return true;
}

void SequenceEntry::note_change(bool newly_noted) const {
  if (newly_noted) catalog()->note_sequence_change(oid(), counter_);
}

ViewEntry::ViewEntry(std::string name, Oid oid, std::vector<ColumnDefinition> columns, std::string query_text,
                     std::vector<std::string> dependencies)
    : CatalogEntry(EntryKind::kView, std::move(name), oid, std::move(columns)),
      query_text_(std::move(query_text)),
      dependencies_(std::move(dependencies)) {}

}  // namespace tessera::catalog
