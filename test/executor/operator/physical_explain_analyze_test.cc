#include "executor/operator/ddl/physical_explain_analyze.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "executor/operator/result/physical_result_collector.h"
#include "executor/physical_planner.h"
#include "executor/query_executor.h"
#include "executor/scheduler.h"
#include "planner/binder/binder.h"
#include "planner/optimizer/optimizer.h"
#include "planner/parser/parser.h"
#include "src/common/sql_error.h"
#include "storage/data_table.h"
#include "storage/transaction.h"
#include "storage/transaction_manager.h"
#include "test/executor/builtin_registry.h"

namespace tessera::executor {
namespace {

// Runs EXPLAIN ANALYZE through the whole planner and executor over t (300 000 rows, a = the
// row number, three row groups) and u (1 000 rows, k = 0, 3, 6, ...).
class PhysicalExplainAnalyzeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    txn_ = transactions_.begin();
    t_ = catalog_.create_table(*txn_, "t", {{"a", LogicalType::bigint(), true}, {"s", LogicalType::varchar()}}, false);
    append_rows(*t_, kRows, [](int64_t v, DataChunk& chunk, size_t i) {
      chunk.set_value(0, i, Value::bigint(v));
      chunk.set_value(1, i, v % 10 == 0 ? Value::null(LogicalType::varchar()) : Value::varchar("row-" + std::to_string(v % 7)));
    });
    u_ = catalog_.create_table(*txn_, "u", {{"k", LogicalType::bigint(), true}, {"pad", LogicalType::varchar()}}, false);
    append_rows(*u_, 1000, [](int64_t v, DataChunk& chunk, size_t i) {
      chunk.set_value(0, i, Value::bigint(v * 3));
      chunk.set_value(1, i, Value::varchar("p"));
    });
    transactions_.commit(*txn_);
    txn_ = transactions_.begin();
  }

  template <typename F>
  void append_rows(catalog::TableEntry& table, int64_t rows, F fill) {
    DataChunk chunk;
    for (int64_t base = 0; base < rows; base += kVectorSize) {
      chunk.initialize({LogicalType::bigint(), LogicalType::varchar()});
      const size_t n = std::min<int64_t>(kVectorSize, rows - base);
      for (size_t i = 0; i < n; i++) fill(base + static_cast<int64_t>(i), chunk, i);
      chunk.set_size(n);
      table.storage().append(*txn_, chunk);
    }
  }

  /// The lines `sql` returns, run on up to `threads` workers.
  std::vector<std::string> run(const std::string& sql, size_t threads) {
    auto statements = planner::parse_sql(sql);
    planner::Binder binder(catalog_, builtin_registry(), *txn_, sql);
    planner::BoundStatement bound = binder.bind(*statements.at(0));
    auto plan = planner::Optimizer(&builtin_registry(), bound.table_indexes).optimize(std::move(bound.plan));
    PhysicalPlanner physical(&catalog_, txn_.get());
    auto root = physical.create_rooted_plan(*plan, false);
    QueryContext query;
    query.scheduler = &scheduler_;
    query.catalog = &catalog_;
    query.transaction = txn_.get();
    query.max_threads = threads;
    QueryExecutor executor(*root, query);
    executor.execute();
    std::vector<std::string> lines;
    for (const DataChunk& chunk : static_cast<PhysicalResultCollector::State&>(executor.sink_state(*root)).chunks) {
      for (size_t i = 0; i < chunk.size(); i++) lines.push_back(chunk.get_value(0, i).to_string());
    }
    return lines;
  }

  /// Sum of the sizes of segments [first, last] of column `column` of row group `group` of t.
  uint64_t segment_bytes(size_t group, size_t column, size_t first, size_t last) {
    uint64_t bytes = 0;
    size_t index = 0;  // of the segment in its column of its row group (segment_stats lists them in order)
    size_t previous_group = ~size_t{0};
    for (const storage::SegmentStats& s : t_->storage().segment_stats()) {
      if (s.column != column) continue;
      if (s.row_group != previous_group) index = 0;
      previous_group = s.row_group;
      if (s.row_group == group && index >= first && index <= last) bytes += s.compressed_bytes;
      index++;
    }
    return bytes;
  }

  static std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
  }

  static constexpr int64_t kRows = 300000;
  static constexpr const char* kNoTiming = "EXPLAIN (ANALYZE, TIMING false, SUMMARY false) ";
  catalog::Catalog catalog_;
  storage::TransactionManager transactions_;
  Scheduler scheduler_{4};
  std::shared_ptr<catalog::TableEntry> t_;
  std::shared_ptr<catalog::TableEntry> u_;
  std::unique_ptr<storage::Transaction> txn_;
};

// Rows [130000, 135000) lie in row group 1 (rows 122880..245759), in its vectors 3..5: zone
// maps skip row groups 0 and 2, vectors 0..2 (below the range) and 6..59 (above it).
TEST_F(PhysicalExplainAnalyzeTest, FilteredScanCountsRowGroupsSegmentsAndBytes) {
  for (size_t threads : {1, 2, 4}) {
    const auto lines = run(std::string(kNoTiming) + "SELECT a FROM t WHERE a >= 130000 AND a < 135000", threads);
    const std::string bytes = "Bytes Read: a=" + std::to_string(segment_bytes(1, 0, 3, 5));
    EXPECT_EQ("PROJECTION t.a  (rows=5000) (actual rows=5000)\n"
              "  ->  TABLE_SCAN t  (rows=5000) (actual rows=5000)\n"
              "        Table Filters: a >= 130000 AND a < 135000\n"
              "        Row Groups: read=1 skipped=2\n"
              "        Segments: read=3 skipped=57\n"
              "        " + bytes + "\n"
              "Pipelines:\n"
              "  1: TABLE_SCAN -> PROJECTION -> EXPLAIN_ANALYZE\n",
              join(lines))
        << threads << " threads";
  }
}

// An unfiltered scan reads every segment of the columns it projects, once each.
TEST_F(PhysicalExplainAnalyzeTest, FullScanReadsEverySegmentOfItsColumns) {
  const auto lines = run(std::string(kNoTiming) + "SELECT count(s) FROM t", 4);
  ASSERT_GE(lines.size(), 6u);
  EXPECT_EQ("        ->  TABLE_SCAN t  (rows=300000) (actual rows=300000)", lines[2]);
  EXPECT_EQ("              Row Groups: read=3 skipped=0", lines[3]);
  EXPECT_EQ("              Segments: read=147 skipped=0", lines[4]);  // ceil(122880 / 2048) * 2 + ceil(54240 / 2048)
  const uint64_t bytes = segment_bytes(0, 1, 0, 59) + segment_bytes(1, 1, 0, 59) + segment_bytes(2, 1, 0, 26);
  EXPECT_EQ("              Bytes Read: s=" + std::to_string(bytes), lines[5]);
}

// A LIMIT stops its input: the scan reports the rows it really produced (one vector), not the
// table's.
TEST_F(PhysicalExplainAnalyzeTest, LimitStopsTheScanEarly) {
  const auto lines = run(std::string(kNoTiming) + "SELECT a FROM t LIMIT 10", 1);
  EXPECT_EQ("LIMIT limit 10  (rows=10) (actual rows=10)\n"
            "  ->  PROJECTION t.a  (rows=300000) (actual rows=2048)\n"
            "        ->  TABLE_SCAN t  (rows=300000) (actual rows=2048)\n"
            "              Row Groups: read=1 skipped=0\n"
            "              Segments: read=1 skipped=0\n"
            "              Bytes Read: a=" + std::to_string(segment_bytes(0, 0, 0, 0)) + "\n"
            "Pipelines:\n"
            "  1: TABLE_SCAN -> PROJECTION -> LIMIT\n"
            "  2: LIMIT -> EXPLAIN_ANALYZE  (after 1)\n",
            join(lines));
}

// Rows per operator of a join under an aggregate; the counts of parallel runs (every worker's
// summed) equal the single-threaded ones.
TEST_F(PhysicalExplainAnalyzeTest, JoinAndAggregateRowsAreTheSameOnEveryThreadCount) {
  const std::string sql = std::string(kNoTiming) + "SELECT s, count(*) FROM t JOIN u ON t.a = u.k GROUP BY s";
  const auto serial = run(sql, 1);
  const std::string text = join(serial);
  // 1000 keys join; their s values fall in 8 groups (row-0 .. row-6 and NULL).
  EXPECT_NE(std::string::npos, text.find("HASH_JOIN INNER: t.a = u.k")) << text;
  auto actual_rows = [](const std::vector<std::string>& lines, const std::string& op) {
    for (const auto& line : lines) {
      if (line.find(op) == std::string::npos) continue;
      const size_t at = line.find("(actual rows=");
      if (at != std::string::npos) return std::stoll(line.substr(at + 13));
    }
    return -1LL;
  };
  EXPECT_EQ(8, actual_rows(serial, "HASH_AGGREGATE"));
  EXPECT_EQ(1000, actual_rows(serial, "HASH_JOIN"));
  EXPECT_EQ(1000, actual_rows(serial, "TABLE_SCAN u"));
  for (size_t threads : {2, 4}) EXPECT_EQ(text, join(run(sql, threads))) << threads << " threads";
}

TEST_F(PhysicalExplainAnalyzeTest, TimesAndSummary) {
  const auto lines = run("EXPLAIN ANALYZE SELECT count(*) FROM t WHERE a < 5000", 2);
  ASSERT_GE(lines.size(), 3u);
  for (size_t i = 0; i < 3; i++) {
    EXPECT_NE(std::string::npos, lines[i].find(" time=")) << lines[i];
    EXPECT_NE(std::string::npos, lines[i].find(" ms)")) << lines[i];
  }
  EXPECT_EQ(0u, lines[lines.size() - 2].rfind("Planning Time: ", 0)) << lines[lines.size() - 2];
  EXPECT_EQ(0u, lines.back().rfind("Execution Time: ", 0)) << lines.back();
  EXPECT_EQ(" ms", lines.back().substr(lines.back().size() - 3));
}

TEST_F(PhysicalExplainAnalyzeTest, InsertWritesAndReportsItsRows) {
  const auto lines = run(std::string(kNoTiming) + "INSERT INTO u SELECT a, 'x' FROM t WHERE a < 10", 2);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ("INSERT u  (rows=1) (actual rows=10)", lines[0]);
  const auto count = run("SELECT count(*) FROM u", 1);
  ASSERT_EQ(1u, count.size());
  EXPECT_EQ("1010", count[0]);
}

TEST_F(PhysicalExplainAnalyzeTest, AStatementThatFailsRaisesItsError) {
  try {
    run("EXPLAIN ANALYZE SELECT 1 / (a - 7) FROM t", 2);
    FAIL() << "no error";
  } catch (const SqlError& e) {
    EXPECT_EQ(SqlState::kDivisionByZero, e.state());
  }
}

}  // namespace
}  // namespace tessera::executor
