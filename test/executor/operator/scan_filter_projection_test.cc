#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "executor/operator/insert/physical_insert.h"
#include "executor/operator/projection/physical_filter.h"
#include "executor/operator/projection/physical_projection.h"
#include "executor/operator/result/physical_result_collector.h"
#include "executor/operator/scan/physical_table_scan.h"
#include "executor/operator/scan/physical_values.h"
#include "executor/query_executor.h"
#include "executor/scheduler.h"
#include "src/common/sql_error.h"
#include "storage/data_table.h"
#include "storage/transaction.h"
#include "storage/transaction_manager.h"
#include "test/executor/expression_builders.h"

namespace tessera::executor {
namespace {

using planner::BoundExprPtr;

class ScanFilterProjectionTest : public ::testing::TestWithParam<size_t> {
 protected:
  void SetUp() override {
    txn_ = transactions_.begin();
    table_ = catalog_.create_table(*txn_, "t", {{"a", LogicalType::bigint(), true}, {"s", LogicalType::varchar()}}, false);
    // 300 000 rows: three row groups, so the scan runs as several morsels.
    DataChunk chunk;
    for (int64_t base = 0; base < kRows; base += kVectorSize) {
      chunk.initialize({LogicalType::bigint(), LogicalType::varchar()});
      size_t n = std::min<int64_t>(kVectorSize, kRows - base);
      for (size_t i = 0; i < n; i++) {
        int64_t v = base + static_cast<int64_t>(i);
        chunk.set_value(0, i, Value::bigint(v));
        chunk.set_value(1, i, v % 10 == 0 ? Value::null(LogicalType::varchar()) : Value::varchar("row-" + std::to_string(v % 7)));
      }
      chunk.set_size(n);
      table_->storage().append(*txn_, chunk);
    }
    transactions_.commit(*txn_);
    txn_ = transactions_.begin();
  }

  /// Runs `plan` under a collecting result sink and returns its rows.
  std::vector<DataChunk> run(std::unique_ptr<PhysicalOperator> plan) {
    auto root = std::make_unique<PhysicalResultCollector>(PhysicalResultCollector::Mode::kCollect, 0, std::move(plan));
    QueryContext query;
    query.scheduler = &scheduler_;
    query.catalog = &catalog_;
    query.transaction = txn_.get();
    query.max_threads = GetParam();
    QueryExecutor executor(*root, query);
    executor.execute();
    return std::move(static_cast<PhysicalResultCollector::State&>(executor.sink_state(*root)).chunks);
  }

  static constexpr int64_t kRows = 300000;
  catalog::Catalog catalog_;
  storage::TransactionManager transactions_;
  Scheduler scheduler_{2};
  std::shared_ptr<catalog::TableEntry> table_;
  std::unique_ptr<storage::Transaction> txn_;
};

TEST_P(ScanFilterProjectionTest, ScanWithPushedFilterAndProjection) {
  // SELECT a * 2, s FROM t WHERE a % 3 = 0 (the filter runs inside the scan)
  std::vector<BoundExprPtr> filters;
  filters.push_back(fn(LogicalType::boolean(), "=",
                           fn(LogicalType::bigint(), "%", ref(LogicalType::bigint(), 0), constant(Value::bigint(3))),
                           constant(Value::bigint(0))));
  auto scan = std::make_unique<PhysicalTableScan>(std::vector<LogicalType>{LogicalType::bigint(), LogicalType::varchar()}, table_,
                                                  std::vector<size_t>{0, 1}, std::move(filters));
  std::vector<BoundExprPtr> exprs;
  exprs.push_back(fn(LogicalType::bigint(), "*", ref(LogicalType::bigint(), 0), constant(Value::bigint(2))));
  exprs.push_back(ref(LogicalType::varchar(), 1));
  auto projection = std::make_unique<PhysicalProjection>(std::vector<LogicalType>{LogicalType::bigint(), LogicalType::varchar()},
                                                         std::move(exprs), std::move(scan));
  int64_t count = 0, sum = 0, nulls = 0;
  for (const auto& chunk : run(std::move(projection))) {
    for (size_t i = 0; i < chunk.size(); i++) {
      int64_t doubled = chunk.get_value(0, i).get_int64();
      count++;
      sum += doubled;
      Value s = chunk.get_value(1, i);
      if (s.is_null()) {
        nulls++;
        EXPECT_EQ((doubled / 2) % 10, 0);
      } else {
        EXPECT_EQ(s.get_string(), "row-" + std::to_string((doubled / 2) % 7));
      }
    }
  }
  int64_t expected_count = 0, expected_sum = 0, expected_nulls = 0;
  for (int64_t v = 0; v < kRows; v += 3) {
    expected_count++;
    expected_sum += v * 2;
    expected_nulls += v % 10 == 0;
  }
  EXPECT_EQ(count, expected_count);
  EXPECT_EQ(sum, expected_sum);
  EXPECT_EQ(nulls, expected_nulls);
}

TEST_P(ScanFilterProjectionTest, FilterOperatorOnStrings) {
  // SELECT s FROM t WHERE s = 'row-3'
  auto scan = std::make_unique<PhysicalTableScan>(std::vector<LogicalType>{LogicalType::varchar()}, table_, std::vector<size_t>{1},
                                                  std::vector<BoundExprPtr>{});
  std::vector<BoundExprPtr> conjuncts;
  conjuncts.push_back(fn(LogicalType::boolean(), "=", ref(LogicalType::varchar(), 0), constant(Value::varchar("row-3"))));
  auto filter = std::make_unique<PhysicalFilter>(std::vector<LogicalType>{LogicalType::varchar()}, std::move(conjuncts), std::move(scan));
  int64_t count = 0;
  for (const auto& chunk : run(std::move(filter))) {
    for (size_t i = 0; i < chunk.size(); i++) {
      EXPECT_EQ(chunk.get_value(0, i).get_string(), "row-3");
      count++;
    }
  }
  int64_t expected = 0;
  for (int64_t v = 0; v < kRows; v++) expected += v % 10 != 0 && v % 7 == 3;
  EXPECT_EQ(count, expected);
}

planner::BoundExprPtr column(LogicalType type, uint32_t table_index, uint32_t index, std::string name) {
  return std::make_unique<planner::BoundColumnRef>(type, planner::ColumnBinding{table_index, index}, std::move(name));
}

// Which pushed-down conjuncts become storage filters, and which stay expressions.
TEST_P(ScanFilterProjectionTest, ConjunctsSplitIntoTableFiltersAndExpressions) {
  const LogicalType big = LogicalType::bigint(), text = LogicalType::varchar(), boolean = LogicalType::boolean();
  auto a = [&] { return column(big, 4, 0, "a"); };
  auto s = [&] { return column(text, 4, 1, "s"); };
  std::vector<BoundExprPtr> conjuncts;
  // Pushed:
  conjuncts.push_back(fn(boolean, "<", a(), constant(Value::bigint(100))));
  conjuncts.push_back(fn(boolean, "<=", constant(Value::bigint(7)), a()));  // 7 <= a: a >= 7
  conjuncts.push_back(conj(true, std::make_unique<planner::BoundBooleanTest>(planner::BooleanTest::kIsNotNull, s()),                   // nested AND
                           conj(false, fn(boolean, "=", s(), constant(Value::varchar("row-3"))),
                                fn(boolean, "=", constant(Value::varchar("row-4")), s()))));
  // Not pushed: an expression on the column, a cast of the column, a constant of another type,
  // a NULL constant, an OR over two columns, a column of another table, IS DISTINCT FROM.
  conjuncts.push_back(fn(boolean, "=", fn(big, "%", a(), constant(Value::bigint(3))),
                         constant(Value::bigint(0))));
  conjuncts.push_back(fn(boolean, "<", std::make_unique<planner::BoundCast>(LogicalType::double_precision(), a()),
                         constant(Value::double_precision(5.5))));
  conjuncts.push_back(fn(boolean, "<", a(), constant(Value::integer(5))));
  conjuncts.push_back(fn(boolean, "=", a(), constant(Value::null(big))));
  conjuncts.push_back(conj(false, fn(boolean, "=", a(), constant(Value::bigint(1))),
                           fn(boolean, "=", s(), constant(Value::varchar("x")))));
  conjuncts.push_back(fn(boolean, "=", column(big, 5, 0, "other"), constant(Value::bigint(1))));
  conjuncts.push_back(fn(boolean, "IS DISTINCT FROM", a(), constant(Value::bigint(1))));

  storage::TableFilterSet pushed;
  auto remaining = PhysicalTableScan::extract_table_filters(*table_, 4, conjuncts, pushed);
  EXPECT_EQ("a < 100 AND a >= 7 AND s IS NOT NULL AND s IN ('row-3', 'row-4')", pushed.to_string({"a", "s"}));
  ASSERT_EQ(7u, remaining.size());
  EXPECT_EQ("((a % 3) = 0)", remaining[0]->to_string());
}

// A scan with storage filters and an expression filter returns the rows both accept, and the
// storage filters skip row groups by zone map.
TEST_P(ScanFilterProjectionTest, ScanWithTableFiltersSkipsRowGroups) {
  // SELECT a, s FROM t WHERE a >= 130000 AND a < 200000 AND s IN ('row-1', 'row-2') AND a % 3 = 0
  storage::TableFilterSet table_filters;
  table_filters.add(0, std::make_unique<storage::CompareFilter>(storage::CompareOp::kGreaterEqual, Value::bigint(130000)));
  table_filters.add(0, std::make_unique<storage::CompareFilter>(storage::CompareOp::kLess, Value::bigint(200000)));
  table_filters.add(1, std::make_unique<storage::InFilter>(std::vector<Value>{Value::varchar("row-1"), Value::varchar("row-2")}));
  std::vector<BoundExprPtr> filters;
  filters.push_back(fn(LogicalType::boolean(), "=",
                       fn(LogicalType::bigint(), "%", ref(LogicalType::bigint(), 0), constant(Value::bigint(3))),
                       constant(Value::bigint(0))));
  PhysicalTableScan scan(std::vector<LogicalType>{LogicalType::bigint(), LogicalType::varchar()}, table_, std::vector<size_t>{0, 1},
                         std::move(filters), std::move(table_filters));
  EXPECT_EQ("t filters: ((#0 % 3) = 0)\nTable Filters: a >= 130000 AND a < 200000 AND s IN ('row-1', 'row-2')",
            scan.explain_details());

  QueryContext query;
  query.catalog = &catalog_;
  query.transaction = txn_.get();
  auto global = scan.make_global_source(query);
  WorkerContext worker{query, 0};
  auto local = scan.make_local_source(worker, *global);
  DataChunk out;
  out.initialize(scan.output_types());
  int64_t count = 0;
  while (scan.get_data(worker, out, *global, *local) == SourceResult::kHaveMoreOutput) {
    for (size_t i = 0; i < out.size(); i++) {
      const int64_t a = out.get_value(0, i).get_int64();
      const std::string s = out.get_value(1, i).get_string();
      EXPECT_TRUE(a >= 130000 && a < 200000 && a % 3 == 0 && (s == "row-1" || s == "row-2")) << a << " " << s;
      count++;
    }
    out.reset();
  }
  int64_t expected = 0;
  for (int64_t v = 130000; v < 200000; v++) expected += v % 3 == 0 && v % 10 != 0 && (v % 7 == 1 || v % 7 == 2);
  EXPECT_EQ(expected, count);
  const auto counts = PhysicalTableScan::skip_counts(*global);
  EXPECT_EQ(2u, counts.row_groups_skipped);  // rows [0, 122880) and [245760, 300000) lie outside
  EXPECT_EQ(1u, counts.row_groups_scanned);
  EXPECT_GT(counts.segments_skipped, 0u);
}

TEST_P(ScanFilterProjectionTest, ValuesAndInsertWithNotNullCheck) {
  std::vector<std::vector<BoundExprPtr>> rows;
  for (int i = 0; i < 3; i++) {
    std::vector<BoundExprPtr> row;
    row.push_back(constant(Value::bigint(-i)));
    row.push_back(constant(Value::varchar("v")));
    rows.push_back(std::move(row));
  }
  auto values = std::make_unique<PhysicalValues>(std::vector<LogicalType>{LogicalType::bigint(), LogicalType::varchar()}, std::move(rows));
  auto insert = std::make_unique<PhysicalInsert>(table_, std::move(values));
  auto result = run(std::move(insert));
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result[0].get_value(0, 0).get_int64(), 3);
  EXPECT_EQ(table_->storage().estimated_row_count(), static_cast<size_t>(kRows + 3));

  std::vector<std::vector<BoundExprPtr>> bad;
  std::vector<BoundExprPtr> row;
  row.push_back(constant(Value::null(LogicalType::bigint())));
  row.push_back(constant(Value::varchar("v")));
  bad.push_back(std::move(row));
  auto bad_values = std::make_unique<PhysicalValues>(std::vector<LogicalType>{LogicalType::bigint(), LogicalType::varchar()}, std::move(bad));
  try {
    run(std::make_unique<PhysicalInsert>(table_, std::move(bad_values)));
    FAIL() << "expected 23502";
  } catch (const SqlError& e) {
    EXPECT_EQ(sqlstate_code(e.state()), "23502");
  }
}

INSTANTIATE_TEST_SUITE_P(Threads, ScanFilterProjectionTest, ::testing::Values(1, 2));

}  // namespace
}  // namespace tessera::executor
