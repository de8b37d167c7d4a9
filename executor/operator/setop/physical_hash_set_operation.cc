#include "executor/operator/setop/physical_hash_set_operation.h"

#include <algorithm>
#include <atomic>
#include <mutex>

#include "executor/key_serializer.h"
#include "executor/operator/aggregate/group_hash_table.h"
#include "executor/operator/aggregate/group_representatives.h"
#include "executor/operator/result_chunks_source.h"
#include "src/common/assert.h"

namespace tessera::executor {

namespace {

/// Distinct rows with their counts per input.
struct CountedRows {
  CountedRows(PhysicalType integer_key, std::span<const LogicalType> types)
      : groups(integer_key == PhysicalType::kInvalid ? GroupHashTable() : GroupHashTable(integer_key)),
        representatives(types) {}
  GroupHashTable groups;
  /// The first value met of each numeric / interval column.
  GroupRepresentatives representatives;
  std::vector<uint64_t> left;
  std::vector<uint64_t> right;

  void resize() {
    left.resize(groups.size(), 0);
    right.resize(groups.size(), 0);
  }
};

/// The physical type of a single integer-like row column (the hash table's integer mode, probed
/// straight from the vector), else kInvalid.
PhysicalType integer_key_of(const std::vector<LogicalType>& types) {
  if (types.size() != 1 || !GroupHashTable::supports_integer_key(types[0].physical_type())) return PhysicalType::kInvalid;
  return types[0].physical_type();
}

struct SetOpGlobalState : GlobalState {
  SetOpGlobalState(PhysicalType integer_key, std::span<const LogicalType> types) : rows(integer_key, types) {}
  std::mutex mutex;
  CountedRows rows;
  /// Built by finalize.
  std::vector<DataChunk> results;
};

struct SetOpLocalState : LocalState {
  SetOpLocalState(PhysicalType integer_key, std::span<const LogicalType> types) : rows(integer_key, types) {}
  CountedRows rows;
  KeySerializer keys;
  std::vector<uint32_t> group_ids;
};

const char* type_name(SetOperationType type) {
  switch (type) {
    case SetOperationType::kUnion: return "UNION";
    case SetOperationType::kIntersect: return "INTERSECT";
    case SetOperationType::kIntersectAll: return "INTERSECT ALL";
    case SetOperationType::kExcept: return "EXCEPT";
    case SetOperationType::kExceptAll: return "EXCEPT ALL";
  }
  return "";
}

}  // namespace

PhysicalHashSetOperation::PhysicalHashSetOperation(SetOperationType type, std::vector<LogicalType> types,
                                                   std::unique_ptr<PhysicalOperator> child)
    : PhysicalOperator("HASH_SET_OP", std::move(types)), type_(type), tagged_(type != SetOperationType::kUnion) {
  TS_CHECK(child->output_types().size() == types_.size() + (tagged_ ? 1 : 0), "set operation input has the wrong width");
  add_child(std::move(child));
}

uint64_t PhysicalHashSetOperation::output_count(SetOperationType type, uint64_t left, uint64_t right) {
  switch (type) {
    case SetOperationType::kUnion: return left + right > 0 ? 1 : 0;
    case SetOperationType::kIntersect: return left > 0 && right > 0 ? 1 : 0;
    case SetOperationType::kIntersectAll: return std::min(left, right);
    case SetOperationType::kExcept: return left > 0 && right == 0 ? 1 : 0;
    case SetOperationType::kExceptAll: return left > right ? left - right : 0;
  }
  return 0;
}

std::unique_ptr<GlobalState> PhysicalHashSetOperation::make_global_sink(QueryContext&) const {
  return std::make_unique<SetOpGlobalState>(integer_key_of(types_), types_);
}

std::unique_ptr<LocalState> PhysicalHashSetOperation::make_local_sink(WorkerContext&, GlobalState&) const {
  return std::make_unique<SetOpLocalState>(integer_key_of(types_), types_);
}

SinkResult PhysicalHashSetOperation::sink(WorkerContext&, DataChunk& in, GlobalState&, LocalState& local_state) const {
  auto& local = static_cast<SetOpLocalState&>(local_state);
  const size_t n = in.size();
  if (n == 0) return SinkResult::kNeedMoreInput;
  local.group_ids.resize(n);
  if (local.rows.groups.integer_key_type() != PhysicalType::kInvalid) {
    local.rows.groups.find_or_create(in.column(0), n, local.group_ids.data());
  } else {
    std::vector<const Vector*> columns;
    for (size_t c = 0; c < types_.size(); c++) columns.push_back(&in.column(c));
    local.keys.serialize(columns, n);
    const auto first_new = static_cast<uint32_t>(local.rows.groups.size());
    local.rows.groups.find_or_create(local.keys, local.group_ids.data());
    local.rows.representatives.record_new(columns, n, local.group_ids.data(), first_new, local.rows.groups.size());
  }
  local.rows.resize();
  if (!tagged_) {
    for (size_t i = 0; i < n; i++) local.rows.left[local.group_ids[i]]++;
    return SinkResult::kNeedMoreInput;
  }
  UnifiedVectorFormat tag;
  in.column(types_.size()).to_unified(n, tag);
  const int32_t* tags = tag.values<int32_t>();
  for (size_t i = 0; i < n; i++) {
    const uint32_t g = local.group_ids[i];
    if (tags[tag.sel.get_index(i)] == 0) {
      local.rows.left[g]++;
    } else {
      local.rows.right[g]++;
    }
  }
  return SinkResult::kNeedMoreInput;
}

void PhysicalHashSetOperation::combine(WorkerContext&, GlobalState& global_state, LocalState& local_state) const {
  auto& global = static_cast<SetOpGlobalState&>(global_state);
  auto& local = static_cast<SetOpLocalState&>(local_state);
  CountedRows& from = local.rows;
  std::lock_guard lock(global.mutex);
  CountedRows& into = global.rows;
  for (uint32_t g = 0; g < from.groups.size(); g++) {
    bool inserted = false;
    const uint32_t target = into.groups.find_or_create(from.groups.hash(g), from.groups.key(g), from.groups.key_length(g), &inserted);
    if (inserted) into.representatives.copy(from.representatives, g, target);
    into.resize();
    into.left[target] += from.left[g];
    into.right[target] += from.right[g];
  }
}

void PhysicalHashSetOperation::finalize(QueryContext& query, GlobalState& global_state) const {
  auto& global = static_cast<SetOpGlobalState&>(global_state);
  CountedRows& rows = global.rows;
  rows.resize();
  std::vector<uint32_t> batch;  // the group of each output row of the chunk being built
  batch.reserve(kVectorSize);
  auto flush = [&] {
    if (batch.empty()) return;
    const size_t n = batch.size();
    DataChunk out;
    out.initialize(types_, n);
    std::vector<const uint8_t*> cursors(n);
    for (size_t i = 0; i < n; i++) cursors[i] = rows.groups.key(batch[i]);
    for (size_t c = 0; c < types_.size(); c++) {
      Vector& column = out.column(c);
      for (size_t i = 0; i < n; i++) KeySerializer::deserialize(cursors[i], column, i);
      if (column.type().physical_type() == PhysicalType::kString) column.add_heap_reference(rows.groups.heap());
    }
    rows.representatives.restore(std::span<Vector>(out.columns().data(), types_.size()), batch.data(), n);
    out.set_size(n);
    global.results.push_back(std::move(out));
    batch.clear();
  };
  for (uint32_t g = 0; g < rows.groups.size(); g++) {
    uint64_t count = output_count(type_, rows.left[g], rows.right[g]);
    while (count > 0) {
      const size_t take = static_cast<size_t>(std::min<uint64_t>(count, kVectorSize - batch.size()));
      batch.insert(batch.end(), take, g);
      count -= take;
      if (batch.size() == kVectorSize) {
        flush();
        query.check_cancelled();
      }
    }
  }
  flush();
}

std::unique_ptr<GlobalState> PhysicalHashSetOperation::make_global_source(QueryContext& query) const {
  return std::make_unique<ResultChunksSource>(static_cast<SetOpGlobalState&>(query.states->sink_state(*this)).results);
}

SourceResult PhysicalHashSetOperation::get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const {
  return static_cast<ResultChunksSource&>(global).next_chunk(out);
}

std::string PhysicalHashSetOperation::explain_details() const { return type_name(type_); }

}  // namespace tessera::executor
