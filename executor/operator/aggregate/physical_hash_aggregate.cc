#include "executor/operator/aggregate/physical_hash_aggregate.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>

#include "executor/expression/expression_executor.h"
#include "executor/kernels/aggregate.h"
#include "executor/operator/aggregate/group_hash_table.h"
#include "executor/key_serializer.h"
#include "executor/operator/projection/expression_state.h"
#include "executor/chunk_collection.h"
#include "src/common/assert.h"

namespace tessera::executor {

namespace {

using planner::AggregateId;
using planner::BoundAggregate;

/// The update rule of one aggregate, fixed by its function and argument type.
enum class AggKind : uint8_t {
  kCountStar,
  kCount,
  kSumInt,
  kSumDouble,
  kAvgInt,
  kAvgDouble,
  kMinInt,
  kMaxInt,
  kMinDouble,
  kMaxDouble,
  kMinString,
  kMaxString,
  kBoolAnd,
  kBoolOr,
};

struct AggSpec {
  AggKind kind;
  PhysicalType arg_type = PhysicalType::kInvalid;
  /// DISTINCT that changes the result (count, sum, avg); min/max/bool ignore DISTINCT.
  bool distinct = false;
};

AggSpec classify(const BoundAggregate& a) {
  AggSpec spec;
  if (a.child) spec.arg_type = a.child->type.physical_type();
  const bool is_double = spec.arg_type == PhysicalType::kDouble;
  const bool is_string = spec.arg_type == PhysicalType::kString;
  switch (a.id) {
    case AggregateId::kCountStar: spec.kind = AggKind::kCountStar; return spec;
    case AggregateId::kCount: spec.kind = AggKind::kCount; spec.distinct = a.distinct; return spec;
    case AggregateId::kSum:
      TS_CHECK(!is_string && spec.arg_type != PhysicalType::kInvalid, "sum over a non-numeric argument");
      spec.kind = is_double ? AggKind::kSumDouble : AggKind::kSumInt;
      spec.distinct = a.distinct;
      return spec;
    case AggregateId::kAvg:
      TS_CHECK(!is_string && spec.arg_type != PhysicalType::kInvalid, "avg over a non-numeric argument");
      spec.kind = is_double ? AggKind::kAvgDouble : AggKind::kAvgInt;
      spec.distinct = a.distinct;
      return spec;
    case AggregateId::kMin:
      spec.kind = is_string ? AggKind::kMinString : is_double ? AggKind::kMinDouble : AggKind::kMinInt;
      return spec;
    case AggregateId::kMax:
      spec.kind = is_string ? AggKind::kMaxString : is_double ? AggKind::kMaxDouble : AggKind::kMaxInt;
      return spec;
    case AggregateId::kBoolAnd: spec.kind = AggKind::kBoolAnd; return spec;
    case AggregateId::kBoolOr: spec.kind = AggKind::kBoolOr; return spec;
  }
  TS_CHECK(false, "unknown aggregate");
  return spec;
}

/// PostgreSQL's order of doubles: NaN above every other value and equal to itself.
inline bool double_less(double a, double b) { return !std::isnan(a) && (std::isnan(b) || a < b); }

[[noreturn]] void bigint_out_of_range() { throw SqlError(SqlState::kNumericValueOutOfRange, "bigint out of range"); }

/// The state of one aggregate for every group, column-wise (indexed by group id). Which arrays
/// are used depends on the AggKind.
struct AggColumn {
  std::vector<int64_t> ints;      // counts; integer min/max; bool_and/or; avg's count
  std::vector<double> doubles;    // double sums, min/max; avg's sum of doubles
  std::vector<__int128> wide;     // exact sums of integers (sum, avg): only the result must fit
  std::vector<string_t> strings;  // min/max of strings (bytes in AggregateTable::strings)
  std::vector<uint8_t> has_value;

  void resize(AggKind kind, size_t n) {
    switch (kind) {
      case AggKind::kCountStar:
      case AggKind::kCount: ints.resize(n, 0); return;
      case AggKind::kSumInt: wide.resize(n, 0); has_value.resize(n, 0); return;
      case AggKind::kMinInt:
      case AggKind::kMaxInt:
      case AggKind::kBoolAnd:
      case AggKind::kBoolOr: ints.resize(n, 0); has_value.resize(n, 0); return;
      case AggKind::kSumDouble:
      case AggKind::kMinDouble:
      case AggKind::kMaxDouble: doubles.resize(n, 0); has_value.resize(n, 0); return;
      case AggKind::kAvgInt: wide.resize(n, 0); ints.resize(n, 0); return;
      case AggKind::kAvgDouble: doubles.resize(n, 0); ints.resize(n, 0); return;
      case AggKind::kMinString:
      case AggKind::kMaxString: strings.resize(n); has_value.resize(n, 0); return;
    }
  }
};

/// Groups plus the aggregate states of each group: a worker's partial result or the global one.
struct AggregateTable {
  /// `integer_key` is the physical type of a single integer group column (the table then
  /// uses GroupHashTable's integer mode), kInvalid otherwise.
  AggregateTable(const std::vector<AggSpec>& specs, PhysicalType integer_key)
      : specs(specs),
        groups(integer_key == PhysicalType::kInvalid ? GroupHashTable() : GroupHashTable(integer_key)),
        columns(specs.size()) {}

  /// Writes the group id of each of the rows [0, count) of `keys` (the group columns) to
  /// `ids`, creating groups as needed. `serializer` is scratch space.
  void find_or_create(const std::vector<const Vector*>& keys, size_t count, KeySerializer& serializer, uint32_t* ids) {
    if (groups.integer_key_type() != PhysicalType::kInvalid) {
      groups.find_or_create(*keys[0], count, ids);
      return;
    }
    serializer.serialize(keys, count);
    groups.find_or_create(serializer, ids);
  }

  /// Grows the state arrays to cover every group of the hash table.
  void sync_size() {
    const size_t n = groups.size();
    if (n == states_size) return;
    // std::vector grows geometrically, so this costs amortized O(1) per new group.
    for (size_t a = 0; a < specs.size(); a++) columns[a].resize(specs[a].kind, n);
    states_size = n;
  }

  const std::vector<AggSpec>& specs;
  GroupHashTable groups;
  std::vector<AggColumn> columns;
  /// Owns the bytes of min/max string states.
  std::shared_ptr<StringHeap> strings = std::make_shared<StringHeap>();
  size_t states_size = 0;
};

/// Calls fn(row, value) for the valid rows [0, count) of `f`.
template <class T, class F>
inline void for_each_valid(const UnifiedVectorFormat& f, size_t count, F&& fn) {
  const T* values = f.values<T>();
  if (f.validity->all_valid()) {
    if (!f.sel.is_set()) {
      for (size_t i = 0; i < count; i++) fn(i, values[i]);
    } else {
      for (size_t i = 0; i < count; i++) fn(i, values[f.sel.get_index(i)]);
    }
    return;
  }
  for (size_t i = 0; i < count; i++) {
    const sel_t idx = f.sel.get_index(i);
    if (f.validity->row_is_valid(idx)) fn(i, values[idx]);
  }
}

/// for_each_valid with the integer (or boolean) value widened to int64.
template <class F>
inline void for_each_valid_int(PhysicalType type, const UnifiedVectorFormat& f, size_t count, F&& fn) {
  switch (type) {
    case PhysicalType::kBool: for_each_valid<uint8_t>(f, count, fn); return;
    case PhysicalType::kInt16: for_each_valid<int16_t>(f, count, fn); return;
    case PhysicalType::kInt32: for_each_valid<int32_t>(f, count, fn); return;
    case PhysicalType::kInt64: for_each_valid<int64_t>(f, count, fn); return;
    default: TS_CHECK(false, "integer aggregate over a non-integer argument");
  }
}

/// Folds `count` rows of ungrouped input (all in group 0) with the SIMD kernels. Returns false
/// when the kind or representation has no kernel path.
bool update_ungrouped(const AggSpec& spec, AggColumn& col, const Vector& arg, size_t count) {
  if (arg.vector_type() != VectorType::kFlat) return false;
  const uint64_t* validity = arg.validity().all_valid() ? nullptr : arg.validity().data();
  switch (spec.kind) {
    case AggKind::kCount: col.ints[0] += static_cast<int64_t>(count_valid(validity, count)); return true;
    case AggKind::kSumInt: {
      bool overflow = false;
      int64_t sum = 0;
      switch (spec.arg_type) {
        case PhysicalType::kInt16: overflow = sum_i16(arg.values<int16_t>(), count, validity, &sum); break;
        case PhysicalType::kInt32: overflow = sum_i32(arg.values<int32_t>(), count, validity, &sum); break;
        case PhysicalType::kInt64: overflow = sum_i64(arg.values<int64_t>(), count, validity, &sum); break;
        default: return false;
      }
      // A chunk whose own sum leaves int64 takes the exact 128-bit row-at-a-time path.
      if (overflow) return false;
      col.wide[0] += sum;
      if (count_valid(validity, count) > 0) col.has_value[0] = 1;
      return true;
    }
    case AggKind::kSumDouble:
      sum_f64(arg.values<double>(), count, validity, &col.doubles[0]);
      if (count_valid(validity, count) > 0) col.has_value[0] = 1;
      return true;
    default: return false;
  }
}

/// Folds the rows [0, count) of `arg` into the states of their groups `groups[row]`.
void update_column(const AggSpec& spec, AggColumn& col, StringHeap& heap, const Vector* arg, size_t count,
                   const uint32_t* groups, bool ungrouped, std::vector<uint8_t>& dirty) {
  if (spec.kind == AggKind::kCountStar) {
    if (ungrouped) {
      col.ints[0] += static_cast<int64_t>(count);
    } else {
      for (size_t i = 0; i < count; i++) col.ints[groups[i]]++;
    }
    return;
  }
  if (ungrouped && update_ungrouped(spec, col, *arg, count)) return;
  UnifiedVectorFormat f;
  arg->to_unified(count, f);
  int64_t* ints = col.ints.data();
  double* doubles = col.doubles.data();
  uint8_t* has = col.has_value.data();
  switch (spec.kind) {
    case AggKind::kCountStar: return;
    case AggKind::kCount: {
      if (f.validity->all_valid()) {
        for (size_t i = 0; i < count; i++) ints[groups[i]]++;
      } else {
        for (size_t i = 0; i < count; i++) ints[groups[i]] += f.validity->row_is_valid(f.sel.get_index(i)) ? 1 : 0;
      }
      return;
    }
    case AggKind::kSumInt: {
      __int128* wide = col.wide.data();
      for_each_valid_int(spec.arg_type, f, count, [&](size_t i, auto v) {
        wide[groups[i]] += static_cast<int64_t>(v);
        has[groups[i]] = 1;
      });
      return;
    }
    case AggKind::kSumDouble:
      for_each_valid<double>(f, count, [&](size_t i, double v) {
        doubles[groups[i]] += v;
        has[groups[i]] = 1;
      });
      return;
    case AggKind::kAvgInt: {
      __int128* wide = col.wide.data();
      for_each_valid_int(spec.arg_type, f, count, [&](size_t i, auto v) {
        wide[groups[i]] += static_cast<int64_t>(v);
        ints[groups[i]]++;
      });
      return;
    }
    case AggKind::kAvgDouble:
      for_each_valid<double>(f, count, [&](size_t i, double v) {
        doubles[groups[i]] += v;
        ints[groups[i]]++;
      });
      return;
    case AggKind::kMinInt:
      for_each_valid_int(spec.arg_type, f, count, [&](size_t i, auto v) {
        const uint32_t g = groups[i];
        const auto x = static_cast<int64_t>(v);
        if (!has[g] || x < ints[g]) ints[g] = x;
        has[g] = 1;
      });
      return;
    case AggKind::kMaxInt:
      for_each_valid_int(spec.arg_type, f, count, [&](size_t i, auto v) {
        const uint32_t g = groups[i];
        const auto x = static_cast<int64_t>(v);
        if (!has[g] || x > ints[g]) ints[g] = x;
        has[g] = 1;
      });
      return;
    case AggKind::kMinDouble:
      for_each_valid<double>(f, count, [&](size_t i, double v) {
        const uint32_t g = groups[i];
        if (!has[g] || double_less(v, doubles[g])) doubles[g] = v;
        has[g] = 1;
      });
      return;
    case AggKind::kMaxDouble:
      for_each_valid<double>(f, count, [&](size_t i, double v) {
        const uint32_t g = groups[i];
        if (!has[g] || double_less(doubles[g], v)) doubles[g] = v;
        has[g] = 1;
      });
      return;
    case AggKind::kMinString:
    case AggKind::kMaxString: {
      // Winners point into the input until the end of the chunk; then each changed group's
      // winner is copied once into the state's heap.
      const bool is_min = spec.kind == AggKind::kMinString;
      string_t* strings = col.strings.data();
      std::vector<uint32_t> changed;
      for_each_valid<string_t>(f, count, [&](size_t i, const string_t& v) {
        const uint32_t g = groups[i];
        if (has[g]) {
          const int c = compare(v, strings[g]);
          if (is_min ? c >= 0 : c <= 0) return;
        }
        strings[g] = v;
        has[g] = 1;
        if (dirty.size() <= g) dirty.resize(std::max<size_t>(g + 1, dirty.size() * 2), 0);
        if (!dirty[g]) {
          dirty[g] = 1;
          changed.push_back(g);
        }
      });
      for (uint32_t g : changed) {
        strings[g] = heap.add(strings[g]);
        dirty[g] = 0;
      }
      return;
    }
    case AggKind::kBoolAnd:
      for_each_valid<uint8_t>(f, count, [&](size_t i, uint8_t v) {
        const uint32_t g = groups[i];
        ints[g] = has[g] ? (ints[g] & (v != 0)) : (v != 0);
        has[g] = 1;
      });
      return;
    case AggKind::kBoolOr:
      for_each_valid<uint8_t>(f, count, [&](size_t i, uint8_t v) {
        const uint32_t g = groups[i];
        ints[g] = has[g] ? (ints[g] | (v != 0)) : (v != 0);
        has[g] = 1;
      });
      return;
  }
}

/// Merges the states of `from` into `into`: group g of `from` is group map[g] of `into`.
void merge_column(const AggSpec& spec, AggColumn& into, const AggColumn& from, const std::vector<uint32_t>& map,
                  StringHeap& heap) {
  const size_t n = map.size();
  switch (spec.kind) {
    case AggKind::kCountStar:
    case AggKind::kCount:
      for (size_t g = 0; g < n; g++) into.ints[map[g]] += from.ints[g];
      return;
    case AggKind::kSumInt:
      for (size_t g = 0; g < n; g++) {
        if (!from.has_value[g]) continue;
        into.wide[map[g]] += from.wide[g];
        into.has_value[map[g]] = 1;
      }
      return;
    case AggKind::kSumDouble:
      for (size_t g = 0; g < n; g++) {
        if (!from.has_value[g]) continue;
        into.doubles[map[g]] += from.doubles[g];
        into.has_value[map[g]] = 1;
      }
      return;
    case AggKind::kAvgInt:
      for (size_t g = 0; g < n; g++) {
        into.wide[map[g]] += from.wide[g];
        into.ints[map[g]] += from.ints[g];
      }
      return;
    case AggKind::kAvgDouble:
      for (size_t g = 0; g < n; g++) {
        into.doubles[map[g]] += from.doubles[g];
        into.ints[map[g]] += from.ints[g];
      }
      return;
    case AggKind::kMinInt:
    case AggKind::kMaxInt: {
      const bool is_min = spec.kind == AggKind::kMinInt;
      for (size_t g = 0; g < n; g++) {
        if (!from.has_value[g]) continue;
        const uint32_t t = map[g];
        const int64_t v = from.ints[g];
        if (!into.has_value[t] || (is_min ? v < into.ints[t] : v > into.ints[t])) into.ints[t] = v;
        into.has_value[t] = 1;
      }
      return;
    }
    case AggKind::kMinDouble:
    case AggKind::kMaxDouble: {
      const bool is_min = spec.kind == AggKind::kMinDouble;
      for (size_t g = 0; g < n; g++) {
        if (!from.has_value[g]) continue;
        const uint32_t t = map[g];
        const double v = from.doubles[g];
        if (!into.has_value[t] || (is_min ? double_less(v, into.doubles[t]) : double_less(into.doubles[t], v))) {
          into.doubles[t] = v;
        }
        into.has_value[t] = 1;
      }
      return;
    }
    case AggKind::kMinString:
    case AggKind::kMaxString: {
      const bool is_min = spec.kind == AggKind::kMinString;
      for (size_t g = 0; g < n; g++) {
        if (!from.has_value[g]) continue;
        const uint32_t t = map[g];
        if (into.has_value[t]) {
          const int c = compare(from.strings[g], into.strings[t]);
          if (is_min ? c >= 0 : c <= 0) continue;
        }
        into.strings[t] = heap.add(from.strings[g]);
        into.has_value[t] = 1;
      }
      return;
    }
    case AggKind::kBoolAnd:
    case AggKind::kBoolOr: {
      const bool is_and = spec.kind == AggKind::kBoolAnd;
      for (size_t g = 0; g < n; g++) {
        if (!from.has_value[g]) continue;
        const uint32_t t = map[g];
        if (!into.has_value[t]) {
          into.ints[t] = from.ints[g];
        } else {
          into.ints[t] = is_and ? (into.ints[t] & from.ints[g]) : (into.ints[t] | from.ints[g]);
        }
        into.has_value[t] = 1;
      }
      return;
    }
  }
}

/// Writes the final value of groups [begin, begin + n) of one aggregate into `out`.
void write_results(const AggSpec& spec, const AggColumn& col, size_t begin, size_t n, Vector& out,
                   const std::shared_ptr<StringHeap>& heap) {
  out.make_writable();
  ValidityMask& validity = out.mutable_validity();
  switch (spec.kind) {
    case AggKind::kCountStar:
    case AggKind::kCount:
      for (size_t i = 0; i < n; i++) out.mutable_values<int64_t>()[i] = col.ints[begin + i];
      return;
    case AggKind::kSumInt:
      TS_CHECK(out.type().physical_type() == PhysicalType::kInt64, "integer sum must be bigint");
      for (size_t i = 0; i < n; i++) {
        if (!col.has_value[begin + i]) {
          validity.set_invalid(i);
          continue;
        }
        const __int128 v = col.wide[begin + i];
        if (v > std::numeric_limits<int64_t>::max() || v < std::numeric_limits<int64_t>::min()) bigint_out_of_range();
        out.mutable_values<int64_t>()[i] = static_cast<int64_t>(v);
      }
      return;
    case AggKind::kMinInt:
    case AggKind::kMaxInt:
    case AggKind::kBoolAnd:
    case AggKind::kBoolOr: {
      const PhysicalType pt = out.type().physical_type();
      for (size_t i = 0; i < n; i++) {
        if (!col.has_value[begin + i]) {
          validity.set_invalid(i);
          continue;
        }
        const int64_t v = col.ints[begin + i];
        switch (pt) {
          case PhysicalType::kBool: out.mutable_values<uint8_t>()[i] = v != 0 ? 1 : 0; break;
          case PhysicalType::kInt16: out.mutable_values<int16_t>()[i] = static_cast<int16_t>(v); break;
          case PhysicalType::kInt32: out.mutable_values<int32_t>()[i] = static_cast<int32_t>(v); break;
          case PhysicalType::kInt64: out.mutable_values<int64_t>()[i] = v; break;
          case PhysicalType::kDouble: out.mutable_values<double>()[i] = static_cast<double>(v); break;
          default: TS_CHECK(false, "aggregate result of unexpected type");
        }
      }
      return;
    }
    case AggKind::kSumDouble:
    case AggKind::kMinDouble:
    case AggKind::kMaxDouble:
      for (size_t i = 0; i < n; i++) {
        if (!col.has_value[begin + i]) {
          validity.set_invalid(i);
        } else {
          out.mutable_values<double>()[i] = col.doubles[begin + i];
        }
      }
      return;
    case AggKind::kAvgInt:
    case AggKind::kAvgDouble:
      for (size_t i = 0; i < n; i++) {
        const int64_t count = col.ints[begin + i];
        if (count == 0) {
          validity.set_invalid(i);
          continue;
        }
        const double sum = spec.kind == AggKind::kAvgInt ? static_cast<double>(col.wide[begin + i]) : col.doubles[begin + i];
        out.mutable_values<double>()[i] = sum / static_cast<double>(count);
      }
      return;
    case AggKind::kMinString:
    case AggKind::kMaxString:
      for (size_t i = 0; i < n; i++) {
        if (!col.has_value[begin + i]) {
          validity.set_invalid(i);
        } else {
          out.mutable_values<string_t>()[i] = col.strings[begin + i];
        }
      }
      out.add_heap_reference(heap);
      return;
  }
}

/// The distinct (group key, argument) pairs of one DISTINCT aggregate seen so far.
struct DistinctSet {
  explicit DistinctSet(std::vector<LogicalType> types) : rows(std::move(types)) {}
  GroupHashTable seen;
  /// One row per pair: the group columns, then the argument.
  ChunkCollection rows;
};

struct AggregateGlobalState : GlobalState {
  std::vector<AggSpec> specs;
  PhysicalType integer_key = PhysicalType::kInvalid;
  std::mutex mutex;
  std::unique_ptr<AggregateTable> table;
  std::vector<std::unique_ptr<DistinctSet>> distinct;  // per aggregate; null unless DISTINCT
  /// Built by finalize: the output, kVectorSize rows per chunk.
  std::vector<DataChunk> results;
};

struct AggregateLocalState : LocalState {
  AggregateLocalState(QueryContext& query, const std::vector<AggSpec>& specs, PhysicalType integer_key)
      : expressions(query), table(specs, integer_key), groups(kVectorSize) {}
  ExpressionExecutor expressions;
  AggregateTable table;
  KeySerializer keys;
  KeySerializer pair_keys;
  std::vector<uint32_t> groups;
  std::vector<uint8_t> dirty;
  std::vector<std::unique_ptr<DistinctSet>> distinct;
};

struct AggregateSourceState : GlobalState {
  explicit AggregateSourceState(AggregateGlobalState& sink) : sink(sink) {}
  size_t max_threads() const override { return std::max<size_t>(1, sink.results.size()); }
  AggregateGlobalState& sink;
  std::atomic<size_t> next{0};
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

}  // namespace

PhysicalHashAggregate::PhysicalHashAggregate(std::vector<LogicalType> types, std::vector<planner::BoundExprPtr> groups,
                                             std::vector<planner::BoundExprPtr> aggregates,
                                             std::unique_ptr<PhysicalOperator> child)
    : PhysicalOperator("HASH_AGGREGATE", std::move(types)), groups_(std::move(groups)), aggregates_(std::move(aggregates)) {
  TS_CHECK(types_.size() == groups_.size() + aggregates_.size(), "hash aggregate: output column count mismatch");
  for (const auto& a : aggregates_) TS_CHECK(a->kind == planner::BoundExprKind::kAggregate, "hash aggregate: not an aggregate");
  add_child(std::move(child));
}

std::unique_ptr<GlobalState> PhysicalHashAggregate::make_global_sink(QueryContext&) const {
  auto state = std::make_unique<AggregateGlobalState>();
  for (const auto& a : aggregates_) state->specs.push_back(classify(static_cast<const BoundAggregate&>(*a)));
  if (groups_.size() == 1 && GroupHashTable::supports_integer_key(groups_[0]->type.physical_type())) {
    state->integer_key = groups_[0]->type.physical_type();
  }
  state->table = std::make_unique<AggregateTable>(state->specs, state->integer_key);
  std::vector<LogicalType> group_types;
  for (const auto& g : groups_) group_types.push_back(g->type);
  for (size_t a = 0; a < aggregates_.size(); a++) {
    if (!state->specs[a].distinct) {
      state->distinct.push_back(nullptr);
      continue;
    }
    auto types = group_types;
    types.push_back(static_cast<const BoundAggregate&>(*aggregates_[a]).child->type);
    state->distinct.push_back(std::make_unique<DistinctSet>(std::move(types)));
  }
  return state;
}

std::unique_ptr<LocalState> PhysicalHashAggregate::make_local_sink(WorkerContext& worker, GlobalState& global) const {
  auto& g = static_cast<AggregateGlobalState&>(global);
  auto local = std::make_unique<AggregateLocalState>(worker.query, g.specs, g.integer_key);
  for (const auto& d : g.distinct) {
    local->distinct.push_back(d ? std::make_unique<DistinctSet>(d->rows.types()) : nullptr);
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
  const bool ungrouped = groups_.empty();
  if (ungrouped) {
    if (local.table.groups.size() == 0) {
      bool inserted;
      local.keys.serialize({}, 1);
      local.table.groups.find_or_create(local.keys.hash(0), local.keys.key(0), 0, &inserted);
    }
    std::fill(local.groups.begin(), local.groups.begin() + n, 0);
  } else {
    local.table.find_or_create(pointers(group_vectors), n, local.keys, local.groups.data());
  }
  local.table.sync_size();

  for (size_t a = 0; a < aggregates_.size(); a++) {
    const AggSpec& spec = g.specs[a];
    const auto& agg = static_cast<const BoundAggregate&>(*aggregates_[a]);
    if (spec.kind == AggKind::kCountStar) {
      update_column(spec, local.table.columns[a], *local.table.strings, nullptr, n, local.groups.data(), ungrouped,
                    local.dirty);
      continue;
    }
    Vector arg;
    local.expressions.execute(*agg.child, in, arg);
    if (!spec.distinct) {
      update_column(spec, local.table.columns[a], *local.table.strings, &arg, n, local.groups.data(), ungrouped,
                    local.dirty);
      continue;
    }
    // DISTINCT: keep each new (group, argument) pair; the aggregate is computed in finalize
    // from the globally deduplicated pairs.
    UnifiedVectorFormat f;
    arg.to_unified(n, f);
    DataChunk pairs;
    for (const auto& v : group_vectors) pairs.columns().push_back(v);
    pairs.columns().push_back(arg);
    pairs.set_size(n);
    if (!f.validity->all_valid()) {
      SelectionVector valid(n);
      size_t k = 0;
      for (size_t i = 0; i < n; i++) {
        if (f.validity->row_is_valid(f.sel.get_index(i))) valid.set_index(k++, static_cast<sel_t>(i));
      }
      pairs.slice(valid, k);
    }
    add_distinct_pairs(*local.distinct[a], pairs, local.pair_keys);
  }
  return SinkResult::kNeedMoreInput;
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
  }
  into.sync_size();
  for (size_t a = 0; a < g.specs.size(); a++) {
    if (g.specs[a].distinct) continue;
    merge_column(g.specs[a], into.columns[a], local.table.columns[a], map, *into.strings);
  }
  for (size_t a = 0; a < g.specs.size(); a++) {
    if (!g.specs[a].distinct) continue;
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
  const bool ungrouped = groups_.empty();
  // SQL: an aggregate without GROUP BY yields one row even over no input.
  if (ungrouped && table.groups.size() == 0) {
    bool inserted;
    keys.serialize({}, 1);
    table.groups.find_or_create(keys.hash(0), keys.key(0), 0, &inserted);
  }
  table.sync_size();

  // DISTINCT aggregates fold their globally distinct (group, argument) pairs.
  std::vector<uint32_t> group_ids(kVectorSize);
  std::vector<uint8_t> dirty;
  for (size_t a = 0; a < g.specs.size(); a++) {
    if (!g.specs[a].distinct) continue;
    for (const DataChunk& chunk : g.distinct[a]->rows.chunks()) {
      const size_t n = chunk.size();
      std::vector<const Vector*> key_columns;
      for (size_t c = 0; c < groups_.size(); c++) key_columns.push_back(&chunk.column(c));
      if (ungrouped) {
        std::fill(group_ids.begin(), group_ids.begin() + n, 0);
      } else {
        table.find_or_create(key_columns, n, keys, group_ids.data());
      }
      update_column(g.specs[a], table.columns[a], *table.strings, &chunk.column(groups_.size()), n, group_ids.data(),
                    false, dirty);
    }
    g.distinct[a].reset();
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
    for (size_t a = 0; a < g.specs.size(); a++) {
      write_results(g.specs[a], table.columns[a], begin, n, out.column(groups_.size() + a), table.strings);
    }
    out.set_size(n);
    g.results.push_back(std::move(out));
  }
}

std::unique_ptr<GlobalState> PhysicalHashAggregate::make_global_source(QueryContext& query) const {
  return std::make_unique<AggregateSourceState>(static_cast<AggregateGlobalState&>(query.states->sink_state(*this)));
}

SourceResult PhysicalHashAggregate::get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const {
  auto& state = static_cast<AggregateSourceState&>(global);
  const size_t index = state.next.fetch_add(1);
  const auto& results = state.sink.results;
  if (index >= results.size()) {
    out.set_size(0);
    return SourceResult::kFinished;
  }
  out.reference(results[index]);
  return index + 1 >= results.size() ? SourceResult::kFinished : SourceResult::kHaveMoreOutput;
}

std::string PhysicalHashAggregate::explain_details() const {
  std::string out;
  if (!groups_.empty()) out += "groups: " + join_expressions(groups_, ", ");
  if (!aggregates_.empty()) {
    if (!out.empty()) out += "; ";
    out += "aggregates: " + join_expressions(aggregates_, ", ");
  }
  return out;
}

}  // namespace tessera::executor
