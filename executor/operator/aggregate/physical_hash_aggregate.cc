#include "executor/operator/aggregate/physical_hash_aggregate.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <mutex>
#include <optional>
#include <span>

#include "catalog/function_entry.h"
#include "executor/expression/expression_executor.h"
#include "executor/operator/aggregate/group_hash_table.h"
#include "executor/operator/aggregate/group_representatives.h"
#include "executor/key_serializer.h"
#include "executor/operator/projection/expression_state.h"
#include "executor/operator/result_chunks_source.h"
#include "executor/operator/sort/row_sorter.h"
#include "executor/chunk_collection.h"
#include "src/common/assert.h"
#include "src/common/memory_tracker.h"

namespace tessera::executor {

namespace {

using planner::BoundAggregate;

/// One aggregate of the operator: its registry entry, whether DISTINCT changes its result, and
/// where its state lies in a group's state row.
struct AggSpec {
  const catalog::AggregateFunction* function;
  bool distinct = false;
  /// The rows must reach the aggregate in an order (ORDER BY in the call, or an ordered-set
  /// aggregate): they are collected and fed in finalize, sorted.
  bool sorted = false;
  size_t offset = 0;
};

/// The aggregates and the width of a group's state row (all aggregates' states side by side, so
/// one pointer per input row serves every aggregate).
struct StateLayout {
  std::vector<AggSpec> specs;
  size_t width = 0;
  /// Every aggregate folded per chunk has a whole-chunk update: without GROUP BY no per-row
  /// state pointers are needed.
  bool all_simple = true;
};

StateLayout make_layout(const std::vector<planner::BoundExprPtr>& aggregates) {
  StateLayout layout;
  size_t end = 0;
  for (const auto& e : aggregates) {
    const auto& a = static_cast<const BoundAggregate&>(*e);
    const auto& fn = *a.function;
    TS_CHECK(fn.state_alignment <= alignof(std::max_align_t), "aggregate state alignment too large: " + fn.name);
    AggSpec spec;
    spec.function = &fn;
    spec.distinct = a.distinct;
    spec.sorted = !a.orders.empty() || fn.ordered_set != nullptr;
    spec.offset = (end + fn.state_alignment - 1) / fn.state_alignment * fn.state_alignment;
    end = spec.offset + fn.state_size;
    if (!spec.distinct && !spec.sorted && !fn.simple_update) layout.all_simple = false;
    layout.specs.push_back(spec);
  }
  constexpr size_t kAlign = alignof(std::max_align_t);
  layout.width = (end + kAlign - 1) / kAlign * kAlign;
  return layout;
}

/// The state rows of every group, indexed by group id (row g at g * width).
class StateRows {
 public:
  catalog::AggregateState* at(size_t group) { return reinterpret_cast<catalog::AggregateState*>(blocks_.data()) + group * width_; }
  const catalog::AggregateState* at(size_t group) const {
    return reinterpret_cast<const catalog::AggregateState*>(blocks_.data()) + group * width_;
  }

  /// Grows to `n` rows, initializing every aggregate's state in the new ones. States are
  /// trivially copyable, so growth may move them.
  void resize(const StateLayout& layout, size_t n, std::vector<catalog::AggregateState*>& scratch) {
    width_ = layout.width;
    const size_t old = size_;
    if (n <= old || width_ == 0) return;
    // std::vector grows geometrically, so this costs amortized O(1) per new group.
    blocks_.resize(n * width_ / sizeof(Block));
    charge_.set(blocks_.capacity() * sizeof(Block));
    scratch.resize(n - old);
    for (size_t g = old; g < n; g++) scratch[g - old] = at(g);
    for (const auto& spec : layout.specs) spec.function->init(scratch.data(), spec.offset, n - old);
    size_ = n;
  }

 private:
  struct alignas(std::max_align_t) Block {
    std::byte bytes[alignof(std::max_align_t)];
  };
  std::vector<Block> blocks_;
  size_t width_ = 0;
  size_t size_ = 0;
  MemoryCharge charge_;
};

/// Groups plus the aggregate states of each group: a worker's partial result or the global one.
struct AggregateTable {
  /// `integer_key` is the physical type of a single integer group column (the table then
  /// uses GroupHashTable's integer mode), kInvalid otherwise.
  AggregateTable(const StateLayout& layout, PhysicalType integer_key, std::span<const LogicalType> key_types)
      : layout(layout), groups(integer_key == PhysicalType::kInvalid ? GroupHashTable() : GroupHashTable(integer_key)),
        representatives(key_types) {}

  /// Writes the group id of each of the rows [0, count) of `keys` (the group columns) to
  /// `ids`, creating groups as needed. `serializer` is scratch space.
  void find_or_create(const std::vector<const Vector*>& keys, size_t count, KeySerializer& serializer, uint32_t* ids) {
    if (groups.integer_key_type() != PhysicalType::kInvalid) {
      groups.find_or_create(*keys[0], count, ids);
      return;
    }
    serializer.serialize(keys, count);
    const auto first_new = static_cast<uint32_t>(groups.size());
    groups.find_or_create(serializer, ids);
    representatives.record_new(keys, count, ids, first_new, groups.size());
  }

  /// Grows the state rows to cover every group of the hash table.
  void sync_size() {
    const size_t n = groups.size();
    if (n == states_size) return;
    states.resize(layout, n, scratch);
    states_size = n;
  }

  /// Writes the state row of group ids[i] to rows[i] for i < count.
  void row_pointers(const uint32_t* ids, size_t count, std::vector<catalog::AggregateState*>& rows) {
    rows.resize(std::max(rows.size(), count));
    catalog::AggregateState* const base = states.at(0);
    const size_t width = layout.width;
    catalog::AggregateState** out = rows.data();
    for (size_t i = 0; i < count; i++) out[i] = base + static_cast<size_t>(ids[i]) * width;
  }

  const StateLayout& layout;
  GroupHashTable groups;
  /// The first value met of each numeric / interval group column.
  GroupRepresentatives representatives;
  StateRows states;
  /// Owns the bytes of string states (min/max of text).
  std::shared_ptr<StringHeap> strings = std::make_shared<StringHeap>();
  size_t states_size = 0;
  std::vector<catalog::AggregateState*> scratch;
};

/// Folds the rows [0, count) of `args` into their groups' states (`rows`: row i's state row);
/// without GROUP BY (`ungrouped`) all rows go to group 0 through the aggregate's whole-chunk
/// update when it has one.
void update_aggregate(const AggSpec& spec, AggregateTable& table, std::span<const Vector> args, size_t count,
                      catalog::AggregateState* const* rows, bool ungrouped) {
  const auto& fn = *spec.function;
  if (ungrouped && fn.simple_update) {
    fn.simple_update(args, count, table.states.at(0) + spec.offset, *table.strings);
    return;
  }
  fn.update(args, count, rows, spec.offset, *table.strings);
}

/// Writes the final values of groups [begin, begin + n) into out's aggregate columns
/// (from column `first`).
void write_results(const AggregateTable& table, size_t begin, size_t n, DataChunk& out, size_t first,
                   const std::vector<std::optional<Vector>>& ordered_set_results) {
  std::vector<const catalog::AggregateState*> rows(n);
  for (size_t i = 0; i < n; i++) rows[i] = table.states.at(begin + i);
  for (size_t a = 0; a < table.layout.specs.size(); a++) {
    const AggSpec& spec = table.layout.specs[a];
    Vector& column = out.column(first + a);
    if (spec.function->ordered_set) {
      SelectionVector sel(n);
      for (size_t i = 0; i < n; i++) sel.set_index(i, static_cast<sel_t>(begin + i));
      column.copy_from(*ordered_set_results[a], sel, n, 0);
      continue;
    }
    spec.function->finalize(rows.data(), spec.offset, n, column);
    if (column.type().physical_type() == PhysicalType::kString) column.add_heap_reference(table.strings);
  }
}

/// The input rows of one aggregate whose rows must arrive sorted: the group columns, the
/// arguments, then the ORDER BY keys.
struct SortedInput {
  explicit SortedInput(std::vector<LogicalType> types) : rows(std::move(types)) {}
  ChunkCollection rows;
};

/// The distinct (group key, argument) pairs of one DISTINCT aggregate seen so far.
struct DistinctSet {
  explicit DistinctSet(std::vector<LogicalType> types) : rows(std::move(types)) {}
  GroupHashTable seen;
  /// One row per pair: the group columns, then the argument.
  ChunkCollection rows;
};

struct AggregateGlobalState : GlobalState {
  StateLayout layout;
  PhysicalType integer_key = PhysicalType::kInvalid;
  std::vector<LogicalType> group_types;
  std::mutex mutex;
  std::unique_ptr<AggregateTable> table;
  std::vector<std::unique_ptr<DistinctSet>> distinct;  // per aggregate; null unless DISTINCT and not sorted
  std::vector<std::unique_ptr<SortedInput>> sorted;    // per aggregate; null unless sorted
  /// Built by finalize: the output, kVectorSize rows per chunk.
  std::vector<DataChunk> results;
};

struct AggregateLocalState : LocalState {
  AggregateLocalState(QueryContext& query, const StateLayout& layout, PhysicalType integer_key,
                      std::span<const LogicalType> group_types)
      : expressions(query), table(layout, integer_key, group_types), groups(kVectorSize) {}
  ExpressionExecutor expressions;
  AggregateTable table;
  KeySerializer keys;
  KeySerializer pair_keys;
  std::vector<uint32_t> groups;
  std::vector<catalog::AggregateState*> rows;
  /// One aggregate's inputs for the current chunk, evaluated once for every grouping set.
  struct Input {
    /// FILTER: the rows of the chunk that pass (when `filtered`).
    bool filtered = false;
    SelectionVector passing;
    size_t num_passing = 0;
    /// The arguments and (for sorted aggregates) the ORDER BY keys, already restricted to the
    /// passing rows.
    std::vector<Vector> args;
    std::vector<Vector> order_keys;
  };
  std::vector<Input> inputs;
  /// The state rows of the passing rows of a filtered aggregate.
  std::vector<catalog::AggregateState*> passing_rows;
  std::vector<std::unique_ptr<DistinctSet>> distinct;
  std::vector<std::unique_ptr<SortedInput>> sorted;
};

std::vector<const Vector*> pointers(const std::vector<Vector>& vectors) {
  std::vector<const Vector*> out;
  out.reserve(vectors.size() + 1);
  for (const auto& v : vectors) out.push_back(&v);
  return out;
}

/// Adds the rows of `pairs` (group columns, then the argument; rows with a NULL argument
/// already excluded) that `set` has not seen to `set`.
void add_distinct_pairs(DistinctSet& set, const DataChunk& pairs, KeySerializer& keys) {
  std::vector<const Vector*> columns;
  for (size_t c = 0; c < pairs.column_count(); c++) columns.push_back(&pairs.column(c));
  keys.serialize(columns, pairs.size());
  SelectionVector sel(pairs.size() == 0 ? 1 : pairs.size());
  size_t k = 0;
  for (size_t i = 0; i < pairs.size(); i++) {
    bool inserted;
    set.seen.find_or_create(keys.hash(i), keys.key(i), keys.length(i), &inserted);
    if (inserted) sel.set_index(k++, static_cast<sel_t>(i));
  }
  set.rows.append(pairs, sel, k);
}

/// Feeds the collected rows of one sorted aggregate to it in order: sorted by group, then by
/// the aggregate's ORDER BY keys (ties keep their arrival order). A DISTINCT aggregate sees each
/// (group, arguments) once. An ordered-set aggregate instead computes each group's result
/// from its sorted run into `ordered_set_result` (one row per group; groups without rows NULL).
void feed_sorted(AggregateTable& table, const AggSpec& spec, const BoundAggregate& agg, size_t num_group_columns,
                 SortedInput& input, Vector* ordered_set_result) {
  const size_t num_groups = table.groups.size();
  if (ordered_set_result) {
    for (size_t g = 0; g < num_groups; g++) ordered_set_result->mutable_validity().set_invalid(g);
  }
  const size_t num_rows = input.rows.size();
  if (num_rows == 0) return;
  // Each row's group id, chunk by chunk in collection order.
  Vector ids(LogicalType::bigint(), num_rows);
  int64_t* id_values = ids.mutable_values<int64_t>();
  {
    KeySerializer keys;
    std::vector<uint32_t> chunk_ids(kVectorSize);
    size_t offset = 0;
    for (const DataChunk& chunk : input.rows.chunks()) {
      const size_t n = chunk.size();
      if (num_group_columns == 0) {
        std::fill(chunk_ids.begin(), chunk_ids.begin() + n, 0);
      } else {
        std::vector<const Vector*> key_columns;
        for (size_t c = 0; c < num_group_columns; c++) key_columns.push_back(&chunk.column(c));
        table.find_or_create(key_columns, n, keys, chunk_ids.data());
      }
      for (size_t i = 0; i < n; i++) id_values[offset + i] = chunk_ids[i];
      offset += n;
    }
  }
  ColumnarRows rows = input.rows.consolidate();
  const size_t id_column = rows.columns.size();
  rows.columns.push_back(std::move(ids));
  const size_t first_arg = num_group_columns;
  const size_t num_args = agg.args.size();
  const size_t first_key = first_arg + num_args;
  std::vector<RowSorter::Key> sort_keys{{id_column, false, false}};
  for (size_t k = 0; k < agg.orders.size(); k++) {
    sort_keys.push_back({first_key + k, agg.orders[k].descending, agg.orders[k].nulls_first});
  }
  const std::vector<sel_t> order = RowSorter(rows, sort_keys).sort();
  const int64_t* group_of = rows.columns[id_column].values<int64_t>();

  if (ordered_set_result) {
    // The aggregated value is the last argument; NULLs do not take part.
    const Vector& values = rows.columns[first_key - 1];
    const Vector& direct = rows.columns[num_args >= 2 ? first_arg : first_key - 1];
    // Results may point at the sorted values' strings.
    if (values.type().physical_type() == PhysicalType::kString) ordered_set_result->keep_heaps_of(values);
    std::vector<sel_t> run;
    for (size_t begin = 0; begin < order.size();) {
      const int64_t group = group_of[order[begin]];
      size_t end = begin;
      run.clear();
      while (end < order.size() && group_of[order[end]] == group) {
        if (values.validity().row_is_valid(order[end])) run.push_back(order[end]);
        end++;
      }
      ordered_set_result->mutable_validity().set_valid(static_cast<size_t>(group));
      spec.function->ordered_set(direct, order[begin], values, run.data(), run.size(), *ordered_set_result,
                                 static_cast<size_t>(group));
      begin = end;
    }
    return;
  }

  // DISTINCT: the first row of each (group, arguments) in the order.
  GroupHashTable seen;
  KeySerializer seen_keys;
  std::vector<uint32_t> batch_groups(kVectorSize);
  std::vector<catalog::AggregateState*> states;
  for (size_t begin = 0; begin < order.size(); begin += kVectorSize) {
    size_t n = std::min(kVectorSize, order.size() - begin);
    SelectionVector sel(n);
    for (size_t i = 0; i < n; i++) sel.set_index(i, order[begin + i]);
    if (spec.distinct) {
      Vector id_slice;
      id_slice.slice(rows.columns[id_column], sel, n);
      std::vector<Vector> slices(num_args + 1);
      std::vector<const Vector*> key_columns{&id_slice};
      for (size_t c = 0; c < num_args; c++) {
        slices[c].slice(rows.columns[first_arg + c], sel, n);
        key_columns.push_back(&slices[c]);
      }
      seen_keys.serialize(key_columns, n);
      size_t k = 0;
      for (size_t i = 0; i < n; i++) {
        bool inserted;
        seen.find_or_create(seen_keys.hash(i), seen_keys.key(i), seen_keys.length(i), &inserted);
        if (inserted) sel.set_index(k++, sel.get_index(i));
      }
      n = k;
      if (n == 0) continue;
    }
    std::vector<Vector> args(num_args);
    for (size_t c = 0; c < num_args; c++) args[c].slice(rows.columns[first_arg + c], sel, n);
    for (size_t i = 0; i < n; i++) batch_groups[i] = static_cast<uint32_t>(group_of[sel.get_index(i)]);
    table.row_pointers(batch_groups.data(), n, states);
    spec.function->update(args, n, states.data(), spec.offset, *table.strings);
  }
}

}  // namespace

PhysicalHashAggregate::PhysicalHashAggregate(std::vector<LogicalType> types, std::vector<planner::BoundExprPtr> groups,
                                             std::vector<planner::BoundExprPtr> aggregates,
                                             std::unique_ptr<PhysicalOperator> child,
                                             std::vector<std::vector<uint32_t>> grouping_sets,
                                             std::vector<std::vector<uint32_t>> grouping_functions)
    : PhysicalOperator("HASH_AGGREGATE", std::move(types)),
      groups_(std::move(groups)),
      aggregates_(std::move(aggregates)),
      grouping_sets_(std::move(grouping_sets)) {
  TS_CHECK(types_.size() == groups_.size() + aggregates_.size() + grouping_functions.size(),
           "hash aggregate: output column count mismatch");
  TS_CHECK(grouping_functions.empty() || !grouping_sets_.empty(), "hash aggregate: grouping() without grouping sets");
  for (const auto& a : aggregates_) TS_CHECK(a->kind == planner::BoundExprKind::kAggregate, "hash aggregate: not an aggregate");
  for (const auto& set : grouping_sets_) {
    std::vector<bool> has(groups_.size(), false);
    for (uint32_t column : set) {
      TS_CHECK(column < groups_.size(), "hash aggregate: grouping set column out of range");
      has[column] = true;
    }
    set_has_.push_back(std::move(has));
  }
  for (const auto& function : grouping_functions) {
    std::vector<int32_t> values;
    for (const auto& has : set_has_) {
      int32_t value = 0;
      for (uint32_t column : function) value = (value << 1) | (has[column] ? 0 : 1);
      values.push_back(value);
    }
    grouping_values_.push_back(std::move(values));
  }
  add_child(std::move(child));
}

std::vector<Vector> PhysicalHashAggregate::set_keys(const std::vector<Vector>& group_vectors, size_t set) const {
  std::vector<Vector> keys;
  keys.reserve(groups_.size() + 1);
  for (size_t c = 0; c < groups_.size(); c++) {
    if (set_has_[set][c]) {
      keys.push_back(group_vectors[c]);
    } else {
      keys.emplace_back(Value::null(groups_[c]->type));
    }
  }
  keys.emplace_back(Value::integer(static_cast<int32_t>(set)));
  return keys;
}

std::unique_ptr<GlobalState> PhysicalHashAggregate::make_global_sink(QueryContext&) const {
  auto state = std::make_unique<AggregateGlobalState>();
  state->layout = make_layout(aggregates_);
  for (const auto& g : groups_) state->group_types.push_back(g->type);
  if (!grouping_sets_.empty()) state->group_types.push_back(LogicalType::integer());
  if (state->group_types.size() == 1 && GroupHashTable::supports_integer_key(state->group_types[0].physical_type())) {
    state->integer_key = state->group_types[0].physical_type();
  }
  const std::vector<LogicalType>& group_types = state->group_types;
  state->table = std::make_unique<AggregateTable>(state->layout, state->integer_key, group_types);
  for (size_t a = 0; a < aggregates_.size(); a++) {
    const auto& agg = static_cast<const BoundAggregate&>(*aggregates_[a]);
    const AggSpec& spec = state->layout.specs[a];
    auto types = group_types;
    for (const auto& arg : agg.args) types.push_back(arg->type);
    if (spec.sorted) {
      for (const auto& o : agg.orders) types.push_back(o.expression->type);
      state->sorted.push_back(std::make_unique<SortedInput>(std::move(types)));
    } else {
      state->sorted.push_back(nullptr);
    }
    state->distinct.push_back(spec.distinct && !spec.sorted ? std::make_unique<DistinctSet>(std::move(types)) : nullptr);
  }
  return state;
}

std::unique_ptr<LocalState> PhysicalHashAggregate::make_local_sink(WorkerContext& worker, GlobalState& global) const {
  auto& g = static_cast<AggregateGlobalState&>(global);
  auto local = std::make_unique<AggregateLocalState>(worker.query, g.layout, g.integer_key, g.group_types);
  for (const auto& d : g.distinct) {
    local->distinct.push_back(d ? std::make_unique<DistinctSet>(d->rows.types()) : nullptr);
  }
  for (const auto& d : g.sorted) {
    local->sorted.push_back(d ? std::make_unique<SortedInput>(d->rows.types()) : nullptr);
  }
  return local;
}

SinkResult PhysicalHashAggregate::sink(WorkerContext&, DataChunk& in, GlobalState& global, LocalState& local_state) const {
  auto& g = static_cast<AggregateGlobalState&>(global);
  auto& local = static_cast<AggregateLocalState&>(local_state);
  const size_t n = in.size();
  if (n == 0) return SinkResult::kNeedMoreInput;

  std::vector<Vector> group_vectors(groups_.size());
  for (size_t i = 0; i < groups_.size(); i++) local.expressions.execute(*groups_[i], in, group_vectors[i]);

  // The aggregates' inputs, once per chunk: FILTER, arguments and ORDER BY keys.
  local.inputs.resize(aggregates_.size());
  for (size_t a = 0; a < aggregates_.size(); a++) {
    const auto& agg = static_cast<const BoundAggregate&>(*aggregates_[a]);
    auto& input = local.inputs[a];
    input.filtered = agg.filter != nullptr;
    input.num_passing = n;
    input.args.clear();
    input.order_keys.clear();
    if (input.filtered) {
      // FILTER (WHERE ...): the aggregate sees only the rows where the condition is true.
      Vector condition;
      local.expressions.execute(*agg.filter, in, condition);
      UnifiedVectorFormat f;
      condition.to_unified(n, f);
      input.passing = SelectionVector(n);
      input.num_passing = 0;
      const uint8_t* values = f.values<uint8_t>();
      for (size_t i = 0; i < n; i++) {
        const sel_t idx = f.sel.get_index(i);
        if (f.validity->row_is_valid(idx) && values[idx]) input.passing.set_index(input.num_passing++, static_cast<sel_t>(i));
      }
      if (input.num_passing == 0) continue;
    }
    const bool sliced = input.filtered && input.num_passing < n;
    auto evaluate = [&](const planner::BoundExpression& expr) {
      Vector v;
      local.expressions.execute(expr, in, v);
      if (!sliced) return v;
      Vector restricted;
      restricted.slice(v, input.passing, input.num_passing);
      return restricted;
    };
    for (const auto& arg : agg.args) input.args.push_back(evaluate(*arg));
    if (g.layout.specs[a].sorted) {
      for (const auto& o : agg.orders) input.order_keys.push_back(evaluate(*o.expression));
    }
  }

  if (grouping_sets_.empty()) {
    sink_keys(g, local, n, group_vectors);
  } else {
    for (size_t set = 0; set < grouping_sets_.size(); set++) sink_keys(g, local, n, set_keys(group_vectors, set));
  }
  return SinkResult::kNeedMoreInput;
}

void PhysicalHashAggregate::sink_keys(GlobalState& global, LocalState& local_state, size_t n,
                                      const std::vector<Vector>& key_vectors) const {
  auto& g = static_cast<AggregateGlobalState&>(global);
  auto& local = static_cast<AggregateLocalState&>(local_state);
  const bool ungrouped = key_vectors.empty();
  if (ungrouped) {
    if (local.table.groups.size() == 0) {
      bool inserted;
      local.keys.serialize({}, 1);
      local.table.groups.find_or_create(local.keys.hash(0), local.keys.key(0), 0, &inserted);
    }
    std::fill(local.groups.begin(), local.groups.begin() + n, 0);
  } else {
    local.table.find_or_create(pointers(key_vectors), n, local.keys, local.groups.data());
  }
  local.table.sync_size();
  if (!ungrouped || !g.layout.all_simple) local.table.row_pointers(local.groups.data(), n, local.rows);

  for (size_t a = 0; a < aggregates_.size(); a++) {
    const AggSpec& spec = g.layout.specs[a];
    const auto& input = local.inputs[a];
    const size_t num_passing = input.num_passing;
    if (num_passing == 0) continue;
    const bool sliced = input.filtered && num_passing < n;
    if (input.filtered && (!ungrouped || !g.layout.all_simple)) {
      local.passing_rows.resize(std::max(local.passing_rows.size(), num_passing));
      for (size_t j = 0; j < num_passing; j++) local.passing_rows[j] = local.rows[input.passing.get_index(j)];
    }
    catalog::AggregateState* const* rows = input.filtered ? local.passing_rows.data() : local.rows.data();
    // The key columns of the aggregate's rows (sorted and DISTINCT aggregates keep them).
    auto keys_of_rows = [&](DataChunk& chunk) {
      for (const auto& v : key_vectors) {
        chunk.columns().push_back(v);
        if (sliced) chunk.columns().back().slice(v, input.passing, num_passing);
      }
    };
    if (input.args.empty()) {
      update_aggregate(spec, local.table, {}, num_passing, rows, ungrouped);
      continue;
    }
    if (spec.sorted) {
      // Kept with their key columns and sort keys; fed to the aggregate, sorted, in finalize.
      DataChunk rows_in;
      keys_of_rows(rows_in);
      for (const auto& v : input.args) rows_in.columns().push_back(v);
      for (const auto& v : input.order_keys) rows_in.columns().push_back(v);
      rows_in.set_size(num_passing);
      local.sorted[a]->rows.append(rows_in);
      continue;
    }
    if (!spec.distinct) {
      update_aggregate(spec, local.table, input.args, num_passing, rows, ungrouped);
      continue;
    }
    // DISTINCT: keep each new (group, argument) pair; the aggregate is computed in finalize
    // from the globally deduplicated pairs.
    UnifiedVectorFormat f;
    input.args[0].to_unified(num_passing, f);
    DataChunk pairs;
    keys_of_rows(pairs);
    for (const auto& v : input.args) pairs.columns().push_back(v);
    pairs.set_size(num_passing);
    if (!f.validity->all_valid()) {
      SelectionVector valid(num_passing);
      size_t k = 0;
      for (size_t i = 0; i < num_passing; i++) {
        if (f.validity->row_is_valid(f.sel.get_index(i))) valid.set_index(k++, static_cast<sel_t>(i));
      }
      pairs.slice(valid, k);
    }
    add_distinct_pairs(*local.distinct[a], pairs, local.pair_keys);
  }
}

void PhysicalHashAggregate::combine(WorkerContext&, GlobalState& global, LocalState& local_state) const {
  auto& g = static_cast<AggregateGlobalState&>(global);
  auto& local = static_cast<AggregateLocalState&>(local_state);
  std::lock_guard lock(g.mutex);
  AggregateTable& into = *g.table;
  const GroupHashTable& from = local.table.groups;
  std::vector<uint32_t> map(from.size());
  for (uint32_t lg = 0; lg < from.size(); lg++) {
    bool inserted;
    map[lg] = into.groups.find_or_create(from.hash(lg), from.key(lg), from.key_length(lg), &inserted);
    if (inserted) into.representatives.copy(local.table.representatives, lg, map[lg]);
  }
  into.sync_size();
  if (g.layout.width > 0 && !map.empty()) {
    std::vector<const catalog::AggregateState*> sources(map.size());
    std::vector<catalog::AggregateState*> targets(map.size());
    for (size_t lg = 0; lg < map.size(); lg++) {
      sources[lg] = local.table.states.at(lg);
      targets[lg] = into.states.at(map[lg]);
    }
    for (const auto& spec : g.layout.specs) {
      if (spec.distinct || spec.sorted) continue;
      spec.function->combine(sources.data(), targets.data(), spec.offset, map.size(), *into.strings);
    }
  }
  for (size_t a = 0; a < g.layout.specs.size(); a++) {
    if (local.sorted[a]) {
      g.sorted[a]->rows.absorb(local.sorted[a]->rows);
      local.sorted[a].reset();
      continue;
    }
    if (!local.distinct[a]) continue;
    for (const DataChunk& chunk : local.distinct[a]->rows.chunks()) {
      add_distinct_pairs(*g.distinct[a], chunk, local.pair_keys);
    }
    local.distinct[a].reset();
  }
}

void PhysicalHashAggregate::finalize(QueryContext&, GlobalState& global) const {
  auto& g = static_cast<AggregateGlobalState&>(global);
  AggregateTable& table = *g.table;
  KeySerializer keys;
  const size_t num_keys = this->num_keys();
  const bool ungrouped = num_keys == 0;
  // SQL: an aggregate without GROUP BY yields one row even over no input.
  if (ungrouped && table.groups.size() == 0) {
    bool inserted;
    keys.serialize({}, 1);
    table.groups.find_or_create(keys.hash(0), keys.key(0), 0, &inserted);
  }
  // So does each grouping set without columns.
  for (size_t set = 0; set < grouping_sets_.size(); set++) {
    if (!grouping_sets_[set].empty()) continue;
    std::vector<Vector> set_key = set_keys(std::vector<Vector>(groups_.size()), set);
    uint32_t id;
    table.find_or_create(pointers(set_key), 1, keys, &id);
  }
  table.sync_size();

  // DISTINCT aggregates fold their globally distinct (group, argument) pairs.
  std::vector<uint32_t> group_ids(kVectorSize);
  std::vector<catalog::AggregateState*> rows;
  for (size_t a = 0; a < g.layout.specs.size(); a++) {
    if (!g.distinct[a]) continue;
    for (const DataChunk& chunk : g.distinct[a]->rows.chunks()) {
      const size_t n = chunk.size();
      std::vector<const Vector*> key_columns;
      for (size_t c = 0; c < num_keys; c++) key_columns.push_back(&chunk.column(c));
      if (ungrouped) {
        std::fill(group_ids.begin(), group_ids.begin() + n, 0);
      } else {
        table.find_or_create(key_columns, n, keys, group_ids.data());
      }
      table.row_pointers(group_ids.data(), n, rows);
      std::vector<Vector> args;
      for (size_t c = num_keys; c < chunk.column_count(); c++) args.push_back(chunk.column(c));
      update_aggregate(g.layout.specs[a], table, args, n, rows.data(), false);
    }
    g.distinct[a].reset();
  }
  // Aggregates over sorted rows: ORDER BY in the call, ordered-set aggregates.
  std::vector<std::optional<Vector>> ordered_set_results(g.layout.specs.size());
  for (size_t a = 0; a < g.layout.specs.size(); a++) {
    if (!g.sorted[a]) continue;
    const auto& agg = static_cast<const BoundAggregate&>(*aggregates_[a]);
    if (g.layout.specs[a].function->ordered_set) ordered_set_results[a].emplace(agg.type, std::max<size_t>(table.groups.size(), 1));
    feed_sorted(table, g.layout.specs[a], agg, num_keys, *g.sorted[a], ordered_set_results[a] ? &*ordered_set_results[a] : nullptr);
    g.sorted[a].reset();
  }
  TS_CHECK(table.groups.size() == table.states_size, "distinct pairs created a new group");

  const size_t num_groups = table.groups.size();
  for (size_t begin = 0; begin < num_groups; begin += kVectorSize) {
    const size_t n = std::min(kVectorSize, num_groups - begin);
    DataChunk out;
    out.initialize(types_, n);
    // Group columns are read back from the serialized keys; strings point into the key heap.
    std::vector<const uint8_t*> cursors(n);
    for (size_t i = 0; i < n; i++) cursors[i] = table.groups.key(static_cast<uint32_t>(begin + i));
    for (size_t c = 0; c < groups_.size(); c++) {
      Vector& column = out.column(c);
      for (size_t i = 0; i < n; i++) KeySerializer::deserialize(cursors[i], column, i);
      if (column.type().physical_type() == PhysicalType::kString) column.add_heap_reference(table.groups.heap());
    }
    if (!grouping_sets_.empty()) {
      // The set number follows the group columns in the key; grouping() values derive from it.
      Vector set_numbers(LogicalType::integer(), n);
      for (size_t i = 0; i < n; i++) KeySerializer::deserialize(cursors[i], set_numbers, i);
      const int32_t* set_of = set_numbers.values<int32_t>();
      const size_t first = groups_.size() + aggregates_.size();
      for (size_t f = 0; f < grouping_values_.size(); f++) {
        int32_t* values = out.column(first + f).mutable_values<int32_t>();
        for (size_t i = 0; i < n; i++) values[i] = grouping_values_[f][static_cast<size_t>(set_of[i])];
      }
    }
    if (!table.representatives.empty()) {
      std::vector<uint32_t> ids(n);
      for (size_t i = 0; i < n; i++) ids[i] = static_cast<uint32_t>(begin + i);
      table.representatives.restore(std::span<Vector>(out.columns().data(), groups_.size()), ids.data(), n);
    }
    write_results(table, begin, n, out, groups_.size(), ordered_set_results);
    out.set_size(n);
    g.results.push_back(std::move(out));
  }
}

std::unique_ptr<GlobalState> PhysicalHashAggregate::make_global_source(QueryContext& query) const {
  return std::make_unique<ResultChunksSource>(static_cast<AggregateGlobalState&>(query.states->sink_state(*this)).results);
}

SourceResult PhysicalHashAggregate::get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const {
  return static_cast<ResultChunksSource&>(global).next_chunk(out);
}

std::string PhysicalHashAggregate::explain_details() const {
  std::string out;
  if (!groups_.empty()) out += "groups: " + join_expressions(groups_, ", ");
  if (!grouping_sets_.empty()) {
    out += (out.empty() ? "" : "; ") + std::string("grouping sets: ");
    for (size_t s = 0; s < grouping_sets_.size(); s++) {
      out += s > 0 ? ", (" : "(";
      for (size_t i = 0; i < grouping_sets_[s].size(); i++) {
        out += (i > 0 ? ", " : "") + groups_[grouping_sets_[s][i]]->to_string();
      }
      out += ")";
    }
  }
  if (!aggregates_.empty()) {
    if (!out.empty()) out += "; ";
    out += "aggregates: " + join_expressions(aggregates_, ", ");
  }
  return out;
}

}  // namespace tessera::executor
