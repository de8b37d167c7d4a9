#include "catalog/catalog_serializer.h"

#include <string>
#include <utility>

#include "src/common/vector.h"
#include "storage/data_table.h"
#include "storage/durable/vector_serializer.h"
#include "storage/hash_index.h"

namespace tessera::catalog {

using storage::BinaryReader;
using storage::BinaryWriter;

namespace {

/// The layout write_entry and write_schema produce; a reader refuses any other.
constexpr uint8_t kFormatVersion = 1;

void write_bool(BinaryWriter& out, bool v) { out.put_u8(v ? 1 : 0); }

bool read_bool(BinaryReader& in) {
  const uint8_t v = in.get_u8();
  if (v > 1) in.corrupt("bad boolean byte " + std::to_string(v));
  return v == 1;
}

std::string read_string(BinaryReader& in) { return std::string(in.get_string()); }

/// A count of items that each take at least one byte: more than the bytes left cannot be right
/// (and must not size an allocation).
size_t read_count(BinaryReader& in) {
  const uint64_t count = in.get_varint();
  if (count > in.remaining()) in.corrupt("count " + std::to_string(count) + " exceeds the data");
  return static_cast<size_t>(count);
}

Oid read_oid(BinaryReader& in) {
  const uint64_t oid = in.get_varint();
  if (oid > UINT32_MAX) in.corrupt("OID " + std::to_string(oid) + " out of range");
  return static_cast<Oid>(oid);
}

void write_positions(BinaryWriter& out, const std::vector<size_t>& positions) {
  out.put_varint(positions.size());
  for (size_t p : positions) out.put_varint(p);
}

/// Column positions, each below `limit`.
std::vector<size_t> read_positions(BinaryReader& in, size_t limit) {
  std::vector<size_t> positions(read_count(in));
  for (auto& p : positions) {
    const uint64_t v = in.get_varint();
    if (v >= limit) in.corrupt("column position " + std::to_string(v) + " out of range");
    p = static_cast<size_t>(v);
  }
  return positions;
}

void write_strings(BinaryWriter& out, const std::vector<std::string>& strings) {
  out.put_varint(strings.size());
  for (const auto& s : strings) out.put_string(s);
}

std::vector<std::string> read_strings(BinaryReader& in) {
  std::vector<std::string> strings(read_count(in));
  for (auto& s : strings) s = read_string(in);
  return strings;
}

/// A value: its type, then itself as a one-row vector.
void write_value(BinaryWriter& out, const Value& value) {
  storage::write_type(out, value.type());
  storage::write_vector(out, Vector(value), 1);
}

Value read_value(BinaryReader& in) {
  const LogicalType type = storage::read_type(in);
  Vector vector(type, 1);
  storage::read_vector(in, type, 1, vector);
  Value value = vector.get_value(0);
  // A vector's values of varchar(n) come back as text: the value keeps its declared length.
  if (!value.is_null() && type.id() == LogicalTypeId::kVarchar) return Value::varchar(value.get_string(), type.modifier());
  return value;
}

void write_column(BinaryWriter& out, const ColumnDefinition& column) {
  out.put_string(column.name);
  storage::write_type(out, column.type);
  write_bool(out, column.not_null);
  write_value(out, column.default_value);
  out.put_string(column.default_expression);
  out.put_u8(static_cast<uint8_t>(column.identity));
  out.put_string(column.comment);
}

ColumnDefinition read_column(BinaryReader& in) {
  ColumnDefinition column;
  column.name = read_string(in);
  column.type = storage::read_type(in);
  column.not_null = read_bool(in);
  column.default_value = read_value(in);
  column.default_expression = read_string(in);
  const uint8_t identity = in.get_u8();
  if (identity != 0 && identity != 'a' && identity != 'd') {
    in.corrupt("bad identity kind " + std::to_string(identity));
  }
  column.identity = static_cast<char>(identity);
  column.comment = read_string(in);
  return column;
}

/// A FOREIGN KEY action letter (ForeignKey::on_delete).
char read_action(BinaryReader& in) {
  const uint8_t action = in.get_u8();
  switch (action) {
    case 'a': case 'r': case 'c': case 'n': case 'd': return static_cast<char>(action);
    default: in.corrupt("bad foreign key action " + std::to_string(action));
  }
}

void write_foreign_key(BinaryWriter& out, const ForeignKey& fk) {
  out.put_string(fk.name);
  write_positions(out, fk.columns);
  out.put_string(fk.referenced_table);
  // The referenced table's positions are not checked against its columns: it is another entry.
  write_positions(out, fk.referenced_columns);
  out.put_string(fk.referenced_index);
  write_positions(out, fk.index_key_columns);
  write_bool(out, fk.match_full);
  out.put_u8(static_cast<uint8_t>(fk.on_delete));
  out.put_u8(static_cast<uint8_t>(fk.on_update));
  write_positions(out, fk.delete_set_columns);
}

ForeignKey read_foreign_key(BinaryReader& in, size_t num_columns) {
  ForeignKey fk;
  fk.name = read_string(in);
  fk.columns = read_positions(in, num_columns);
  fk.referenced_table = read_string(in);
  fk.referenced_columns = read_positions(in, SIZE_MAX);
  fk.referenced_index = read_string(in);
  fk.index_key_columns = read_positions(in, num_columns);
  fk.match_full = read_bool(in);
  fk.on_delete = read_action(in);
  fk.on_update = read_action(in);
  fk.delete_set_columns = read_positions(in, num_columns);
  if (fk.columns.empty() || fk.referenced_columns.size() != fk.columns.size() ||
      fk.index_key_columns.size() != fk.columns.size()) {
    in.corrupt("foreign key \"" + fk.name + "\" has mismatched column lists");
  }
  return fk;
}

void write_sequence_options(BinaryWriter& out, const SequenceOptions& o) {
  storage::write_type(out, o.type);
  out.put_i64(o.increment);
  out.put_i64(o.min_value);
  out.put_i64(o.max_value);
  out.put_i64(o.start);
  out.put_i64(o.cache);
  write_bool(out, o.cycle);
}

SequenceOptions read_sequence_options(BinaryReader& in) {
  SequenceOptions o;
  o.type = storage::read_type(in);
  o.increment = in.get_i64();
  o.min_value = in.get_i64();
  o.max_value = in.get_i64();
  o.start = in.get_i64();
  o.cache = in.get_i64();
  o.cycle = read_bool(in);
  if (o.increment == 0 || o.min_value > o.max_value) in.corrupt("bad sequence options");
  return o;
}

void read_format_version(BinaryReader& in) {
  const uint8_t version = in.get_u8();
  if (version != kFormatVersion) in.corrupt("unknown catalog format version " + std::to_string(version));
}

}  // namespace

/// Builds entries from their durable form, setting the fields that the catalog sets when it
/// publishes a version (a friend of the entry classes).
class EntryReader {
 public:
  EntryReader(BinaryReader& in, const StorageResolver& storage) : in_(in), storage_(storage) {}

  std::shared_ptr<CatalogEntry> read() {
    read_format_version(in_);
    const uint8_t kind = in_.get_u8();
    const Oid oid = read_oid(in_);
    const Oid schema_oid = read_oid(in_);
    std::string name = read_string(in_);
    std::string comment = read_string(in_);
    std::vector<ColumnDefinition> columns(read_count(in_));
    for (auto& column : columns) column = read_column(in_);

    std::shared_ptr<CatalogEntry> entry;
    switch (kind) {
      case static_cast<uint8_t>(EntryKind::kTable): entry = read_table(std::move(name), oid, std::move(columns)); break;
      case static_cast<uint8_t>(EntryKind::kIndex): entry = read_index(std::move(name), oid, columns); break;
      case static_cast<uint8_t>(EntryKind::kSequence): entry = read_sequence(std::move(name), oid, columns); break;
      case static_cast<uint8_t>(EntryKind::kView): entry = read_view(std::move(name), oid, std::move(columns)); break;
      default: in_.corrupt("unknown relation kind " + std::to_string(kind));
    }
    entry->schema_oid_ = schema_oid;
    entry->comment_ = std::move(comment);
    return entry;
  }

 private:
  std::shared_ptr<CatalogEntry> read_table(std::string name, Oid oid, std::vector<ColumnDefinition> columns) {
    std::vector<CheckConstraint> checks(read_count(in_));
    for (auto& check : checks) {
      check.name = read_string(in_);
      check.expression = read_string(in_);
    }
    std::vector<ForeignKey> foreign_keys(read_count(in_));
    for (auto& fk : foreign_keys) fk = read_foreign_key(in_, columns.size());
    const uint64_t storage_id = in_.get_u64();
    if (storage_id == 0) in_.corrupt("table \"" + name + "\" has no storage id");
    auto data = storage_(storage_id, column_types(columns));
    if (!data || data->storage_id() != storage_id) {
      in_.corrupt("no storage " + std::to_string(storage_id) + " for table \"" + name + "\"");
    }
    return std::make_shared<TableEntry>(std::move(name), oid, std::move(columns), std::move(checks),
                                        std::move(foreign_keys), std::move(data));
  }

  std::shared_ptr<CatalogEntry> read_index(std::string name, Oid oid, const std::vector<ColumnDefinition>& columns) {
    if (!columns.empty()) in_.corrupt("index \"" + name + "\" has columns");
    std::string table = read_string(in_);
    IndexDefinition definition;
    definition.name = read_string(in_);
    definition.columns = read_positions(in_, SIZE_MAX);
    definition.unique = read_bool(in_);
    definition.primary_key = read_bool(in_);
    definition.constraint = read_bool(in_);
    std::vector<std::string> column_names = read_strings(in_);
    if (definition.columns.empty() || column_names.size() != definition.columns.size()) {
      in_.corrupt("index \"" + name + "\" has mismatched column lists");
    }
    auto index = std::make_shared<storage::HashIndex>(definition.name, definition.columns, std::move(column_names),
                                                      definition.unique);
    return std::make_shared<IndexEntry>(std::move(name), oid, std::move(table), std::move(definition),
                                        std::move(index));
  }

  std::shared_ptr<CatalogEntry> read_sequence(std::string name, Oid oid, const std::vector<ColumnDefinition>& columns) {
    if (!columns.empty()) in_.corrupt("sequence \"" + name + "\" has columns");
    SequenceOptions options = read_sequence_options(in_);
    std::string owner_table = read_string(in_);
    std::string owner_column = read_string(in_);
    const int64_t last_value = in_.get_i64();
    const bool is_called = read_bool(in_);
    auto sequence = std::make_shared<SequenceEntry>(std::move(name), oid, options, std::move(owner_table),
                                                    std::move(owner_column));
    sequence->counter_->last_value = last_value;
    sequence->counter_->is_called = is_called;
    return sequence;
  }

  std::shared_ptr<CatalogEntry> read_view(std::string name, Oid oid, std::vector<ColumnDefinition> columns) {
    std::string query_text = read_string(in_);
    std::vector<std::string> dependencies = read_strings(in_);
    return std::make_shared<ViewEntry>(std::move(name), oid, std::move(columns), std::move(query_text),
                                       std::move(dependencies));
  }

  BinaryReader& in_;
  const StorageResolver& storage_;
};

void write_schema(BinaryWriter& out, const SchemaEntry& schema) {
  out.put_u8(kFormatVersion);
  out.put_varint(schema.oid());
  out.put_string(schema.name());
  out.put_string(schema.owner());
  out.put_string(schema.comment());
}

std::shared_ptr<SchemaEntry> read_schema(BinaryReader& in) {
  read_format_version(in);
  const Oid oid = read_oid(in);
  std::string name = read_string(in);
  std::string owner = read_string(in);
  std::string comment = read_string(in);
  return std::make_shared<SchemaEntry>(std::move(name), oid, std::move(owner), std::move(comment));
}

void write_entry(BinaryWriter& out, const CatalogEntry& entry) {
  out.put_u8(kFormatVersion);
  out.put_u8(static_cast<uint8_t>(entry.kind()));
  out.put_varint(entry.oid());
  out.put_varint(entry.schema_oid());
  out.put_string(entry.name());
  out.put_string(entry.comment());
  out.put_varint(entry.columns().size());
  for (const auto& column : entry.columns()) write_column(out, column);
  switch (entry.kind()) {
    case EntryKind::kTable: {
      const auto& table = static_cast<const TableEntry&>(entry);
      out.put_varint(table.checks().size());
      for (const auto& check : table.checks()) {
        out.put_string(check.name);
        out.put_string(check.expression);
      }
      out.put_varint(table.foreign_keys().size());
      for (const auto& fk : table.foreign_keys()) write_foreign_key(out, fk);
      out.put_u64(table.storage().storage_id());
      break;
    }
    case EntryKind::kIndex: {
      const auto& index = static_cast<const IndexEntry&>(entry);
      const IndexDefinition& definition = index.definition();
      out.put_string(index.table_name());
      out.put_string(definition.name);
      write_positions(out, definition.columns);
      write_bool(out, definition.unique);
      write_bool(out, definition.primary_key);
      write_bool(out, definition.constraint);
      write_strings(out, index.index()->column_names());
      break;
    }
    case EntryKind::kSequence: {
      const auto& sequence = static_cast<const SequenceEntry&>(entry);
      write_sequence_options(out, sequence.options());
      out.put_string(sequence.owner_table());
      out.put_string(sequence.owner_column());
      const SequenceEntry::CounterState state = sequence.counter_state();
      out.put_i64(state.last_value);
      write_bool(out, state.is_called);
      break;
    }
    case EntryKind::kView: {
      const auto& view = static_cast<const ViewEntry&>(entry);
      out.put_string(view.query_text());
      write_strings(out, view.dependencies());
      break;
    }
  }
}

std::shared_ptr<CatalogEntry> read_entry(BinaryReader& in, const StorageResolver& storage) {
  return EntryReader(in, storage).read();
}

}  // namespace tessera::catalog
