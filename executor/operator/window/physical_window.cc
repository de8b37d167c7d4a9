#include "executor/operator/window/physical_window.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>

#include "executor/chunk_collection.h"
#include "executor/expression/expression_executor.h"
#include "executor/operator/sort/row_sorter.h"
#include "executor/operator/window/aggregate_segment_tree.h"
#include "executor/operator/window/window_frame.h"
#include "src/common/assert.h"
#include "src/common/datetime.h"
#include "src/common/hash.h"
#include "src/common/memory_tracker.h"
#include "src/common/numeric.h"
#include "src/common/sql_error.h"

namespace tessera::executor {

using planner::BoundWindow;
using planner::WindowFrameBoundKind;
using planner::WindowFrameUnit;
using planner::WindowFunction;

namespace {

/// A window's frame with its offsets evaluated.
struct EvaluatedFrame {
  WindowFrameSpec spec;
  Value range_start;  ///< RANGE offsets, in the offset type
  Value range_end;
};

/// The rows of one hash bucket and, once finalized, their order and window columns.
struct Bucket {
  explicit Bucket(std::vector<LogicalType> types) : rows(std::move(types)) {}
  ChunkCollection rows;
  ColumnarRows data;
  std::vector<sel_t> order;     ///< sorted position -> row of `data`
  std::vector<sel_t> identity;  ///< 0, 1, 2, ... (slices the window columns)
  std::vector<Vector> results;  ///< per window, in sorted order
  MemoryCharge charge;
};

struct WindowGlobalState : GlobalState {
  std::mutex mutex;
  std::vector<Bucket> buckets;
  std::vector<EvaluatedFrame> frames;
};

struct WindowLocalState : LocalState {
  explicit WindowLocalState(QueryContext& query) : expressions(query) {}
  ExpressionExecutor expressions;
  std::vector<ChunkCollection> buckets;
  std::vector<uint64_t> hashes;
};

struct WindowSourceState : GlobalState {
  explicit WindowSourceState(WindowGlobalState& sink) : sink(sink) {}
  WindowGlobalState& sink;
  size_t bucket = 0;
  size_t position = 0;
};

/// Combines the hash of each of rows 0..count of `v` into `hashes` (set when `first`). Rows that
/// compare equal in RowSorter hash alike.
void hash_column(const Vector& v, size_t count, uint64_t* hashes, bool first) {
  UnifiedVectorFormat f;
  v.to_unified(count, f);
  const PhysicalType type = v.type().physical_type();
  for (size_t i = 0; i < count; i++) {
    const sel_t idx = f.sel.get_index(i);
    hash_t h = kNullHash;
    if (f.validity->row_is_valid(idx)) {
      switch (type) {
        case PhysicalType::kBool: h = hash_int(f.values<uint8_t>()[idx]); break;
        case PhysicalType::kInt16: h = hash_int(static_cast<uint64_t>(f.values<int16_t>()[idx])); break;
        case PhysicalType::kInt32: h = hash_int(static_cast<uint64_t>(f.values<int32_t>()[idx])); break;
        case PhysicalType::kInt64: h = hash_int(static_cast<uint64_t>(f.values<int64_t>()[idx])); break;
        case PhysicalType::kDouble: {
          const double d = f.values<double>()[idx];
          h = std::isnan(d) ? hash_int(0x7ff8000000000000ULL) : hash_double(d);
          break;
        }
        case PhysicalType::kNumeric: h = numeric::hash(f.values<Numeric>()[idx]); break;
        case PhysicalType::kFloat: {
          const double d = f.values<float>()[idx];
          h = std::isnan(d) ? hash_int(0x7ff8000000000000ULL) : hash_double(d);
          break;
        }
        case PhysicalType::kString: h = hash_string(f.values<string_t>()[idx]); break;
        case PhysicalType::kInterval: h = hash_interval(f.values<Interval>()[idx]); break;
        case PhysicalType::kInvalid: TS_CHECK(false, "window: partition key of invalid type");
      }
    }
    hashes[i] = first ? h : combine_hash(hashes[i], h);
  }
}

Value evaluate_offset(ExpressionExecutor& executor, const planner::BoundExprPtr& expr) {
  if (!expr) return Value();
  DataChunk single;
  single.set_size(1);
  Vector result;
  executor.execute(*expr, single, result);
  return result.get_value(0);
}

int64_t int32_at(const Vector& v, size_t row, bool* is_null) {
  *is_null = !v.validity().row_is_valid(row);
  return *is_null ? 0 : v.values<int32_t>()[row];
}

/// RANGE bounds with offsets of one partition (positions 0..n): rows [null_begin, null_end)
/// have a NULL key (a NULL row's offset frame is its peers); the others are searched by key.
template <class K, class Shift, class Compare>
void range_offset_bounds(size_t n, size_t null_begin, size_t null_end, const std::vector<K>& keys, bool descending,
                         const WindowFrameSpec& spec, Shift shift, Compare compare, std::vector<uint32_t>& starts,
                         std::vector<uint32_t>& ends) {
  starts.assign(n, 0);
  ends.assign(n, 0);
  // The non-NULL rows are one run, before or after the NULLs.
  const size_t lo = null_begin == 0 && null_end > 0 ? null_end : 0;
  const size_t hi = null_begin == 0 && null_end > 0 ? n : null_begin;
  auto sort_compare = [&](const K& a, const K& b) { return descending ? -compare(a, b) : compare(a, b); };
  auto bound = [&](size_t row, WindowFrameBoundKind kind, bool is_end) -> uint32_t {
    if (row >= null_begin && row < null_end) return static_cast<uint32_t>(is_end ? null_end : null_begin);
    // n PRECEDING moves against the sort order, n FOLLOWING with it.
    const bool add = (kind == WindowFrameBoundKind::kFollowing) != descending;
    const K target = shift(keys[row], add, is_end);
    size_t first = lo, count = hi - lo;
    while (count > 0) {
      const size_t step = count / 2;
      const size_t mid = first + step;
      const int c = sort_compare(keys[mid], target);
      if (is_end ? c <= 0 : c < 0) {
        first = mid + 1;
        count -= step + 1;
      } else {
        count = step;
      }
    }
    return static_cast<uint32_t>(first);
  };
  const bool start_offset = spec.start == WindowFrameBoundKind::kPreceding || spec.start == WindowFrameBoundKind::kFollowing;
  const bool end_offset = spec.end == WindowFrameBoundKind::kPreceding || spec.end == WindowFrameBoundKind::kFollowing;
  for (size_t row = 0; row < n; row++) {
    if (start_offset) starts[row] = bound(row, spec.start, false);
    if (end_offset) ends[row] = bound(row, spec.end, true);
  }
}

int compare_doubles(double x, double y) {
  const bool nx = std::isnan(x), ny = std::isnan(y);
  if (nx || ny) return nx == ny ? 0 : (nx ? 1 : -1);
  return x < y ? -1 : (y < x ? 1 : 0);
}

/// Computes RANGE offset bounds for the partition [begin, begin + n) of the sorted key column.
void range_bounds(const Vector& sorted_key, size_t begin, size_t n, bool descending, bool nulls_first, const EvaluatedFrame& frame,
                  std::vector<uint32_t>& starts, std::vector<uint32_t>& ends) {
  const ValidityMask& validity = sorted_key.validity();
  size_t nulls = 0;
  for (size_t i = 0; i < n; i++) nulls += validity.row_is_valid(begin + i) ? 0 : 1;
  const size_t null_begin = nulls == 0 ? n : nulls_first ? 0 : n - nulls;
  const size_t null_end = nulls == 0 ? n : nulls_first ? nulls : n;
  const Value& start_offset = frame.range_start;
  const Value& end_offset = frame.range_end;
  auto offset_of = [&](bool is_end) -> const Value& { return is_end ? end_offset : start_offset; };
  const WindowFrameSpec& spec = frame.spec;
  switch (sorted_key.type().id()) {
    case LogicalTypeId::kSmallint:
    case LogicalTypeId::kInteger:
    case LogicalTypeId::kBigint: {
      std::vector<__int128> keys(n);
      for (size_t i = 0; i < n; i++) {
        if (!validity.row_is_valid(begin + i)) continue;
        const Value v = sorted_key.get_value(begin + i);
        keys[i] = v.get_int64();
      }
      range_offset_bounds<__int128>(
          n, null_begin, null_end, keys, descending, spec,
          [&](__int128 k, bool add, bool is_end) {
            const __int128 off = offset_of(is_end).get_int64();
            return add ? k + off : k - off;
          },
          [](__int128 a, __int128 b) { return a < b ? -1 : (b < a ? 1 : 0); }, starts, ends);
      return;
    }
    case LogicalTypeId::kDouble: {
      std::vector<double> keys(n);
      for (size_t i = 0; i < n; i++) keys[i] = validity.row_is_valid(begin + i) ? sorted_key.values<double>()[begin + i] : 0;
      range_offset_bounds<double>(
          n, null_begin, null_end, keys, descending, spec,
          [&](double k, bool add, bool is_end) {
            const double off = offset_of(is_end).get_double();
            // PostgreSQL's in_range: an infinite key moved by an infinite offset towards the
            // other infinity has every row in range (inf - inf would be NaN).
            if (std::isinf(k) && std::isinf(off) && (add ? k < 0 : k > 0)) {
              const double inf = std::numeric_limits<double>::infinity();
              return (is_end != descending) ? inf : -inf;
            }
            return add ? k + off : k - off;
          },
          compare_doubles, starts, ends);
      return;
    }
    case LogicalTypeId::kDate:
    case LogicalTypeId::kTimestamp:
    case LogicalTypeId::kTimestampTz:
    case LogicalTypeId::kTime: {
      const LogicalTypeId id = sorted_key.type().id();
      std::vector<int64_t> keys(n);
      for (size_t i = 0; i < n; i++) {
        if (!validity.row_is_valid(begin + i)) continue;
        keys[i] = id == LogicalTypeId::kDate ? int64_t{sorted_key.values<int32_t>()[begin + i]} * datetime::kUsecsPerDay
                                             : sorted_key.values<int64_t>()[begin + i];
      }
      const auto& context = current_datetime_context();
      const TimeZone& zone = context.time_zone ? *context.time_zone : *utc_time_zone();
      range_offset_bounds<int64_t>(
          n, null_begin, null_end, keys, descending, spec,
          [&](int64_t k, bool add, bool is_end) -> int64_t {
            const Interval off = add ? offset_of(is_end).get_interval() : datetime::interval_negate(offset_of(is_end).get_interval());
            if (id == LogicalTypeId::kTime) return k + off.micros;
            if (id == LogicalTypeId::kTimestampTz) return datetime::timestamptz_plus_interval(k, off, zone);
            return datetime::timestamp_plus_interval(k, off);
          },
          [](int64_t a, int64_t b) { return a < b ? -1 : (b < a ? 1 : 0); }, starts, ends);
      return;
    }
    case LogicalTypeId::kInterval: {
      std::vector<Interval> keys(n);
      for (size_t i = 0; i < n; i++) keys[i] = validity.row_is_valid(begin + i) ? sorted_key.values<Interval>()[begin + i] : Interval{};
      range_offset_bounds<Interval>(
          n, null_begin, null_end, keys, descending, spec,
          [&](const Interval& k, bool add, bool is_end) {
            const Interval& off = offset_of(is_end).get_interval();
            return datetime::interval_add(k, add ? off : datetime::interval_negate(off));
          },
          [](const Interval& a, const Interval& b) { return compare_intervals(a, b); }, starts, ends);
      return;
    }
    default: TS_CHECK(false, "window: RANGE offset over an unsupported key type");
  }
}

}  // namespace

PhysicalWindow::PhysicalWindow(std::vector<LogicalType> types, std::vector<planner::BoundExprPtr> partitions,
                               std::vector<SortKey> orders, std::vector<planner::BoundExprPtr> windows,
                               std::unique_ptr<PhysicalOperator> child)
    : PhysicalOperator("WINDOW", std::move(types)),
      input_count_(child->output_types().size()),
      partitions_(std::move(partitions)),
      orders_(std::move(orders)),
      windows_(std::move(windows)) {
  TS_CHECK(types_.size() == input_count_ + windows_.size(), "window: output is the input plus one column per window");
  for (const auto& t : child->output_types()) stored_types_.push_back(t);
  for (const auto& p : partitions_) stored_types_.push_back(p->type);
  for (const auto& o : orders_) stored_types_.push_back(o.expression->type);
  for (const auto& w : windows_) {
    TS_CHECK(w->kind == planner::BoundExprKind::kWindow, "window: not a window function");
    const auto& window = static_cast<const BoundWindow&>(*w);
    WindowColumns columns;
    columns.first_arg = stored_types_.size();
    columns.num_args = window.args.size();
    for (const auto& a : window.args) stored_types_.push_back(a->type);
    if (window.filter) {
      columns.filter = static_cast<int>(stored_types_.size());
      stored_types_.push_back(LogicalType::boolean());
    }
    window_columns_.push_back(columns);
  }
  add_child(std::move(child));
}

std::unique_ptr<GlobalState> PhysicalWindow::make_global_sink(QueryContext&) const {
  auto state = std::make_unique<WindowGlobalState>();
  const size_t buckets = partitions_.empty() ? 1 : kBuckets;
  for (size_t b = 0; b < buckets; b++) state->buckets.emplace_back(stored_types_);
  return state;
}

std::unique_ptr<LocalState> PhysicalWindow::make_local_sink(WorkerContext& worker, GlobalState& global) const {
  auto state = std::make_unique<WindowLocalState>(worker.query);
  const size_t buckets = static_cast<WindowGlobalState&>(global).buckets.size();
  for (size_t b = 0; b < buckets; b++) state->buckets.emplace_back(stored_types_);
  return state;
}

SinkResult PhysicalWindow::sink(WorkerContext&, DataChunk& in, GlobalState&, LocalState& local_state) const {
  auto& local = static_cast<WindowLocalState&>(local_state);
  const size_t count = in.size();
  if (count == 0) return SinkResult::kNeedMoreInput;
  DataChunk stored;
  for (size_t c = 0; c < input_count_; c++) stored.columns().push_back(in.column(c));
  auto evaluate = [&](const planner::BoundExpression& e) {
    Vector v;
    local.expressions.execute(e, in, v);
    stored.columns().push_back(std::move(v));
  };
  for (const auto& p : partitions_) evaluate(*p);
  for (const auto& o : orders_) evaluate(*o.expression);
  for (const auto& w : windows_) {
    const auto& window = static_cast<const BoundWindow&>(*w);
    for (const auto& a : window.args) evaluate(*a);
    if (window.filter) evaluate(*window.filter);
  }
  stored.set_size(count);
  if (local.buckets.size() == 1) {
    local.buckets[0].append(stored);
    return SinkResult::kNeedMoreInput;
  }
  local.hashes.resize(count);
  for (size_t p = 0; p < partitions_.size(); p++) hash_column(stored.column(input_count_ + p), count, local.hashes.data(), p == 0);
  std::vector<std::vector<sel_t>> rows(local.buckets.size());
  for (size_t i = 0; i < count; i++) rows[(local.hashes[i] >> 32) % local.buckets.size()].push_back(static_cast<sel_t>(i));
  for (size_t b = 0; b < rows.size(); b++) {
    if (rows[b].empty()) continue;
    local.buckets[b].append(stored, SelectionVector(rows[b].data()), rows[b].size());
  }
  return SinkResult::kNeedMoreInput;
}

void PhysicalWindow::combine(WorkerContext&, GlobalState& global, LocalState& local_state) const {
  auto& g = static_cast<WindowGlobalState&>(global);
  auto& local = static_cast<WindowLocalState&>(local_state);
  std::lock_guard lock(g.mutex);
  for (size_t b = 0; b < local.buckets.size(); b++) g.buckets[b].rows.absorb(local.buckets[b]);
}

size_t PhysicalWindow::prepare_finalize(QueryContext& query, GlobalState& global) const {
  auto& g = static_cast<WindowGlobalState&>(global);
  // Frame offsets are evaluated once per query, empty input included (PostgreSQL).
  ExpressionExecutor executor(query);
  for (const auto& w : windows_) {
    const auto& window = static_cast<const BoundWindow&>(*w);
    EvaluatedFrame frame;
    frame.spec.unit = window.frame.unit;
    frame.spec.start = window.frame.start;
    frame.spec.end = window.frame.end;
    frame.spec.exclusion = window.frame.exclusion;
    auto check = [&](const planner::BoundExprPtr& expr, bool is_end) {
      Value v = evaluate_offset(executor, expr);
      if (!expr) return v;
      const char* which = is_end ? "ending" : "starting";
      if (v.is_null()) throw SqlError(SqlState::kNullValueNotAllowed, std::string("frame ") + which + " offset must not be null");
      bool negative = false;
      switch (v.type().id()) {
        case LogicalTypeId::kDouble: negative = v.get_double() < 0 || std::isnan(v.get_double()); break;
        case LogicalTypeId::kInterval: negative = v.get_interval().normalized() < 0; break;
        default: negative = v.get_int64() < 0; break;
      }
      if (negative) {
        if (window.frame.unit == WindowFrameUnit::kRange) {
          throw SqlError(SqlState::kInvalidPrecedingOrFollowingSize, "invalid preceding or following size in window function");
        }
        throw SqlError(SqlState::kInvalidPrecedingOrFollowingSize, std::string("frame ") + which + " offset must not be negative");
      }
      return v;
    };
    Value start = check(window.frame.start_offset, false);
    Value end = check(window.frame.end_offset, true);
    if (window.frame.unit == WindowFrameUnit::kRange) {
      frame.range_start = start;
      frame.range_end = end;
    } else {
      if (window.frame.start_offset) frame.spec.start_offset = start.get_int64();
      if (window.frame.end_offset) frame.spec.end_offset = end.get_int64();
    }
    g.frames.push_back(std::move(frame));
  }
  return g.buckets.size();
}

void PhysicalWindow::finalize_part(QueryContext&, GlobalState& global, size_t part) const {
  auto& g = static_cast<WindowGlobalState&>(global);
  Bucket& bucket = g.buckets[part];
  bucket.data = bucket.rows.consolidate();
  bucket.rows.clear();
  const size_t n = bucket.data.size();
  if (n == 0) return;

  // Sort by partition keys, then order keys.
  const size_t num_partitions = partitions_.size();
  std::vector<RowSorter::Key> partition_keys, order_keys, all_keys;
  for (size_t p = 0; p < num_partitions; p++) partition_keys.push_back({input_count_ + p, false, false});
  for (size_t o = 0; o < orders_.size(); o++) {
    order_keys.push_back({input_count_ + num_partitions + o, orders_[o].descending, orders_[o].nulls_first});
  }
  all_keys = partition_keys;
  all_keys.insert(all_keys.end(), order_keys.begin(), order_keys.end());
  bucket.charge.set(2 * n * sizeof(sel_t));
  if (all_keys.empty()) {
    bucket.order.resize(n);
    std::iota(bucket.order.begin(), bucket.order.end(), 0);
  } else {
    bucket.order = RowSorter(bucket.data, all_keys).sort();
  }
  bucket.identity.resize(n);
  std::iota(bucket.identity.begin(), bucket.identity.end(), 0);
  const std::vector<sel_t>& order = bucket.order;
  SelectionVector order_sel(const_cast<sel_t*>(order.data()));

  // Partitions: runs of equal partition keys in the sorted order.
  std::vector<size_t> partition_begin{0};
  if (!partition_keys.empty()) {
    RowSorter by_partition(bucket.data, partition_keys);
    for (size_t i = 1; i < n; i++) {
      if (by_partition.compare(order[i - 1], order[i]) != 0) partition_begin.push_back(i);
    }
  }
  partition_begin.push_back(n);
  std::optional<RowSorter> by_order;
  if (!order_keys.empty()) by_order.emplace(bucket.data, order_keys);

  // The windows' inputs in sorted order.
  auto sorted_column = [&](size_t column) {
    Vector v(bucket.data.column(column).type(), n);
    v.copy_from(bucket.data.column(column), order_sel, n, 0);
    return v;
  };
  std::vector<std::vector<Vector>> args(windows_.size());
  std::vector<std::optional<Vector>> filters(windows_.size());
  std::vector<std::unique_ptr<AggregateSegmentTree>> trees(windows_.size());
  bucket.results.clear();
  for (size_t w = 0; w < windows_.size(); w++) {
    const auto& window = static_cast<const BoundWindow&>(*windows_[w]);
    for (size_t a = 0; a < window_columns_[w].num_args; a++) args[w].push_back(sorted_column(window_columns_[w].first_arg + a));
    if (window_columns_[w].filter >= 0) filters[w] = sorted_column(static_cast<size_t>(window_columns_[w].filter));
    if (window.function == WindowFunction::kAggregate) {
      trees[w] = std::make_unique<AggregateSegmentTree>(*window.aggregate, args[w], filters[w] ? &*filters[w] : nullptr, n);
    }
    bucket.results.emplace_back(window.type, n);
  }
  std::optional<Vector> range_key;
  for (size_t w = 0; w < windows_.size(); w++) {
    const auto& frame = g.frames[w].spec;
    if (frame.unit == WindowFrameUnit::kRange &&
        (frame.start == WindowFrameBoundKind::kPreceding || frame.start == WindowFrameBoundKind::kFollowing ||
         frame.end == WindowFrameBoundKind::kPreceding || frame.end == WindowFrameBoundKind::kFollowing)) {
      range_key = sorted_column(input_count_ + num_partitions);
    }
  }

  PartitionPeers peers;
  std::vector<uint32_t> range_start, range_end;
  std::vector<sel_t> gather;
  // The per-partition scratch: peers, RANGE bounds, frames and gather positions.
  MemoryCharge scratch;
  for (size_t part_index = 0; part_index + 1 < partition_begin.size(); part_index++) {
    const size_t begin = partition_begin[part_index];
    const size_t rows = partition_begin[part_index + 1] - begin;
    scratch.set(std::max(scratch.bytes(), rows * (4 * sizeof(uint32_t) + sizeof(FrameRanges) + 2 * sizeof(int64_t))));
    peers.group_of.assign(rows, 0);
    peers.group_start.assign(1, 0);
    for (size_t i = 1; i < rows; i++) {
      const bool new_group = by_order && by_order->compare(order[begin + i - 1], order[begin + i]) != 0;
      if (new_group) peers.group_start.push_back(static_cast<uint32_t>(i));
      peers.group_of[i] = static_cast<uint32_t>(peers.group_start.size() - 1);
    }
    peers.group_start.push_back(static_cast<uint32_t>(rows));

    for (size_t w = 0; w < windows_.size(); w++) {
      const auto& window = static_cast<const BoundWindow&>(*windows_[w]);
      Vector& result = bucket.results[w];
      const EvaluatedFrame& frame = g.frames[w];
      auto frames = [&]() {
        range_start.clear();
        range_end.clear();
        if (range_key) {
          range_bounds(*range_key, begin, rows, orders_[0].descending, orders_[0].nulls_first, frame, range_start, range_end);
        }
        return compute_frames(frame.spec, peers, range_start, range_end);
      };
      // Copies value rows (partition positions, -1 for NULL) of `source` into the result.
      auto gather_into = [&](const Vector& source, const std::vector<int64_t>& positions) {
        gather.resize(rows);
        for (size_t i = 0; i < rows; i++) gather[i] = static_cast<sel_t>(positions[i] < 0 ? begin : begin + positions[i]);
        result.copy_from(source, SelectionVector(gather.data()), rows, begin);
        for (size_t i = 0; i < rows; i++) {
          if (positions[i] < 0) result.mutable_validity().set_invalid(begin + i);
        }
      };
      switch (window.function) {
        case WindowFunction::kAggregate: trees[w]->evaluate(frames(), begin, result, begin); break;
        case WindowFunction::kRowNumber: {
          auto* out = result.mutable_values<int64_t>();
          for (size_t i = 0; i < rows; i++) out[begin + i] = static_cast<int64_t>(i + 1);
          break;
        }
        case WindowFunction::kRank: {
          auto* out = result.mutable_values<int64_t>();
          for (size_t i = 0; i < rows; i++) out[begin + i] = peers.peer_begin(i) + 1;
          break;
        }
        case WindowFunction::kDenseRank: {
          auto* out = result.mutable_values<int64_t>();
          for (size_t i = 0; i < rows; i++) out[begin + i] = peers.group_of[i] + 1;
          break;
        }
        case WindowFunction::kPercentRank: {
          auto* out = result.mutable_values<double>();
          for (size_t i = 0; i < rows; i++) {
            out[begin + i] = rows > 1 ? static_cast<double>(peers.peer_begin(i)) / static_cast<double>(rows - 1) : 0.0;
          }
          break;
        }
        case WindowFunction::kCumeDist: {
          auto* out = result.mutable_values<double>();
          for (size_t i = 0; i < rows; i++) out[begin + i] = static_cast<double>(peers.peer_end(i)) / static_cast<double>(rows);
          break;
        }
        case WindowFunction::kNtile: {
          // The bucket count is read at the partition's first row.
          bool is_null = false;
          const int64_t buckets = int32_at(args[w][0], begin, &is_null);
          if (is_null) {
            for (size_t i = 0; i < rows; i++) result.mutable_validity().set_invalid(begin + i);
            break;
          }
          if (buckets <= 0) throw SqlError(SqlState::kInvalidArgumentForNtileFunction, "argument of ntile must be greater than zero");
          const size_t per = rows / static_cast<size_t>(buckets);
          const size_t remainder = rows % static_cast<size_t>(buckets);
          const size_t large_rows = remainder * (per + 1);
          auto* out = result.mutable_values<int32_t>();
          for (size_t i = 0; i < rows; i++) {
            const size_t b = i < large_rows ? i / (per + 1) : remainder + (i - large_rows) / per;
            out[begin + i] = static_cast<int32_t>(b + 1);
          }
          break;
        }
        case WindowFunction::kLag:
        case WindowFunction::kLead: {
          const bool lag = window.function == WindowFunction::kLag;
          std::vector<int64_t> positions(rows);
          std::vector<size_t> defaults;
          for (size_t i = 0; i < rows; i++) {
            int64_t offset = 1;
            if (args[w].size() >= 2) {
              bool is_null = false;
              offset = int32_at(args[w][1], begin + i, &is_null);
              if (is_null) {
                positions[i] = -1;
                continue;
              }
            }
            const int64_t target = static_cast<int64_t>(i) + (lag ? -offset : offset);
            if (target < 0 || target >= static_cast<int64_t>(rows)) {
              positions[i] = -1;
              if (args[w].size() == 3) defaults.push_back(i);
            } else {
              positions[i] = target;
            }
          }
          gather_into(args[w][0], positions);
          for (size_t i : defaults) {
            sel_t row = static_cast<sel_t>(begin + i);
            result.copy_from(args[w][2], SelectionVector(&row), 1, begin + i);
          }
          break;
        }
        case WindowFunction::kFirstValue:
        case WindowFunction::kLastValue:
        case WindowFunction::kNthValue: {
          const std::vector<FrameRanges> ranges = frames();
          std::vector<int64_t> positions(rows, -1);
          for (size_t i = 0; i < rows; i++) {
            const FrameRanges& f = ranges[i];
            if (window.function == WindowFunction::kFirstValue) {
              if (f.count > 0) positions[i] = f.begin[0];
            } else if (window.function == WindowFunction::kLastValue) {
              if (f.count > 0) positions[i] = f.end[f.count - 1] - 1;
            } else {
              bool is_null = false;
              int64_t nth = int32_at(args[w][1], begin + i, &is_null);
              if (is_null) continue;
              if (nth <= 0) throw SqlError(SqlState::kInvalidArgumentForNthValueFunction, "argument of nth_value must be greater than zero");
              for (uint8_t r = 0; r < f.count; r++) {
                const int64_t size = f.end[r] - f.begin[r];
                if (nth <= size) {
                  positions[i] = f.begin[r] + nth - 1;
                  break;
                }
                nth -= size;
              }
            }
          }
          gather_into(args[w][0], positions);
          break;
        }
      }
    }
  }
}

void PhysicalWindow::finalize(QueryContext&, GlobalState&) const {}

std::unique_ptr<GlobalState> PhysicalWindow::make_global_source(QueryContext& query) const {
  return std::make_unique<WindowSourceState>(static_cast<WindowGlobalState&>(query.states->sink_state(*this)));
}

SourceResult PhysicalWindow::get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const {
  auto& state = static_cast<WindowSourceState&>(global);
  auto& buckets = state.sink.buckets;
  while (state.bucket < buckets.size() && state.position >= buckets[state.bucket].order.size()) {
    state.bucket++;
    state.position = 0;
  }
  if (state.bucket >= buckets.size()) {
    out.set_size(0);
    return SourceResult::kFinished;
  }
  Bucket& bucket = buckets[state.bucket];
  const size_t count = std::min(kVectorSize, bucket.order.size() - state.position);
  SelectionVector rows(bucket.order.data() + state.position);
  for (size_t c = 0; c < input_count_; c++) out.column(c).slice(bucket.data.column(c), rows, count);
  SelectionVector positions(bucket.identity.data() + state.position);
  for (size_t w = 0; w < windows_.size(); w++) out.column(input_count_ + w).slice(bucket.results[w], positions, count);
  out.set_size(count);
  state.position += count;
  while (state.bucket < buckets.size() && state.position >= buckets[state.bucket].order.size()) {
    state.bucket++;
    state.position = 0;
  }
  return state.bucket >= buckets.size() ? SourceResult::kFinished : SourceResult::kHaveMoreOutput;
}

std::string PhysicalWindow::explain_details() const {
  std::string out;
  for (size_t i = 0; i < windows_.size(); i++) {
    if (i) out += ", ";
    out += windows_[i]->to_string();
  }
  return out;
}

}  // namespace tessera::executor
