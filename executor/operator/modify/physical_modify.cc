#include "executor/operator/modify/physical_modify.h"

#include <atomic>
#include <mutex>

#include "catalog/catalog.h"
#include "catalog/catalog_entry.h"
#include "executor/chunk_collection.h"
#include "executor/operator/insert/physical_insert.h"
#include "executor/operator/insert/foreign_key_check.h"
#include "src/common/assert.h"
#include "storage/data_table.h"

namespace tessera::executor {

namespace {

struct ModifyGlobalState : GlobalState {
  explicit ModifyGlobalState(const std::vector<LogicalType>& input_types) : input(input_types), deferred(input_types) {}
  std::mutex mutex;  // guards `input` while workers combine and `deferred` while parts run
  ChunkCollection input;
  /// Rows another running transaction had deleted when a part met them: finalize waits for
  /// them one at a time.
  ChunkCollection deferred;
  /// Per finalize part (one per input chunk), then for finalize: the rows RETURNING emits.
  std::vector<std::vector<DataChunk>> returned;
  std::atomic<int64_t> count{0};
  /// The FOREIGN KEY actions on the rows changed.
  std::unique_ptr<ReferentialActions> actions;
  /// Per finalize part, then for finalize: copies of the rows changed, which the actions
  /// take once every row of the statement is changed (as PostgreSQL's triggers fire at its end).
  std::vector<std::unique_ptr<ChunkCollection>> changed;
};

/// Row ids of a chunk's first column as a flat array (at most kVectorSize).
void flat_row_ids(const DataChunk& in, int64_t* out) {
  UnifiedVectorFormat ids;
  in.column(0).to_unified(in.size(), ids);
  for (size_t r = 0; r < in.size(); r++) out[r] = ids.values<int64_t>()[ids.sel.get_index(r)];
}

struct ModifyLocalState : LocalState {
  explicit ModifyLocalState(std::vector<LogicalType> types) : input(std::move(types)) {}
  ChunkCollection input;
};

struct ModifySourceState : GlobalState {
  explicit ModifySourceState(ModifyGlobalState& sink) : sink(sink) {}
  ModifyGlobalState& sink;
  size_t part = 0;
  size_t chunk = 0;
  bool emitted_count = false;
};

}  // namespace

PhysicalModify::PhysicalModify(ModifyKind kind, std::shared_ptr<catalog::TableEntry> table, bool returning,
                               std::vector<LogicalType> types, std::unique_ptr<PhysicalOperator> child,
                               std::vector<planner::BoundExprPtr> checks,
                               std::vector<std::shared_ptr<catalog::TableEntry>> referenced,
                               std::vector<planner::ReferencingForeignKey> referencing,
                               std::shared_ptr<const std::vector<CascadeTable>> cascades)
    : PhysicalOperator(kind == ModifyKind::kDelete ? "DELETE" : "UPDATE", std::move(types)),
      kind_(kind),
      table_(std::move(table)),
      returning_(returning),
      checks_(std::move(checks)),
      referenced_(std::move(referenced)),
      referencing_(std::move(referencing)),
      cascades_(std::move(cascades)) {
  add_child(std::move(child));
}

std::unique_ptr<GlobalState> PhysicalModify::make_global_sink(QueryContext& query) const {
  // As INSERT: hold the table against a concurrent DROP (or TRUNCATE) until the transaction ends.
  query.catalog->lock_relation(*query.transaction, *table_, storage::LockMode::kShared);
  lock_foreign_key_tables(query, referenced_, referencing_);
  auto state = std::make_unique<ModifyGlobalState>(children_[0]->output_types());
  state->actions = std::make_unique<ReferentialActions>(cascades_);
  state->actions->lock_tables(query);
  return state;
}

std::unique_ptr<LocalState> PhysicalModify::make_local_sink(WorkerContext&, GlobalState&) const {
  return std::make_unique<ModifyLocalState>(children_[0]->output_types());
}

SinkResult PhysicalModify::sink(WorkerContext&, DataChunk& in, GlobalState&, LocalState& local) const {
  if (in.size() > 0) static_cast<ModifyLocalState&>(local).input.append(in);
  return SinkResult::kNeedMoreInput;
}

void PhysicalModify::combine(WorkerContext&, GlobalState& global, LocalState& local) const {
  auto& state = static_cast<ModifyGlobalState&>(global);
  std::lock_guard<std::mutex> lock(state.mutex);
  state.input.absorb(static_cast<ModifyLocalState&>(local).input);
}

size_t PhysicalModify::prepare_finalize(QueryContext&, GlobalState& global) const {
  auto& state = static_cast<ModifyGlobalState&>(global);
  const size_t parts = state.input.chunks().size();
  state.returned.resize(parts + 1);
  state.changed.resize(parts + 1);
  return parts;
}

void PhysicalModify::finalize_part(QueryContext& query, GlobalState& global, size_t part) const {
  query.check_cancelled();
  auto& state = static_cast<ModifyGlobalState&>(global);
  const DataChunk& in = state.input.chunks()[part];
  int64_t row_ids[kVectorSize];
  flat_row_ids(in, row_ids);
  SelectionVector deleted(kVectorSize);
  SelectionVector blocked(kVectorSize);
  size_t blocked_count = 0;
  const size_t count = table_->storage().delete_rows_without_waiting(*query.transaction, row_ids, in.size(), deleted.data(),
                                                                     blocked.data(), blocked_count);
  if (blocked_count > 0) {
    std::lock_guard<std::mutex> lock(state.mutex);
    state.deferred.append(in, blocked, blocked_count);
  }
  apply(query, global, in, deleted, count, part);
}

void PhysicalModify::finalize(QueryContext& query, GlobalState& global) const {
  auto& state = static_cast<ModifyGlobalState&>(global);
  if (state.returned.empty()) state.returned.resize(1);
  if (state.changed.empty()) state.changed.resize(1);
  // The rows other transactions held: wait for each of them here, on one thread.
  for (const DataChunk& in : state.deferred.chunks()) {
    query.check_cancelled();
    int64_t row_ids[kVectorSize];
    flat_row_ids(in, row_ids);
    SelectionVector deleted(kVectorSize);
    const size_t count = table_->storage().delete_rows(*query.transaction, row_ids, in.size(), deleted.data());
    apply(query, global, in, deleted, count, state.returned.size() - 1);
  }
  for (const auto& part : state.changed) {
    if (!part) continue;
    for (const DataChunk& chunk : part->chunks()) {
      query.check_cancelled();
      state.actions->on_change(query, *table_, referencing_, chunk, kind_ == ModifyKind::kUpdate);
    }
  }
  state.actions->finish(query);
}

void PhysicalModify::apply(QueryContext& query, GlobalState& global, const DataChunk& in, const SelectionVector& deleted,
                           size_t count, size_t slot) const {
  auto& state = static_cast<ModifyGlobalState&>(global);
  state.count += static_cast<int64_t>(count);
  if (!returning_) query.processed_rows += count;
  if (count == 0) return;

  int64_t replaced[kVectorSize];  // the row ids of the modified rows
  {
    int64_t row_ids[kVectorSize];
    flat_row_ids(in, row_ids);
    for (size_t k = 0; k < count; k++) replaced[k] = row_ids[deleted.get_index(k)];
  }
  DataChunk changed;  // the modified rows, the row id dropped
  std::vector<LogicalType> types = children_[0]->output_types();
  types.erase(types.begin());
  changed.initialize_empty(types);
  {
    DataChunk selected;
    selected.initialize_empty(children_[0]->output_types());
    selected.slice(in, deleted, count);
    for (size_t c = 0; c < types.size(); c++) changed.column(c).reference(selected.column(c + 1));
    changed.set_size(count);
  }
  if (kind_ == ModifyKind::kUpdate) {
    const size_t column_count = table_->columns().size();
    DataChunk new_rows;
    new_rows.initialize_empty(table_->storage().types());
    for (size_t c = 0; c < column_count; c++) new_rows.column(c).reference(changed.column(c));
    new_rows.set_size(count);
    check_table_constraints(*table_, new_rows);
    check_check_constraints(query, *table_, checks_, new_rows);
    append_checked(*table_, *query.transaction, new_rows, replaced);
    check_foreign_keys(query, *table_, referenced_, new_rows);
    // RETURNING shows the values stored (a varchar(n) value cut to its limit).
    for (size_t c = 0; c < column_count; c++) changed.column(c).reference(new_rows.column(c));
  }
  if (!referencing_.empty()) {
    auto& kept = state.changed[slot];
    if (!kept) kept = std::make_unique<ChunkCollection>(changed.types());
    kept->append(changed);
  }
  if (returning_) state.returned[slot].push_back(std::move(changed));
}

std::unique_ptr<GlobalState> PhysicalModify::make_global_source(QueryContext& query) const {
  return std::make_unique<ModifySourceState>(static_cast<ModifyGlobalState&>(query.states->sink_state(*this)));
}

SourceResult PhysicalModify::get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const {
  auto& source = static_cast<ModifySourceState&>(global);
  if (!returning_) {
    if (!source.emitted_count) {
      out.set_value(0, 0, Value::bigint(source.sink.count.load()));
      out.set_size(1);
      source.emitted_count = true;
    }
    return SourceResult::kFinished;
  }
  auto& parts = source.sink.returned;
  while (source.part < parts.size() && source.chunk >= parts[source.part].size()) {
    source.part++;
    source.chunk = 0;
  }
  if (source.part >= parts.size()) return SourceResult::kFinished;
  out.reference(parts[source.part][source.chunk++]);
  return SourceResult::kHaveMoreOutput;
}

std::string PhysicalModify::explain_details() const { return table_->name(); }

}  // namespace tessera::executor
