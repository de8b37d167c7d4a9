#include "executor/operator/insert/physical_insert.h"

#include <atomic>
#include <mutex>
#include <optional>

#include "catalog/catalog.h"
#include "catalog/catalog_entry.h"
#include "executor/chunk_collection.h"
#include "executor/expression/expression_executor.h"
#include "executor/operator/insert/foreign_key_check.h"
#include "executor/key_serializer.h"
#include "storage/data_table.h"
#include "src/common/array_value.h"
#include "src/common/sql_error.h"

namespace tessera::executor {

namespace {

/// Row r of `chunk` as PostgreSQL's "Failing row contains (...)" DETAIL lists it.
std::string failing_row(const DataChunk& chunk, size_t r) {
  std::string row;
  for (size_t k = 0; k < chunk.column_count(); k++) {
    const Value value = chunk.column(k).get_value(r);
    row += (k ? ", " : "") + (value.is_null() ? std::string("null") : value.to_string());
  }
  return row;
}

struct InsertState : GlobalState {
  explicit InsertState(std::vector<LogicalType> types) : returned(std::move(types)) {}
  std::atomic<int64_t> count{0};
  std::mutex mutex;  // guards `returned` while workers combine
  ChunkCollection returned;  // RETURNING: the inserted rows
};

struct InsertLocalState : LocalState {
  explicit InsertLocalState(std::vector<LogicalType> types) : returned(std::move(types)) {}
  ChunkCollection returned;
};

struct InsertSourceState : GlobalState {
  explicit InsertSourceState(InsertState& sink) : sink(sink) {}
  InsertState& sink;
  size_t chunk = 0;
  bool emitted = false;
};

}  // namespace

namespace {

/// Byte length of the first `chars` characters of UTF-8 text, or nullopt when it has fewer.
std::optional<size_t> prefix_bytes(std::string_view s, size_t chars) {
  size_t seen = 0;
  for (size_t i = 0; i < s.size(); i++) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (seen == chars) return i;
    seen++;
  }
  return std::nullopt;
}

[[noreturn]] void throw_too_long(int32_t limit) {
  throw SqlError(SqlState::kStringDataRightTruncation,
                 "value too long for type character varying(" + std::to_string(limit) + ")");
}

/// varchar(n)[] columns: each element as a varchar(n) value is checked (22001 when too long; cut
/// when only spaces are beyond the limit).
void check_array_lengths(const catalog::ColumnDefinition& def, Vector& column, size_t count) {
  const size_t limit = static_cast<size_t>(def.type.modifier());
  const LogicalType element = def.type.element_type();
  for (size_t r = 0; r < count; r++) {
    const Value value = column.get_value(r);
    if (value.is_null()) continue;
    std::vector<Value> elements = array::elements(value);
    bool changed = false;
    for (Value& e : elements) {
      if (e.is_null()) continue;
      const std::string& s = e.get_string();
      auto cut = prefix_bytes(s, limit);
      if (!cut) continue;
      if (s.find_first_not_of(' ', *cut) != std::string::npos) throw_too_long(def.type.modifier());
      e = Value::varchar(s.substr(0, *cut), def.type.modifier());
      changed = true;
    }
    if (!changed) continue;
    column.flatten(count);
    column.make_writable();
    column.set_value(r, array::make(element, elements));
  }
}

}  // namespace

void check_table_constraints(const catalog::TableEntry& table, DataChunk& chunk) {
  const auto& columns = table.columns();
  for (size_t c = 0; c < columns.size(); c++) {
    const auto& def = columns[c];
    bool check_length = def.type.is_string() && def.type.modifier() >= 0;
    if (def.type.is_array() && def.type.element_type().id() == LogicalTypeId::kVarchar && def.type.modifier() >= 0) {
      check_array_lengths(def, chunk.column(c), chunk.size());
    }
    if (!def.not_null && !check_length) continue;
    bool flattened = false;
    UnifiedVectorFormat f;
    chunk.column(c).to_unified(chunk.size(), f);
    for (size_t r = 0; r < chunk.size(); r++) {
      sel_t i = f.sel.get_index(r);
      if (!f.validity->row_is_valid(i)) {
        if (def.not_null) {
          throw SqlError(SqlState::kNotNullViolation,
                         "null value in column \"" + def.name + "\" of relation \"" + table.name() + "\" violates not-null constraint")
              .with_detail("Failing row contains (" + failing_row(chunk, r) + ").");
        }
        continue;
      }
      if (!check_length) continue;
      const string_t s = f.values<string_t>()[i];
      auto limit = prefix_bytes(s.view(), static_cast<size_t>(def.type.modifier()));
      if (!limit) continue;
      // character(n) values arrive without trailing blanks, so anything beyond n is too long.
      if (def.type.id() == LogicalTypeId::kChar || s.view().find_first_not_of(' ', *limit) != std::string_view::npos) {
        throw SqlError(SqlState::kStringDataRightTruncation, "value too long for type " + def.type.name());
      }
      // Only spaces beyond the limit: store the value cut to the limit. The column may share its
      // buffers with the scan's storage or another operator, so it gets its own copy first.
      Vector& column = chunk.column(c);
      if (!flattened) {
        column.flatten(chunk.size());
        column.make_writable();
        column.to_unified(chunk.size(), f);
        flattened = true;
      }
      string_t* values = column.mutable_values<string_t>();
      values[r] = string_t(values[r].data(), static_cast<uint32_t>(*limit));
    }
  }
}

void check_check_constraints(QueryContext& query, const catalog::TableEntry& table,
                             const std::vector<planner::BoundExprPtr>& checks, const DataChunk& chunk) {
  if (checks.empty() || chunk.size() == 0) return;
  ExpressionExecutor executor(query);
  std::vector<Vector> results(checks.size());
  std::vector<UnifiedVectorFormat> formats(checks.size());
  for (size_t k = 0; k < checks.size(); k++) {
    executor.execute(*checks[k], chunk, results[k]);
    results[k].to_unified(chunk.size(), formats[k]);
  }
  for (size_t r = 0; r < chunk.size(); r++) {
    for (size_t k = 0; k < checks.size(); k++) {
      const sel_t i = formats[k].sel.get_index(r);
      if (!formats[k].validity->row_is_valid(i) || formats[k].values<uint8_t>()[i] != 0) continue;
      throw SqlError(SqlState::kCheckViolation, "new row for relation \"" + table.name() +
                                                    "\" violates check constraint \"" + table.checks()[k].name + "\"")
          .with_detail("Failing row contains (" + failing_row(chunk, r) + ").");
    }
  }
}

void append_checked(const catalog::TableEntry& table, storage::Transaction& txn, const DataChunk& chunk,
                    const int64_t* replaced) {
  storage::DataTable& storage = table.storage();
  const auto indexes = storage.indexes();
  if (indexes.empty()) {
    storage.append(txn, chunk);
    return;
  }
  // One serializer per index: the keys point into its buffers until the append returns.
  std::vector<KeySerializer> serializers(indexes.size());
  std::vector<std::vector<storage::IndexKey>> keys(indexes.size());
  for (size_t i = 0; i < indexes.size(); i++) {
    std::vector<const Vector*> columns;
    for (size_t c : indexes[i]->columns()) columns.push_back(&chunk.column(c));
    KeySerializer& serializer = serializers[i];
    serializer.serialize(columns, chunk.size());
    keys[i].resize(chunk.size());
    for (size_t r = 0; r < chunk.size(); r++) {
      keys[i][r].bytes = std::string_view(reinterpret_cast<const char*>(serializer.key(r)), serializer.length(r));
      keys[i][r].has_null = serializer.has_null(r);
    }
  }
  storage.append_indexed(txn, chunk, indexes, keys, replaced);
}

PhysicalInsert::PhysicalInsert(std::shared_ptr<catalog::TableEntry> table, std::unique_ptr<PhysicalOperator> child,
                               bool returning, std::vector<planner::BoundExprPtr> checks,
                               std::vector<std::shared_ptr<catalog::TableEntry>> referenced)
    : PhysicalOperator("INSERT", returning ? child->output_types() : std::vector<LogicalType>{LogicalType::bigint()}),
      table_(std::move(table)),
      returning_(returning),
      checks_(std::move(checks)),
      referenced_(std::move(referenced)) {
  add_child(std::move(child));
}

std::unique_ptr<GlobalState> PhysicalInsert::make_global_sink(QueryContext& query) const {
  // Hold the table against a concurrent DROP until the transaction ends: waits for a
  // transaction dropping it, then fails with 42P01 if that drop committed.
  query.catalog->lock_relation(*query.transaction, *table_, storage::LockMode::kShared);
  lock_foreign_key_tables(query, referenced_, {});
  return std::make_unique<InsertState>(children_[0]->output_types());
}

std::unique_ptr<LocalState> PhysicalInsert::make_local_sink(WorkerContext&, GlobalState&) const {
  return std::make_unique<InsertLocalState>(children_[0]->output_types());
}

SinkResult PhysicalInsert::sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const {
  check_table_constraints(*table_, in);
  check_check_constraints(worker.query, *table_, checks_, in);
  append_checked(*table_, *worker.query.transaction, in);
  check_foreign_keys(worker.query, *table_, referenced_, in);
  static_cast<InsertState&>(global).count += static_cast<int64_t>(in.size());
  if (returning_) {
    // The client counts the rows RETURNING sends.
    if (in.size() > 0) static_cast<InsertLocalState&>(local).returned.append(in);
  } else {
    worker.query.processed_rows += in.size();
  }
  return SinkResult::kNeedMoreInput;
}

void PhysicalInsert::combine(WorkerContext&, GlobalState& global, LocalState& local) const {
  auto& state = static_cast<InsertState&>(global);
  std::lock_guard<std::mutex> lock(state.mutex);
  state.returned.absorb(static_cast<InsertLocalState&>(local).returned);
}

std::unique_ptr<GlobalState> PhysicalInsert::make_global_source(QueryContext& query) const {
  return std::make_unique<InsertSourceState>(static_cast<InsertState&>(query.states->sink_state(*this)));
}

SourceResult PhysicalInsert::get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const {
  auto& source = static_cast<InsertSourceState&>(global);
  if (returning_) {
    const auto& chunks = source.sink.returned.chunks();
    if (source.chunk >= chunks.size()) return SourceResult::kFinished;
    out.reference(chunks[source.chunk++]);
    return SourceResult::kHaveMoreOutput;
  }
  if (!source.emitted) {
    out.set_value(0, 0, Value::bigint(source.sink.count.load()));
    out.set_size(1);
    source.emitted = true;
  }
  return SourceResult::kFinished;
}

std::string PhysicalInsert::explain_details() const { return table_->name(); }

}  // namespace tessera::executor
