#include "executor/expression/expression_executor.h"

#include <gtest/gtest.h>

#include <random>

#include "src/common/sql_error.h"
#include "test/executor/expression_builders.h"

namespace tessera::executor {
namespace {

using planner::BoundExprPtr;

class ExpressionExecutorTest : public ::testing::Test {
 protected:
  /// A chunk of two integer columns from the given values (nullopt = NULL).
  DataChunk ints(const std::vector<std::optional<int32_t>>& a, const std::vector<std::optional<int32_t>>& b) {
    DataChunk chunk;
    chunk.initialize({LogicalType::integer(), LogicalType::integer()});
    for (size_t i = 0; i < a.size(); i++) {
      chunk.set_value(0, i, a[i] ? Value::integer(*a[i]) : Value::null(LogicalType::integer()));
      chunk.set_value(1, i, b[i] ? Value::integer(*b[i]) : Value::null(LogicalType::integer()));
    }
    chunk.set_size(a.size());
    return chunk;
  }

  std::vector<std::string> eval(const planner::BoundExpression& e, const DataChunk& chunk) {
    ExpressionExecutor executor(query_);
    Vector result;
    executor.execute(e, chunk, result);
    std::vector<std::string> out;
    for (size_t i = 0; i < chunk.size(); i++) out.push_back(result.get_value(i).to_string());
    return out;
  }

  QueryContext query_;
};

TEST_F(ExpressionExecutorTest, ArithmeticPropagatesNulls) {
  auto chunk = ints({1, std::nullopt, 3}, {10, 20, std::nullopt});
  auto e = fn(LogicalType::integer(), "+", ref(LogicalType::integer(), 0), ref(LogicalType::integer(), 1));
  EXPECT_EQ(eval(*e, chunk), (std::vector<std::string>{"11", "NULL", "NULL"}));
}

TEST_F(ExpressionExecutorTest, StrictKernelsNeverSeeNullRows) {
  // Row 1's divisor is NULL over a zero in the value buffer: the kernel must not divide by it.
  DataChunk chunk;
  chunk.initialize({LogicalType::integer(), LogicalType::integer()});
  chunk.set_value(0, 0, Value::integer(6));
  chunk.set_value(1, 0, Value::integer(3));
  chunk.set_value(0, 1, Value::integer(1));
  chunk.set_value(1, 1, Value::integer(0));
  chunk.set_size(2);
  chunk.column(1).mutable_validity().set_invalid(1);
  auto e = fn(LogicalType::integer(), "/", ref(LogicalType::integer(), 0), ref(LogicalType::integer(), 1));
  EXPECT_EQ(eval(*e, chunk), (std::vector<std::string>{"2", "NULL"}));
  // A constant NULL argument makes the whole result NULL without calling the kernel.
  auto by_null = fn(LogicalType::integer(), "/", ref(LogicalType::integer(), 0), constant(Value::null(LogicalType::integer())));
  EXPECT_EQ(eval(*by_null, chunk), (std::vector<std::string>{"NULL", "NULL"}));
  // IS DISTINCT FROM is not strict: it sees the NULL rows.
  auto distinct = fn(LogicalType::boolean(), "IS DISTINCT FROM", ref(LogicalType::integer(), 1), constant(Value::null(LogicalType::integer())));
  EXPECT_EQ(eval(*distinct, chunk), (std::vector<std::string>{"t", "f"}));
}

TEST_F(ExpressionExecutorTest, OverflowRaisesOnlyForNonNullRows) {
  auto chunk = ints({2147483647, std::nullopt}, {1, 1});
  auto e = fn(LogicalType::integer(), "+", ref(LogicalType::integer(), 0), ref(LogicalType::integer(), 1));
  try {
    eval(*e, chunk);
    FAIL() << "expected 22003";
  } catch (const SqlError& err) {
    EXPECT_EQ(sqlstate_code(err.state()), "22003");
    EXPECT_EQ(err.message(), "integer out of range");
  }
  auto only_null = ints({std::nullopt}, {1});
  EXPECT_EQ(eval(*e, only_null), (std::vector<std::string>{"NULL"}));
}

TEST_F(ExpressionExecutorTest, ThreeValuedLogic) {
  // a > 1 AND b > 1, a > 1 OR b > 1 with NULLs on either side
  auto chunk = ints({2, 0, std::nullopt, std::nullopt, 2}, {std::nullopt, std::nullopt, 0, 2, 2});
  auto gt = [](uint32_t col) {
    return fn(LogicalType::boolean(), ">", ref(LogicalType::integer(), col), constant(Value::integer(1)));
  };
  EXPECT_EQ(eval(*conj(true, gt(0), gt(1)), chunk), (std::vector<std::string>{"NULL", "f", "f", "NULL", "t"}));
  EXPECT_EQ(eval(*conj(false, gt(0), gt(1)), chunk), (std::vector<std::string>{"t", "NULL", "NULL", "t", "t"}));
  ExpressionExecutor executor(query_);
  SelectionVector sel;
  std::vector<BoundExprPtr> filter;
  filter.push_back(conj(false, gt(0), gt(1)));
  EXPECT_EQ(executor.select(filter, chunk, sel), 3u);
  EXPECT_EQ(sel.get_index(0), 0u);
  EXPECT_EQ(sel.get_index(1), 3u);
  EXPECT_EQ(sel.get_index(2), 4u);
}

TEST_F(ExpressionExecutorTest, CaseEvaluatesBranchesOnlyForTheirRows) {
  // CASE WHEN b = 0 THEN -1 ELSE a / b END must not divide by zero.
  auto chunk = ints({10, 7, 9}, {2, 0, std::nullopt});
  std::vector<planner::BoundCase::When> whens;
  whens.push_back({fn(LogicalType::boolean(), "=", ref(LogicalType::integer(), 1), constant(Value::integer(0))),
                   constant(Value::integer(-1))});
  auto e = std::make_unique<planner::BoundCase>(
      LogicalType::integer(), std::move(whens),
      fn(LogicalType::integer(), "/", ref(LogicalType::integer(), 0), ref(LogicalType::integer(), 1)));
  EXPECT_EQ(eval(*e, chunk), (std::vector<std::string>{"5", "-1", "NULL"}));
}

TEST_F(ExpressionExecutorTest, AndSkipsRowsAlreadyFalse) {
  // b <> 0 AND a / b > 1: the division only runs where b <> 0.
  auto chunk = ints({10, 7}, {2, 0});
  auto e = conj(true,
                fn(LogicalType::boolean(), "<>", ref(LogicalType::integer(), 1), constant(Value::integer(0))),
                fn(LogicalType::boolean(), ">",
                   fn(LogicalType::integer(), "/", ref(LogicalType::integer(), 0), ref(LogicalType::integer(), 1)),
                   constant(Value::integer(1))));
  EXPECT_EQ(eval(*e, chunk), (std::vector<std::string>{"t", "f"}));
}

TEST_F(ExpressionExecutorTest, SimdComparisonMatchesGenericPath) {
  // Flat columns without NULLs take the Highway path; with a NULL the generic path. Both must agree.
  std::mt19937 rng(42);
  std::vector<std::optional<int32_t>> a, b;
  for (int i = 0; i < 2000; i++) {
    a.push_back(static_cast<int32_t>(rng() % 100) - 50);
    b.push_back(static_cast<int32_t>(rng() % 100) - 50);
  }
  auto chunk = ints(a, b);
  auto with_null = a;
  with_null[1999] = std::nullopt;
  auto chunk_null = ints(with_null, b);
  for (std::string_view id : {"=", "<>", "<", "<=",
                        ">", ">="}) {
    std::vector<BoundExprPtr> filter;
    filter.push_back(fn(LogicalType::boolean(), id, ref(LogicalType::integer(), 0), ref(LogicalType::integer(), 1)));
    ExpressionExecutor executor(query_);
    SelectionVector fast, slow;
    size_t n_fast = executor.select(filter, chunk, fast);
    size_t n_slow = executor.select(filter, chunk_null, slow);
    size_t expected = 0;
    for (size_t i = 0; i < a.size(); i++) {
      int x = *a[i], y = *b[i];
      bool pass = id == "=" ? x == y : id == "<>" ? x != y : id == "<" ? x < y
                  : id == "<=" ? x <= y : id == ">" ? x > y : x >= y;
      if (pass) expected++;
    }
    EXPECT_EQ(n_fast, expected);
    bool last_passes = n_fast > 0 && fast.get_index(n_fast - 1) == 1999;
    EXPECT_EQ(n_slow, expected - (last_passes ? 1 : 0));
    for (size_t i = 0; i < n_slow; i++) EXPECT_EQ(fast.get_index(i), slow.get_index(i));
  }
}

TEST_F(ExpressionExecutorTest, CastsFollowPostgres) {
  DataChunk chunk;
  chunk.initialize({LogicalType::double_precision(), LogicalType::varchar()});
  chunk.set_value(0, 0, Value::double_precision(2.5));
  chunk.set_value(1, 0, Value::varchar(" 42 "));
  chunk.set_value(0, 1, Value::double_precision(3.5));
  chunk.set_value(1, 1, Value::varchar("-7"));
  chunk.set_size(2);
  auto to_int = std::make_unique<planner::BoundCast>(LogicalType::integer(), ref(LogicalType::double_precision(), 0));
  EXPECT_EQ(eval(*to_int, chunk), (std::vector<std::string>{"2", "4"}));  // rounds half to even
  auto parse = std::make_unique<planner::BoundCast>(LogicalType::integer(), ref(LogicalType::varchar(), 1));
  EXPECT_EQ(eval(*parse, chunk), (std::vector<std::string>{"42", "-7"}));
  chunk.set_value(1, 1, Value::varchar("x"));
  try {
    eval(*parse, chunk);
    FAIL() << "expected 22P02";
  } catch (const SqlError& err) {
    EXPECT_EQ(sqlstate_code(err.state()), "22P02");
    EXPECT_EQ(err.message(), "invalid input syntax for type integer: \"x\"");
  }
}

}  // namespace
}  // namespace tessera::executor
