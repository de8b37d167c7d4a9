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
    table_ = catalog_.create_table("t", {{"a", LogicalType::bigint(), true}, {"s", LogicalType::varchar()}}, false);
    txn_ = transactions_.begin();
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
