#include "executor/operator/insert/physical_insert.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <unordered_set>

#include "catalog/catalog.h"
#include "catalog/catalog_entry.h"
#include "executor/chunk_collection.h"
#include "executor/expression/expression_executor.h"
#include "executor/operator/insert/foreign_key_check.h"
#include "executor/key_serializer.h"
#include "executor/operator/copy/copy_reader.h"
#include "storage/data_table.h"
#include "storage/hash_index.h"
#include "src/common/array_value.h"
#include "src/common/assert.h"
#include "src/common/sql_error.h"

namespace tessera::executor {

namespace {

/// Row r of `in` as a chunk of its own.
DataChunk single_row(const DataChunk& in, size_t r) {
  DataChunk row;
  row.initialize_empty(in.types());
  SelectionVector sel(1);
  sel.set_index(0, static_cast<sel_t>(r));
  row.slice(in, sel, 1);
  return row;
}

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
  /// ON CONFLICT: held while a chunk is processed (the statement's rows are taken in turn).
  std::mutex conflict_mutex;
  /// Per arbiter index: the keys of the rows the statement inserted or updated.
  std::vector<std::unordered_set<std::string>> touched;
  /// The rows the statement's DO UPDATE replaced.
  std::unordered_set<int64_t> updated_rows;
  /// DO UPDATE: the FOREIGN KEY actions on the rows replaced.
  std::unique_ptr<ReferentialActions> actions;
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
                               std::vector<std::shared_ptr<catalog::TableEntry>> referenced,
                               std::unique_ptr<OnConflict> on_conflict)
    : PhysicalOperator("INSERT", returning ? child->output_types() : std::vector<LogicalType>{LogicalType::bigint()}),
      table_(std::move(table)),
      returning_(returning),
      checks_(std::move(checks)),
      referenced_(std::move(referenced)),
      on_conflict_(std::move(on_conflict)) {
  add_child(std::move(child));
}

std::unique_ptr<GlobalState> PhysicalInsert::make_global_sink(QueryContext& query) const {
  // Hold the table against a concurrent DROP until the transaction ends: waits for a
  // transaction dropping it, then fails with 42P01 if that drop committed.
  query.catalog->lock_relation(*query.transaction, *table_, storage::LockMode::kShared);
  auto state = std::make_unique<InsertState>(children_[0]->output_types());
  if (on_conflict_) {
    lock_foreign_key_tables(query, referenced_, on_conflict_->referencing);
    state->actions = std::make_unique<ReferentialActions>(on_conflict_->cascades);
    state->actions->lock_tables(query);
  } else {
    lock_foreign_key_tables(query, referenced_, {});
  }
  return state;
}

std::unique_ptr<LocalState> PhysicalInsert::make_local_sink(WorkerContext&, GlobalState&) const {
  return std::make_unique<InsertLocalState>(children_[0]->output_types());
}

namespace {

/// After `step` failed for the chunk `in` of a COPY: runs it on the rows one at a time, in
/// order, and raises the first row's error with `context(r)` as its CONTEXT line.
template <typename Step, typename Context>
void rethrow_for_row(const DataChunk& in, Step step, Context context) {
  for (size_t r = 0; r < in.size(); r++) {
    DataChunk row = single_row(in, r);
    try {
      step(row);
    } catch (SqlError& error) {
      const std::string line = context(r);
      if (!line.empty()) error.with_context(line);
      throw;
    }
  }
}

}  // namespace

void PhysicalInsert::check_constraints(QueryContext& query, DataChunk& in) const {
  auto check = [&](DataChunk& rows) {
    check_table_constraints(*table_, rows);
    check_check_constraints(query, *table_, checks_, rows);
  };
  try {
    check(in);
  } catch (SqlError&) {
    if (!copy_rows_) throw;
    // The first failing row (PostgreSQL checks a row's constraints before the next row's),
    // with its COPY line.
    rethrow_for_row(in, check, [&](size_t r) { return copy_rows_->context(r); });
    throw;
  }
}

SinkResult PhysicalInsert::sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const {
  check_constraints(worker.query, in);
  if (on_conflict_) {
    sink_on_conflict(worker.query, global, local, in);
    return SinkResult::kNeedMoreInput;
  }
  auto append = [&](DataChunk& rows) { append_checked(*table_, *worker.query.transaction, rows); };
  try {
    append(in);
  } catch (SqlError& error) {
    if (!copy_rows_ || error.state() != SqlState::kUniqueViolation) throw;
    // COPY: the row with the duplicate key, with its line (the statement fails, so the rows
    // appended before it are never seen).
    rethrow_for_row(in, append, [&](size_t r) { return copy_rows_->line_context(r); });
    throw;
  }
  check_foreign_keys(worker.query, *table_, referenced_, in);
  emit(worker.query, global, local, in);
  return SinkResult::kNeedMoreInput;
}

void PhysicalInsert::emit(QueryContext& query, GlobalState& global, LocalState& local, const DataChunk& rows) const {
  static_cast<InsertState&>(global).count += static_cast<int64_t>(rows.size());
  if (returning_) {
    // The client counts the rows RETURNING sends.
    if (rows.size() > 0) static_cast<InsertLocalState&>(local).returned.append(rows);
  } else {
    query.processed_rows += rows.size();
  }
}

namespace {

std::string_view key_bytes(const KeySerializer& serializer, size_t r) {
  return std::string_view(reinterpret_cast<const char*>(serializer.key(r)), serializer.length(r));
}

void serialize_columns(KeySerializer& serializer, const DataChunk& chunk, const std::vector<size_t>& columns) {
  std::vector<const Vector*> vectors;
  for (size_t c : columns) vectors.push_back(&chunk.column(c));
  serializer.serialize(vectors, chunk.size());
}

}  // namespace

void PhysicalInsert::sink_on_conflict(QueryContext& query, GlobalState& global, LocalState& local, DataChunk& in) const {
  auto& state = static_cast<InsertState&>(global);
  std::lock_guard<std::mutex> lock(state.conflict_mutex);
  storage::DataTable& storage = table_->storage();
  storage::Transaction& txn = *query.transaction;
  std::vector<std::shared_ptr<storage::HashIndex>> arbiters;
  for (const auto& index : storage.indexes()) {
    if (!index->unique()) continue;
    const auto& names = on_conflict_->arbiters;
    if (names.empty() || std::find(names.begin(), names.end(), index->name()) != names.end()) arbiters.push_back(index);
  }
  state.touched.resize(arbiters.size());
  const size_t count = in.size();
  std::vector<KeySerializer> serializers(arbiters.size());
  std::vector<std::vector<storage::IndexKey>> keys(arbiters.size());
  for (size_t a = 0; a < arbiters.size(); a++) {
    serialize_columns(serializers[a], in, arbiters[a]->columns());
    keys[a].resize(count);
    for (size_t r = 0; r < count; r++) {
      keys[a][r].bytes = key_bytes(serializers[a], r);
      keys[a][r].has_null = serializers[a].has_null(r);
    }
  }
  // Rounds: each looks the remaining rows up and takes them in order until a row meets an
  // existing row an earlier row of the round is about to update; that row starts the next round.
  size_t start = 0;
  while (start < count) {
    query.check_cancelled();
    std::vector<std::vector<int64_t>> holders(arbiters.size());
    for (size_t a = 0; a < arbiters.size(); a++) {
      std::vector<storage::IndexKey> remaining(keys[a].begin() + static_cast<std::ptrdiff_t>(start), keys[a].end());
      holders[a] = storage.find_key_rows(txn, *arbiters[a], remaining);
    }
    SelectionVector insert(kVectorSize);
    size_t insert_count = 0;
    SelectionVector proposed(kVectorSize);
    int64_t targets[kVectorSize];
    size_t update_count = 0;
    std::unordered_set<int64_t> pending;
    size_t r = start;
    for (; r < count; r++) {
      bool own = false;
      int64_t existing = -1;
      for (size_t a = 0; a < arbiters.size() && !own && existing < 0; a++) {
        if (keys[a][r].has_null) continue;
        if (state.touched[a].count(std::string(keys[a][r].bytes))) {
          own = true;
          break;
        }
        const int64_t holder = holders[a][r - start];
        if (holder >= 0 && !state.updated_rows.count(holder)) existing = holder;
      }
      if (own) {
        if (on_conflict_->do_update) {
          throw SqlError(SqlState::kCardinalityViolation, "ON CONFLICT DO UPDATE command cannot affect row a second time")
              .with_hint("Ensure that no rows proposed for insertion within the same command have duplicate constrained values.");
        }
        continue;
      }
      if (existing >= 0) {
        // Snapshot isolation: a conflicting row committed after the snapshot is a concurrent
        // change it cannot see (PostgreSQL's REPEATABLE READ raises the same). READ COMMITTED
        // takes the row as it is now: skips it or updates its newest version.
        if (txn.isolation() != storage::IsolationLevel::kReadCommitted && !storage.row_in_snapshot(txn, existing)) {
          throw SqlError(SqlState::kSerializationFailure, "could not serialize access due to concurrent update");
        }
        if (!on_conflict_->do_update) continue;
        if (!pending.insert(existing).second) break;
        proposed.set_index(update_count, static_cast<sel_t>(r));
        targets[update_count++] = existing;
        continue;
      }
      insert.set_index(insert_count++, static_cast<sel_t>(r));
      for (size_t a = 0; a < arbiters.size(); a++) {
        if (!keys[a][r].has_null) state.touched[a].emplace(keys[a][r].bytes);
      }
    }
    apply_on_conflict(query, global, local, in, insert, insert_count, targets, proposed, update_count, arbiters);
    start = r;
  }
}

void PhysicalInsert::apply_on_conflict(QueryContext& query, GlobalState& global, LocalState& local, const DataChunk& in,
                                       const SelectionVector& insert, size_t insert_count, const int64_t* targets,
                                       const SelectionVector& proposed, size_t update_count,
                                       const std::vector<std::shared_ptr<storage::HashIndex>>& arbiters) const {
  auto& state = static_cast<InsertState&>(global);
  storage::Transaction& txn = *query.transaction;
  if (insert_count > 0) {
    DataChunk rows;
    rows.initialize_empty(in.types());
    rows.slice(in, insert, insert_count);
    append_checked(*table_, txn, rows);
    check_foreign_keys(query, *table_, referenced_, rows);
    emit(query, global, local, rows);
  }
  if (update_count == 0) return;
  const size_t column_count = table_->columns().size();
  // The existing rows, then the proposed ones (EXCLUDED): what SET and WHERE read.
  std::vector<LogicalType> types = table_->storage().types();
  for (size_t c = 0; c < column_count; c++) types.push_back(in.column(c).type());
  DataChunk both;
  both.initialize(types);
  {
    DataChunk existing;
    existing.initialize(table_->storage().types());
    table_->storage().fetch_rows(targets, update_count, existing);
    DataChunk excluded;
    excluded.initialize_empty(in.types());
    excluded.slice(in, proposed, update_count);
    for (size_t c = 0; c < column_count; c++) {
      both.column(c).reference(existing.column(c));
      both.column(column_count + c).reference(excluded.column(c));
    }
    both.set_size(update_count);
  }
  ExpressionExecutor executor(query);
  // WHERE: only the rows it holds for are updated.
  SelectionVector chosen(kVectorSize);
  size_t chosen_count = 0;
  if (on_conflict_->where) {
    Vector result;
    executor.execute(*on_conflict_->where, both, result);
    UnifiedVectorFormat f;
    result.to_unified(update_count, f);
    for (size_t i = 0; i < update_count; i++) {
      const sel_t k = f.sel.get_index(i);
      if (f.validity->row_is_valid(k) && f.values<uint8_t>()[k] != 0) chosen.set_index(chosen_count++, static_cast<sel_t>(i));
    }
  } else {
    for (size_t i = 0; i < update_count; i++) chosen.set_index(chosen_count++, static_cast<sel_t>(i));
  }
  if (chosen_count == 0) return;
  if (chosen_count < update_count) both.slice(chosen, chosen_count);
  int64_t replaced[kVectorSize];
  for (size_t i = 0; i < chosen_count; i++) replaced[i] = targets[chosen.get_index(i)];

  DataChunk new_rows;
  new_rows.initialize_empty(in.types());
  for (size_t c = 0; c < column_count; c++) executor.execute(*on_conflict_->set[c], both, new_rows.column(c));
  new_rows.set_size(chosen_count);
  // The update: a delete of the existing row and an insert of its new version.
  uint32_t deleted[kVectorSize];
  const size_t deleted_count = table_->storage().delete_rows(txn, replaced, chosen_count, deleted);
  TS_CHECK(deleted_count == chosen_count, "ON CONFLICT DO UPDATE lost a row it locked");
  for (size_t i = 0; i < chosen_count; i++) state.updated_rows.insert(replaced[i]);
  check_table_constraints(*table_, new_rows);
  check_check_constraints(query, *table_, checks_, new_rows);
  append_checked(*table_, txn, new_rows, replaced);
  check_foreign_keys(query, *table_, referenced_, new_rows);
  {
    // The FOREIGN KEYs referencing the table see the new row first, then the old one.
    DataChunk changed;
    std::vector<LogicalType> changed_types = in.types();
    for (size_t c = 0; c < column_count; c++) changed_types.push_back(both.column(c).type());
    changed.initialize_empty(changed_types);
    for (size_t c = 0; c < column_count; c++) {
      changed.column(c).reference(new_rows.column(c));
      changed.column(column_count + c).reference(both.column(c));
    }
    changed.set_size(chosen_count);
    std::vector<planner::ReferencingForeignKey> referencing = on_conflict_->referencing;
    for (auto& ref : referencing) {
      for (size_t& k : ref.old_key) k += column_count;
    }
    state.actions->on_change(query, *table_, referencing, changed, true);
  }
  for (size_t a = 0; a < arbiters.size(); a++) {
    KeySerializer serializer;
    serialize_columns(serializer, new_rows, arbiters[a]->columns());
    for (size_t r = 0; r < chosen_count; r++) {
      if (!serializer.has_null(r)) state.touched[a].emplace(key_bytes(serializer, r));
    }
  }
  emit(query, global, local, new_rows);
}

void PhysicalInsert::finalize(QueryContext& query, GlobalState& global) const {
  auto& state = static_cast<InsertState&>(global);
  if (state.actions) state.actions->finish(query);
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
