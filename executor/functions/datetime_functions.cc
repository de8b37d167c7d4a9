// Date/time operators and functions with PostgreSQL 15's semantics: arithmetic over date,
// time, timestamp, timestamptz and interval; now() and the SQL value functions; extract /
// date_part, date_trunc, age, make_*, justify_*, isfinite, date_bin, AT TIME ZONE (timezone()),
// to_char / to_date / to_timestamp; sum and avg over interval. Functions of timestamptz read
// the session TimeZone from the thread's DateTimeContext (installed for every query task).
// Differences from PostgreSQL 15 while numeric does not exist: extract returns double
// precision (PostgreSQL: numeric), so fractional results print as doubles.

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"
#include "src/common/datetime.h"
#include "src/common/sql_error.h"

namespace tessera::executor {

namespace {

using namespace datetime;  // NOLINT: a .cc file of date/time functions
using catalog::FunctionData;

const TimeZone& session_zone() {
  const auto& zone = current_datetime_context().time_zone;
  return zone ? *zone : *utc_time_zone();
}

/// Reads the arguments of a kernel row by row through their unified formats.
class Args {
 public:
  Args(std::span<const Vector* const> args, size_t count) : formats_(args.size()) {
    for (size_t i = 0; i < args.size(); i++) args[i]->to_unified(count, formats_[i]);
  }
  template <class T>
  const T& get(size_t arg, sel_t row) const {
    const auto& f = formats_[arg];
    return f.values<T>()[f.sel.get_index(row)];
  }
  bool valid(size_t arg, sel_t row) const {
    const auto& f = formats_[arg];
    return f.validity->row_is_valid(f.sel.get_index(row));
  }

 private:
  std::vector<UnifiedVectorFormat> formats_;
};

/// result[r] = op(args, r) for the rows valid in `result` (strict functions).
template <class R, class OP>
void rows(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, OP&& op) {
  Args a(args, count);
  R* out = result.mutable_values<R>();
  const ValidityMask& rv = std::as_const(result).validity();
  for_each_row(sel, count, [&](sel_t r) {
    if (rv.row_is_valid(r)) out[r] = op(a, r);
  });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

catalog::ScalarFunction fn(const char* name, std::vector<LogicalType> params, LogicalType result, catalog::ScalarKernel k,
                           catalog::Volatility volatility = catalog::Volatility::kImmutable) {
  auto f = make_function(name, std::move(params), result, k);
  f.volatility = volatility;
  return f;
}

catalog::ScalarFunction op(const char* name, std::vector<LogicalType> params, LogicalType result, catalog::ScalarKernel k) {
  return make_operator(name, std::move(params), result, k);
}

const LogicalType kDate = LogicalType::date();
const LogicalType kTime = LogicalType::time();
const LogicalType kTs = LogicalType::timestamp();
const LogicalType kTsTz = LogicalType::timestamptz();
const LogicalType kInterval = LogicalType::interval();
const LogicalType kInt = LogicalType::integer();
const LogicalType kDouble = LogicalType::double_precision();
const LogicalType kText = LogicalType::varchar();
const LogicalType kBool = LogicalType::boolean();

// ---- arithmetic ---------------------------------------------------------------------------------

int32_t date_plus_days(int32_t d, int64_t n) {
  if (!date_is_finite(d)) return d;
  int64_t r = static_cast<int64_t>(d) + n;
  if (!date_in_range(r)) throw_date_out_of_range();
  return static_cast<int32_t>(r);
}

void date_pl_int(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int32_t>(args, sel, count, result, [](const Args& a, sel_t r) { return date_plus_days(a.get<int32_t>(0, r), a.get<int32_t>(1, r)); });
}
void int_pl_date(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int32_t>(args, sel, count, result, [](const Args& a, sel_t r) { return date_plus_days(a.get<int32_t>(1, r), a.get<int32_t>(0, r)); });
}
void date_mi_int(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int32_t>(args, sel, count, result,
                [](const Args& a, sel_t r) { return date_plus_days(a.get<int32_t>(0, r), -static_cast<int64_t>(a.get<int32_t>(1, r))); });
}
void date_mi_date(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int32_t>(args, sel, count, result, [](const Args& a, sel_t r) {
    int32_t x = a.get<int32_t>(0, r), y = a.get<int32_t>(1, r);
    if (!date_is_finite(x) || !date_is_finite(y)) {
      throw SqlError(SqlState::kDatetimeFieldOverflow, "cannot subtract infinite dates");
    }
    return x - y;
  });
}

template <bool MINUS, int DATE_ARG>
void date_interval(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int64_t>(args, sel, count, result, [](const Args& a, sel_t r) {
    Interval v = a.get<Interval>(1 - DATE_ARG, r);
    if (MINUS) v = interval_negate(v);
    return timestamp_plus_interval(date_to_timestamp(a.get<int32_t>(DATE_ARG, r)), v);
  });
}

template <int DATE_ARG>
void date_pl_time(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int64_t>(args, sel, count, result, [](const Args& a, sel_t r) {
    int64_t ts = date_to_timestamp(a.get<int32_t>(DATE_ARG, r));
    if (!timestamp_is_finite(ts)) return ts;
    __int128 v = static_cast<__int128>(ts) + a.get<int64_t>(1 - DATE_ARG, r);
    if (!timestamp_in_range(v)) throw_timestamp_out_of_range();
    return static_cast<int64_t>(v);
  });
}

template <bool TZ, bool MINUS, int TS_ARG>
void ts_interval(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  const TimeZone& zone = session_zone();
  rows<int64_t>(args, sel, count, result, [&](const Args& a, sel_t r) {
    Interval v = a.get<Interval>(1 - TS_ARG, r);
    if (MINUS) v = interval_negate(v);
    int64_t ts = a.get<int64_t>(TS_ARG, r);
    return TZ ? timestamptz_plus_interval(ts, v, zone) : timestamp_plus_interval(ts, v);
  });
}

void ts_mi_ts(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<Interval>(args, sel, count, result, [](const Args& a, sel_t r) { return timestamp_difference(a.get<int64_t>(0, r), a.get<int64_t>(1, r)); });
}

int64_t time_plus(int64_t t, int64_t micros) {
  int64_t r = (t + micros % kUsecsPerDay) % kUsecsPerDay;
  if (r < 0) r += kUsecsPerDay;
  return r;
}

template <bool MINUS, int TIME_ARG>
void time_interval(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int64_t>(args, sel, count, result, [](const Args& a, sel_t r) {
    int64_t m = a.get<Interval>(1 - TIME_ARG, r).micros;
    return time_plus(a.get<int64_t>(TIME_ARG, r), MINUS ? -(m % kUsecsPerDay) : m);
  });
}

void time_mi_time(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<Interval>(args, sel, count, result, [](const Args& a, sel_t r) { return Interval{a.get<int64_t>(0, r) - a.get<int64_t>(1, r), 0, 0}; });
}

template <bool MINUS>
void interval_pl(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<Interval>(args, sel, count, result, [](const Args& a, sel_t r) {
    Interval y = a.get<Interval>(1, r);
    if (MINUS) {
      Interval x = a.get<Interval>(0, r);
      Interval out;
      if (__builtin_sub_overflow(x.months, y.months, &out.months) || __builtin_sub_overflow(x.days, y.days, &out.days) ||
          __builtin_sub_overflow(x.micros, y.micros, &out.micros)) {
        throw_interval_out_of_range();
      }
      return out;
    }
    return interval_add(a.get<Interval>(0, r), y);
  });
}

void interval_um(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<Interval>(args, sel, count, result, [](const Args& a, sel_t r) { return interval_negate(a.get<Interval>(0, r)); });
}

template <int INTERVAL_ARG>
void interval_mul(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<Interval>(args, sel, count, result,
                 [](const Args& a, sel_t r) { return interval_multiply(a.get<Interval>(INTERVAL_ARG, r), a.get<double>(1 - INTERVAL_ARG, r)); });
}

void interval_div(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<Interval>(args, sel, count, result, [](const Args& a, sel_t r) { return interval_divide(a.get<Interval>(0, r), a.get<double>(1, r)); });
}

// ---- current time -------------------------------------------------------------------------------

/// Rounds a timestamp's fraction of a second to `precision` digits (0..6), as PostgreSQL's
/// typmod does for current_timestamp(p).
int64_t round_precision(int64_t ts, int32_t precision) {
  if (precision >= 6 || !timestamp_is_finite(ts)) return ts;
  if (precision < 0) throw SqlError(SqlState::kInvalidParameterValue, "TIMESTAMP(" + std::to_string(precision) + ") precision must not be negative");
  int64_t unit = 1;
  for (int i = precision; i < 6; i++) unit *= 10;
  int64_t q = floor_div(ts, unit);
  int64_t rem = ts - q * unit;
  if (rem * 2 >= unit) q++;
  return q * unit;
}

enum class Clock : uint8_t { kTransaction, kStatement, kWall };

int64_t clock_value(Clock c) {
  switch (c) {
    case Clock::kTransaction: return current_datetime_context().transaction_timestamp;
    case Clock::kStatement: return current_datetime_context().statement_timestamp;
    case Clock::kWall: return clock_timestamp_now();
  }
  return 0;
}

template <Clock C>
void now_kernel(std::span<const Vector* const>, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  int64_t* out = result.mutable_values<int64_t>();
  for_each_row(sel, count, [&](sel_t r) { out[r] = clock_value(C); });
}

void current_timestamp_p(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int64_t>(args, sel, count, result,
                [](const Args& a, sel_t r) { return round_precision(clock_value(Clock::kTransaction), a.get<int32_t>(0, r)); });
}

void current_date_kernel(std::span<const Vector* const>, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  int32_t d = timestamp_to_date(timestamptz_to_local(clock_value(Clock::kTransaction), session_zone()));
  int32_t* out = result.mutable_values<int32_t>();
  for_each_row(sel, count, [&](sel_t r) { out[r] = d; });
}

int64_t local_now() { return timestamptz_to_local(clock_value(Clock::kTransaction), session_zone()); }

void localtimestamp_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  if (args.empty()) {
    int64_t v = local_now();
    int64_t* out = result.mutable_values<int64_t>();
    for_each_row(sel, count, [&](sel_t r) { out[r] = v; });
    return;
  }
  rows<int64_t>(args, sel, count, result, [](const Args& a, sel_t r) { return round_precision(local_now(), a.get<int32_t>(0, r)); });
}

void localtime_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  auto time_of = [](int64_t ts) { return ts - floor_div(ts, kUsecsPerDay) * kUsecsPerDay; };
  if (args.empty()) {
    int64_t v = time_of(local_now());
    int64_t* out = result.mutable_values<int64_t>();
    for_each_row(sel, count, [&](sel_t r) { out[r] = v; });
    return;
  }
  rows<int64_t>(args, sel, count, result, [&](const Args& a, sel_t r) {
    int64_t t = time_of(round_precision(local_now(), a.get<int32_t>(0, r)));
    return t;
  });
}

// ---- extract / date_part ----------------------------------------------------------------------------

enum class Field : uint8_t {
  kMicroseconds, kMilliseconds, kSecond, kMinute, kHour, kDay, kWeek, kMonth, kQuarter, kYear, kDecade, kCentury,
  kMillennium, kEpoch, kDow, kIsodow, kDoy, kIsoyear, kJulian, kTimezone, kTimezoneHour, kTimezoneMinute, kUnknown
};

Field parse_field(std::string_view text) {
  std::string s = lower(text);
  struct Entry {
    const char* name;
    Field field;
  };
  static constexpr Entry kFields[] = {
      {"microsecond", Field::kMicroseconds}, {"microseconds", Field::kMicroseconds}, {"us", Field::kMicroseconds},
      {"usec", Field::kMicroseconds},        {"usecs", Field::kMicroseconds},        {"millisecond", Field::kMilliseconds},
      {"milliseconds", Field::kMilliseconds}, {"ms", Field::kMilliseconds},          {"msec", Field::kMilliseconds},
      {"msecs", Field::kMilliseconds},       {"second", Field::kSecond},             {"seconds", Field::kSecond},
      {"sec", Field::kSecond},               {"secs", Field::kSecond},               {"s", Field::kSecond},
      {"minute", Field::kMinute},            {"minutes", Field::kMinute},            {"min", Field::kMinute},
      {"mins", Field::kMinute},              {"m", Field::kMinute},                  {"hour", Field::kHour},
      {"hours", Field::kHour},               {"hr", Field::kHour},                   {"hrs", Field::kHour},
      {"h", Field::kHour},                   {"day", Field::kDay},                   {"days", Field::kDay},
      {"d", Field::kDay},                    {"week", Field::kWeek},                 {"weeks", Field::kWeek},
      {"w", Field::kWeek},                   {"month", Field::kMonth},               {"months", Field::kMonth},
      {"mon", Field::kMonth},                {"mons", Field::kMonth},                {"quarter", Field::kQuarter},
      {"qtr", Field::kQuarter},              {"year", Field::kYear},                 {"years", Field::kYear},
      {"yr", Field::kYear},                  {"yrs", Field::kYear},                  {"y", Field::kYear},
      {"decade", Field::kDecade},            {"decades", Field::kDecade},            {"dec", Field::kDecade},
      {"century", Field::kCentury},          {"centuries", Field::kCentury},         {"c", Field::kCentury},
      {"millennium", Field::kMillennium},    {"millennia", Field::kMillennium},      {"mil", Field::kMillennium},
      {"mils", Field::kMillennium},          {"epoch", Field::kEpoch},               {"dow", Field::kDow},
      {"isodow", Field::kIsodow},            {"doy", Field::kDoy},                   {"isoyear", Field::kIsoyear},
      {"julian", Field::kJulian},            {"j", Field::kJulian},                  {"timezone", Field::kTimezone},
      {"timezone_h", Field::kTimezoneHour},  {"timezone_hour", Field::kTimezoneHour}, {"timezone_m", Field::kTimezoneMinute},
      {"timezone_minute", Field::kTimezoneMinute},
  };
  for (const auto& e : kFields) {
    if (s == e.name) return e.field;
  }
  return Field::kUnknown;
}

[[noreturn]] void unit_not_recognized(std::string_view unit, const char* type) {
  throw SqlError(SqlState::kInvalidParameterValue, "unit \"" + lower(unit) + "\" not recognized for type " + type);
}
[[noreturn]] void unit_not_supported(std::string_view unit, const char* type) {
  throw SqlError(SqlState::kFeatureNotSupported, "unit \"" + lower(unit) + "\" not supported for type " + type);
}

int display_year(int32_t y) { return y > 0 ? y : y - 1; }

/// ISO 8601 week-numbering year and week of a day count.
void iso_week(int64_t days, int32_t& iso_year, int32_t& week) {
  int32_t y, m, d;
  civil_from_days(days, y, m, d);
  // Thursday of this ISO week decides the year.
  int dow = day_of_week(days);
  int iso_dow = dow == 0 ? 7 : dow;
  int64_t thursday = days - iso_dow + 4;
  int32_t ty, tm, td;
  civil_from_days(thursday, ty, tm, td);
  iso_year = ty;
  week = static_cast<int32_t>((thursday - days_from_civil(ty, 1, 1)) / 7 + 1);
}

/// Whether a field grows with time (extract of an infinite value is ±Infinity, else NULL).
bool monotonic(Field f) {
  return f == Field::kYear || f == Field::kDecade || f == Field::kCentury || f == Field::kMillennium || f == Field::kEpoch ||
         f == Field::kJulian || f == Field::kIsoyear;
}

/// A field of a (local) timestamp; `offset` is the zone offset for timestamptz (timezone fields).
double timestamp_field(Field f, int64_t local, std::optional<int32_t> offset, int64_t epoch_base, std::string_view unit,
                       const char* type) {
  DateTimeFields t = split_timestamp(local);
  int64_t days = floor_div(local, kUsecsPerDay);
  int64_t sec_usecs = t.time % kUsecsPerMinute;
  int year = display_year(t.year);
  switch (f) {
    case Field::kMicroseconds: return static_cast<double>(sec_usecs);
    case Field::kMilliseconds: return static_cast<double>(sec_usecs) / 1000.0;
    case Field::kSecond: return static_cast<double>(sec_usecs) / 1e6;
    case Field::kMinute: return static_cast<double>((t.time / kUsecsPerMinute) % 60);
    case Field::kHour: return static_cast<double>(t.time / kUsecsPerHour);
    case Field::kDay: return t.day;
    case Field::kMonth: return t.month;
    case Field::kQuarter: return (t.month - 1) / 3 + 1;
    case Field::kYear: return year;
    case Field::kDecade: return year >= 0 ? year / 10 : -((8 - (year - 1)) / 10);
    case Field::kCentury: return year > 0 ? (year + 99) / 100 : -((99 - (year - 1)) / 100);
    case Field::kMillennium: return year > 0 ? (year + 999) / 1000 : -((999 - (year - 1)) / 1000);
    case Field::kEpoch: return static_cast<double>(epoch_base) / 1e6 + static_cast<double>(kUnixEpochOffsetSeconds);
    case Field::kDow: return day_of_week(days);
    case Field::kIsodow: {
      int d = day_of_week(days);
      return d == 0 ? 7 : d;
    }
    case Field::kDoy: return static_cast<double>(days - days_from_civil(t.year, 1, 1) + 1);
    case Field::kWeek: {
      int32_t iy, w;
      iso_week(days, iy, w);
      return w;
    }
    case Field::kIsoyear: {
      int32_t iy, w;
      iso_week(days, iy, w);
      return display_year(iy);
    }
    case Field::kJulian:
      return static_cast<double>(days + 2451545) + static_cast<double>(t.time) / static_cast<double>(kUsecsPerDay);
    case Field::kTimezone:
    case Field::kTimezoneHour:
    case Field::kTimezoneMinute:
      if (!offset) unit_not_supported(unit, type);
      if (f == Field::kTimezone) return *offset;
      if (f == Field::kTimezoneHour) return *offset / 3600;
      return (*offset / 60) % 60;
    case Field::kUnknown: break;
  }
  unit_not_recognized(unit, type);
}

double infinite_field(Field f, bool positive, std::string_view unit, const char* type, bool& is_null) {
  if (f == Field::kUnknown) unit_not_recognized(unit, type);
  if (monotonic(f)) return positive ? INFINITY : -INFINITY;
  is_null = true;
  return 0;
}

/// extract/date_part over a timestamp-like argument; `kind` 0 timestamp, 1 timestamptz, 2 date
/// (extract), 3 date (date_part, through timestamp).
template <int KIND>
void extract_ts(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  const char* type = KIND == 1 ? "timestamp with time zone" : KIND == 2 ? "date" : "timestamp without time zone";
  const TimeZone& zone = session_zone();
  Args a(args, count);
  double* out = result.mutable_values<double>();
  ValidityMask& rv = result.mutable_validity();
  for_each_row(sel, count, [&](sel_t r) {
    if (!rv.row_is_valid(r)) return;
    std::string_view unit = a.get<string_t>(0, r).view();
    Field f = parse_field(unit);
    int64_t ts;
    if constexpr (KIND >= 2) {
      ts = date_to_timestamp(a.get<int32_t>(1, r));
    } else {
      ts = a.get<int64_t>(1, r);
    }
    if (KIND == 2 && (f == Field::kMicroseconds || f == Field::kMilliseconds || f == Field::kSecond || f == Field::kMinute ||
                      f == Field::kHour || f == Field::kTimezone || f == Field::kTimezoneHour || f == Field::kTimezoneMinute)) {
      unit_not_supported(unit, type);
    }
    if (!timestamp_is_finite(ts)) {
      bool is_null = false;
      out[r] = infinite_field(f, ts > 0, unit, type, is_null);
      if (is_null) rv.set_invalid(r);
      return;
    }
    if constexpr (KIND == 1) {
      int32_t offset = zone_offset_at(zone, ts);
      out[r] = timestamp_field(f, ts + static_cast<int64_t>(offset) * kUsecsPerSec, offset, ts, unit, type);
    } else {
      out[r] = timestamp_field(f, ts, std::nullopt, ts, unit, type);
    }
  });
}

void extract_time(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<double>(args, sel, count, result, [](const Args& a, sel_t r) -> double {
    std::string_view unit = a.get<string_t>(0, r).view();
    int64_t t = a.get<int64_t>(1, r);
    switch (parse_field(unit)) {
      case Field::kMicroseconds: return static_cast<double>(t % kUsecsPerMinute);
      case Field::kMilliseconds: return static_cast<double>(t % kUsecsPerMinute) / 1000.0;
      case Field::kSecond: return static_cast<double>(t % kUsecsPerMinute) / 1e6;
      case Field::kMinute: return static_cast<double>((t / kUsecsPerMinute) % 60);
      case Field::kHour: return static_cast<double>(t / kUsecsPerHour);
      case Field::kEpoch: return static_cast<double>(t) / 1e6;
      case Field::kUnknown: unit_not_recognized(unit, "time without time zone");
      default: unit_not_supported(unit, "time without time zone");
    }
  });
}

void extract_interval(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<double>(args, sel, count, result, [](const Args& a, sel_t r) -> double {
    std::string_view unit = a.get<string_t>(0, r).view();
    const Interval& v = a.get<Interval>(1, r);
    int64_t year = v.months / 12;
    switch (parse_field(unit)) {
      case Field::kMicroseconds: return static_cast<double>(v.micros % kUsecsPerMinute);
      case Field::kMilliseconds: return static_cast<double>(v.micros % kUsecsPerMinute) / 1000.0;
      case Field::kSecond: return static_cast<double>(v.micros % kUsecsPerMinute) / 1e6;
      case Field::kMinute: return static_cast<double>((v.micros / kUsecsPerMinute) % 60);
      case Field::kHour: return static_cast<double>(v.micros / kUsecsPerHour);
      case Field::kDay: return v.days;
      case Field::kMonth: return v.months % 12;
      case Field::kQuarter: return (v.months % 12) / 3 + 1;
      case Field::kYear: return static_cast<double>(year);
      case Field::kDecade: return static_cast<double>(year / 10);
      case Field::kCentury: return static_cast<double>(year / 100);
      case Field::kMillennium: return static_cast<double>(year / 1000);
      case Field::kEpoch:
        return static_cast<double>(v.micros) / 1e6 + 365.25 * 86400.0 * static_cast<double>(v.months / 12) +
               30.0 * 86400.0 * static_cast<double>(v.months % 12) + 86400.0 * static_cast<double>(v.days);
      case Field::kUnknown: unit_not_recognized(unit, "interval");
      default: unit_not_supported(unit, "interval");
    }
  });
}

// ---- date_trunc ------------------------------------------------------------------------------------

/// Truncates a local timestamp to `f`; false for units date_trunc does not take.
bool truncate_local(Field f, int64_t& local) {
  DateTimeFields t = split_timestamp(local);
  int64_t days = floor_div(local, kUsecsPerDay);
  switch (f) {
    case Field::kMicroseconds: return true;
    case Field::kMilliseconds: local = floor_div(local, 1000) * 1000; return true;
    case Field::kSecond: local = floor_div(local, kUsecsPerSec) * kUsecsPerSec; return true;
    case Field::kMinute: local = floor_div(local, kUsecsPerMinute) * kUsecsPerMinute; return true;
    case Field::kHour: local = floor_div(local, kUsecsPerHour) * kUsecsPerHour; return true;
    case Field::kDay: local = days * kUsecsPerDay; return true;
    case Field::kWeek: {
      int dow = day_of_week(days);
      int back = dow == 0 ? 6 : dow - 1;
      local = (days - back) * kUsecsPerDay;
      return true;
    }
    default: break;
  }
  int64_t year = t.year;
  int month = t.month;
  switch (f) {
    case Field::kMonth: break;
    case Field::kQuarter: month = 3 * ((month - 1) / 3) + 1; break;
    case Field::kYear: month = 1; break;
    case Field::kDecade: {
      int dy = display_year(t.year);
      int64_t trunc = dy > 0 ? (dy / 10) * 10 : -((8 - (dy - 1)) / 10) * 10;
      year = trunc > 0 ? trunc : trunc + 1;
      month = 1;
      break;
    }
    case Field::kCentury: {
      int dy = display_year(t.year);
      int64_t c = dy > 0 ? ((dy + 99) / 100) * 100 - 99 : -((99 - (dy - 1)) / 100) * 100 + 1;
      year = c > 0 ? c : c + 1;
      month = 1;
      break;
    }
    case Field::kMillennium: {
      int dy = display_year(t.year);
      int64_t m = dy > 0 ? ((dy + 999) / 1000) * 1000 - 999 : -((999 - (dy - 1)) / 1000) * 1000 + 1;
      year = m > 0 ? m : m + 1;
      month = 1;
      break;
    }
    default: return false;
  }
  local = days_from_civil(year, month, 1) * kUsecsPerDay;
  return true;
}

bool unit_at_least_day(Field f) {
  return f == Field::kDay || f == Field::kWeek || f == Field::kMonth || f == Field::kQuarter || f == Field::kYear ||
         f == Field::kDecade || f == Field::kCentury || f == Field::kMillennium;
}

void trunc_ts(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int64_t>(args, sel, count, result, [](const Args& a, sel_t r) {
    std::string_view unit = a.get<string_t>(0, r).view();
    Field f = parse_field(unit);
    int64_t ts = a.get<int64_t>(1, r);
    if (f == Field::kUnknown) unit_not_recognized(unit, "timestamp without time zone");
    if (!timestamp_is_finite(ts)) return ts;
    if (!truncate_local(f, ts)) unit_not_supported(unit, "timestamp without time zone");
    return ts;
  });
}

int64_t trunc_tz(std::string_view unit, int64_t ts, const TimeZone& zone) {
  Field f = parse_field(unit);
  if (f == Field::kUnknown) unit_not_recognized(unit, "timestamp with time zone");
  if (!timestamp_is_finite(ts)) return ts;
  int32_t offset = zone_offset_at(zone, ts);
  int64_t local = ts + static_cast<int64_t>(offset) * kUsecsPerSec;
  if (!truncate_local(f, local)) unit_not_supported(unit, "timestamp with time zone");
  if (unit_at_least_day(f)) {
    int64_t out;
    if (!local_to_timestamptz(local, zone, out)) throw_timestamp_out_of_range();
    return out;
  }
  return local - static_cast<int64_t>(offset) * kUsecsPerSec;
}

std::shared_ptr<const TimeZone> zone_or_throw(std::string_view name) {
  auto zone = find_time_zone(name);
  if (!zone) throw SqlError(SqlState::kInvalidParameterValue, "time zone \"" + std::string(name) + "\" not recognized");
  return zone;
}

void trunc_tstz(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  const TimeZone& zone = session_zone();
  rows<int64_t>(args, sel, count, result, [&](const Args& a, sel_t r) { return trunc_tz(a.get<string_t>(0, r).view(), a.get<int64_t>(1, r), zone); });
}

void trunc_tstz_zone(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int64_t>(args, sel, count, result, [&](const Args& a, sel_t r) {
    auto zone = zone_or_throw(a.get<string_t>(2, r).view());
    return trunc_tz(a.get<string_t>(0, r).view(), a.get<int64_t>(1, r), *zone);
  });
}

void trunc_interval(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<Interval>(args, sel, count, result, [](const Args& a, sel_t r) {
    std::string_view unit = a.get<string_t>(0, r).view();
    Interval v = a.get<Interval>(1, r);
    int32_t year = v.months / 12, mon = v.months % 12;
    switch (parse_field(unit)) {
      case Field::kMillennium: year = (year / 1000) * 1000; mon = 0; v.days = 0; v.micros = 0; break;
      case Field::kCentury: year = (year / 100) * 100; mon = 0; v.days = 0; v.micros = 0; break;
      case Field::kDecade: year = (year / 10) * 10; mon = 0; v.days = 0; v.micros = 0; break;
      case Field::kYear: mon = 0; v.days = 0; v.micros = 0; break;
      case Field::kQuarter: mon = 3 * (mon / 3); v.days = 0; v.micros = 0; break;
      case Field::kMonth: v.days = 0; v.micros = 0; break;
      case Field::kDay: v.micros = 0; break;
      case Field::kHour: v.micros = (v.micros / kUsecsPerHour) * kUsecsPerHour; break;
      case Field::kMinute: v.micros = (v.micros / kUsecsPerMinute) * kUsecsPerMinute; break;
      case Field::kSecond: v.micros = (v.micros / kUsecsPerSec) * kUsecsPerSec; break;
      case Field::kMilliseconds: v.micros = (v.micros / 1000) * 1000; break;
      case Field::kMicroseconds: break;
      case Field::kWeek:
        throw SqlError(SqlState::kFeatureNotSupported, "unit \"" + lower(unit) + "\" not supported for type interval")
            .with_detail("Months usually have fractional weeks.");
      case Field::kUnknown: unit_not_recognized(unit, "interval");
      default: unit_not_supported(unit, "interval");
    }
    v.months = year * 12 + mon;
    return v;
  });
}

// ---- age, justify, isfinite, make_* ------------------------------------------------------------

template <bool TZ>
void age2(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  const TimeZone& zone = session_zone();
  rows<Interval>(args, sel, count, result, [&](const Args& a, sel_t r) {
    int64_t x = a.get<int64_t>(0, r), y = a.get<int64_t>(1, r);
    if (TZ) {
      x = timestamptz_to_local(x, zone);
      y = timestamptz_to_local(y, zone);
    }
    return timestamp_age(x, y);
  });
}

template <bool TZ>
void age1(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  const TimeZone& zone = session_zone();
  // age(x) = age(current_date, x): midnight of today in the session zone.
  int64_t today = floor_div(local_now(), kUsecsPerDay) * kUsecsPerDay;
  rows<Interval>(args, sel, count, result, [&](const Args& a, sel_t r) {
    int64_t x = a.get<int64_t>(0, r);
    if (TZ) x = timestamptz_to_local(x, zone);
    return timestamp_age(today, x);
  });
}

template <Interval (*F)(const Interval&)>
void justify(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<Interval>(args, sel, count, result, [](const Args& a, sel_t r) { return F(a.get<Interval>(0, r)); });
}

template <class T>
void isfinite_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<uint8_t>(args, sel, count, result, [](const Args& a, sel_t r) -> uint8_t {
    if constexpr (std::is_same_v<T, int32_t>) {
      return date_is_finite(a.get<int32_t>(0, r));
    } else if constexpr (std::is_same_v<T, int64_t>) {
      return timestamp_is_finite(a.get<int64_t>(0, r));
    } else {
      return 1;
    }
  });
}

int32_t checked_make_date(int64_t year, int64_t month, int64_t day) {
  auto bad = [&]() {
    throw SqlError(SqlState::kDatetimeFieldOverflow, "date field value out of range: " + std::to_string(year) + "-" +
                                                         (month < 10 && month >= 0 ? "0" : "") + std::to_string(month) + "-" +
                                                         (day < 10 && day >= 0 ? "0" : "") + std::to_string(day));
  };
  if (year == 0 || month < 1 || month > 12 || day < 1) bad();
  int64_t astronomical = year > 0 ? year : year + 1;
  if (astronomical > 5874897 || astronomical < -4713) throw SqlError(SqlState::kDatetimeFieldOverflow, "date out of range: " + std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(day));
  if (day > days_in_month(astronomical, static_cast<int>(month))) bad();
  int64_t d = days_from_civil(astronomical, static_cast<int>(month), static_cast<int>(day));
  if (!date_in_range(d)) throw SqlError(SqlState::kDatetimeFieldOverflow, "date out of range: " + std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(day));
  return static_cast<int32_t>(d);
}

std::string format_g(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

int64_t checked_make_time(int64_t hour, int64_t min, double sec) {
  if (hour < 0 || min < 0 || min > 59 || !(sec >= 0) || sec > 60 || hour > 24 || (hour == 24 && (min > 0 || sec > 0))) {
    throw SqlError(SqlState::kDatetimeFieldOverflow, "time field value out of range: " + std::to_string(hour) + ":" +
                                                         (min < 10 && min >= 0 ? "0" : "") + std::to_string(min) + ":" +
                                                         (sec < 10 && sec >= 0 ? "0" : "") + format_g(sec));
  }
  return (hour * 60 + min) * kUsecsPerMinute + static_cast<int64_t>(std::nearbyint(sec * 1e6));
}

void make_date_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int32_t>(args, sel, count, result,
                [](const Args& a, sel_t r) { return checked_make_date(a.get<int32_t>(0, r), a.get<int32_t>(1, r), a.get<int32_t>(2, r)); });
}

void make_time_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int64_t>(args, sel, count, result,
                [](const Args& a, sel_t r) { return checked_make_time(a.get<int32_t>(0, r), a.get<int32_t>(1, r), a.get<double>(2, r)); });
}

int64_t make_local_timestamp(const Args& a, sel_t r) {
  int32_t d = checked_make_date(a.get<int32_t>(0, r), a.get<int32_t>(1, r), a.get<int32_t>(2, r));
  int64_t t = checked_make_time(a.get<int32_t>(3, r), a.get<int32_t>(4, r), a.get<double>(5, r));
  __int128 v = static_cast<__int128>(d) * kUsecsPerDay + t;
  if (!timestamp_in_range(v)) throw_timestamp_out_of_range();
  return static_cast<int64_t>(v);
}

void make_timestamp_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int64_t>(args, sel, count, result, [](const Args& a, sel_t r) { return make_local_timestamp(a, r); });
}

void make_timestamptz_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  const TimeZone& session = session_zone();
  const bool has_zone = args.size() == 7;
  rows<int64_t>(args, sel, count, result, [&](const Args& a, sel_t r) {
    int64_t local = make_local_timestamp(a, r);
    std::shared_ptr<const TimeZone> zone;
    if (has_zone) zone = zone_or_throw(a.get<string_t>(6, r).view());
    return timestamp_to_timestamptz(local, has_zone ? *zone : session);
  });
}

void make_interval_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  const size_t n = args.size();
  rows<Interval>(args, sel, count, result, [&](const Args& a, sel_t r) {
    auto arg = [&](size_t i) -> int64_t { return i < n && i < 6 ? a.get<int32_t>(i, r) : 0; };
    double secs = n == 7 ? a.get<double>(6, r) : 0.0;
    __int128 months = static_cast<__int128>(arg(0)) * 12 + arg(1);
    __int128 days = static_cast<__int128>(arg(2)) * 7 + arg(3);
    double micros = std::nearbyint((static_cast<double>(arg(4)) * 3600.0 + static_cast<double>(arg(5)) * 60.0 + secs) * 1e6);
    if (months > INT32_MAX || months < INT32_MIN || days > INT32_MAX || days < INT32_MIN || std::isnan(micros) ||
        micros >= 9223372036854775808.0 || micros < -9223372036854775808.0) {
      throw_interval_out_of_range();
    }
    return Interval{static_cast<int64_t>(micros), static_cast<int32_t>(days), static_cast<int32_t>(months)};
  });
}

// ---- date_bin -----------------------------------------------------------------------------------------

int64_t bin(const Interval& stride, int64_t source, int64_t origin) {
  if (stride.months != 0) {
    throw SqlError(SqlState::kFeatureNotSupported, "timestamps cannot be binned into intervals containing months or years");
  }
  if (!timestamp_is_finite(source)) return source;
  if (!timestamp_is_finite(origin)) throw SqlError(SqlState::kDatetimeFieldOverflow, "origin out of range");
  int64_t stride_usecs;
  if (__builtin_mul_overflow(static_cast<int64_t>(stride.days), kUsecsPerDay, &stride_usecs) ||
      __builtin_add_overflow(stride_usecs, stride.micros, &stride_usecs)) {
    throw_interval_out_of_range();
  }
  if (stride_usecs <= 0) throw SqlError(SqlState::kDatetimeFieldOverflow, "stride must be greater than zero");
  int64_t diff;
  if (__builtin_sub_overflow(source, origin, &diff)) throw_interval_out_of_range();
  int64_t delta = diff - diff % stride_usecs;
  if (diff < 0 && diff % stride_usecs != 0) delta -= stride_usecs;
  int64_t out;
  if (__builtin_add_overflow(origin, delta, &out) || !timestamp_in_range(out)) throw_timestamp_out_of_range();
  return out;
}

void date_bin_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int64_t>(args, sel, count, result,
                [](const Args& a, sel_t r) { return bin(a.get<Interval>(0, r), a.get<int64_t>(1, r), a.get<int64_t>(2, r)); });
}

// ---- AT TIME ZONE (timezone()) -------------------------------------------------------------------------

/// timezone(zone, timestamptz) -> timestamp: the local time in `zone`.
void tz_of_tstz(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int64_t>(args, sel, count, result, [](const Args& a, sel_t r) {
    int64_t ts = a.get<int64_t>(1, r);
    auto zone = zone_or_throw(a.get<string_t>(0, r).view());
    if (!timestamp_is_finite(ts)) return ts;
    return timestamptz_to_timestamp(ts, *zone);
  });
}

/// timezone(zone, timestamp) -> timestamptz: the timestamp read as local time in `zone`.
void tz_of_ts(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int64_t>(args, sel, count, result, [](const Args& a, sel_t r) {
    int64_t ts = a.get<int64_t>(1, r);
    auto zone = zone_or_throw(a.get<string_t>(0, r).view());
    return timestamp_to_timestamptz(ts, *zone);
  });
}

int64_t interval_zone_seconds(const Interval& v) {
  if (v.months != 0 || v.days != 0) {
    throw SqlError(SqlState::kInvalidParameterValue,
                   "interval time zone \"" + format_interval(v) + "\" must not include months or days");
  }
  return v.micros;
}

void itz_of_tstz(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int64_t>(args, sel, count, result, [](const Args& a, sel_t r) {
    int64_t ts = a.get<int64_t>(1, r);
    int64_t off = interval_zone_seconds(a.get<Interval>(0, r));
    if (!timestamp_is_finite(ts)) return ts;
    __int128 v = static_cast<__int128>(ts) + off;
    if (!timestamp_in_range(v)) throw_timestamp_out_of_range();
    return static_cast<int64_t>(v);
  });
}

void itz_of_ts(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  rows<int64_t>(args, sel, count, result, [](const Args& a, sel_t r) {
    int64_t ts = a.get<int64_t>(1, r);
    int64_t off = interval_zone_seconds(a.get<Interval>(0, r));
    if (!timestamp_is_finite(ts)) return ts;
    __int128 v = static_cast<__int128>(ts) - off;
    if (!timestamp_in_range(v)) throw_timestamp_out_of_range();
    return static_cast<int64_t>(v);
  });
}

// ---- sum / avg over interval ------------------------------------------------------------------------

struct IntervalSumState {
  __int128 micros;
  int64_t days;
  int64_t months;
  int64_t count;
};

using catalog::AggregateState;

void interval_sum_init(AggregateState* const* states, size_t offset, size_t count) {
  for (size_t i = 0; i < count; i++) std::memset(states[i] + offset, 0, sizeof(IntervalSumState));
}

void interval_sum_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset, StringHeap&) {
  UnifiedVectorFormat f;
  args[0].to_unified(count, f);
  const Interval* values = f.values<Interval>();
  for (size_t i = 0; i < count; i++) {
    sel_t idx = f.sel.get_index(i);
    if (!f.validity->row_is_valid(idx)) continue;
    auto& s = *reinterpret_cast<IntervalSumState*>(states[i] + offset);
    s.micros += values[idx].micros;
    s.days += values[idx].days;
    s.months += values[idx].months;
    s.count++;
  }
}

void interval_sum_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset, size_t count, StringHeap&) {
  for (size_t i = 0; i < count; i++) {
    const auto& s = *reinterpret_cast<const IntervalSumState*>(sources[i] + offset);
    auto& t = *reinterpret_cast<IntervalSumState*>(targets[i] + offset);
    t.micros += s.micros;
    t.days += s.days;
    t.months += s.months;
    t.count += s.count;
  }
}

template <bool AVG>
void interval_sum_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  Interval* out = result.mutable_values<Interval>();
  ValidityMask& validity = result.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    const auto& s = *reinterpret_cast<const IntervalSumState*>(states[i] + offset);
    if (s.count == 0) {
      validity.set_invalid(i);
      continue;
    }
    if (s.months > INT32_MAX || s.months < INT32_MIN || s.days > INT32_MAX || s.days < INT32_MIN || s.micros > INT64_MAX ||
        s.micros < INT64_MIN) {
      throw_interval_out_of_range();
    }
    Interval sum{static_cast<int64_t>(s.micros), static_cast<int32_t>(s.days), static_cast<int32_t>(s.months)};
    out[i] = AVG ? interval_divide(sum, static_cast<double>(s.count)) : sum;
  }
}

void register_interval_aggregates(catalog::FunctionRegistry& registry) {
  for (bool avg : {false, true}) {
    catalog::AggregateFunction a;
    a.name = avg ? "avg" : "sum";
    a.params = {catalog::ParamType::of(kInterval)};
    a.result = catalog::ParamType::of(kInterval);
    a.state_size = sizeof(IntervalSumState);
    a.state_alignment = alignof(IntervalSumState);
    a.init = interval_sum_init;
    a.update = interval_sum_update;
    a.combine = interval_sum_combine;
    a.finalize = avg ? interval_sum_finalize<true> : interval_sum_finalize<false>;
    registry.add(std::move(a));
  }
}

}  // namespace

void register_to_char_functions(catalog::FunctionRegistry& registry);

void register_datetime_functions(catalog::FunctionRegistry& registry) {
  using V = catalog::Volatility;
  // Arithmetic.
  registry.add(op("+", {kDate, kInt}, kDate, date_pl_int));
  registry.add(op("+", {kInt, kDate}, kDate, int_pl_date));
  registry.add(op("-", {kDate, kInt}, kDate, date_mi_int));
  registry.add(op("-", {kDate, kDate}, kInt, date_mi_date));
  registry.add(op("+", {kDate, kInterval}, kTs, date_interval<false, 0>));
  registry.add(op("+", {kInterval, kDate}, kTs, date_interval<false, 1>));
  registry.add(op("-", {kDate, kInterval}, kTs, date_interval<true, 0>));
  registry.add(op("+", {kDate, kTime}, kTs, date_pl_time<0>));
  registry.add(op("+", {kTime, kDate}, kTs, date_pl_time<1>));
  registry.add(op("+", {kTs, kInterval}, kTs, ts_interval<false, false, 0>));
  registry.add(op("+", {kInterval, kTs}, kTs, ts_interval<false, false, 1>));
  registry.add(op("-", {kTs, kInterval}, kTs, ts_interval<false, true, 0>));
  auto tz_op = [&](const char* name, std::vector<LogicalType> params, LogicalType result, catalog::ScalarKernel k) {
    auto f = op(name, std::move(params), result, k);
    f.volatility = V::kStable;
    registry.add(std::move(f));
  };
  tz_op("+", {kTsTz, kInterval}, kTsTz, ts_interval<true, false, 0>);
  tz_op("+", {kInterval, kTsTz}, kTsTz, ts_interval<true, false, 1>);
  tz_op("-", {kTsTz, kInterval}, kTsTz, ts_interval<true, true, 0>);
  registry.add(op("-", {kTs, kTs}, kInterval, ts_mi_ts));
  registry.add(op("-", {kTsTz, kTsTz}, kInterval, ts_mi_ts));
  registry.add(op("+", {kTime, kInterval}, kTime, time_interval<false, 0>));
  registry.add(op("+", {kInterval, kTime}, kTime, time_interval<false, 1>));
  registry.add(op("-", {kTime, kInterval}, kTime, time_interval<true, 0>));
  registry.add(op("-", {kTime, kTime}, kInterval, time_mi_time));
  registry.add(op("+", {kInterval, kInterval}, kInterval, interval_pl<false>));
  registry.add(op("-", {kInterval, kInterval}, kInterval, interval_pl<true>));
  registry.add(op("-", {kInterval}, kInterval, interval_um));
  registry.add(op("*", {kInterval, kDouble}, kInterval, interval_mul<0>));
  registry.add(op("*", {kDouble, kInterval}, kInterval, interval_mul<1>));
  registry.add(op("/", {kInterval, kDouble}, kInterval, interval_div));

  // The transaction's, the statement's and the wall clock's time.
  registry.add(fn("now", {}, kTsTz, now_kernel<Clock::kTransaction>, V::kStable));
  registry.add(fn("transaction_timestamp", {}, kTsTz, now_kernel<Clock::kTransaction>, V::kStable));
  registry.add(fn("current_timestamp", {}, kTsTz, now_kernel<Clock::kTransaction>, V::kStable));
  registry.add(fn("current_timestamp", {kInt}, kTsTz, current_timestamp_p, V::kStable));
  registry.add(fn("statement_timestamp", {}, kTsTz, now_kernel<Clock::kStatement>, V::kStable));
  registry.add(fn("clock_timestamp", {}, kTsTz, now_kernel<Clock::kWall>, V::kVolatile));
  registry.add(fn("current_date", {}, kDate, current_date_kernel, V::kStable));
  registry.add(fn("localtimestamp", {}, kTs, localtimestamp_kernel, V::kStable));
  registry.add(fn("localtimestamp", {kInt}, kTs, localtimestamp_kernel, V::kStable));
  registry.add(fn("localtime", {}, kTime, localtime_kernel, V::kStable));
  registry.add(fn("localtime", {kInt}, kTime, localtime_kernel, V::kStable));
  // Fields.
  for (const char* name : {"extract", "date_part"}) {
    const bool is_extract = std::string_view(name) == "extract";
    registry.add(fn(name, {kText, kTs}, kDouble, extract_ts<0>));
    registry.add(fn(name, {kText, kTsTz}, kDouble, extract_ts<1>, V::kStable));
    registry.add(fn(name, {kText, kDate}, kDouble, is_extract ? extract_ts<2> : extract_ts<3>));
    registry.add(fn(name, {kText, kTime}, kDouble, extract_time));
    registry.add(fn(name, {kText, kInterval}, kDouble, extract_interval));
  }
  registry.add(fn("date_trunc", {kText, kTs}, kTs, trunc_ts));
  registry.add(fn("date_trunc", {kText, kTsTz}, kTsTz, trunc_tstz, V::kStable));
  registry.add(fn("date_trunc", {kText, kTsTz, kText}, kTsTz, trunc_tstz_zone));
  registry.add(fn("date_trunc", {kText, kInterval}, kInterval, trunc_interval));

  registry.add(fn("age", {kTs, kTs}, kInterval, age2<false>));
  registry.add(fn("age", {kTsTz, kTsTz}, kInterval, age2<true>, V::kStable));
  registry.add(fn("age", {kTs}, kInterval, age1<false>, V::kStable));
  registry.add(fn("age", {kTsTz}, kInterval, age1<true>, V::kStable));
  registry.add(fn("justify_days", {kInterval}, kInterval, justify<justify_days>));
  registry.add(fn("justify_hours", {kInterval}, kInterval, justify<justify_hours>));
  registry.add(fn("justify_interval", {kInterval}, kInterval, justify<justify_interval>));
  registry.add(fn("isfinite", {kDate}, kBool, isfinite_kernel<int32_t>));
  registry.add(fn("isfinite", {kTs}, kBool, isfinite_kernel<int64_t>));
  registry.add(fn("isfinite", {kTsTz}, kBool, isfinite_kernel<int64_t>));
  registry.add(fn("isfinite", {kInterval}, kBool, isfinite_kernel<Interval>));

  registry.add(fn("make_date", {kInt, kInt, kInt}, kDate, make_date_kernel));
  registry.add(fn("make_time", {kInt, kInt, kDouble}, kTime, make_time_kernel));
  registry.add(fn("make_timestamp", {kInt, kInt, kInt, kInt, kInt, kDouble}, kTs, make_timestamp_kernel));
  registry.add(fn("make_timestamptz", {kInt, kInt, kInt, kInt, kInt, kDouble}, kTsTz, make_timestamptz_kernel, V::kStable));
  registry.add(fn("make_timestamptz", {kInt, kInt, kInt, kInt, kInt, kDouble, kText}, kTsTz, make_timestamptz_kernel));
  // make_interval(years, months, weeks, days, hours, mins, secs), trailing arguments optional.
  for (size_t n = 0; n <= 7; n++) {
    std::vector<LogicalType> params(n, kInt);
    if (n == 7) params[6] = kDouble;
    registry.add(fn("make_interval", params, kInterval, make_interval_kernel));
  }

  registry.add(fn("date_bin", {kInterval, kTs, kTs}, kTs, date_bin_kernel));
  registry.add(fn("date_bin", {kInterval, kTsTz, kTsTz}, kTsTz, date_bin_kernel));

  registry.add(fn("timezone", {kText, kTsTz}, kTs, tz_of_tstz));
  registry.add(fn("timezone", {kText, kTs}, kTsTz, tz_of_ts));
  registry.add(fn("timezone", {kInterval, kTsTz}, kTs, itz_of_tstz));
  registry.add(fn("timezone", {kInterval, kTs}, kTsTz, itz_of_ts));

  register_interval_aggregates(registry);
  register_to_char_functions(registry);
}

}  // namespace tessera::executor
