#include "src/common/timezone.h"

#include <gtest/gtest.h>

#include <string>

namespace tessera {
namespace {

void put32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void put64(std::string& out, uint64_t v) {
  put32(out, static_cast<uint32_t>(v >> 32));
  put32(out, static_cast<uint32_t>(v));
}

/// A version 2 TZif file with one transition at `at` from +01 ("AAA") to +02 ("BBB") and the
/// given footer.
std::string tzif(int64_t at, const std::string& footer) {
  std::string out;
  auto header = [&](uint32_t timecnt) {
    out += "TZif2";
    out.append(15, '\0');
    put32(out, 0);        // isutcnt
    put32(out, 0);        // isstdcnt
    put32(out, 0);        // leapcnt
    put32(out, timecnt);  // timecnt
    put32(out, 2);        // typecnt
    put32(out, 8);        // charcnt
  };
  auto types = [&]() {
    put32(out, 3600);
    out.push_back(0);
    out.push_back(0);
    put32(out, 7200);
    out.push_back(1);
    out.push_back(4);
    out += std::string("AAA\0BBB\0", 8);
  };
  header(1);
  put32(out, static_cast<uint32_t>(at));
  out.push_back(1);
  types();
  header(1);
  put64(out, static_cast<uint64_t>(at));
  out.push_back(1);
  types();
  out += "\n" + footer + "\n";
  return out;
}

TEST(TimeZoneTest, ReadsTransitionsOfATzifFile) {
  auto zone = TimeZone::from_tzif("Test/Zone", tzif(1000000, "BBB-2"));
  ASSERT_NE(zone, nullptr);
  EXPECT_EQ(zone->name(), "Test/Zone");
  EXPECT_EQ(zone->utc_offset(999999), 3600);
  EXPECT_EQ(zone->utc_offset(1000000), 7200);
  EXPECT_EQ(zone->utc_offset(5000000000), 7200);  // the footer rule beyond the last transition
  EXPECT_EQ(zone->abbreviation(0), "AAA");
  EXPECT_EQ(zone->abbreviation(2000000), "BBB");
  // Local 1000000 + 3600 + 1800 falls into the skipped hour: the earlier offset applies.
  EXPECT_EQ(zone->local_offset(1000000 + 3600 + 1800), 3600);
}

TEST(TimeZoneTest, RejectsMalformedData) {
  std::string good = tzif(1000000, "BBB-2");
  EXPECT_EQ(TimeZone::from_tzif("x", good.substr(0, 40)), nullptr);
  EXPECT_EQ(TimeZone::from_tzif("x", "TZif"), nullptr);
  std::string bad_magic = good;
  bad_magic[0] = 'X';
  EXPECT_EQ(TimeZone::from_tzif("x", bad_magic), nullptr);
  EXPECT_EQ(TimeZone::from_tzif("x", tzif(1000000, "not a rule")), nullptr);
}

TEST(TimeZoneTest, PosixRulesWithDaylightSavingTime) {
  auto zone = TimeZone::from_posix("CET", "CET-1CEST,M3.5.0,M10.5.0/3");
  ASSERT_NE(zone, nullptr);
  // 2024-03-31 01:00 UTC is the switch to CEST; 2024-10-27 01:00 UTC back to CET.
  const int64_t spring = 1711846800, autumn = 1729990800;
  EXPECT_EQ(zone->utc_offset(spring - 1), 3600);
  EXPECT_EQ(zone->utc_offset(spring), 7200);
  EXPECT_EQ(zone->utc_offset(autumn - 1), 7200);
  EXPECT_EQ(zone->utc_offset(autumn), 3600);
  EXPECT_EQ(zone->abbreviation(spring), "CEST");
  // The southern hemisphere: DST spans New Year.
  auto south = TimeZone::from_posix("AU", "AEST-10AEDT,M10.1.0,M4.1.0/3");
  ASSERT_NE(south, nullptr);
  EXPECT_EQ(south->utc_offset(1704067200), 39600);  // 2024-01-01: AEDT
  EXPECT_EQ(south->utc_offset(1719792000), 36000);  // 2024-07-01: AEST
  // POSIX offsets count west of Greenwich.
  auto plus3 = TimeZone::from_posix("UTC+3", "UTC+3");
  ASSERT_NE(plus3, nullptr);
  EXPECT_EQ(plus3->utc_offset(0), -3 * 3600);
  EXPECT_EQ(TimeZone::from_posix("x", "A"), nullptr);
}

TEST(TimeZoneTest, FindsSystemZonesCaseInsensitively) {
  auto berlin = find_time_zone("europe/berlin");
  ASSERT_NE(berlin, nullptr);
  EXPECT_EQ(berlin->name(), "Europe/Berlin");
  EXPECT_EQ(berlin->utc_offset(1704067200), 3600);  // 2024-01-01
  EXPECT_EQ(berlin->utc_offset(1719792000), 7200);  // 2024-07-01
  EXPECT_EQ(berlin->utc_offset(7258118400), 3600);  // 2200-01-01, from the footer rule
  EXPECT_EQ(find_time_zone("Europe/Berlin"), berlin);  // cached
  EXPECT_EQ(find_time_zone("UTC")->utc_offset(0), 0);
  EXPECT_EQ(find_time_zone("Foo/Bar"), nullptr);
  EXPECT_EQ(find_time_zone("../etc/passwd"), nullptr);
  auto kathmandu = find_time_zone("Asia/Kathmandu");
  ASSERT_NE(kathmandu, nullptr);
  EXPECT_EQ(kathmandu->utc_offset(1704067200), 5 * 3600 + 45 * 60);
}

}  // namespace
}  // namespace tessera
