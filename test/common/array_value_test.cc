#include "src/common/array_value.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "src/common/numeric.h"
#include "src/common/sql_error.h"

namespace tessera {
namespace {

std::string round_trip(const LogicalType& element, const std::string& text) {
  return array::format(element, array::parse(element, text));
}

int byte_order(const std::string& a, const std::string& b) {
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

TEST(ArrayValueTest, TextRoundTrip) {
  EXPECT_EQ(round_trip(LogicalType::integer(), "{1,2,NULL}"), "{1,2,NULL}");
  EXPECT_EQ(round_trip(LogicalType::integer(), " { } "), "{}");
  EXPECT_EQ(round_trip(LogicalType::varchar(), R"({"a b","",NULL,"NULL","x\"y","a\\b",plain})"),
            R"({"a b","",NULL,"NULL","x\"y","a\\b",plain})");
  EXPECT_EQ(round_trip(LogicalType::varchar(), R"({ a b , c\,d })"), R"({"a b","c,d"})");
  EXPECT_EQ(round_trip(LogicalType::boolean(), "{true,f}"), "{t,f}");
  EXPECT_EQ(round_trip(LogicalType::numeric(), "{1.50,-0.001,NaN,0.00,123456789012345678901234567890}"),
            "{1.50,-0.001,NaN,0.00,123456789012345678901234567890}");
  EXPECT_EQ(round_trip(LogicalType::double_precision(), "{-0,1e300,-Infinity,NaN}"), "{-0,1e+300,-Infinity,NaN}");
  EXPECT_EQ(round_trip(LogicalType::interval(), "{1 day,-3 mons}"), R"({"1 day","-3 mons"})");
}

TEST(ArrayValueTest, MalformedLiterals) {
  for (const char* bad : {"", "1,2", "{1,2", "{1,,2}", "{1,2}x", R"({"a"b})", R"({"abc})", "{,}", "{a\"b}"}) {
    try {
      array::parse(LogicalType::varchar(), bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const SqlError& e) {
      EXPECT_EQ(e.state(), SqlState::kInvalidTextRepresentation) << bad;
    }
  }
  for (const char* unsupported : {"{{1},{2}}", "[1:2]={1,2}"}) {
    try {
      array::parse(LogicalType::integer(), unsupported);
      ADD_FAILURE() << "accepted " << unsupported;
    } catch (const SqlError& e) {
      EXPECT_EQ(e.state(), SqlState::kFeatureNotSupported) << unsupported;
    }
  }
}

TEST(ArrayValueTest, ByteOrderIsArrayOrder) {
  // Random integer arrays with NULLs: the encoded bytes order as array::compare does.
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> len(0, 4), value(-3, 3);
  std::vector<std::string> arrays;
  for (int i = 0; i < 300; i++) {
    std::vector<Value> elements;
    const int n = len(rng);
    for (int k = 0; k < n; k++) {
      const int v = value(rng);
      elements.push_back(v == 3 ? Value::null(LogicalType::integer()) : Value::integer(v * 1000003));
    }
    arrays.push_back(array::encode(LogicalType::integer(), elements));
  }
  for (const auto& a : arrays) {
    for (const auto& b : arrays) {
      EXPECT_EQ(byte_order(a, b), array::compare(LogicalType::integer(), a, b));
    }
  }
}

TEST(ArrayValueTest, ElementKeysOrderByValue) {
  auto check = [](const LogicalType& element, const std::vector<Value>& ascending) {
    for (size_t i = 0; i + 1 < ascending.size(); i++) {
      const std::string a = array::encode(element, {ascending[i]});
      const std::string b = array::encode(element, {ascending[i + 1]});
      EXPECT_LT(a, b) << ascending[i].to_string() << " vs " << ascending[i + 1].to_string();
      EXPECT_EQ(array::decode(element, a)[0].to_string(), ascending[i].to_string());
    }
  };
  check(LogicalType::bigint(), {Value::bigint(std::numeric_limits<int64_t>::min()), Value::bigint(-1), Value::bigint(0),
                                Value::bigint(std::numeric_limits<int64_t>::max())});
  check(LogicalType::double_precision(),
        {Value::double_precision(-INFINITY), Value::double_precision(-2.5), Value::double_precision(-1e-300),
         Value::double_precision(0), Value::double_precision(1e-300), Value::double_precision(INFINITY),
         Value::double_precision(NAN)});
  check(LogicalType::real(), {Value::real(-1.5f), Value::real(0.25f), Value::real(NAN)});
  check(LogicalType::numeric(),
        {Value::numeric(numeric::parse_or_throw("-100")), Value::numeric(numeric::parse_or_throw("-99.5")),
         Value::numeric(numeric::parse_or_throw("-0.01")), Value::numeric(numeric::parse_or_throw("0")),
         Value::numeric(numeric::parse_or_throw("0.001")), Value::numeric(numeric::parse_or_throw("1.2")),
         Value::numeric(numeric::parse_or_throw("1.23")), Value::numeric(numeric::parse_or_throw("12")),
         Value::numeric(numeric::parse_or_throw("NaN"))});
  check(LogicalType::varchar(), {Value::varchar(""), Value::varchar("a"), Value::varchar(std::string("a\0", 2)),
                                 Value::varchar("ab"), Value::varchar("\xc3\xa9")});
}

TEST(ArrayValueTest, EqualValuesKeepTheirSpelling) {
  const LogicalType n = LogicalType::numeric();
  const std::string a = array::encode(n, {Value::numeric(numeric::parse_or_throw("1.0"))});
  const std::string b = array::encode(n, {Value::numeric(numeric::parse_or_throw("1.00"))});
  EXPECT_NE(a, b);
  EXPECT_EQ(array::compare(n, a, b), 0);
  EXPECT_EQ(array::format(n, b), "{1.00}");
}

TEST(ArrayValueTest, TypeNamesAndOids) {
  EXPECT_EQ(LogicalType::array_of(LogicalType::integer()).name(), "integer[]");
  EXPECT_EQ(LogicalType::array_of(LogicalType(LogicalTypeId::kVarchar, 5)).name(), "character varying(5)[]");
  EXPECT_EQ(LogicalType::array_of(LogicalType::integer()).element_type(), LogicalType::integer());
  EXPECT_NE(LogicalType::array_of(LogicalType::integer()), LogicalType::array_of(LogicalType::bigint()));
  EXPECT_EQ(LogicalType::array_of(LogicalType::integer()).physical_type(), PhysicalType::kString);
  const std::pair<LogicalType, Oid> oids[] = {
      {LogicalType::integer(), 1007},          {LogicalType::varchar(), 1009},
      {LogicalType::bigint(), 1016},           {LogicalType::smallint(), 1005},
      {LogicalType::double_precision(), 1022}, {LogicalType::real(), 1021},
      {LogicalType::numeric(), 1231},          {LogicalType::boolean(), 1000},
      {LogicalType(LogicalTypeId::kVarchar, 10), 1015}, {LogicalType::date(), 1182},
      {LogicalType::timestamp(), 1115},        {LogicalType::timestamptz(), 1185},
      {LogicalType::interval(), 1187},
  };
  for (const auto& [element, oid] : oids) EXPECT_EQ(LogicalType::array_of(element).pg_oid(), oid) << element.name();
}

}  // namespace
}  // namespace tessera
