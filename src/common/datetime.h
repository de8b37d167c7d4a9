#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include "src/common/timezone.h"

namespace tessera {

// Date/time values in PostgreSQL's representation (integer datetimes, epoch 2000-01-01):
//   date         int32 days since 2000-01-01; INT32_MIN / INT32_MAX are -infinity / infinity
//   time         int64 microseconds since midnight, 0 .. 24:00:00
//   timestamp    int64 microseconds since 2000-01-01 00:00:00; INT64_MIN / INT64_MAX infinite
//   timestamptz  the same, counted in UTC
//   interval     months, days and microseconds kept apart (Interval)
// Years are astronomical inside (0 is 1 BC, -1 is 2 BC); text shows them with BC.

namespace datetime {
inline constexpr int64_t kUsecsPerSec = 1000000;
inline constexpr int64_t kUsecsPerMinute = 60 * kUsecsPerSec;
inline constexpr int64_t kUsecsPerHour = 60 * kUsecsPerMinute;
inline constexpr int64_t kUsecsPerDay = 24 * kUsecsPerHour;
inline constexpr int32_t kDateNegInfinity = std::numeric_limits<int32_t>::min();
inline constexpr int32_t kDateInfinity = std::numeric_limits<int32_t>::max();
inline constexpr int64_t kTimestampNegInfinity = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kTimestampInfinity = std::numeric_limits<int64_t>::max();
/// 2000-01-01 in Unix seconds.
inline constexpr int64_t kUnixEpochOffsetSeconds = 946684800;
/// Valid finite dates: 4714-11-24 BC .. 5874897-12-31 (days since 2000-01-01).
inline constexpr int32_t kMinDate = -2451545;
inline constexpr int32_t kMaxDate = 2145031948;
/// Valid finite timestamps: 4714-11-24 00:00 BC .. 294276-12-31 23:59:59.999999.
inline constexpr int64_t kMinTimestamp = -211813488000000000;
inline constexpr int64_t kEndTimestamp = 9223371331200000000;
}  // namespace datetime

/// An interval with PostgreSQL's three fields. Ordered and hashed on the normalized value
/// (a month is 30 days, a day 24 hours), so '1 mon' = '30 days'.
struct Interval {
  int64_t micros = 0;
  int32_t days = 0;
  int32_t months = 0;

  /// The normalized value as a 128-bit microsecond count.
  __int128 normalized() const {
    return static_cast<__int128>(micros) + static_cast<__int128>(days) * datetime::kUsecsPerDay +
           static_cast<__int128>(months) * 30 * datetime::kUsecsPerDay;
  }
};
static_assert(sizeof(Interval) == 16);

inline int compare_intervals(const Interval& a, const Interval& b) {
  __int128 x = a.normalized(), y = b.normalized();
  return x < y ? -1 : (x > y ? 1 : 0);
}
inline bool operator==(const Interval& a, const Interval& b) { return compare_intervals(a, b) == 0; }
/// A hash of the normalized value (equal intervals hash alike).
uint64_t hash_interval(const Interval& v);

/// A broken-down date and time of day.
struct DateTimeFields {
  int32_t year = 2000;  ///< astronomical
  int32_t month = 1;
  int32_t day = 1;
  int64_t time = 0;  ///< microseconds since midnight
};

namespace datetime {

bool is_leap_year(int64_t year);
int days_in_month(int64_t year, int month);
/// Days since 2000-01-01 of a (proleptic Gregorian) date.
int64_t days_from_civil(int64_t year, int month, int day);
void civil_from_days(int64_t days, int32_t& year, int32_t& month, int32_t& day);
/// Day of the week, 0 = Sunday.
int day_of_week(int64_t days);
int64_t floor_div(int64_t a, int64_t b);

inline bool date_is_finite(int32_t d) { return d != kDateInfinity && d != kDateNegInfinity; }
inline bool timestamp_is_finite(int64_t t) { return t != kTimestampInfinity && t != kTimestampNegInfinity; }
inline bool date_in_range(int64_t d) { return d >= kMinDate && d <= kMaxDate; }
inline bool timestamp_in_range(__int128 t) { return t >= kMinTimestamp && t < kEndTimestamp; }

/// Splits a finite timestamp into date and time of day.
DateTimeFields split_timestamp(int64_t ts);
/// The timestamp of fields (the date may be out of a month's range: the day count is used).
/// Returns false when out of timestamp range.
bool make_timestamp(const DateTimeFields& f, int64_t& out);

/// The session zone's offset (seconds east) at the UTC timestamp `ts`.
int32_t zone_offset_at(const TimeZone& zone, int64_t ts);
/// timestamptz (UTC) -> local timestamp in `zone`; infinite stays infinite.
int64_t timestamptz_to_local(int64_t ts, const TimeZone& zone);
/// Local timestamp in `zone` -> timestamptz (UTC); false when out of range.
bool local_to_timestamptz(int64_t local, const TimeZone& zone, int64_t& out);

// ---- text input (PostgreSQL's datetime parser for DateStyle ISO, MDY) -------------------------
// Each raises 22007 for text that is not a valid value and 22008 for fields out of range.
// Relative inputs ('now', 'today', ...) use the current DateTimeContext.

int32_t parse_date(std::string_view text);
int64_t parse_time(std::string_view text);
int64_t parse_timestamp(std::string_view text);
int64_t parse_timestamptz(std::string_view text);
/// `range_fields` is the interval field restriction of `INTERVAL '1' DAY`-style input
/// ("year", "day", "hour to minute", ...; empty for none): it gives a unit-less number its
/// unit and truncates the lower fields, as PostgreSQL's interval typmod does.
Interval parse_interval(std::string_view text, std::string_view range_fields = {});

// ---- text output (DateStyle ISO, IntervalStyle postgres) --------------------------------------

std::string format_date(int32_t d);
std::string format_time(int64_t t);
std::string format_timestamp(int64_t ts);
/// Shown in `zone` with its offset: "+01", "+05:30", "-00:01:15".
std::string format_timestamptz(int64_t ts, const TimeZone& zone);
std::string format_interval(const Interval& v);
/// "+HH[:MM[:SS]]" as PostgreSQL prints a UTC offset.
std::string format_offset(int32_t offset_seconds);

// ---- conversions and arithmetic (raise 22008 "... out of range") --------------------------------

int64_t date_to_timestamp(int32_t d);
/// The date of a timestamp (infinite stays infinite).
int32_t timestamp_to_date(int64_t ts);
int64_t date_to_timestamptz(int32_t d, const TimeZone& zone);
int64_t timestamp_to_timestamptz(int64_t ts, const TimeZone& zone);
int64_t timestamptz_to_timestamp(int64_t ts, const TimeZone& zone);
int64_t timestamp_plus_interval(int64_t ts, const Interval& v);
int64_t timestamptz_plus_interval(int64_t ts, const Interval& v, const TimeZone& zone);
Interval interval_negate(const Interval& v);
Interval interval_add(const Interval& a, const Interval& b);
Interval interval_multiply(const Interval& v, double factor);
Interval interval_divide(const Interval& v, double factor);
/// ts1 - ts2, justified into days and time as PostgreSQL's timestamp_mi.
Interval timestamp_difference(int64_t a, int64_t b);
Interval justify_hours(const Interval& v);
Interval justify_days(const Interval& v);
Interval justify_interval(const Interval& v);
/// PostgreSQL's age(): field-wise difference of two local timestamps.
Interval timestamp_age(int64_t a, int64_t b);

[[noreturn]] void throw_timestamp_out_of_range();
[[noreturn]] void throw_date_out_of_range();
[[noreturn]] void throw_interval_out_of_range();

}  // namespace datetime

/// The session state date/time code reads: the TimeZone setting and the transaction and
/// statement start times (now(), 'today', current_date). Installed per thread for the
/// duration of a statement by the session, and on worker threads for the query's tasks.
struct DateTimeContext {
  std::shared_ptr<const TimeZone> time_zone;
  int64_t transaction_timestamp = 0;  ///< timestamptz
  int64_t statement_timestamp = 0;    ///< timestamptz
};

/// The context installed on this thread, or a UTC one with the current time.
const DateTimeContext& current_datetime_context();
/// The time zone of the context installed on this thread (UTC when none is).
const TimeZone& current_time_zone();
/// The current wall-clock time as a timestamptz.
int64_t clock_timestamp_now();

/// Installs a context on this thread until destroyed (then restores the previous one).
class ScopedDateTimeContext {
 public:
  explicit ScopedDateTimeContext(const DateTimeContext* context);
  ~ScopedDateTimeContext();
  ScopedDateTimeContext(const ScopedDateTimeContext&) = delete;
  ScopedDateTimeContext& operator=(const ScopedDateTimeContext&) = delete;

 private:
  const DateTimeContext* previous_;
};

}  // namespace tessera
