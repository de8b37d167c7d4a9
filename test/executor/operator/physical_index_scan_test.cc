#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "catalog/catalog.h"
#include "executor/operator/insert/physical_insert.h"
#include "executor/operator/join/physical_index_join.h"
#include "executor/operator/result/physical_result_collector.h"
#include "executor/operator/scan/physical_index_scan.h"
#include "executor/operator/scan/physical_values.h"
#include "executor/query_executor.h"
#include "executor/scheduler.h"
#include "storage/data_table.h"
#include "storage/hash_index.h"
#include "storage/transaction.h"
#include "storage/transaction_manager.h"
#include "test/executor/expression_builders.h"

namespace tessera::executor {
namespace {

using planner::BoundExprPtr;
using planner::JoinType;

/// Table t(a bigint PRIMARY KEY, g integer, s text) with a non-unique index on g: 300 000 rows
/// (three row groups), a = row number, g = a % 100 (NULL when a % 1000 == 999), s = "s<a>".
class PhysicalIndexScanTest : public ::testing::TestWithParam<size_t> {
 protected:
  void SetUp() override {
    txn_ = transactions_.begin();
    catalog::IndexDefinition pk{"t_pkey", {0}, true, true, true};
    table_ = catalog_.create_table(*txn_, "t",
                                   {{"a", LogicalType::bigint(), true}, {"g", LogicalType::integer()}, {"s", LogicalType::varchar()}},
                                   false, {pk});
    catalog::IndexDefinition by_g{"t_g", {1}, false, false, false};
    auto g_index = catalog_.create_index(*txn_, *table_, by_g, false);
    table_->storage().add_index(g_index->index());
    DataChunk chunk;
    for (int64_t base = 0; base < kRows; base += kVectorSize) {
      chunk.initialize(types());
      const size_t n = std::min<int64_t>(kVectorSize, kRows - base);
      for (size_t i = 0; i < n; i++) {
        const int64_t a = base + static_cast<int64_t>(i);
        chunk.set_value(0, i, Value::bigint(a));
        chunk.set_value(1, i, a % 1000 == 999 ? Value::null(LogicalType::integer()) : Value::integer(static_cast<int32_t>(a % 100)));
        chunk.set_value(2, i, Value::varchar("s" + std::to_string(a)));
      }
      chunk.set_size(n);
      append_checked(*table_, *txn_, chunk);
    }
    transactions_.commit(*txn_);
    txn_ = transactions_.begin();
  }

  static std::vector<LogicalType> types() { return {LogicalType::bigint(), LogicalType::integer(), LogicalType::varchar()}; }

  std::shared_ptr<storage::HashIndex> index(const std::string& name) const {
    for (const auto& index : table_->storage().indexes()) {
      if (index->name() == name) return index;
    }
    return nullptr;
  }

  std::vector<std::vector<Value>> run(std::unique_ptr<PhysicalOperator> plan,
                                      const std::vector<Value>* parameters = nullptr) {
    auto root = std::make_unique<PhysicalResultCollector>(PhysicalResultCollector::Mode::kCollect, 0, std::move(plan));
    QueryContext query;
    query.scheduler = &scheduler_;
    query.catalog = &catalog_;
    query.transaction = txn_.get();
    query.max_threads = GetParam();
    query.parameters = parameters;
    QueryExecutor executor(*root, query);
    executor.execute();
    std::vector<std::vector<Value>> rows;
    for (const auto& chunk : static_cast<PhysicalResultCollector::State&>(executor.sink_state(*root)).chunks) {
      for (size_t r = 0; r < chunk.size(); r++) {
        std::vector<Value> row;
        for (size_t c = 0; c < chunk.column_count(); c++) row.push_back(chunk.get_value(c, r));
        rows.push_back(std::move(row));
      }
    }
    return rows;
  }

  /// A source of the rows `keys` (one bigint column; nullopt: NULL).
  static std::unique_ptr<PhysicalOperator> values(const std::vector<std::optional<int64_t>>& keys) {
    std::vector<std::vector<BoundExprPtr>> rows;
    for (const auto& k : keys) {
      std::vector<BoundExprPtr> row;
      row.push_back(constant(k ? Value::bigint(*k) : Value::null(LogicalType::bigint())));
      rows.push_back(std::move(row));
    }
    return std::make_unique<PhysicalValues>(std::vector<LogicalType>{LogicalType::bigint()}, std::move(rows));
  }

  static constexpr int64_t kRows = 300000;
  catalog::Catalog catalog_;
  storage::TransactionManager transactions_;
  Scheduler scheduler_{4};
  std::shared_ptr<catalog::TableEntry> table_;
  std::unique_ptr<storage::Transaction> txn_;
};

TEST_P(PhysicalIndexScanTest, UniqueKeysFetchTheirRowsOnce) {
  // SELECT s, ctid FROM t WHERE a IN (5, 150000, 5, 299999, -1, 300000)
  std::vector<std::vector<Value>> keys{{Value::bigint(5), Value::bigint(150000), Value::bigint(5), Value::bigint(299999),
                                        Value::bigint(-1), Value::bigint(300000)}};
  auto scan = std::make_unique<PhysicalIndexScan>(std::vector<LogicalType>{LogicalType::varchar(), LogicalType::bigint()},
                                                  table_, index("t_pkey"), keys,
                                                  std::vector<size_t>{2, storage::kRowIdColumn}, 2,
                                                  std::vector<BoundExprPtr>{});
  const auto rows = run(std::move(scan));
  ASSERT_EQ(rows.size(), 3u);
  const std::vector<int64_t> expected{5, 150000, 299999};
  for (size_t i = 0; i < rows.size(); i++) {
    EXPECT_EQ(rows[i][0].get_string(), "s" + std::to_string(expected[i]));
    EXPECT_EQ(rows[i][1].get_int64(), expected[i]);
  }
}

TEST_P(PhysicalIndexScanTest, DuplicateKeysWithARemainingFilterOnAnUnprojectedColumn) {
  // SELECT g FROM t WHERE g = 42 AND a < 100000: the filter reads column a, fetched after g.
  std::vector<BoundExprPtr> filters;
  filters.push_back(fn(LogicalType::boolean(), "<", ref(LogicalType::bigint(), 1), constant(Value::bigint(100000))));
  auto scan = std::make_unique<PhysicalIndexScan>(std::vector<LogicalType>{LogicalType::integer()}, table_, index("t_g"),
                                                  std::vector<std::vector<Value>>{{Value::integer(42)}},
                                                  std::vector<size_t>{1, 0}, 1, std::move(filters));
  const auto rows = run(std::move(scan));
  EXPECT_EQ(rows.size(), 1000u);
  for (const auto& row : rows) EXPECT_EQ(row[0].get_int64(), 42);
}

TEST_P(PhysicalIndexScanTest, LookupsSeeTheTransactionsOwnWritesOnly) {
  // This transaction deletes a = 7 and inserts a = 400000; another one inserts a = 400001.
  const int64_t row7 = 7;
  ASSERT_EQ(table_->storage().delete_rows(*txn_, &row7, 1), 1u);
  DataChunk chunk;
  chunk.initialize(types());
  chunk.set_value(0, 0, Value::bigint(400000));
  chunk.set_value(1, 0, Value::integer(7));
  chunk.set_value(2, 0, Value::varchar("mine"));
  chunk.set_size(1);
  append_checked(*table_, *txn_, chunk);
  auto other = transactions_.begin();
  chunk.set_value(0, 0, Value::bigint(400001));
  chunk.set_value(2, 0, Value::varchar("theirs"));
  append_checked(*table_, *other, chunk);
  auto scan = [&](std::shared_ptr<storage::HashIndex> idx, Value key) {
    return std::make_unique<PhysicalIndexScan>(std::vector<LogicalType>{LogicalType::bigint()}, table_, std::move(idx),
                                               std::vector<std::vector<Value>>{{std::move(key)}}, std::vector<size_t>{0}, 1,
                                               std::vector<BoundExprPtr>{});
  };
  EXPECT_EQ(run(scan(index("t_pkey"), Value::bigint(7))).size(), 0u);
  EXPECT_EQ(run(scan(index("t_pkey"), Value::bigint(400000))).size(), 1u);
  EXPECT_EQ(run(scan(index("t_pkey"), Value::bigint(400001))).size(), 0u);
  // g = 7: 3000 committed rows less the deleted one, plus this transaction's.
  EXPECT_EQ(run(scan(index("t_g"), Value::integer(7))).size(), 3000u);
  transactions_.rollback(*other);
}

TEST_P(PhysicalIndexScanTest, ParameterKeysAreReadWhenTheScanStarts) {
  // SELECT s FROM t WHERE a = $2 (a correlated subquery's outer value), and g = $1 with $1 a
  // bigint narrowed to g's integer type.
  auto by_a = [&] {
    return std::make_unique<PhysicalIndexScan>(
        std::vector<LogicalType>{LogicalType::varchar()}, table_, index("t_pkey"),
        std::vector<std::vector<Value>>{{Value::null(LogicalType::bigint())}}, std::vector<size_t>{2}, 1,
        std::vector<BoundExprPtr>{}, std::vector<IndexKeyParameter>{{0, 1, false}});
  };
  auto by_g = [&] {
    return std::make_unique<PhysicalIndexScan>(
        std::vector<LogicalType>{LogicalType::integer()}, table_, index("t_g"),
        std::vector<std::vector<Value>>{{Value::null(LogicalType::integer())}}, std::vector<size_t>{1}, 1,
        std::vector<BoundExprPtr>{}, std::vector<IndexKeyParameter>{{0, 0, true}});
  };
  std::vector<Value> parameters{Value::bigint(17), Value::bigint(4242)};
  auto rows = run(by_a(), &parameters);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].get_string(), "s4242");
  EXPECT_EQ(run(by_g(), &parameters).size(), 3000u);
  parameters = {Value::bigint(int64_t{1} << 40), Value::null(LogicalType::bigint())};
  EXPECT_EQ(run(by_a(), &parameters).size(), 0u);
  EXPECT_EQ(run(by_g(), &parameters).size(), 0u);
}

TEST_P(PhysicalIndexScanTest, JoinTypesOverAUniqueIndex) {
  const std::vector<std::optional<int64_t>> keys{3, std::nullopt, 3, 299999, -5, 123456};
  auto join = [&](JoinType type) {
    std::vector<BoundExprPtr> outer_keys;
    outer_keys.push_back(ref(LogicalType::bigint(), 0));
    std::vector<LogicalType> out_types{LogicalType::bigint()};
    if (type == JoinType::kInner || type == JoinType::kLeft) out_types.push_back(LogicalType::varchar());
    return std::make_unique<PhysicalIndexJoin>(out_types, type, std::move(outer_keys), table_, index("t_pkey"),
                                               std::vector<size_t>{2}, 1, std::vector<BoundExprPtr>{}, nullptr,
                                               values(keys));
  };
  auto inner = run(join(JoinType::kInner));
  std::multiset<std::string> inner_rows;
  for (const auto& row : inner) inner_rows.insert(std::to_string(row[0].get_int64()) + ":" + row[1].get_string());
  EXPECT_EQ(inner_rows, (std::multiset<std::string>{"3:s3", "3:s3", "299999:s299999", "123456:s123456"}));
  auto left = run(join(JoinType::kLeft));
  EXPECT_EQ(left.size(), 6u);
  size_t padded = 0;
  for (const auto& row : left) padded += row[1].is_null() ? 1 : 0;
  EXPECT_EQ(padded, 2u);  // the NULL key and -5
  EXPECT_EQ(run(join(JoinType::kSemi)).size(), 4u);
  auto anti = run(join(JoinType::kAnti));
  ASSERT_EQ(anti.size(), 2u);
}

TEST_P(PhysicalIndexScanTest, JoinOverANonUniqueIndexWithFiltersAndResidual) {
  // Outer keys 1..30 probe t_g (3000 rows each, more than an output chunk); the inner filter
  // keeps a < 150000 and the residual (a / 100) % 2 = key % 2.
  std::vector<std::optional<int64_t>> keys;
  for (int64_t k = 1; k <= 30; k++) keys.push_back(k);
  keys.push_back(std::nullopt);
  keys.push_back(1000);  // no row has g = 1000
  auto join = [&](JoinType type) {
    std::vector<BoundExprPtr> outer_keys;
    outer_keys.push_back(std::make_unique<planner::BoundCast>(LogicalType::integer(), ref(LogicalType::bigint(), 0)));
    std::vector<BoundExprPtr> inner_filters;
    inner_filters.push_back(fn(LogicalType::boolean(), "<", ref(LogicalType::bigint(), 0), constant(Value::bigint(150000))));
    BoundExprPtr residual = fn(LogicalType::boolean(), "=",
                               fn(LogicalType::bigint(), "%",
                                  fn(LogicalType::bigint(), "/", ref(LogicalType::bigint(), 1), constant(Value::bigint(100))),
                                  constant(Value::bigint(2))),
                               fn(LogicalType::bigint(), "%", ref(LogicalType::bigint(), 0), constant(Value::bigint(2))));
    std::vector<LogicalType> out_types{LogicalType::bigint()};
    if (type == JoinType::kInner || type == JoinType::kLeft) out_types.push_back(LogicalType::bigint());
    return std::make_unique<PhysicalIndexJoin>(out_types, type, std::move(outer_keys), table_, index("t_g"),
                                               std::vector<size_t>{0}, 1, std::move(inner_filters), std::move(residual),
                                               values(keys));
  };
  // g = k holds a = k + 100 j (the NULL g rows have a % 100 = 99); a < 150000 keeps
  // j < 1500, the residual the j of k's parity: 750 rows per key.
  auto inner = run(join(JoinType::kInner));
  EXPECT_EQ(inner.size(), 30u * 750u);
  std::map<int64_t, size_t> per_key;
  for (const auto& row : inner) {
    EXPECT_EQ(row[1].get_int64() % 100, row[0].get_int64());
    EXPECT_LT(row[1].get_int64(), 150000);
    EXPECT_EQ(row[1].get_int64() / 100 % 2, row[0].get_int64() % 2);
    per_key[row[0].get_int64()]++;
  }
  EXPECT_EQ(per_key.size(), 30u);
  EXPECT_EQ(run(join(JoinType::kLeft)).size(), 30u * 750u + 2u);
  EXPECT_EQ(run(join(JoinType::kSemi)).size(), 30u);
  EXPECT_EQ(run(join(JoinType::kAnti)).size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Threads, PhysicalIndexScanTest, ::testing::Values(1, 4));

}  // namespace
}  // namespace tessera::executor
