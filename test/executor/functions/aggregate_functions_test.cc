#include <gtest/gtest.h>

#include <cstddef>
#include <limits>
#include <optional>
#include <vector>

#include "src/common/sql_error.h"
#include "test/executor/builtin_registry.h"

namespace tessera::executor {
namespace {

/// Aligned storage for `n` states of one aggregate, with a pointer to each.
class States {
 public:
  States(const catalog::AggregateFunction& fn, size_t n) : fn_(fn), stride_(fn.state_size), bytes_(n * fn.state_size + 64) {
    auto* base = reinterpret_cast<catalog::AggregateState*>(bytes_.data());
    for (size_t i = 0; i < n; i++) pointers_.push_back(base + i * stride_);
    fn.init(pointers_.data(), 0, n);
  }
  catalog::AggregateState* operator[](size_t i) { return pointers_[i]; }
  /// One pointer per row: row r folds into state rows[r].
  std::vector<catalog::AggregateState*> for_rows(const std::vector<size_t>& rows) {
    std::vector<catalog::AggregateState*> out;
    for (size_t r : rows) out.push_back(pointers_[r]);
    return out;
  }
  std::vector<Value> finalize() {
    Vector out(fn_.result.type, pointers_.size());
    std::vector<const catalog::AggregateState*> states(pointers_.begin(), pointers_.end());
    fn_.finalize(states.data(), 0, states.size(), out);
    std::vector<Value> values;
    for (size_t i = 0; i < pointers_.size(); i++) values.push_back(out.get_value(i));
    return values;
  }

 private:
  const catalog::AggregateFunction& fn_;
  size_t stride_;
  struct alignas(16) Block {
    std::byte b[16];
  };
  std::vector<Block> bytes_;
  std::vector<catalog::AggregateState*> pointers_;
};

Vector ints(const std::vector<std::optional<int32_t>>& values) {
  Vector v(LogicalType::integer(), values.size());
  for (size_t i = 0; i < values.size(); i++) {
    v.set_value(i, values[i] ? Value::integer(*values[i]) : Value::null(LogicalType::integer()));
  }
  return v;
}

const catalog::AggregateFunction& aggregate(const char* name, std::vector<LogicalType> args) {
  return *builtin_registry().resolve_aggregate(name, args).function;
}

TEST(AggregateFunctionsTest, SumUpdatesCombinesFinalizesAndRetracts) {
  const auto& sum = aggregate("sum", {LogicalType::integer()});
  EXPECT_EQ(sum.result.type, LogicalType::bigint());
  ASSERT_NE(sum.retract, nullptr);
  StringHeap heap;
  // Two worker-local sets of two groups each.
  States a(sum, 2), b(sum, 2);
  Vector va = ints({1, 2, std::nullopt, 4});
  auto rows_a = a.for_rows({0, 1, 1, 0});
  sum.update(std::span<const Vector>(&va, 1), 4, rows_a.data(), 0, heap);
  EXPECT_EQ(a.finalize(), (std::vector<Value>{Value::bigint(5), Value::bigint(2)}));
  Vector vb = ints({std::numeric_limits<int32_t>::max(), 10});
  auto rows_b = b.for_rows({0, 0});
  sum.update(std::span<const Vector>(&vb, 1), 2, rows_b.data(), 0, heap);
  EXPECT_EQ(b.finalize(), (std::vector<Value>{Value::bigint(2147483657LL), Value::null(LogicalType::bigint())}));

  // combine b into a (group g of b is group g of a)
  const catalog::AggregateState* sources[] = {b[0], b[1]};
  catalog::AggregateState* targets[] = {a[0], a[1]};
  sum.combine(sources, targets, 0, 2, heap);
  EXPECT_EQ(a.finalize(), (std::vector<Value>{Value::bigint(2147483662LL), Value::bigint(2)}));

  // retract rows: group 1 loses its only value and becomes NULL again; NULL rows retract nothing.
  Vector gone = ints({2, std::nullopt, 10});
  auto rows_gone = a.for_rows({1, 1, 0});
  sum.retract(std::span<const Vector>(&gone, 1), 3, rows_gone.data(), 0);
  EXPECT_EQ(a.finalize(), (std::vector<Value>{Value::bigint(2147483652LL), Value::null(LogicalType::bigint())}));
}

TEST(AggregateFunctionsTest, CountStarAndCountRetract) {
  const auto& count_star = aggregate("count", {});
  const auto& count = aggregate("count", {LogicalType::integer()});
  ASSERT_NE(count_star.retract, nullptr);
  ASSERT_NE(count.retract, nullptr);
  StringHeap heap;
  States star(count_star, 1), values(count, 1);
  Vector v = ints({1, std::nullopt, 3});
  auto rows = star.for_rows({0, 0, 0});
  count_star.update({}, 3, rows.data(), 0, heap);
  auto value_rows = values.for_rows({0, 0, 0});
  count.update(std::span<const Vector>(&v, 1), 3, value_rows.data(), 0, heap);
  EXPECT_EQ(star.finalize(), (std::vector<Value>{Value::bigint(3)}));
  EXPECT_EQ(values.finalize(), (std::vector<Value>{Value::bigint(2)}));
  // The ungrouped whole-chunk path agrees with the per-row one.
  count_star.simple_update({}, 3, star[0], heap);
  count.simple_update(std::span<const Vector>(&v, 1), 3, values[0], heap);
  EXPECT_EQ(star.finalize(), (std::vector<Value>{Value::bigint(6)}));
  EXPECT_EQ(values.finalize(), (std::vector<Value>{Value::bigint(4)}));
  Vector gone = ints({std::nullopt, 7});
  auto gone_rows = star.for_rows({0, 0});
  count_star.retract({}, 2, gone_rows.data(), 0);
  auto gone_values = values.for_rows({0, 0});
  count.retract(std::span<const Vector>(&gone, 1), 2, gone_values.data(), 0);
  EXPECT_EQ(star.finalize(), (std::vector<Value>{Value::bigint(4)}));
  EXPECT_EQ(values.finalize(), (std::vector<Value>{Value::bigint(3)}));
}

TEST(AggregateFunctionsTest, AvgRetractsAndMinMaxHaveNoInverse) {
  const auto& avg = aggregate("avg", {LogicalType::integer()});
  StringHeap heap;
  States s(avg, 1);
  Vector v = ints({1, 2, 6});
  auto rows = s.for_rows({0, 0, 0});
  avg.update(std::span<const Vector>(&v, 1), 3, rows.data(), 0, heap);
  // PostgreSQL: avg over integers is numeric with numeric division's scale.
  EXPECT_EQ(s.finalize(), (std::vector<Value>{Value::numeric(numeric::parse_or_throw("3.0000000000000000"))}));
  Vector gone = ints({6});
  auto gone_rows = s.for_rows({0});
  avg.retract(std::span<const Vector>(&gone, 1), 1, gone_rows.data(), 0);
  EXPECT_EQ(s.finalize(), (std::vector<Value>{Value::numeric(numeric::parse_or_throw("1.5000000000000000"))}));
  EXPECT_EQ(aggregate("min", {LogicalType::integer()}).retract, nullptr);
  EXPECT_EQ(aggregate("max", {LogicalType::varchar()}).retract, nullptr);
  // A float sum cannot be undone exactly (PostgreSQL has no inverse for it either).
  EXPECT_EQ(aggregate("sum", {LogicalType::double_precision()}).retract, nullptr);
}

TEST(AggregateFunctionsTest, BigintSumIsExactNumeric) {
  const auto& sum = aggregate("sum", {LogicalType::bigint()});
  StringHeap heap;
  States s(sum, 1);
  Vector v(LogicalType::bigint(), 3);
  v.set_value(0, Value::bigint(std::numeric_limits<int64_t>::max()));
  v.set_value(1, Value::bigint(std::numeric_limits<int64_t>::max()));
  v.set_value(2, Value::bigint(std::numeric_limits<int64_t>::min()));
  auto rows = s.for_rows({0, 0, 0});
  sum.update(std::span<const Vector>(&v, 1), 3, rows.data(), 0, heap);
  EXPECT_EQ(s.finalize(), (std::vector<Value>{Value::numeric(Numeric::make(std::numeric_limits<int64_t>::max() - 1, 0))}));
  Vector more(LogicalType::bigint(), 1);
  more.set_value(0, Value::bigint(10));
  auto one = s.for_rows({0});
  sum.update(std::span<const Vector>(&more, 1), 1, one.data(), 0, heap);
  // Beyond bigint: PostgreSQL's numeric sum does not overflow.
  EXPECT_EQ(s.finalize()[0].to_string(), "9223372036854775816");
}

TEST(AggregateFunctionsTest, StringMinMaxKeepTheirBytesAcrossChunks) {
  const auto& max = aggregate("max", {LogicalType::varchar()});
  StringHeap heap;
  States s(max, 1);
  {
    Vector v(LogicalType::varchar(), 2);
    v.set_value(0, Value::varchar("a string longer than twelve bytes"));
    v.set_value(1, Value::varchar("b"));
    auto rows = s.for_rows({0, 0});
    max.update(std::span<const Vector>(&v, 1), 2, rows.data(), 0, heap);
  }  // the input chunk is gone; the state's string lives in `heap`
  EXPECT_EQ(s.finalize(), (std::vector<Value>{Value::varchar("b")}));
  Vector w(LogicalType::varchar(), 1);
  w.set_value(0, Value::varchar("zz a string longer than twelve bytes"));
  auto rows = s.for_rows({0});
  max.update(std::span<const Vector>(&w, 1), 1, rows.data(), 0, heap);
  w.reset(1);
  EXPECT_EQ(s.finalize(), (std::vector<Value>{Value::varchar("zz a string longer than twelve bytes")}));
}

}  // namespace
}  // namespace tessera::executor
