#include "executor/operator/join/physical_hash_join.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <bit>
#include <cstring>
#include <string>
#include <string_view>

#include "executor/expression/expression_executor.h"
#include "executor/key_serializer.h"
#include "executor/operator/join/join_batch.h"
#include "executor/operator/projection/expression_state.h"
#include "executor/chunk_collection.h"
#include "executor/pipeline.h"
#include "src/common/assert.h"
#include "src/common/memory_tracker.h"

namespace tessera::executor {

namespace {

/// The hash table is split into kPartitions partitions by the top bits of the hash, each with
/// its own range of buckets, so the partitions' chains are linked in parallel.
constexpr size_t kPartitionBits = 4;
constexpr size_t kPartitions = size_t{1} << kPartitionBits;

inline size_t partition_of(hash_t hash) { return static_cast<size_t>(hash >> (64 - kPartitionBits)); }

/// The correlation groups of a null-aware mark join correlated by equalities: the serialized
/// correlation keys (all keys but the last) of its build rows, each with flags (kGroupHasRows
/// and, when some row of the group has a NULL last key, kGroupHasNull). Open addressing with
/// linear probing on the keys' hashes (KeySerializer's); the key bytes live in one buffer.
class GroupFlags {
 public:
  /// The flags of `key`, inserted as 0 when absent.
  uint8_t& upsert(hash_t hash, std::string_view key) {
    if ((size_ + 1) * 2 > slots_.size()) grow(std::max<size_t>(16, slots_.size() * 2));
    size_t i = home(hash);
    while (slots_[i].used) {
      if (matches(slots_[i], hash, key)) return slots_[i].flags;
      i = (i + 1) & (slots_.size() - 1);
    }
    slots_[i] = Slot{hash, bytes_.size(), static_cast<uint32_t>(key.size()), 0, true};
    bytes_.append(key);
    size_++;
    return slots_[i].flags;
  }
  /// The flags of `key`, or null when absent.
  const uint8_t* find(hash_t hash, std::string_view key) const {
    if (slots_.empty()) return nullptr;
    for (size_t i = home(hash); slots_[i].used; i = (i + 1) & (slots_.size() - 1)) {
      if (matches(slots_[i], hash, key)) return &slots_[i].flags;
    }
    return nullptr;
  }
  /// Adds `other`'s groups, or-ing the flags of groups both hold.
  void merge(const GroupFlags& other) {
    // Sized first: inserting a table's slots in order into a smaller one clusters them.
    size_t capacity = std::max<size_t>(16, slots_.size());
    while (capacity < (size_ + other.size_ + 1) * 2) capacity *= 2;
    if (capacity > slots_.size()) grow(capacity);
    for (const Slot& slot : other.slots_) {
      if (slot.used) upsert(slot.hash, other.key(slot)) |= slot.flags;
    }
  }

 private:
  struct Slot {
    hash_t hash = 0;
    size_t offset = 0;  ///< of the key in bytes_
    uint32_t length = 0;
    uint8_t flags = 0;
    bool used = false;
  };
  std::string_view key(const Slot& slot) const { return std::string_view(bytes_).substr(slot.offset, slot.length); }
  bool matches(const Slot& slot, hash_t hash, std::string_view key) const {
    return slot.hash == hash && slot.length == key.size() && std::memcmp(bytes_.data() + slot.offset, key.data(), key.size()) == 0;
  }
  /// The first slot to probe: the hash's bits mixed (Fibonacci hashing), so that keys whose
  /// hashes differ only in a few bits spread over the table.
  size_t home(hash_t hash) const { return static_cast<size_t>((hash * 0x9E3779B97F4A7C15ULL) >> shift_); }
  /// Rehashes into `capacity` (a power of two, larger than now) slots.
  void grow(size_t capacity) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot{});
    shift_ = 64 - std::countr_zero(slots_.size());
    for (const Slot& slot : old) {
      if (!slot.used) continue;
      size_t i = home(slot.hash);
      while (slots_[i].used) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;  // a power of two of them, at most half used
  std::string bytes_;
  size_t size_ = 0;
  int shift_ = 64;  ///< 64 - log2(slots_.size())
};
constexpr uint8_t kGroupHasRows = 1;
constexpr uint8_t kGroupHasNull = 2;

std::string_view group_key(const KeySerializer& keys, size_t row) {
  return std::string_view(reinterpret_cast<const char*>(keys.key(row)), keys.length(row));
}

/// Serializes the correlation keys (all but the last of `keys`) of rows [0, count).
void serialize_groups(const std::vector<Vector>& keys, size_t count, KeySerializer& out) {
  std::vector<const Vector*> columns;
  for (size_t k = 0; k + 1 < keys.size(); k++) columns.push_back(&keys[k]);
  out.serialize(columns, count);
}

/// One collected chunk's keys and its rows grouped by partition (computed by the worker that
/// collected it).
struct BuildChunkKeys {
  KeySerializer keys;
  std::array<uint32_t, kPartitions + 1> partition_start{};  ///< rows of partition p: [start[p], start[p+1])
  std::vector<uint16_t> partition_rows;                     ///< row indexes, grouped by partition
  MemoryCharge charge;                                      ///< the bytes of keys and partition_rows

  void partition() {
    const size_t n = keys.count();
    std::array<uint32_t, kPartitions> counts{};
    for (size_t i = 0; i < n; i++) counts[partition_of(keys.hash(i))]++;
    partition_start[0] = 0;
    for (size_t p = 0; p < kPartitions; p++) partition_start[p + 1] = partition_start[p] + counts[p];
    std::array<uint32_t, kPartitions> cursor;
    std::copy(partition_start.begin(), partition_start.end() - 1, cursor.begin());
    partition_rows.resize(n);
    for (size_t i = 0; i < n; i++) partition_rows[cursor[partition_of(keys.hash(i))]++] = static_cast<uint16_t>(i);
  }
};

/// The build side: collected rows with their serialized keys, then (after finalize) the hash
/// table over them.
struct HashJoinBuildState : GlobalState {
  explicit HashJoinBuildState(std::vector<LogicalType> types) : collected(types), null_keys(std::move(types)) {}

  std::mutex mutex;
  /// The right columns of rows whose keys are all non-NULL, in chunks of at most kVectorSize.
  ChunkCollection collected;
  /// FULL joins: the right rows with a NULL key (they match nothing and come out unmatched);
  /// null-aware MARK joins: the same rows, kept to be counted.
  ChunkCollection null_keys;
  size_t num_null_key_rows = 0;  ///< rows in null_keys (set by prepare_finalize)
  /// Null-aware MARK joins with correlation keys: their groups.
  GroupFlags groups;
  /// The serialized keys, hashes and partitions of collected.chunks()[i], computed by the worker
  /// that collected the chunk.
  std::vector<BuildChunkKeys> chunk_keys;
  std::vector<size_t> chunk_start;  ///< build row of each chunk's first row

  // Built by finalize; read-only while probing.
  ColumnarRows rows;
  size_t num_rows = 0;
  std::vector<const uint8_t*> key_data;  // serialized key of every build row (in chunk_keys)
  std::vector<uint32_t> key_length;
  std::vector<hash_t> hashes;
  std::vector<uint32_t> buckets;  // first row + 1 of each bucket's chain, 0 = empty
  std::vector<uint32_t> next;     // next row + 1 in the chain, 0 = end
  /// FULL joins: whether build row i joined some probe row (set by any probing worker).
  std::unique_ptr<std::atomic<uint8_t>[]> build_matched;
  MemoryCharge table_charge;      // the arrays above
  uint64_t mask = 0;              // buckets per partition - 1
  size_t bucket_bits = 0;         // log2(buckets per partition)

  /// The bucket of `hash`: its partition's range, then the low bits of the hash.
  size_t bucket_of(hash_t hash) const { return (partition_of(hash) << bucket_bits) | (hash & mask); }
};

/// One worker's part of the build: its rows and their keys, serialized and hashed here so that
/// every worker shares that work.
struct HashJoinSinkState : LocalState {
  HashJoinSinkState(QueryContext& query, std::vector<LogicalType> types)
      : expressions(query), collected(types), null_keys(std::move(types)) {}
  ExpressionExecutor expressions;
  ChunkCollection collected;
  ChunkCollection null_keys;  // FULL joins: rows with a NULL key
  std::vector<BuildChunkKeys> chunk_keys;  // one per chunk of `collected`
  KeySerializer group_keys;
  GroupFlags groups;
};

struct HashJoinProbeGlobal : GlobalState {
  explicit HashJoinProbeGlobal(const HashJoinBuildState& build) : build(build) {}
  const HashJoinBuildState& build;
};

enum class ProbePhase : uint8_t { kMatching, kUnmatched, kDone };

struct HashJoinProbeState : LocalState {
  explicit HashJoinProbeState(QueryContext& query) : expressions(query) {}
  ExpressionExecutor expressions;
  KeySerializer keys;
  KeySerializer group_keys;  ///< null-aware MARK joins with correlation keys: those of the chunk
  JoinBatch batch;
  /// Per probe row: the next build row + 1 of its chain still to examine (0 = none).
  std::vector<uint32_t> chain;
  std::vector<uint8_t> matched;
  std::vector<uint8_t> unknown;  ///< null-aware MARK joins: rows whose mark is NULL unless matched
  size_t row = 0;
  ProbePhase phase = ProbePhase::kDone;
  bool active = false;
};

size_t next_power_of_two(size_t n) {
  size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace

PhysicalHashJoin::PhysicalHashJoin(std::vector<LogicalType> types, planner::JoinType join_type,
                                   std::vector<planner::BoundExprPtr> left_keys,
                                   std::vector<planner::BoundExprPtr> right_keys, planner::BoundExprPtr residual,
                                   std::unique_ptr<PhysicalOperator> left, std::unique_ptr<PhysicalOperator> right,
                                   bool mark_null_aware, bool single_match)
    : PhysicalOperator("HASH_JOIN", std::move(types)),
      join_type_(join_type),
      left_keys_(std::move(left_keys)),
      right_keys_(std::move(right_keys)),
      residual_(std::move(residual)),
      mark_null_aware_(mark_null_aware),
      single_match_(single_match) {
  TS_CHECK(join_type_ == planner::JoinType::kInner || join_type_ == planner::JoinType::kLeft ||
               join_type_ == planner::JoinType::kFull || join_type_ == planner::JoinType::kMark ||
               planner::outputs_left_only(join_type_),
           "hash join supports INNER, LEFT, FULL, SEMI, ANTI and MARK joins");
  TS_CHECK(!mark_null_aware_ || (join_type_ == planner::JoinType::kMark && !residual_),
           "hash join: a null-aware mark join has no residual");
  TS_CHECK(!single_match_ || join_type_ == planner::JoinType::kLeft, "hash join: only a LEFT join is single-match");
  TS_CHECK(!left_keys_.empty() && left_keys_.size() == right_keys_.size(), "hash join: key count mismatch");
  for (size_t i = 0; i < left_keys_.size(); i++) {
    TS_CHECK(left_keys_[i]->type.physical_type() == right_keys_[i]->type.physical_type(),
             "hash join: key types differ");
  }
  if (join_type_ == planner::JoinType::kMark) {
    TS_CHECK(types_.size() == left->output_types().size() + 1 && types_.back() == LogicalType::boolean(),
             "hash join: a mark join outputs the left columns, then the boolean mark");
  } else {
    TS_CHECK(types_.size() == left->output_types().size() +
                                  (planner::outputs_left_only(join_type_) ? 0 : right->output_types().size()),
             "hash join: output must be the left then the right columns");
  }
  add_child(std::move(left));
  add_child(std::move(right));
}

void PhysicalHashJoin::build_pipelines(PipelineBuilder& builder, Pipeline& current) const {
  // FULL: the probe runs in a pipeline of its own feeding the same operators and sink; `current`
  // then starts at this operator as the source of the unmatched build rows, once the probe (its
  // dependency) has finished, so whatever waits for `current` waits for both.
  Pipeline* probe = &current;
  if (join_type_ == planner::JoinType::kFull) {
    probe = &builder.create_pipeline(current.sink);
    probe->operators = current.operators;
    probe->dependencies = current.dependencies;
    current.source = this;
    current.dependencies.push_back(probe);
  }
  probe->operators.insert(probe->operators.begin(), this);
  Pipeline& build = builder.create_pipeline(this);
  probe->dependencies.push_back(&build);
  children_[1]->build_pipelines(builder, build);
  children_[0]->build_pipelines(builder, *probe);
}

// ---- Build side.

std::unique_ptr<GlobalState> PhysicalHashJoin::make_global_sink(QueryContext&) const {
  return std::make_unique<HashJoinBuildState>(children_[1]->output_types());
}

std::unique_ptr<LocalState> PhysicalHashJoin::make_local_sink(WorkerContext& worker, GlobalState& global) const {
  return std::make_unique<HashJoinSinkState>(worker.query, static_cast<HashJoinBuildState&>(global).collected.types());
}

SinkResult PhysicalHashJoin::sink(WorkerContext&, DataChunk& in, GlobalState&, LocalState& local_state) const {
  auto& local = static_cast<HashJoinSinkState&>(local_state);
  const size_t n = in.size();
  if (n == 0) return SinkResult::kNeedMoreInput;
  TS_DCHECK(n <= kVectorSize, "hash join build chunk larger than a vector");
  // Rows with a NULL key never match (INNER/LEFT joins never emit unmatched build rows).
  std::vector<Vector> keys(right_keys_.size());
  std::vector<uint8_t> has_null(n, 0);
  bool any_null = false;
  for (size_t k = 0; k < right_keys_.size(); k++) {
    local.expressions.execute(*right_keys_[k], in, keys[k]);
    UnifiedVectorFormat f;
    keys[k].to_unified(n, f);
    if (!f.validity->all_valid()) {
      for (size_t i = 0; i < n; i++) {
        if (!f.validity->row_is_valid(f.sel.get_index(i))) {
          has_null[i] = 1;
          any_null = true;
        }
      }
    }
  }
  if (mark_null_aware_ && right_keys_.size() > 1) {
    // A probe row's mark depends on whether its correlation group has rows and NULL values.
    serialize_groups(keys, n, local.group_keys);
    UnifiedVectorFormat value;
    keys.back().to_unified(n, value);
    for (size_t i = 0; i < n; i++) {
      if (local.group_keys.has_null(i)) continue;
      uint8_t& flags = local.groups.upsert(local.group_keys.hash(i), group_key(local.group_keys, i));
      flags |= kGroupHasRows;
      if (!value.validity->row_is_valid(value.sel.get_index(i))) flags |= kGroupHasNull;
    }
  }
  std::vector<const Vector*> key_columns;
  size_t count = n;
  std::vector<Vector> kept_keys;
  if (any_null) {
    SelectionVector keep(n);
    count = 0;
    for (size_t i = 0; i < n; i++) {
      if (!has_null[i]) keep.set_index(count++, static_cast<sel_t>(i));
    }
    if (join_type_ == planner::JoinType::kFull || mark_null_aware_) {
      SelectionVector null_rows(n);
      size_t nulls = 0;
      for (size_t i = 0; i < n; i++) {
        if (has_null[i]) null_rows.set_index(nulls++, static_cast<sel_t>(i));
      }
      local.null_keys.append(in, null_rows, nulls);
    }
    if (count == 0) return SinkResult::kNeedMoreInput;
    local.collected.append(in, keep, count);
    kept_keys.resize(keys.size());
    for (size_t k = 0; k < keys.size(); k++) kept_keys[k].slice(keys[k], keep, count);
    for (const auto& v : kept_keys) key_columns.push_back(&v);
  } else {
    local.collected.append(in);
    for (const auto& v : keys) key_columns.push_back(&v);
  }
  local.chunk_keys.emplace_back();
  local.chunk_keys.back().keys.serialize(key_columns, count);
  local.chunk_keys.back().partition();
  BuildChunkKeys& built = local.chunk_keys.back();
  built.charge.set(built.keys.memory_bytes() + built.partition_rows.capacity() * sizeof(uint16_t));
  return SinkResult::kNeedMoreInput;
}

void PhysicalHashJoin::combine(WorkerContext&, GlobalState& global, LocalState& local_state) const {
  auto& g = static_cast<HashJoinBuildState&>(global);
  auto& local = static_cast<HashJoinSinkState&>(local_state);
  std::lock_guard lock(g.mutex);
  // Chunks and their keys stay in step: both lists are appended in the same order.
  g.collected.absorb(local.collected);
  g.null_keys.absorb(local.null_keys);
  g.groups.merge(local.groups);
  for (auto& keys : local.chunk_keys) g.chunk_keys.push_back(std::move(keys));
  local.chunk_keys.clear();
}

size_t PhysicalHashJoin::prepare_finalize(QueryContext&, GlobalState& global) const {
  auto& g = static_cast<HashJoinBuildState&>(global);
  TS_CHECK(g.chunk_keys.size() == g.collected.chunks().size(), "hash join: keys out of step with rows");
  g.rows = g.collected.consolidate();
  g.num_rows = g.rows.size();
  g.num_null_key_rows = 0;
  for (const DataChunk& chunk : g.null_keys.chunks()) g.num_null_key_rows += chunk.size();
  TS_CHECK(g.num_rows < 0xFFFFFFFFULL, "hash join build side too large");
  // Row i of the build side is row i of the consolidated columns; its key stays in the
  // serializer of the chunk it came from (the collection's chunks are freed, their keys kept).
  g.key_data.resize(g.num_rows);
  g.key_length.resize(g.num_rows);
  g.hashes.resize(g.num_rows);
  size_t row = 0;
  g.chunk_start.clear();
  for (const BuildChunkKeys& chunk : g.chunk_keys) {
    g.chunk_start.push_back(row);
    const KeySerializer& keys = chunk.keys;
    for (size_t i = 0; i < keys.count(); i++, row++) {
      g.key_data[row] = keys.key(i);
      g.key_length[row] = keys.length(i);
      g.hashes[row] = keys.hash(i);
    }
  }
  g.collected.clear();
  // Each partition gets twice its expected share of rows in buckets.
  const size_t per_partition = next_power_of_two(std::max<size_t>(2 * ((g.num_rows + kPartitions - 1) / kPartitions), 1));
  g.bucket_bits = 0;
  while ((size_t{1} << g.bucket_bits) < per_partition) g.bucket_bits++;
  g.mask = per_partition - 1;
  g.buckets.assign(per_partition * kPartitions, 0);
  g.next.assign(g.num_rows, 0);
  if (join_type_ == planner::JoinType::kFull) g.build_matched = std::make_unique<std::atomic<uint8_t>[]>(g.num_rows);
  g.table_charge.set(g.key_data.capacity() * sizeof(const uint8_t*) + g.key_length.capacity() * sizeof(uint32_t) +
                     g.hashes.capacity() * sizeof(hash_t) + g.buckets.capacity() * sizeof(uint32_t) +
                     g.next.capacity() * sizeof(uint32_t) +
                     (g.build_matched ? g.num_rows * sizeof(std::atomic<uint8_t>) : 0));
  // The chains of each partition are linked by finalize_part, in parallel.
  return g.num_rows == 0 ? 0 : kPartitions;
}

void PhysicalHashJoin::finalize_part(QueryContext&, GlobalState& global, size_t part) const {
  auto& g = static_cast<HashJoinBuildState&>(global);
  // Only this partition's buckets and its rows' `next` entries are written: parts never overlap.
  for (size_t c = 0; c < g.chunk_keys.size(); c++) {
    const BuildChunkKeys& chunk = g.chunk_keys[c];
    const size_t base = g.chunk_start[c];
    for (uint32_t k = chunk.partition_start[part]; k < chunk.partition_start[part + 1]; k++) {
      const size_t i = base + chunk.partition_rows[k];
      const size_t b = g.bucket_of(g.hashes[i]);
      g.next[i] = g.buckets[b];
      g.buckets[b] = static_cast<uint32_t>(i + 1);
    }
  }
}

// ---- Probe side.

std::unique_ptr<GlobalState> PhysicalHashJoin::make_global_operator(QueryContext& query) const {
  return std::make_unique<HashJoinProbeGlobal>(static_cast<HashJoinBuildState&>(query.states->sink_state(*this)));
}

std::unique_ptr<LocalState> PhysicalHashJoin::make_local_operator(WorkerContext& worker, GlobalState&) const {
  auto state = std::make_unique<HashJoinProbeState>(worker.query);
  state->batch.set_single_match(single_match_);
  return state;
}

OperatorResult PhysicalHashJoin::execute(WorkerContext&, DataChunk& in, DataChunk& out, GlobalState& global,
                                         LocalState& local_state) const {
  const HashJoinBuildState& build = static_cast<HashJoinProbeGlobal&>(global).build;
  auto& state = static_cast<HashJoinProbeState&>(local_state);
  const size_t n = in.size();
  // Semi, anti and mark joins only decide whether each probe row has a joining build row.
  const bool left_only = planner::outputs_left_only(join_type_) || join_type_ == planner::JoinType::kMark;
  if (build.num_rows == 0) {
    if (join_type_ == planner::JoinType::kInner || join_type_ == planner::JoinType::kSemi) {
      // Nothing can match: stop reading the probe side.
      out.set_size(0);
      return OperatorResult::kFinished;
    }
    if (join_type_ == planner::JoinType::kAnti) {
      // Nothing can match: every probe row passes.
      out.reference(in);
      return OperatorResult::kNeedMoreInput;
    }
  }
  if (!state.active) {
    // A new probe chunk: hash its keys and find each row's chain.
    std::vector<Vector> key_vectors(left_keys_.size());
    std::vector<const Vector*> key_columns;
    for (size_t k = 0; k < left_keys_.size(); k++) {
      state.expressions.execute(*left_keys_[k], in, key_vectors[k]);
      key_columns.push_back(&key_vectors[k]);
    }
    state.keys.serialize(key_columns, n);
    if (mark_null_aware_ && left_keys_.size() > 1) serialize_groups(key_vectors, n, state.group_keys);
    state.chain.resize(n);
    state.matched.assign(n, 0);
    const hash_t* hashes = state.keys.hashes();
    for (size_t i = 0; i < n; i++) {
      state.chain[i] = build.num_rows == 0 || state.keys.has_null(i) ? 0 : build.buckets[build.bucket_of(hashes[i])];
    }
    state.row = 0;
    state.phase = ProbePhase::kMatching;
    state.active = true;
  }
  const size_t right_columns = children_[1]->output_types().size();
  for (;;) {
    if (state.phase == ProbePhase::kMatching) {
      // Collect up to kVectorSize (probe row, build row) pairs with equal keys.
      sel_t* left = state.batch.left();
      sel_t* right = state.batch.right();
      size_t count = 0;
      const hash_t* build_hashes = build.hashes.data();
      while (state.row < n && count < kVectorSize) {
        const size_t row = state.row;
        uint32_t entry = state.chain[row];
        // A semi or anti join needs one joining build row per probe row.
        if (left_only && state.matched[row]) entry = 0;
        if (entry != 0) {
          const hash_t hash = state.keys.hash(row);
          const uint8_t* key = state.keys.key(row);
          const uint32_t length = state.keys.length(row);
          while (entry != 0) {
            const uint32_t b = entry - 1;
            entry = build.next[b];
            if (build_hashes[b] == hash && build.key_length[b] == length &&
                KeySerializer::equal_keys(build.key_data[b], key, length)) {
              if (left_only && !residual_) {
                state.matched[row] = 1;
                entry = 0;
                break;
              }
              left[count] = static_cast<sel_t>(row);
              right[count] = b;
              if (++count == kVectorSize) break;
            }
          }
          state.chain[row] = entry;
        }
        if (entry == 0) state.row++;
      }
      if (left_only) {
        // Pairs only decide which probe rows match; the rows go out once every row is decided.
        state.batch.mark(state.expressions, residual_.get(), in, build.rows, right_columns, count, state.matched.data());
        if (state.row < n) continue;
        if (join_type_ == planner::JoinType::kMark) {
          const uint8_t* unknown = nullptr;
          if (mark_null_aware_) {
            // x IN (q) is NULL without an equal key when x is NULL and q is not empty, or
            // when q holds a NULL.
            const bool build_has_rows = build.num_rows + build.num_null_key_rows > 0;
            state.unknown.assign(n, 0);
            if (left_keys_.size() == 1) {
              for (size_t i = 0; i < n; i++) {
                state.unknown[i] = build.num_null_key_rows > 0 || (build_has_rows && state.keys.has_null(i));
              }
            } else {
              // Correlated: the same within the build rows of the probe row's correlation
              // group; a NULL correlation key selects none of them (the mark is false).
              for (size_t i = 0; i < n; i++) {
                if (state.matched[i] || state.group_keys.has_null(i)) continue;
                const uint8_t* flags = build.groups.find(state.group_keys.hash(i), group_key(state.group_keys, i));
                if (!flags) continue;
                state.unknown[i] = state.keys.has_null(i) || (*flags & kGroupHasNull) != 0;
              }
            }
            unknown = state.unknown.data();
          }
          JoinBatch::emit_marked(in, state.matched.data(), unknown, out);
        } else if (join_type_ == planner::JoinType::kSemi) {
          state.batch.emit_matched(in, state.matched.data(), out);
        } else {
          state.batch.emit_unmatched(in, state.matched.data(), out);
        }
        state.phase = ProbePhase::kDone;
        state.active = false;
        return OperatorResult::kNeedMoreInput;
      }
      if (state.row >= n) {
        const bool keeps_probe_rows = join_type_ == planner::JoinType::kLeft || join_type_ == planner::JoinType::kFull;
        state.phase = keeps_probe_rows ? ProbePhase::kUnmatched : ProbePhase::kDone;
      }
      const size_t produced = state.batch.emit(state.expressions, residual_.get(), in, build.rows, right_columns, count,
                                               state.matched.data(), out, build.build_matched.get());
      if (produced > 0) {
        if (state.phase != ProbePhase::kDone) return OperatorResult::kHaveMoreOutput;
        state.active = false;
        return OperatorResult::kNeedMoreInput;
      }
      continue;
    }
    if (state.phase == ProbePhase::kUnmatched) state.batch.emit_unmatched(in, state.matched.data(), out);
    state.phase = ProbePhase::kDone;
    state.active = false;
    return OperatorResult::kNeedMoreInput;
  }
}

// ---- FULL joins: the unmatched build rows, after the probe.

namespace {

struct UnmatchedScanState : GlobalState {
  explicit UnmatchedScanState(const HashJoinBuildState& build) : build(build) {}
  const HashJoinBuildState& build;
  size_t next_row = 0;    ///< next build row to examine
  size_t next_chunk = 0;  ///< next chunk of NULL-key rows
};

}  // namespace

std::unique_ptr<GlobalState> PhysicalHashJoin::make_global_source(QueryContext& query) const {
  return std::make_unique<UnmatchedScanState>(static_cast<HashJoinBuildState&>(query.states->sink_state(*this)));
}

SourceResult PhysicalHashJoin::get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const {
  auto& state = static_cast<UnmatchedScanState&>(global);
  const HashJoinBuildState& build = state.build;
  const size_t left_columns = children_[0]->output_types().size();
  const size_t right_columns = children_[1]->output_types().size();
  if (JoinBatch::emit_unmatched_build_rows(build.build_matched.get(), build.rows, right_columns, build.num_rows,
                                          left_columns, state.next_row, out) > 0) {
    return SourceResult::kHaveMoreOutput;
  }
  for (size_t c = 0; c < left_columns; c++) out.column(c).set_constant_null();
  const auto& chunks = build.null_keys.chunks();
  if (state.next_chunk < chunks.size()) {
    const DataChunk& chunk = chunks[state.next_chunk++];
    for (size_t c = 0; c < right_columns; c++) out.column(left_columns + c).reference(chunk.column(c));
    out.set_size(chunk.size());
    return state.next_chunk < chunks.size() ? SourceResult::kHaveMoreOutput : SourceResult::kFinished;
  }
  out.set_size(0);
  return SourceResult::kFinished;
}

std::string PhysicalHashJoin::explain_details() const {
  std::string out = join_type_ == planner::JoinType::kLeft   ? (single_match_ ? "LEFT SINGLE: " : "LEFT: ")
                    : join_type_ == planner::JoinType::kFull ? "FULL: "
                    : join_type_ == planner::JoinType::kSemi ? "SEMI: "
                    : join_type_ == planner::JoinType::kAnti ? "ANTI: "
                    : join_type_ == planner::JoinType::kMark ? (mark_null_aware_ ? "MARK (NULL-AWARE): " : "MARK: ")
                                                             : "INNER: ";
  for (size_t i = 0; i < left_keys_.size(); i++) {
    if (i) out += " AND ";
    out += left_keys_[i]->to_string() + " = " + right_keys_[i]->to_string();
  }
  if (residual_) out += "; residual: " + residual_->to_string();
  return out;
}

}  // namespace tessera::executor
