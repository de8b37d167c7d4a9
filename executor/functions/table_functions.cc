// Table functions (functions used in FROM): generate_series over integers and timestamps, and
// unnest over arrays.

#include <algorithm>
#include <memory>

#include "catalog/function_registry.h"
#include "executor/functions/builtin_functions.h"
#include "src/common/array_value.h"
#include "src/common/datetime.h"
#include "src/common/sql_error.h"

namespace tessera::executor {

namespace {

using catalog::ParamType;
using catalog::TableFunction;
using catalog::TableFunctionPart;
using catalog::TableFunctionRun;
using catalog::TableFunctionSchema;

/// Rows per part of an integer series: parts are produced in parallel, and a series of up to
/// this many rows comes out in order.
constexpr uint64_t kSeriesRowsPerPart = uint64_t{1} << 20;

/// A run without rows (a NULL argument: generate_series is strict).
class EmptyRun : public TableFunctionRun {
 public:
  size_t num_parts() const override { return 0; }
  std::unique_ptr<TableFunctionPart> open_part(size_t) const override { return nullptr; }
};

bool any_null(std::span<const Value> args) {
  return std::any_of(args.begin(), args.end(), [](const Value& v) { return v.is_null(); });
}

[[noreturn]] void throw_zero_step() {
  throw SqlError(SqlState::kInvalidParameterValue, "step size cannot equal zero");
}

TableFunctionSchema series_schema(const LogicalType& type, double rows) {
  TableFunctionSchema schema;
  schema.names = {"generate_series"};
  schema.types = {type};
  schema.estimated_rows = rows;
  return schema;
}

// ---- integers --------------------------------------------------------------------------------

/// start, start + step, ... while not past stop: `count` values, split into parts of
/// kSeriesRowsPerPart rows.
template <class T>
class IntegerSeries : public TableFunctionRun {
 public:
  IntegerSeries(__int128 start, __int128 step, uint64_t count) : start_(start), step_(step), count_(count) {}
  size_t num_parts() const override { return static_cast<size_t>((count_ + kSeriesRowsPerPart - 1) / kSeriesRowsPerPart); }

  std::unique_ptr<TableFunctionPart> open_part(size_t part) const override {
    const uint64_t begin = static_cast<uint64_t>(part) * kSeriesRowsPerPart;
    return std::make_unique<Part>(*this, begin, std::min(count_, begin + kSeriesRowsPerPart));
  }

 private:
  class Part : public TableFunctionPart {
   public:
    Part(const IntegerSeries& run, uint64_t next, uint64_t end) : run_(run), next_(next), end_(end) {}
    bool produce(DataChunk& out) override {
      if (next_ >= end_) return false;
      const size_t n = static_cast<size_t>(std::min<uint64_t>(kVectorSize, end_ - next_));
      T* values = out.column(0).mutable_values<T>();
      __int128 value = run_.start_ + static_cast<__int128>(next_) * run_.step_;
      for (size_t i = 0; i < n; i++, value += run_.step_) values[i] = static_cast<T>(value);
      next_ += n;
      out.set_size(n);
      return true;
    }

   private:
    const IntegerSeries& run_;
    uint64_t next_;
    uint64_t end_;
  };

  __int128 start_;
  __int128 step_;
  uint64_t count_;
};

/// The number of values of an integer series (0 when the step points away from stop).
uint64_t series_count(__int128 start, __int128 stop, __int128 step) {
  if (step == 0) throw_zero_step();
  if ((step > 0 && start > stop) || (step < 0 && start < stop)) return 0;
  return static_cast<uint64_t>((stop - start) / step + 1);
}

template <class T>
std::unique_ptr<TableFunctionRun> init_integer_series(std::span<const Value> args, const TableFunctionSchema&) {
  if (any_null(args)) return std::make_unique<EmptyRun>();
  const __int128 start = args[0].get_int64();
  const __int128 stop = args[1].get_int64();
  const __int128 step = args.size() > 2 ? args[2].get_int64() : 1;
  return std::make_unique<IntegerSeries<T>>(start, step, series_count(start, stop, step));
}

template <class T>
TableFunctionSchema bind_integer_series(std::span<const LogicalType> arg_types,
                                        std::span<const std::optional<Value>> constants) {
  double rows = 1000;
  bool known = true;
  for (const auto& c : constants) known = known && c.has_value() && !c->is_null();
  if (known) {
    const __int128 step = constants.size() > 2 ? constants[2]->get_int64() : 1;
    if (step == 0) throw_zero_step();
    rows = static_cast<double>(series_count(constants[0]->get_int64(), constants[1]->get_int64(), step));
  }
  return series_schema(arg_types[0], rows);
}

// ---- timestamps ------------------------------------------------------------------------------

/// start, start + step, start + step + step, ... (repeated addition, as PostgreSQL: month steps
/// from the 31st clamp once and stay clamped) while not past stop. One part: each value comes
/// from the previous one.
template <bool TZ>
class TimestampSeries : public TableFunctionRun {
 public:
  TimestampSeries(int64_t start, int64_t stop, Interval step, bool ascending)
      : start_(start), stop_(stop), step_(step), ascending_(ascending) {}
  size_t num_parts() const override { return 1; }
  std::unique_ptr<TableFunctionPart> open_part(size_t) const override { return std::make_unique<Part>(*this); }

 private:
  class Part : public TableFunctionPart {
   public:
    explicit Part(const TimestampSeries& run) : run_(run), next_(run.start_) {}
    bool produce(DataChunk& out) override {
      if (done_) return false;
      int64_t* values = out.column(0).mutable_values<int64_t>();
      size_t n = 0;
      while (n < kVectorSize && !done_) {
        if (run_.ascending_ ? next_ > run_.stop_ : next_ < run_.stop_) {
          done_ = true;
          break;
        }
        values[n++] = next_;
        next_ = TZ ? datetime::timestamptz_plus_interval(next_, run_.step_, current_time_zone())
                   : datetime::timestamp_plus_interval(next_, run_.step_);
      }
      out.set_size(n);
      return n > 0;
    }

   private:
    const TimestampSeries& run_;
    int64_t next_;
    bool done_ = false;
  };

  int64_t start_;
  int64_t stop_;
  Interval step_;
  bool ascending_;
};

template <bool TZ>
std::unique_ptr<TableFunctionRun> init_timestamp_series(std::span<const Value> args, const TableFunctionSchema&) {
  if (any_null(args)) return std::make_unique<EmptyRun>();
  const Interval step = args[2].get_interval();
  const __int128 normalized = step.normalized();
  if (normalized == 0) throw_zero_step();
  return std::make_unique<TimestampSeries<TZ>>(args[0].get_int64(), args[1].get_int64(), step, normalized > 0);
}

TableFunctionSchema bind_timestamp_series(std::span<const LogicalType> arg_types,
                                          std::span<const std::optional<Value>> constants) {
  if (constants[2].has_value() && !constants[2]->is_null() && constants[2]->get_interval().normalized() == 0) {
    throw_zero_step();
  }
  return series_schema(arg_types[0], 1000);
}

// ---- unnest ------------------------------------------------------------------------------------

/// The elements of one array, in order (NULL elements included), in one part.
class UnnestRun : public TableFunctionRun {
 public:
  explicit UnnestRun(std::vector<Value> elements) : elements_(std::move(elements)) {}
  size_t num_parts() const override { return 1; }
  std::unique_ptr<TableFunctionPart> open_part(size_t) const override { return std::make_unique<Part>(*this); }

 private:
  class Part : public TableFunctionPart {
   public:
    explicit Part(const UnnestRun& run) : run_(run) {}
    bool produce(DataChunk& out) override {
      const size_t n = std::min<size_t>(kVectorSize, run_.elements_.size() - next_);
      if (n == 0) return false;
      Vector& column = out.column(0);
      for (size_t i = 0; i < n; i++) column.set_value(i, run_.elements_[next_ + i]);
      next_ += n;
      out.set_size(n);
      return true;
    }

   private:
    const UnnestRun& run_;
    size_t next_ = 0;
  };

  std::vector<Value> elements_;
};

TableFunctionSchema bind_unnest(std::span<const LogicalType> arg_types, std::span<const std::optional<Value>> constants) {
  TableFunctionSchema schema;
  schema.names = {"unnest"};
  schema.types = {arg_types[0].element_type()};
  schema.estimated_rows = 100;
  if (constants[0].has_value() && !constants[0]->is_null()) {
    schema.estimated_rows = static_cast<double>(array::elements(*constants[0]).size());
  }
  return schema;
}

std::unique_ptr<TableFunctionRun> init_unnest(std::span<const Value> args, const TableFunctionSchema&) {
  if (args[0].is_null()) return std::make_unique<EmptyRun>();
  return std::make_unique<UnnestRun>(array::elements(args[0]));
}

TableFunction series(std::vector<LogicalType> params, catalog::TableFunctionBind bind, catalog::TableFunctionInit init) {
  TableFunction f;
  f.name = "generate_series";
  for (const auto& p : params) f.params.push_back(ParamType::of(p));
  f.bind = bind;
  f.init = init;
  return f;
}

}  // namespace

void register_table_functions(catalog::FunctionRegistry& registry) {
  const LogicalType int4 = LogicalType::integer();
  const LogicalType int8 = LogicalType::bigint();
  registry.add(series({int4, int4}, bind_integer_series<int32_t>, init_integer_series<int32_t>));
  registry.add(series({int4, int4, int4}, bind_integer_series<int32_t>, init_integer_series<int32_t>));
  registry.add(series({int8, int8}, bind_integer_series<int64_t>, init_integer_series<int64_t>));
  registry.add(series({int8, int8, int8}, bind_integer_series<int64_t>, init_integer_series<int64_t>));
  const LogicalType ts = LogicalType::timestamp();
  const LogicalType tstz = LogicalType::timestamptz();
  const LogicalType interval = LogicalType::interval();
  TableFunction ts_series = series({ts, ts, interval}, bind_timestamp_series, init_timestamp_series<false>);
  registry.add(std::move(ts_series));
  TableFunction tstz_series = series({tstz, tstz, interval}, bind_timestamp_series, init_timestamp_series<true>);
  tstz_series.volatility = catalog::Volatility::kStable;
  registry.add(std::move(tstz_series));
  TableFunction unnest;
  unnest.name = "unnest";
  unnest.params = {ParamType::any_array()};
  unnest.bind = bind_unnest;
  unnest.init = init_unnest;
  registry.add(std::move(unnest));
}

}  // namespace tessera::executor
