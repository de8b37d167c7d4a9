#include "src/common/datetime.h"

#include <gtest/gtest.h>

#include "src/common/sql_error.h"

namespace tessera {
namespace {

using namespace datetime;  // NOLINT: test of one namespace

SqlState state_of(void (*f)()) {
  try {
    f();
  } catch (const SqlError& e) {
    return e.state();
  }
  return SqlState::kSuccessfulCompletion;
}

TEST(DateTimeTest, CalendarRoundTripsAcrossTheWholeRange) {
  for (int64_t d = kMinDate; d <= kMaxDate; d += 9973) {
    int32_t y, m, day;
    civil_from_days(d, y, m, day);
    EXPECT_EQ(days_from_civil(y, m, day), d);
  }
  EXPECT_EQ(days_from_civil(2000, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1970, 1, 1), -10957);
  EXPECT_EQ(day_of_week(0), 6);  // 2000-01-01 was a Saturday
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_TRUE(is_leap_year(0));  // 1 BC
  EXPECT_EQ(days_in_month(2024, 2), 29);
}

TEST(DateTimeTest, DateInputAndOutput) {
  EXPECT_EQ(format_date(parse_date("2024-01-31")), "2024-01-31");
  EXPECT_EQ(format_date(parse_date("1/8/1999")), "1999-01-08");
  EXPECT_EQ(format_date(parse_date("January 8, 1999")), "1999-01-08");
  EXPECT_EQ(format_date(parse_date("8 Jan 1999")), "1999-01-08");
  EXPECT_EQ(format_date(parse_date("19990108")), "1999-01-08");
  EXPECT_EQ(format_date(parse_date("0044-03-15 BC")), "0044-03-15 BC");
  EXPECT_EQ(format_date(parse_date("4714-11-24 BC")), "4714-11-24 BC");
  EXPECT_EQ(parse_date("4714-11-24 BC"), kMinDate);
  EXPECT_EQ(parse_date("5874897-12-31"), kMaxDate);
  EXPECT_EQ(parse_date("infinity"), kDateInfinity);
  EXPECT_EQ(format_date(kDateNegInfinity), "-infinity");
  EXPECT_EQ(parse_date("epoch"), -10957);
}

TEST(DateTimeTest, DateInputErrors) {
  EXPECT_EQ(state_of([] { parse_date("2024-02-30"); }), SqlState::kDatetimeFieldOverflow);
  EXPECT_EQ(state_of([] { parse_date("2024-13-01"); }), SqlState::kDatetimeFieldOverflow);
  EXPECT_EQ(state_of([] { parse_date("0000-01-01"); }), SqlState::kDatetimeFieldOverflow);
  EXPECT_EQ(state_of([] { parse_date("6000000-01-01"); }), SqlState::kDatetimeFieldOverflow);
  EXPECT_EQ(state_of([] { parse_date("foo"); }), SqlState::kInvalidDatetimeFormat);
  EXPECT_EQ(state_of([] { parse_date(""); }), SqlState::kInvalidDatetimeFormat);
  EXPECT_EQ(state_of([] { parse_date("2024-01-01 12:00 Foo/Bar"); }), SqlState::kInvalidParameterValue);
}

TEST(DateTimeTest, TimestampInputAndOutput) {
  EXPECT_EQ(format_timestamp(parse_timestamp("2024-01-31 13:45:00.5")), "2024-01-31 13:45:00.5");
  EXPECT_EQ(format_timestamp(parse_timestamp("2024-01-31T13:45:00Z")), "2024-01-31 13:45:00");
  EXPECT_EQ(format_timestamp(parse_timestamp("Jan 8 1999 04:05:06 PM")), "1999-01-08 16:05:06");
  EXPECT_EQ(format_timestamp(parse_timestamp("2024-12-31 23:59:60")), "2025-01-01 00:00:00");
  EXPECT_EQ(format_timestamp(parse_timestamp("2024-01-31 13:45:00.1234567")), "2024-01-31 13:45:00.123457");
  EXPECT_EQ(format_timestamp(parse_timestamp("0044-03-15 12:00 BC")), "0044-03-15 12:00:00 BC");
  EXPECT_EQ(parse_timestamp("-infinity"), kTimestampNegInfinity);
  EXPECT_EQ(format_time(parse_time("1:02:03.25 pm")), "13:02:03.25");
  EXPECT_EQ(format_time(parse_time("allballs")), "00:00:00");
  EXPECT_EQ(format_time(parse_time("24:00")), "24:00:00");
  EXPECT_EQ(state_of([] { parse_timestamp("2024-01-01 25:00"); }), SqlState::kDatetimeFieldOverflow);
  EXPECT_EQ(state_of([] { parse_timestamp("13:45"); }), SqlState::kInvalidDatetimeFormat);
  EXPECT_EQ(state_of([] { parse_timestamp("300000-01-01"); }), SqlState::kDatetimeFieldOverflow);
}

TEST(DateTimeTest, TimestampTzUsesTheContextZoneAndExplicitOffsets) {
  DateTimeContext context;
  context.time_zone = find_time_zone("Europe/Berlin");
  ASSERT_NE(context.time_zone, nullptr);
  ScopedDateTimeContext scope(&context);
  const TimeZone& berlin = *context.time_zone;
  EXPECT_EQ(format_timestamptz(parse_timestamptz("2024-01-31 13:45"), berlin), "2024-01-31 13:45:00+01");
  EXPECT_EQ(format_timestamptz(parse_timestamptz("2024-07-31 13:45"), berlin), "2024-07-31 13:45:00+02");
  EXPECT_EQ(format_timestamptz(parse_timestamptz("2024-01-31 13:45:00-05:30"), berlin), "2024-01-31 20:15:00+01");
  EXPECT_EQ(format_timestamptz(parse_timestamptz("2024-01-31 13:45 America/New_York"), berlin), "2024-01-31 19:45:00+01");
  // Skipped local times move forward; repeated ones resolve to the later instant.
  EXPECT_EQ(format_timestamptz(parse_timestamptz("2024-03-31 02:30"), berlin), "2024-03-31 03:30:00+02");
  EXPECT_EQ(format_timestamptz(parse_timestamptz("2024-10-27 02:30"), berlin), "2024-10-27 02:30:00+01");
  EXPECT_EQ(format_timestamptz(parse_timestamptz("1850-01-01 00:00"), berlin), "1850-01-01 00:00:00+00:53:28");
}

TEST(DateTimeTest, IntervalInputAndOutput) {
  auto round_trip = [](const char* text) { return format_interval(parse_interval(text)); };
  EXPECT_EQ(round_trip("1 year 2 months 3 days 4 hours 5 minutes 6.5 seconds"), "1 year 2 mons 3 days 04:05:06.5");
  EXPECT_EQ(round_trip("1-2"), "1 year 2 mons");
  EXPECT_EQ(round_trip("1 02:03:04"), "1 day 02:03:04");
  EXPECT_EQ(round_trip("P1Y2M3DT4H5M6S"), "1 year 2 mons 3 days 04:05:06");
  EXPECT_EQ(round_trip("@ 1 hour ago"), "-01:00:00");
  EXPECT_EQ(round_trip("-1 days +02:00:00"), "-1 days +02:00:00");
  EXPECT_EQ(round_trip("0"), "00:00:00");
  EXPECT_EQ(round_trip("1.5 months"), "1 mon 15 days");
  EXPECT_EQ(round_trip("1.5 years"), "1 year 6 mons");
  EXPECT_EQ(round_trip("100 hours"), "100:00:00");
  EXPECT_EQ(format_interval(parse_interval("1", "day")), "1 day");
  EXPECT_EQ(format_interval(parse_interval("1 day 02:03:04", "hour to minute")), "1 day 02:03:00");
  EXPECT_EQ(state_of([] { parse_interval("xyz"); }), SqlState::kInvalidDatetimeFormat);
  EXPECT_EQ(state_of([] { parse_interval("2147483648 days"); }), SqlState::kIntervalFieldOverflow);
}

TEST(DateTimeTest, IntervalsCompareAndHashOnTheirNormalizedValue) {
  Interval month = parse_interval("1 mon");
  Interval days = parse_interval("30 days");
  Interval hours = parse_interval("720 hours");
  EXPECT_EQ(compare_intervals(month, days), 0);
  EXPECT_EQ(compare_intervals(days, hours), 0);
  EXPECT_EQ(hash_interval(month), hash_interval(hours));
  EXPECT_LT(compare_intervals(parse_interval("-1 mon"), parse_interval("1 second")), 0);
  EXPECT_GT(compare_intervals(parse_interval("1 year"), parse_interval("359 days")), 0);
}

TEST(DateTimeTest, Arithmetic) {
  int64_t jan31 = parse_timestamp("2024-01-31 10:00");
  EXPECT_EQ(format_timestamp(timestamp_plus_interval(jan31, parse_interval("1 mon"))), "2024-02-29 10:00:00");
  EXPECT_EQ(format_interval(timestamp_difference(parse_timestamp("2024-01-01"), parse_timestamp("2024-01-02 01:00"))),
            "-1 days -01:00:00");
  EXPECT_EQ(format_interval(interval_multiply(parse_interval("1 mon"), 1.5)), "1 mon 15 days");
  EXPECT_EQ(format_interval(interval_divide(parse_interval("10 days"), 7)), "1 day 10:17:08.571429");
  EXPECT_EQ(format_interval(justify_interval(parse_interval("1 mon -1 hour"))), "29 days 23:00:00");
  EXPECT_EQ(format_interval(timestamp_age(parse_timestamp("2024-03-01"), parse_timestamp("2023-01-31"))), "1 year 1 mon 1 day");
  EXPECT_EQ(state_of([] { timestamp_plus_interval(parse_timestamp("294276-12-31 23:00"), parse_interval("1 day")); }),
            SqlState::kDatetimeFieldOverflow);
  EXPECT_EQ(state_of([] { interval_divide(parse_interval("1 day"), 0); }), SqlState::kDivisionByZero);
  auto berlin = find_time_zone("Europe/Berlin");
  int64_t before_dst = parse_timestamptz("2024-03-30 12:00+01");
  EXPECT_EQ(format_timestamptz(timestamptz_plus_interval(before_dst, parse_interval("1 day"), *berlin), *berlin),
            "2024-03-31 12:00:00+02");
}

}  // namespace
}  // namespace tessera
