#include "executor/operator/aggregate/physical_hash_aggregate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>

#include "src/common/sql_error.h"
#include "test/executor/operator/operator_test_plan.h"
#include "test/support/sanitizer.h"

namespace tessera::executor::test {
namespace {

/// The aggregates these tests run (resolved in the built-in registry by name and argument type).
enum class AggregateId : uint8_t { kCountStar, kCount, kSum, kAvg, kMin, kMax, kBoolAnd, kBoolOr };

const catalog::AggregateFunction& aggregate_entry(AggregateId id, const std::vector<LogicalType>& args) {
  static const char* kNames[] = {"count", "count", "sum", "avg", "min", "max", "bool_and", "bool_or"};
  return *builtin_registry().resolve_aggregate(kNames[static_cast<int>(id)], args).function;
}

/// One aggregate of a test plan: function, argument column (-1 for count(*)), DISTINCT.
struct AggDef {
  AggregateId id;
  int column;
  bool distinct;
};

LogicalType result_type(const AggDef& a, const std::vector<LogicalType>& input) {
  switch (a.id) {
    case AggregateId::kCountStar:
    case AggregateId::kCount: return LogicalType::bigint();
    case AggregateId::kSum:
      if (input[a.column].id() == LogicalTypeId::kDouble) return LogicalType::double_precision();
      // PostgreSQL: sum(bigint) is numeric, sum(smallint|integer) bigint.
      return input[a.column].id() == LogicalTypeId::kBigint ? LogicalType::numeric() : LogicalType::bigint();
    case AggregateId::kAvg:
      return input[a.column].id() == LogicalTypeId::kDouble ? LogicalType::double_precision() : LogicalType::numeric();
    case AggregateId::kMin:
    case AggregateId::kMax: return input[a.column];
    case AggregateId::kBoolAnd:
    case AggregateId::kBoolOr: return LogicalType::boolean();
  }
  return LogicalType();
}

std::unique_ptr<PhysicalOperator> make_aggregate(const std::vector<LogicalType>& input, const Rows& rows,
                                                 const std::vector<int>& groups, const std::vector<AggDef>& aggs,
                                                 size_t rows_per_chunk, size_t threads) {
  std::vector<LogicalType> types;
  std::vector<planner::BoundExprPtr> group_exprs;
  for (int g : groups) {
    types.push_back(input[g]);
    group_exprs.push_back(ref(input[g], g));
  }
  std::vector<planner::BoundExprPtr> agg_exprs;
  for (const auto& a : aggs) {
    const LogicalType t = result_type(a, input);
    types.push_back(t);
    std::vector<LogicalType> args;
    if (a.column >= 0) args.push_back(input[a.column]);
    std::vector<planner::BoundExprPtr> arg_exprs;
    if (a.column >= 0) arg_exprs.push_back(ref(input[a.column], a.column));
    agg_exprs.push_back(std::make_unique<planner::BoundAggregate>(t, aggregate_entry(a.id, args), std::move(arg_exprs), a.distinct));
  }
  auto source = std::make_unique<RowSource>(input, rows, rows_per_chunk, threads);
  return std::make_unique<PhysicalHashAggregate>(types, std::move(group_exprs), std::move(agg_exprs), std::move(source));
}

/// PostgreSQL's double order: NaN above everything.
bool double_less(double a, double b) { return !std::isnan(a) && (std::isnan(b) || a < b); }

/// The group-by identity of a value: -0 as 0, every NaN alike.
std::string key_text(const Value& v) {
  if (v.is_null()) return "NULL";
  if (v.type().id() == LogicalTypeId::kDouble) {
    double d = v.get_double();
    if (d == 0) d = 0;
    return std::isnan(d) ? "NaN" : format_double(d);
  }
  return v.to_string();
}

Value reference_aggregate(const AggDef& a, const std::vector<const Row*>& rows, const std::vector<LogicalType>& input) {
  const LogicalType type = result_type(a, input);
  if (a.id == AggregateId::kCountStar) return Value::bigint(static_cast<int64_t>(rows.size()));
  std::vector<Value> values;
  std::set<std::string> seen;
  for (const Row* r : rows) {
    const Value& v = (*r)[a.column];
    if (v.is_null()) continue;
    if (a.distinct && !seen.insert(key_text(v)).second) continue;
    values.push_back(v);
  }
  if (a.id == AggregateId::kCount) return Value::bigint(static_cast<int64_t>(values.size()));
  if (values.empty()) return Value::null(type);
  const bool is_double = input[a.column].id() == LogicalTypeId::kDouble;
  const bool is_string = input[a.column].id() == LogicalTypeId::kVarchar;
  switch (a.id) {
    case AggregateId::kSum:
    case AggregateId::kAvg: {
      if (is_double) {
        double sum = 0;
        for (const auto& v : values) sum += v.get_double();
        return a.id == AggregateId::kSum ? Value::double_precision(sum)
                                         : Value::double_precision(sum / static_cast<double>(values.size()));
      }
      __int128 sum = 0;
      for (const auto& v : values) sum += v.get_int64();
      if (a.id == AggregateId::kAvg) {
        return Value::numeric(numeric::div(Numeric::make(sum, 0), numeric::from_int64(static_cast<int64_t>(values.size()))));
      }
      if (type.id() == LogicalTypeId::kNumeric) return Value::numeric(Numeric::make(sum, 0));
      EXPECT_TRUE(sum <= std::numeric_limits<int64_t>::max() && sum >= std::numeric_limits<int64_t>::min());
      return Value::bigint(static_cast<int64_t>(sum));
    }
    case AggregateId::kMin:
    case AggregateId::kMax: {
      const bool is_min = a.id == AggregateId::kMin;
      Value best = values[0];
      for (const auto& v : values) {
        bool better;
        if (is_string) {
          better = is_min ? v.get_string() < best.get_string() : v.get_string() > best.get_string();
        } else if (is_double) {
          better = is_min ? double_less(v.get_double(), best.get_double()) : double_less(best.get_double(), v.get_double());
        } else {
          better = is_min ? v.get_int64() < best.get_int64() : v.get_int64() > best.get_int64();
        }
        if (better) best = v;
      }
      return best;
    }
    case AggregateId::kBoolAnd:
    case AggregateId::kBoolOr: {
      bool acc = a.id == AggregateId::kBoolAnd;
      for (const auto& v : values) acc = a.id == AggregateId::kBoolAnd ? (acc && v.get_bool()) : (acc || v.get_bool());
      return Value::boolean(acc);
    }
    default: break;
  }
  return Value();
}

Rows reference(const std::vector<LogicalType>& input, const Rows& rows, const std::vector<int>& groups,
               const std::vector<AggDef>& aggs) {
  std::map<std::string, std::vector<const Row*>> by_key;
  std::map<std::string, Row> key_values;
  for (const auto& r : rows) {
    std::string key;
    Row key_row;
    for (int g : groups) {
      key += key_text(r[g]) + "\x01";
      Value v = r[g];
      // The group's output value is the normalized key.
      if (!v.is_null() && v.type().id() == LogicalTypeId::kDouble) {
        double d = v.get_double();
        if (d == 0) d = 0;
        if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
        v = Value::double_precision(d);
      }
      key_row.push_back(v);
    }
    by_key[key].push_back(&r);
    key_values.emplace(key, key_row);
  }
  if (groups.empty() && by_key.empty()) by_key[""] = {};
  Rows out;
  for (const auto& [key, group_rows] : by_key) {
    Row row = groups.empty() ? Row{} : key_values[key];
    for (const auto& a : aggs) row.push_back(reference_aggregate(a, group_rows, input));
    out.push_back(std::move(row));
  }
  return out;
}

/// Input: g1 int, g2 varchar, x int, d double, s varchar, b boolean, big bigint, small smallint.
std::vector<LogicalType> input_types() {
  return {LogicalType::integer(), LogicalType::varchar(), LogicalType::integer(), LogicalType::double_precision(),
          LogicalType::varchar(), LogicalType::boolean(), LogicalType::bigint(), LogicalType::smallint()};
}

Rows random_rows(size_t n, uint64_t seed, int group_count = 10) {
  std::mt19937_64 rng(seed);
  const std::vector<std::string> g2_values = {"a", "bb", "a rather long group name", "another long group value!", ""};
  Rows rows;
  for (size_t i = 0; i < n; i++) {
    Row r;
    r.push_back(rng() % 11 == 0 ? Value::null(LogicalType::integer()) : Value::integer(static_cast<int32_t>(rng() % group_count)));
    r.push_back(rng() % 13 == 0 ? Value::null(LogicalType::varchar()) : Value::varchar(g2_values[rng() % g2_values.size()]));
    r.push_back(rng() % 7 == 0 ? Value::null(LogicalType::integer())
                               : Value::integer(static_cast<int32_t>(rng() % 2001) - 1000));
    if (rng() % 9 == 0) {
      r.push_back(Value::null(LogicalType::double_precision()));
    } else if (rng() % 500 == 0) {
      r.push_back(Value::double_precision(std::numeric_limits<double>::quiet_NaN()));
    } else {
      r.push_back(Value::double_precision(static_cast<double>(static_cast<int>(rng() % 1001) - 500) / 4));
    }
    if (rng() % 8 == 0) {
      r.push_back(Value::null(LogicalType::varchar()));
    } else {
      std::string s(1 + rng() % 30, 'a');
      for (auto& ch : s) ch = static_cast<char>('a' + rng() % 26);
      r.push_back(Value::varchar(s));
    }
    r.push_back(rng() % 6 == 0 ? Value::null(LogicalType::boolean()) : Value::boolean(rng() % 10 != 0));
    r.push_back(rng() % 5 == 0 ? Value::null(LogicalType::bigint())
                               : Value::bigint(static_cast<int64_t>(rng() % 2000000000001ULL) - 1000000000000LL));
    r.push_back(rng() % 5 == 0 ? Value::null(LogicalType::smallint()) : Value::smallint(static_cast<int16_t>(rng() % 30000)));
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<AggDef> all_aggregates() {
  return {
      {AggregateId::kCountStar, -1, false}, {AggregateId::kCount, 2, false},  {AggregateId::kSum, 2, false},
      {AggregateId::kAvg, 2, false},        {AggregateId::kMin, 2, false},    {AggregateId::kMax, 2, false},
      {AggregateId::kSum, 3, false},        {AggregateId::kAvg, 3, false},    {AggregateId::kMin, 3, false},
      {AggregateId::kMax, 3, false},        {AggregateId::kMin, 4, false},    {AggregateId::kMax, 4, false},
      {AggregateId::kBoolAnd, 5, false},    {AggregateId::kBoolOr, 5, false}, {AggregateId::kSum, 6, false},
      {AggregateId::kAvg, 6, false},        {AggregateId::kMin, 6, false},    {AggregateId::kMax, 7, false},
      {AggregateId::kSum, 7, false},        {AggregateId::kCount, 4, true},   {AggregateId::kCount, 2, true},
      {AggregateId::kSum, 2, true},         {AggregateId::kAvg, 2, true},     {AggregateId::kSum, 3, true},
      {AggregateId::kMin, 4, true},         {AggregateId::kCount, 5, false},
  };
}

void check(const std::vector<int>& groups, const std::vector<AggDef>& aggs, const Rows& rows, size_t rows_per_chunk,
           size_t threads) {
  const auto input = input_types();
  Rows got = run_plan(make_aggregate(input, rows, groups, aggs, rows_per_chunk, threads), threads);
  Rows want = reference(input, rows, groups, aggs);
  ASSERT_EQ(sorted_strings(want), sorted_strings(got)) << "threads " << threads << " chunk " << rows_per_chunk;
}

TEST(PhysicalHashAggregate, GroupedMatchesReference) {
  const Rows rows = random_rows(6000, 1);
  for (size_t threads : {1, 2}) {
    for (size_t chunk : {97, 2048}) {
      // Under a sanitizer: one thread with small chunks, two with full vectors.
      if (test_support::kSanitizedBuild && (threads == 1) != (chunk == 97)) continue;
      check({0}, all_aggregates(), rows, chunk, threads);
      check({0, 1}, all_aggregates(), rows, chunk, threads);
      check({1}, {{AggregateId::kCountStar, -1, false}, {AggregateId::kMax, 4, false}}, rows, chunk, threads);
      // Single integer keys of every width use the integer-keyed table.
      check({7}, {{AggregateId::kCountStar, -1, false}, {AggregateId::kSum, 2, false}, {AggregateId::kCount, 3, true}},
            rows, chunk, threads);
      check({6}, {{AggregateId::kCountStar, -1, false}, {AggregateId::kMax, 4, false}}, rows, chunk, threads);
      check({5}, {{AggregateId::kCountStar, -1, false}, {AggregateId::kAvg, 3, false}}, rows, chunk, threads);
    }
  }
}

/// Grouping sets over the group columns `groups` (sets as indexes into it) with one
/// grouping(all groups) column: the union of a plain aggregate per set, the columns a set lacks
/// NULL.
void check_sets(const std::vector<int>& groups, const std::vector<std::vector<uint32_t>>& sets, const std::vector<AggDef>& aggs,
                const Rows& rows, size_t rows_per_chunk, size_t threads) {
  const auto input = input_types();
  std::vector<LogicalType> types;
  std::vector<uint32_t> all;
  std::vector<planner::BoundExprPtr> group_exprs;
  for (size_t i = 0; i < groups.size(); i++) {
    types.push_back(input[groups[i]]);
    all.push_back(static_cast<uint32_t>(i));
    group_exprs.push_back(ref(input[groups[i]], groups[i]));
  }
  std::vector<planner::BoundExprPtr> agg_exprs;
  for (size_t a = 0; a < aggs.size(); a++) {
    const LogicalType t = result_type(aggs[a], input);
    types.push_back(t);
    std::vector<LogicalType> args;
    std::vector<planner::BoundExprPtr> arg_exprs;
    if (aggs[a].column >= 0) {
      args.push_back(input[aggs[a].column]);
      arg_exprs.push_back(ref(input[aggs[a].column], aggs[a].column));
    }
    agg_exprs.push_back(std::make_unique<planner::BoundAggregate>(t, aggregate_entry(aggs[a].id, args), std::move(arg_exprs), aggs[a].distinct));
  }
  types.push_back(LogicalType::integer());
  auto source = std::make_unique<RowSource>(input, rows, rows_per_chunk, threads);
  auto op = std::make_unique<PhysicalHashAggregate>(types, std::move(group_exprs), std::move(agg_exprs), std::move(source), sets,
                                                    std::vector<std::vector<uint32_t>>{all});
  Rows got = run_plan(std::move(op), threads);
  Rows want;
  for (const auto& set : sets) {
    std::vector<int> set_groups;
    for (uint32_t i : set) set_groups.push_back(groups[i]);
    int32_t grouping = 0;
    for (size_t i = 0; i < groups.size(); i++) {
      grouping = (grouping << 1) | (std::find(set.begin(), set.end(), i) == set.end() ? 1 : 0);
    }
    for (const Row& r : reference(input, rows, set_groups, aggs)) {
      Row full;
      for (size_t i = 0; i < groups.size(); i++) {
        auto it = std::find(set.begin(), set.end(), i);
        full.push_back(it == set.end() ? Value::null(input[groups[i]]) : r[it - set.begin()]);
      }
      for (size_t a = 0; a < aggs.size(); a++) full.push_back(r[set.size() + a]);
      full.push_back(Value::integer(grouping));
      want.push_back(std::move(full));
    }
  }
  ASSERT_EQ(sorted_strings(want), sorted_strings(got)) << "threads " << threads << " chunk " << rows_per_chunk;
}

TEST(PhysicalHashAggregate, GroupingSetsMatchOneAggregatePerSet) {
  const Rows rows = random_rows(5000, 11);
  const std::vector<AggDef> aggs = {{AggregateId::kCountStar, -1, false}, {AggregateId::kSum, 2, false},
                                    {AggregateId::kMax, 4, false},        {AggregateId::kCount, 3, true},
                                    {AggregateId::kAvg, 3, false}};
  for (size_t threads : {1, 2}) {
    for (size_t chunk : {97, 2048}) {
      // Under a sanitizer: one thread with small chunks, two with full vectors.
      if (test_support::kSanitizedBuild && (threads == 1) != (chunk == 97)) continue;
      // ROLLUP (g1, g2), a duplicate set, and CUBE-like sets over three columns.
      check_sets({0, 1}, {{0, 1}, {0}, {}}, aggs, rows, chunk, threads);
      check_sets({0, 1}, {{1}, {1}, {0, 1}}, aggs, rows, chunk, threads);
      check_sets({0, 1, 7}, {{0, 1, 2}, {0, 2}, {1}, {2}, {}}, aggs, rows, chunk, threads);
      check_sets({}, {{}, {}}, aggs, rows, chunk, threads);
      check_sets({0, 1}, {{0}, {}}, aggs, {}, chunk, threads);
    }
  }
}

TEST(PhysicalHashAggregate, UngroupedMatchesReference) {
  const Rows rows = random_rows(7000, 2);
  for (size_t threads : {1, 2}) {
    for (size_t chunk : {100, 2048}) {
      if (test_support::kSanitizedBuild && (threads == 1) != (chunk == 100)) continue;
      check({}, all_aggregates(), rows, chunk, threads);
    }
  }
}

TEST(PhysicalHashAggregate, UngroupedEmptyInputGivesOneRow) {
  const auto input = input_types();
  for (size_t threads : {1, 2}) {
    Rows got = run_plan(make_aggregate(input, {}, {}, all_aggregates(), 100, threads), threads);
    ASSERT_EQ(1u, got.size());
    EXPECT_EQ(row_string(reference(input, {}, {}, all_aggregates())[0]), row_string(got[0]));
    EXPECT_EQ(Value::bigint(0), got[0][0]);
    EXPECT_EQ(Value::bigint(0), got[0][1]);
    EXPECT_TRUE(got[0][2].is_null());
    EXPECT_TRUE(got[0][10].is_null());
  }
}

TEST(PhysicalHashAggregate, GroupedEmptyInputGivesNoRows) {
  const auto input = input_types();
  for (size_t threads : {1, 2}) {
    EXPECT_TRUE(run_plan(make_aggregate(input, {}, {0}, all_aggregates(), 100, threads), threads).empty());
  }
}

TEST(PhysicalHashAggregate, DistinctWithoutAggregates) {
  const Rows rows = random_rows(5000, 3);
  for (size_t threads : {1, 2}) {
    check({0, 1}, {}, rows, 300, threads);
    check({5}, {}, rows, 300, threads);
  }
}

TEST(PhysicalHashAggregate, DoubleKeysGroupZerosAndNaNs) {
  const std::vector<LogicalType> input = {LogicalType::double_precision(), LogicalType::integer()};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Rows rows = {{Value::double_precision(0.0), Value::integer(1)},
               {Value::double_precision(-0.0), Value::integer(2)},
               {Value::double_precision(nan), Value::integer(3)},
               {Value::double_precision(-nan), Value::integer(4)},
               {Value::null(LogicalType::double_precision()), Value::integer(5)},
               {Value::null(LogicalType::double_precision()), Value::integer(6)},
               {Value::double_precision(1.5), Value::integer(7)}};
  for (size_t threads : {1, 2}) {
    Rows got = run_plan(make_aggregate(input, rows, {0}, {{AggregateId::kSum, 1, false}}, 2, threads), threads);
    EXPECT_EQ((std::vector<std::string>{"0|3", "1.5|7", "NULL|11", "NaN|7"}), sorted_strings(got));
  }
}

TEST(PhysicalHashAggregate, ManyGroupsAcrossThreads) {
  const Rows rows = random_rows(30000, 4, 12000);
  for (size_t threads : {1, 2}) {
    check({0}, {{AggregateId::kCountStar, -1, false}, {AggregateId::kSum, 2, false}, {AggregateId::kMin, 4, false},
                {AggregateId::kCount, 2, true}},
          rows, 2048, threads);
    check({0, 4}, {{AggregateId::kCountStar, -1, false}}, rows, 1000, threads);
  }
}

TEST(PhysicalHashAggregate, BigintSumIsExactNumeric) {
  const std::vector<LogicalType> input = {LogicalType::integer(), LogicalType::bigint()};
  const int64_t max = std::numeric_limits<int64_t>::max();
  // PostgreSQL's sum(bigint) is numeric: no overflow, whatever the chunking and threads.
  const Rows beyond = {{Value::integer(1), Value::bigint(max)}, {Value::integer(1), Value::bigint(max)},
                       {Value::integer(1), Value::bigint(1)}};
  for (size_t threads : {1, 2}) {
    for (size_t chunk : {1, 3}) {
      Rows got = run_plan(make_aggregate(input, beyond, {}, {{AggregateId::kSum, 1, false}}, chunk, threads), threads);
      ASSERT_EQ(1u, got.size());
      EXPECT_EQ("18446744073709551615", got[0][0].to_string());
    }
  }
  // Only the result must fit: an intermediate sum beyond the range is fine.
  const Rows fits = {{Value::integer(1), Value::bigint(max)}, {Value::integer(1), Value::bigint(1)},
                     {Value::integer(1), Value::bigint(-2)}};
  for (size_t chunk : {1, 3}) {
    Rows got = run_plan(make_aggregate(input, fits, {}, {{AggregateId::kSum, 1, false}}, chunk, 1), 1);
    ASSERT_EQ(1u, got.size());
    EXPECT_EQ(Value::numeric(Numeric::make(max - 1, 0)), got[0][0]);
  }
}

TEST(PhysicalHashAggregate, ExplainAndName) {
  const auto input = input_types();
  auto op = make_aggregate(input, {}, {0}, {{AggregateId::kCountStar, -1, false}, {AggregateId::kSum, 2, true}}, 10, 1);
  EXPECT_EQ("HASH_AGGREGATE", op->name());
  EXPECT_EQ("groups: #0; aggregates: count(*), sum(DISTINCT #2)", op->explain_details());
}

}  // namespace
}  // namespace tessera::executor::test
