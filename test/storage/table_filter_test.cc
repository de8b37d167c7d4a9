#include "storage/table_filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/data_table.h"
#include "storage/transaction_manager.h"
#include "test/support/sanitizer.h"

namespace tessera::storage {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// --- A reference implementation of PostgreSQL's semantics over Values, row at a time. ---

// Three-way comparison of two non-NULL values of one type: float8 order for doubles (NaN equal
// to NaN and above everything, -0 = 0), byte order for text.
int reference_compare(const Value& a, const Value& b) {
  switch (a.type().id()) {
    case LogicalTypeId::kDouble:
    case LogicalTypeId::kReal: {
      const double x = a.get_double(), y = b.get_double();
      const bool xn = std::isnan(x), yn = std::isnan(y);
      if (xn || yn) return xn && yn ? 0 : (xn ? 1 : -1);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case LogicalTypeId::kVarchar: {
      const std::string& x = a.get_string();
      const std::string& y = b.get_string();
      for (size_t i = 0; i < std::min(x.size(), y.size()); i++) {
        const auto cx = static_cast<unsigned char>(x[i]), cy = static_cast<unsigned char>(y[i]);
        if (cx != cy) return cx < cy ? -1 : 1;
      }
      return x.size() == y.size() ? 0 : (x.size() < y.size() ? -1 : 1);
    }
    default: return a.get_int64() < b.get_int64() ? -1 : (a.get_int64() > b.get_int64() ? 1 : 0);
  }
}

bool reference_holds(CompareOp op, const Value& v, const Value& c) {
  if (v.is_null()) return false;
  const int r = reference_compare(v, c);
  switch (op) {
    case CompareOp::kEqual: return r == 0;
    case CompareOp::kNotEqual: return r != 0;
    case CompareOp::kLess: return r < 0;
    case CompareOp::kLessEqual: return r <= 0;
    case CompareOp::kGreater: return r > 0;
    case CompareOp::kGreaterEqual: return r >= 0;
  }
  return false;
}

// A condition of the test, with its storage filter and its reference.
struct Condition {
  enum class Kind { kCompare, kIn, kIsNull, kIsNotNull, kBetween } kind;
  CompareOp op = CompareOp::kEqual;
  std::vector<Value> constants;

  TableFilterPtr make_filter() const {
    switch (kind) {
      case Kind::kCompare: return std::make_unique<CompareFilter>(op, constants[0]);
      case Kind::kIn: return std::make_unique<InFilter>(constants);
      case Kind::kIsNull: return std::make_unique<NullFilter>(true);
      case Kind::kIsNotNull: return std::make_unique<NullFilter>(false);
      case Kind::kBetween: {
        auto between = std::make_unique<AndFilter>();
        between->add(std::make_unique<CompareFilter>(CompareOp::kGreaterEqual, constants[0]));
        between->add(std::make_unique<CompareFilter>(CompareOp::kLessEqual, constants[1]));
        return between;
      }
    }
    return nullptr;
  }

  bool holds(const Value& v) const {
    switch (kind) {
      case Kind::kCompare: return reference_holds(op, v, constants[0]);
      case Kind::kIn:
        return std::any_of(constants.begin(), constants.end(),
                           [&](const Value& c) { return reference_holds(CompareOp::kEqual, v, c); });
      case Kind::kIsNull: return v.is_null();
      case Kind::kIsNotNull: return !v.is_null();
      case Kind::kBetween:
        return reference_holds(CompareOp::kGreaterEqual, v, constants[0]) &&
               reference_holds(CompareOp::kLessEqual, v, constants[1]);
    }
    return false;
  }
};

// --- Random test data: every storable type with NULLs and the awkward values. ---

std::vector<LogicalType> test_types() {
  return {LogicalType::bigint(),   // 0: row key, never NULL
          LogicalType::integer(),  LogicalType::smallint(), LogicalType::boolean(),
          LogicalType::double_precision(), LogicalType::varchar(), LogicalType::real()};
}

const std::vector<std::string>& test_strings() {
  static const std::vector<std::string> strings = {
      "",         "a",          "ab",          "abc",          "abcdefghijkl",  // 12 bytes: inline
      "abcdefghijklm",  "abcdefghijklmn", "abcd\xff",  "abcdefghijkl\xff", "zz",
      "same-prefix-long-string-1", "same-prefix-long-string-2", "B", "\x01", "abcdefghijkk"};
  return strings;
}

const std::vector<double>& test_doubles() {
  static const std::vector<double> doubles = {kNaN, -0.0, 0.0, 1.5, -1.5, kInf, -kInf, 1e300, -2.25, 3.0, 7.75};
  return doubles;
}

const std::vector<float>& test_reals() {
  constexpr float kFloatNaN = std::numeric_limits<float>::quiet_NaN();
  constexpr float kFloatInf = std::numeric_limits<float>::infinity();
  static const std::vector<float> reals = {kFloatNaN, -0.0f, 0.0f, 1.5f, -1.5f, kFloatInf, -kFloatInf, 3e38f, 0.1f, 3.0f, 7.75f};
  return reals;
}

Value random_value(const LogicalType& type, std::mt19937_64& rng) {
  if (rng() % 7 == 0) return Value::null(type);
  switch (type.id()) {
    case LogicalTypeId::kInteger: return Value::integer(static_cast<int32_t>(rng() % 200) - 100);
    case LogicalTypeId::kSmallint: return Value::smallint(static_cast<int16_t>(rng() % 50) - 25);
    case LogicalTypeId::kBoolean: return Value::boolean(rng() % 2 == 0);
    case LogicalTypeId::kDouble: return Value::double_precision(test_doubles()[rng() % test_doubles().size()]);
    case LogicalTypeId::kReal: return Value::real(test_reals()[rng() % test_reals().size()]);
    case LogicalTypeId::kVarchar: return Value::varchar(test_strings()[rng() % test_strings().size()]);
    default: return Value::bigint(static_cast<int64_t>(rng() % 1000));
  }
}

// Constants to compare each column with: values from the data and values outside it.
std::vector<Value> constants_for(const LogicalType& type) {
  std::vector<Value> out;
  switch (type.id()) {
    case LogicalTypeId::kInteger:
      for (int v : {-101, -100, -1, 0, 7, 99, 100, std::numeric_limits<int32_t>::max()}) out.push_back(Value::integer(v));
      break;
    case LogicalTypeId::kSmallint:
      for (int v : {-26, -25, 0, 24, 30}) out.push_back(Value::smallint(static_cast<int16_t>(v)));
      break;
    case LogicalTypeId::kBoolean:
      out.push_back(Value::boolean(false));
      out.push_back(Value::boolean(true));
      break;
    case LogicalTypeId::kDouble:
      for (double d : test_doubles()) out.push_back(Value::double_precision(d));
      out.push_back(Value::double_precision(2.0));
      break;
    case LogicalTypeId::kReal:
      for (float f : test_reals()) out.push_back(Value::real(f));
      out.push_back(Value::real(2.0f));
      out.push_back(Value::real(-3e38f));
      break;
    case LogicalTypeId::kVarchar:
      for (const auto& s : test_strings()) out.push_back(Value::varchar(s));
      out.push_back(Value::varchar("abcdefghijkla"));
      out.push_back(Value::varchar("zzz"));
      break;
    default: break;
  }
  return out;
}

std::vector<Condition> conditions_for(const LogicalType& type, std::mt19937_64& rng) {
  std::vector<Condition> out;
  const auto constants = constants_for(type);
  for (const auto& c : constants) {
    for (auto op : {CompareOp::kEqual, CompareOp::kNotEqual, CompareOp::kLess, CompareOp::kLessEqual,
                    CompareOp::kGreater, CompareOp::kGreaterEqual}) {
      out.push_back({Condition::Kind::kCompare, op, {c}});
    }
  }
  out.push_back({Condition::Kind::kIsNull, CompareOp::kEqual, {}});
  out.push_back({Condition::Kind::kIsNotNull, CompareOp::kEqual, {}});
  for (size_t list_size : {1, 2, 3, 9, 12}) {
    Condition in{Condition::Kind::kIn, CompareOp::kEqual, {}};
    for (size_t i = 0; i < list_size; i++) in.constants.push_back(constants[rng() % constants.size()]);
    out.push_back(in);
  }
  for (int i = 0; i < 6; i++) {
    out.push_back({Condition::Kind::kBetween, CompareOp::kEqual,
                   {constants[rng() % constants.size()], constants[rng() % constants.size()]}});
  }
  return out;
}

struct TestTable {
  TransactionManager tm;
  DataTable table{test_types()};
  std::vector<std::vector<Value>> rows;  // by key
};

// Appends `count` random rows in chunks of assorted sizes and commits them.
void fill(TestTable& t, size_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto txn = t.tm.begin();
  const auto types = test_types();
  while (t.rows.size() < count) {
    const size_t n = std::min<size_t>(1 + rng() % kVectorSize, count - t.rows.size());
    DataChunk chunk;
    chunk.initialize(types);
    for (size_t r = 0; r < n; r++) {
      std::vector<Value> row;
      row.push_back(Value::bigint(static_cast<int64_t>(t.rows.size())));
      for (size_t c = 1; c < types.size(); c++) row.push_back(random_value(types[c], rng));
      for (size_t c = 0; c < types.size(); c++) chunk.set_value(c, r, row[c]);
      t.rows.push_back(std::move(row));
    }
    chunk.set_size(n);
    t.table.append(*txn, chunk);
  }
  t.tm.commit(*txn);
}

// Scans with `filters`, projecting `column_ids` (the key first); returns the keys in order and
// checks every projected value.
std::vector<int64_t> filtered_keys(const TestTable& t, const Transaction& txn, TableFilterSet filters,
                                   std::vector<size_t> column_ids = {0}, ScanSkipCounts* counts = nullptr) {
  std::vector<LogicalType> types;
  for (size_t id : column_ids) types.push_back(test_types()[id]);
  auto global = t.table.begin_scan(txn, column_ids, std::move(filters));
  LocalTableScanState local;
  DataChunk out;
  out.initialize(types);
  std::vector<int64_t> keys;
  while (t.table.next_morsel(*global, local)) {
    while (t.table.scan(local, out)) {
      for (size_t r = 0; r < out.size(); r++) {
        const int64_t key = out.get_value(0, r).get_int64();
        keys.push_back(key);
        for (size_t j = 1; j < column_ids.size(); j++) {
          if (key < static_cast<int64_t>(t.rows.size()) && out.get_value(j, r) != t.rows[key][column_ids[j]]) {
            ADD_FAILURE() << "wrong value in column " << column_ids[j] << " of key " << key;
            return keys;
          }
        }
      }
    }
  }
  if (counts) *counts = global->skip_counts();
  return keys;
}

std::string describe(const Condition& c, size_t column) {
  return c.make_filter()->to_string("c" + std::to_string(column));
}

// Every filter kind on every type, against the reference, over sealed and unsealed segments
// (the row count is not a multiple of the segment size) and several row groups.
TEST(TableFilterTest, EveryFilterKindMatchesTheReference) {
  TestTable t;
  fill(t, kRowGroupSize + 3 * kVectorSize + 123, 42);
  auto reader = t.tm.begin();
  std::mt19937_64 rng(7);
  const auto types = test_types();
  size_t checked = 0;
  size_t index = 0;
  for (size_t column = 1; column < types.size(); column++) {
    for (const auto& condition : conditions_for(types[column], rng)) {
      if (!test_support::sampled_case(index++, 4)) continue;
      std::vector<int64_t> expected;
      for (const auto& row : t.rows) {
        if (condition.holds(row[column])) expected.push_back(row[0].get_int64());
      }
      TableFilterSet filters;
      filters.add(column, condition.make_filter());
      // The filtered column projected, and not projected.
      const auto with_column = filtered_keys(t, *reader, filters, {0, column});
      ASSERT_EQ(expected, with_column) << describe(condition, column);
      const auto without_column = filtered_keys(t, *reader, filters, {0});
      ASSERT_EQ(expected, without_column) << describe(condition, column);
      checked++;
    }
  }
  EXPECT_GT(checked, test_support::kSanitizedBuild ? 50u : 200u);
}

TEST(TableFilterTest, FiltersOnSeveralColumnsCombine) {
  TestTable t;
  fill(t, 3 * kVectorSize + 5, 9);
  auto reader = t.tm.begin();
  TableFilterSet filters;
  filters.add(1, std::make_unique<CompareFilter>(CompareOp::kGreater, Value::integer(-20)));
  filters.add(1, std::make_unique<CompareFilter>(CompareOp::kLessEqual, Value::integer(60)));
  filters.add(4, std::make_unique<NullFilter>(false));
  filters.add(5, std::make_unique<InFilter>(std::vector<Value>{Value::varchar("abc"), Value::varchar("abcdefghijklm")}));
  EXPECT_EQ("c1 > -20 AND c1 <= 60 AND c4 IS NOT NULL AND c5 IN ('abc', 'abcdefghijklm')",
            filters.to_string({"c0", "c1", "c2", "c3", "c4", "c5"}));
  std::vector<int64_t> expected;
  for (const auto& row : t.rows) {
    const Value& i = row[1];
    if (!i.is_null() && i.get_int64() > -20 && i.get_int64() <= 60 && !row[4].is_null() && !row[5].is_null() &&
        (row[5].get_string() == "abc" || row[5].get_string() == "abcdefghijklm")) {
      expected.push_back(row[0].get_int64());
    }
  }
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(expected, filtered_keys(t, *reader, filters, {0, 2, 5, 1}));
}

ZoneMap double_zone(std::initializer_list<double> values, size_t nulls = 0) {
  ZoneMap zone(LogicalType::double_precision());
  for (double v : values) zone.add_double(v);
  zone.add_null(nulls);
  return zone;
}

TEST(TableFilterTest, ZoneChecksFollowPostgresOrder) {
  auto check = [](CompareOp op, Value c, const ZoneMap& zone) { return CompareFilter(op, std::move(c)).check_zone(zone); };
  // NaN is above every number: a zone holding NaN may match "> 1e308", and one holding only
  // numbers matches "< NaN" in full.
  EXPECT_EQ(ZoneCheck::kMaybe, check(CompareOp::kGreater, Value::double_precision(1e308), double_zone({1.0, kNaN})));
  EXPECT_EQ(ZoneCheck::kNever, check(CompareOp::kGreater, Value::double_precision(kInf), double_zone({1.0, kInf})));
  EXPECT_EQ(ZoneCheck::kAlways, check(CompareOp::kLess, Value::double_precision(kNaN), double_zone({1.0, kInf})));
  EXPECT_EQ(ZoneCheck::kAlways, check(CompareOp::kEqual, Value::double_precision(kNaN), double_zone({kNaN})));
  // -0.0 = 0.0.
  EXPECT_EQ(ZoneCheck::kAlways, check(CompareOp::kEqual, Value::double_precision(0.0), double_zone({-0.0})));
  EXPECT_EQ(ZoneCheck::kNever, check(CompareOp::kLess, Value::double_precision(-0.0), double_zone({0.0, 5.0})));
  // NULLs: never satisfy a comparison; a zone of only NULLs matches nothing but IS NULL.
  EXPECT_EQ(ZoneCheck::kMaybe, check(CompareOp::kLess, Value::double_precision(9.0), double_zone({1.0}, 3)));
  EXPECT_EQ(ZoneCheck::kNever, check(CompareOp::kNotEqual, Value::double_precision(9.0), double_zone({}, 3)));
  EXPECT_EQ(ZoneCheck::kAlways, NullFilter(true).check_zone(double_zone({}, 3)));
  EXPECT_EQ(ZoneCheck::kNever, NullFilter(true).check_zone(double_zone({1.0})));
  EXPECT_EQ(ZoneCheck::kNever, NullFilter(false).check_zone(double_zone({}, 3)));
  // Strings in byte order: "\xff" sorts after every ASCII string.
  ZoneMap strings(LogicalType::varchar());
  strings.add_string("abc");
  strings.add_string("abd\xff");
  EXPECT_EQ(ZoneCheck::kNever, check(CompareOp::kGreater, Value::varchar("abd\xff"), strings));
  EXPECT_EQ(ZoneCheck::kMaybe, check(CompareOp::kGreater, Value::varchar("abd~"), strings));
  EXPECT_EQ(ZoneCheck::kAlways, check(CompareOp::kGreaterEqual, Value::varchar("ab"), strings));
  // IN: no constant inside [min, max] excludes the zone.
  ZoneMap ints(LogicalType::integer());
  ints.add_integer(10);
  ints.add_integer(20);
  EXPECT_EQ(ZoneCheck::kNever, InFilter({Value::integer(9), Value::integer(21)}).check_zone(ints));
  EXPECT_EQ(ZoneCheck::kMaybe, InFilter({Value::integer(9), Value::integer(15)}).check_zone(ints));
  // AND: any child that excludes the zone excludes it.
  AndFilter between;
  between.add(std::make_unique<CompareFilter>(CompareOp::kGreaterEqual, Value::integer(21)));
  between.add(std::make_unique<CompareFilter>(CompareOp::kLessEqual, Value::integer(30)));
  EXPECT_EQ(ZoneCheck::kNever, between.check_zone(ints));
}

TEST(TableFilterTest, IntervalsFilterOnTheirNormalizedValue) {
  auto iv = [](int32_t months, int32_t days, int64_t micros) { return Interval{micros, days, months}; };
  ZoneMap zone(LogicalType::interval());
  zone.add_interval(iv(0, 1, 0));   // 1 day
  zone.add_interval(iv(1, 0, 0));   // 1 mon = 30 days
  zone.add_interval(iv(0, -1, 0));  // -1 days
  EXPECT_EQ(compare_intervals(zone.min_interval(), iv(0, -1, 0)), 0);
  EXPECT_EQ(compare_intervals(zone.max_interval(), iv(0, 30, 0)), 0);
  auto check = [&](CompareOp op, const Interval& c) { return CompareFilter(op, Value::interval(c)).check_zone(zone); };
  EXPECT_EQ(ZoneCheck::kNever, check(CompareOp::kGreater, iv(0, 0, 720 * datetime::kUsecsPerHour)));
  EXPECT_EQ(ZoneCheck::kMaybe, check(CompareOp::kEqual, iv(0, 30, 0)));
  EXPECT_EQ(ZoneCheck::kAlways, check(CompareOp::kGreaterEqual, iv(0, 0, -datetime::kUsecsPerDay)));
  EXPECT_EQ(ZoneCheck::kNever, InFilter({Value::interval(iv(2, 0, 0)), Value::interval(iv(0, -2, 0))}).check_zone(zone));

  const Interval values[] = {iv(1, 0, 0), iv(0, 30, 0), iv(0, 0, 720 * datetime::kUsecsPerHour), iv(0, 1, 0), iv(0, 29, 1)};
  FilterInput input{values, nullptr, 0};
  sel_t out[5];
  EXPECT_EQ(3u, CompareFilter(CompareOp::kEqual, Value::interval(iv(0, 30, 0))).select(LogicalType::interval(), input, nullptr, 5, out));
  EXPECT_EQ(out[0], 0u);
  EXPECT_EQ(out[2], 2u);
  EXPECT_EQ(2u, CompareFilter(CompareOp::kLess, Value::interval(iv(1, 0, 0))).select(LogicalType::interval(), input, nullptr, 5, out));
  EXPECT_EQ(out[0], 3u);
  EXPECT_EQ(out[1], 4u);
  EXPECT_EQ(3u, InFilter({Value::interval(iv(0, 0, 30 * datetime::kUsecsPerDay))}).select(LogicalType::interval(), input, nullptr, 5, out));
}

// --- Zone-map pruning, counted. ---

std::unique_ptr<DataTable> ascending_table(TransactionManager& tm, size_t rows) {
  auto table = std::make_unique<DataTable>(std::vector<LogicalType>{LogicalType::bigint(), LogicalType::integer()});
  auto txn = tm.begin();
  for (size_t done = 0; done < rows;) {
    const size_t n = std::min(kVectorSize, rows - done);
    DataChunk chunk;
    chunk.initialize({LogicalType::bigint(), LogicalType::integer()});
    for (size_t r = 0; r < n; r++) {
      chunk.set_value(0, r, Value::bigint(static_cast<int64_t>(done + r)));
      chunk.set_value(1, r, Value::integer(static_cast<int32_t>((done + r) % 7)));
    }
    chunk.set_size(n);
    table->append(*txn, chunk);
    done += n;
  }
  tm.commit(*txn);
  return table;
}

size_t scan_count(const DataTable& table, const Transaction& txn, TableFilterSet filters, ScanSkipCounts& counts) {
  auto global = table.begin_scan(txn, {0}, std::move(filters));
  LocalTableScanState local;
  DataChunk out;
  out.initialize({LogicalType::bigint()});
  size_t rows = 0;
  while (table.next_morsel(*global, local)) {
    while (table.scan(local, out)) rows += out.size();
  }
  counts = global->skip_counts();
  return rows;
}

TEST(TableFilterTest, ZoneMapsSkipRowGroupsAndSegments) {
  TransactionManager tm;
  auto owned = ascending_table(tm, 10 * kRowGroupSize);
  const DataTable& table = *owned;
  ASSERT_EQ(10u, table.row_group_count());
  auto reader = tm.begin();
  ScanSkipCounts counts;

  // A range inside row group 3: nine row groups are skipped whole.
  TableFilterSet range;
  range.add(0, std::make_unique<CompareFilter>(CompareOp::kGreaterEqual, Value::bigint(3 * kRowGroupSize)));
  range.add(0, std::make_unique<CompareFilter>(CompareOp::kLess, Value::bigint(4 * kRowGroupSize)));
  EXPECT_EQ(kRowGroupSize, scan_count(table, *reader, range, counts));
  EXPECT_EQ(9u, counts.row_groups_skipped);
  EXPECT_EQ(1u, counts.row_groups_scanned);
  EXPECT_EQ(0u, counts.segments_skipped);

  // A narrow range within one segment: inside the one row group read, the other segments are
  // skipped too.
  const int64_t low = 5 * kRowGroupSize + 10 * kVectorSize + 100;
  TableFilterSet narrow;
  narrow.add(0, std::make_unique<CompareFilter>(CompareOp::kGreaterEqual, Value::bigint(low)));
  narrow.add(0, std::make_unique<CompareFilter>(CompareOp::kLessEqual, Value::bigint(low + 49)));
  EXPECT_EQ(50u, scan_count(table, *reader, narrow, counts));
  EXPECT_EQ(9u, counts.row_groups_skipped);
  EXPECT_EQ(kVectorsPerRowGroup - 1, counts.segments_skipped);

  // IN with values in two row groups.
  TableFilterSet in;
  in.add(0, std::make_unique<InFilter>(std::vector<Value>{Value::bigint(7), Value::bigint(9 * kRowGroupSize + 1)}));
  EXPECT_EQ(2u, scan_count(table, *reader, in, counts));
  EXPECT_EQ(8u, counts.row_groups_skipped);
  EXPECT_EQ(2 * (kVectorsPerRowGroup - 1), counts.segments_skipped);

  // A filter on a column whose every zone map may match skips nothing.
  TableFilterSet modulo;
  modulo.add(1, std::make_unique<CompareFilter>(CompareOp::kEqual, Value::integer(3)));
  size_t expected = 0;
  for (size_t k = 0; k < 10 * kRowGroupSize; k++) expected += k % 7 == 3;
  EXPECT_EQ(expected, scan_count(table, *reader, modulo, counts));
  EXPECT_EQ(0u, counts.row_groups_skipped);
  EXPECT_EQ(0u, counts.segments_skipped);
  EXPECT_EQ(10u, counts.row_groups_scanned);

  // No filter: nothing is skipped.
  EXPECT_EQ(10 * kRowGroupSize, scan_count(table, *reader, {}, counts));
  EXPECT_EQ(0u, counts.row_groups_skipped);
}

// Two workers take the morsels of one scan in turn, each counting what it reads; their counts
// sum to the scan's: the filtered column's segment under the range and the projected column's.
TEST(TableFilterTest, ScanStatisticsOfWorkersSumToWhatTheScanRead) {
  TransactionManager tm;
  auto owned = ascending_table(tm, 10 * kRowGroupSize);
  const DataTable& table = *owned;
  auto reader = tm.begin();
  const int64_t low = 5 * kRowGroupSize + 10 * kVectorSize + 100;
  TableFilterSet narrow;
  narrow.add(0, std::make_unique<CompareFilter>(CompareOp::kGreaterEqual, Value::bigint(low)));
  narrow.add(0, std::make_unique<CompareFilter>(CompareOp::kLessEqual, Value::bigint(low + 49)));
  auto global = table.begin_scan(*reader, {1}, std::move(narrow));
  LocalTableScanState workers[2];
  for (auto& worker : workers) worker.enable_statistics(2);
  EXPECT_EQ(nullptr, LocalTableScanState().statistics());
  DataChunk out;
  out.initialize({LogicalType::integer()});
  size_t rows = 0;
  bool done[2] = {false, false};
  for (size_t turn = 0; !done[0] || !done[1]; turn++) {
    const size_t w = turn % 2;
    if (done[w]) continue;
    if (!table.next_morsel(*global, workers[w])) {
      done[w] = true;
      continue;
    }
    while (table.scan(workers[w], out)) rows += out.size();
  }
  EXPECT_EQ(50u, rows);
  ScanStatistics total;
  for (const auto& worker : workers) total.merge(*worker.statistics());
  EXPECT_EQ(1u, total.row_groups_read);
  EXPECT_EQ(9u, total.row_groups_skipped);
  EXPECT_EQ(2u, total.segments_read);
  EXPECT_EQ(kVectorsPerRowGroup - 1, total.segments_skipped);
  EXPECT_EQ(global->skip_counts().segments_skipped, total.segments_skipped);
  // The bytes are the sizes of segment 10 of row group 5 in each column.
  std::vector<uint64_t> expected(2, 0);
  std::vector<size_t> index(2, 0);
  for (const SegmentStats& segment : table.segment_stats()) {
    if (segment.row_group != 5) continue;
    if (index[segment.column]++ == 10) expected[segment.column] = segment.compressed_bytes;
  }
  ASSERT_EQ(2u, total.column_bytes.size());
  EXPECT_GT(expected[0], 0u);
  EXPECT_EQ(expected, total.column_bytes);
}

TEST(TableFilterTest, FullyMatchingEncodedSegmentsAreDecodedOnce) {
  TransactionManager tm;
  auto owned = ascending_table(tm, 2 * kVectorSize);
  const DataTable& table = *owned;
  auto reader = tm.begin();
  TableFilterSet filters;
  filters.add(0, std::make_unique<CompareFilter>(CompareOp::kGreaterEqual, Value::bigint(kVectorSize)));
  auto global = table.begin_scan(*reader, {0, 1}, std::move(filters));
  LocalTableScanState local;
  DataChunk out;
  out.initialize({LogicalType::bigint(), LogicalType::integer()});
  ASSERT_TRUE(table.next_morsel(*global, local));
  ASSERT_TRUE(table.scan(local, out));
  ASSERT_EQ(kVectorSize, out.size());
  EXPECT_EQ(VectorType::kFlat, out.column(0).vector_type());
  EXPECT_FALSE(out.column(0).is_shared()) << "an encoded segment decodes into the scan's own vector";
  EXPECT_EQ(Value::bigint(kVectorSize), out.get_value(0, 0));
  EXPECT_FALSE(table.scan(local, out));
  EXPECT_FALSE(table.next_morsel(*global, local));
  EXPECT_EQ(1u, global->skip_counts().segments_skipped) << "the first segment holds no match";
}

// --- Filters and MVCC. ---

TEST(TableFilterTest, FilteredScansSeeOnlyVisibleRows) {
  TransactionManager tm;
  DataTable table({LogicalType::bigint(), LogicalType::varchar()});
  auto append = [&](Transaction& txn, int64_t first, size_t count) {
    for (size_t done = 0; done < count;) {
      const size_t n = std::min(kVectorSize, count - done);
      DataChunk chunk;
      chunk.initialize({LogicalType::bigint(), LogicalType::varchar()});
      for (size_t r = 0; r < n; r++) {
        const int64_t k = first + static_cast<int64_t>(done + r);
        chunk.set_value(0, r, Value::bigint(k));
        chunk.set_value(1, r, k % 2 ? Value::varchar("odd and rather long") : Value::varchar("even"));
      }
      chunk.set_size(n);
      table.append(txn, chunk);
      done += n;
    }
  };
  auto count = [&](const Transaction& txn, TableFilterSet filters) {
    auto global = table.begin_scan(txn, {0}, std::move(filters));
    LocalTableScanState local;
    DataChunk out;
    out.initialize({LogicalType::bigint()});
    size_t rows = 0;
    while (table.next_morsel(*global, local)) {
      while (table.scan(local, out)) rows += out.size();
    }
    return rows;
  };
  auto odd_below = [](int64_t bound) {
    TableFilterSet f;
    f.add(1, std::make_unique<CompareFilter>(CompareOp::kEqual, Value::varchar("odd and rather long")));
    f.add(0, std::make_unique<CompareFilter>(CompareOp::kLess, Value::bigint(bound)));
    return f;
  };

  auto committed = tm.begin();
  append(*committed, 0, 3000);
  tm.commit(*committed);
  auto uncommitted = tm.begin();
  append(*uncommitted, 3000, 3000);  // fills and seals segments that hold others' rows
  auto rolled_back = tm.begin();
  append(*rolled_back, 6000, 1000);
  tm.rollback(*rolled_back);

  auto reader = tm.begin();
  EXPECT_EQ(1500u, count(*reader, odd_below(1 << 30)));
  EXPECT_EQ(3000u, count(*uncommitted, odd_below(1 << 30))) << "a transaction sees its own rows";
  TableFilterSet only_new;
  only_new.add(0, std::make_unique<CompareFilter>(CompareOp::kGreaterEqual, Value::bigint(3000)));
  EXPECT_EQ(0u, count(*reader, only_new)) << "uncommitted and rolled-back rows are never returned";
  EXPECT_EQ(3000u, count(*uncommitted, only_new));
  tm.commit(*uncommitted);
  EXPECT_EQ(0u, count(*reader, only_new)) << "a commit after the reader began stays invisible";
  auto later = tm.begin();
  EXPECT_EQ(3000u, count(*later, only_new)) << "rolled-back rows stay invisible";
  EXPECT_EQ(1000u, count(*later, odd_below(2000)));
}

TEST(TableFilterTest, ConcurrentAppendAndFilteredScan) {
  TransactionManager tm;
  DataTable table({LogicalType::bigint(), LogicalType::integer()});
  // Each batch is one transaction of kBatch rows whose column 1 is i % 10; the filter keeps
  // i % 10 == 3, so a reader sees a multiple of kBatch / 10 rows, growing over time.
  constexpr size_t kBatch = 1000, kBatches = 150;
  std::atomic<bool> done{false};
  std::atomic<bool> bad{false};
  std::thread writer([&] {
    for (size_t b = 0; b < kBatches; b++) {
      auto txn = tm.begin();
      DataChunk chunk;
      chunk.initialize({LogicalType::bigint(), LogicalType::integer()});
      for (size_t r = 0; r < kBatch; r++) {
        chunk.set_value(0, r, Value::bigint(static_cast<int64_t>(b * kBatch + r)));
        chunk.set_value(1, r, Value::integer(static_cast<int32_t>(r % 10)));
      }
      chunk.set_size(kBatch);
      table.append(*txn, chunk);
      if (b % 5 == 4) tm.rollback(*txn); else tm.commit(*txn);
    }
    done = true;
  });
  std::vector<std::thread> readers;
  std::atomic<size_t> reads{0};
  for (int t = 0; t < 2; t++) {
    readers.emplace_back([&] {
      size_t last = 0;
      do {
        auto txn = tm.begin();
        TableFilterSet filters;
        filters.add(1, std::make_unique<CompareFilter>(CompareOp::kEqual, Value::integer(3)));
        auto global = table.begin_scan(*txn, {0, 1}, std::move(filters));
        LocalTableScanState local;
        DataChunk out;
        out.initialize({LogicalType::bigint(), LogicalType::integer()});
        size_t rows = 0;
        while (table.next_morsel(*global, local)) {
          while (table.scan(local, out)) {
            for (size_t r = 0; r < out.size(); r++) {
              if (out.get_value(1, r) != Value::integer(3) || out.get_value(0, r).get_int64() % 10 != 3) bad = true;
            }
            rows += out.size();
          }
        }
        if (rows % (kBatch / 10) != 0 || rows < last) bad = true;
        last = rows;
        reads++;
      } while (!done);
    });
  }
  writer.join();
  for (auto& r : readers) r.join();
  EXPECT_FALSE(bad);
  EXPECT_GE(reads.load(), 2u);
  auto final_reader = tm.begin();
  ScanSkipCounts counts;
  TableFilterSet filters;
  filters.add(1, std::make_unique<CompareFilter>(CompareOp::kEqual, Value::integer(3)));
  auto global = table.begin_scan(*final_reader, {0}, std::move(filters));
  LocalTableScanState local;
  DataChunk out;
  out.initialize({LogicalType::bigint()});
  size_t rows = 0;
  while (table.next_morsel(*global, local)) {
    while (table.scan(local, out)) rows += out.size();
  }
  EXPECT_EQ(kBatches / 5 * 4 * kBatch / 10, rows);
}

}  // namespace
}  // namespace tessera::storage
