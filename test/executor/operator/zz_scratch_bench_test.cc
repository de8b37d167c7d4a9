#include <gtest/gtest.h>
#include <chrono>
#include <random>
#include "executor/operator/aggregate/physical_hash_aggregate.h"
#include "executor/operator/join/physical_hash_join.h"
#include "executor/operator/sort/physical_order.h"
#include "test/executor/operator/operator_test_plan.h"

namespace tessera::executor::test {
namespace {
class RefSource : public PhysicalOperator {
 public:
  RefSource(std::vector<LogicalType> types, std::shared_ptr<std::vector<DataChunk>> chunks, size_t threads)
      : PhysicalOperator("REF", types), chunks_(chunks), threads_(threads) {}
  bool is_source() const override { return true; }
  struct G : GlobalState { size_t t; std::atomic<size_t> next{0}; size_t max_threads() const override { return t; } };
  std::unique_ptr<GlobalState> make_global_source(QueryContext&) const override { auto g = std::make_unique<G>(); g->t = threads_; return g; }
  SourceResult get_data(WorkerContext&, DataChunk& out, GlobalState& gs, LocalState&) const override {
    auto& g = static_cast<G&>(gs); size_t i = g.next.fetch_add(1);
    if (i >= chunks_->size()) { out.set_size(0); return SourceResult::kFinished; }
    out.reference((*chunks_)[i]); return SourceResult::kHaveMoreOutput;
  }
  std::shared_ptr<std::vector<DataChunk>> chunks_; size_t threads_;
};
std::shared_ptr<std::vector<DataChunk>> make_data(size_t n, int groups) {
  auto chunks = std::make_shared<std::vector<DataChunk>>();
  std::mt19937_64 rng(1);
  for (size_t b = 0; b < n; b += kVectorSize) {
    DataChunk c; c.initialize({LogicalType::integer(), LogicalType::bigint()});
    size_t m = std::min(kVectorSize, n - b);
    for (size_t i = 0; i < m; i++) { c.column(0).values<int32_t>()[i] = rng() % groups; c.column(1).values<int64_t>()[i] = rng() % 1000; }
    c.set_size(m); chunks->push_back(std::move(c));
  }
  return chunks;
}
TEST(ScratchBench, Aggregate) {
  std::vector<LogicalType> t = {LogicalType::integer(), LogicalType::bigint()};
  for (int groups : {10, 1000, 1000000}) {
    auto data = make_data(10000000, groups);
    for (size_t threads : {1, 2}) {
      std::vector<planner::BoundExprPtr> g; g.push_back(ref(t[0], 0));
      std::vector<planner::BoundExprPtr> a; a.push_back(std::make_unique<planner::BoundAggregate>(LogicalType::bigint(), planner::AggregateId::kSum, ref(t[1], 1), false));
      a.push_back(std::make_unique<planner::BoundAggregate>(LogicalType::bigint(), planner::AggregateId::kCountStar, nullptr, false));
      auto op = std::make_unique<PhysicalHashAggregate>(std::vector<LogicalType>{t[0], LogicalType::bigint(), LogicalType::bigint()}, std::move(g), std::move(a), std::make_unique<RefSource>(t, data, threads));
      auto start = std::chrono::steady_clock::now();
      auto rows = run_plan(std::move(op), threads);
      auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      printf("agg groups=%d threads=%zu rows=%zu %.1f ms\n", groups, threads, rows.size(), ms);
    }
  }
}
TEST(ScratchBench, JoinAndSort) {
  std::vector<LogicalType> t = {LogicalType::integer(), LogicalType::bigint()};
  auto probe = make_data(10000000, 100000);
  auto build = make_data(100000, 100000);
  for (size_t threads : {1, 2}) {
    std::vector<planner::BoundExprPtr> lk, rk; lk.push_back(ref(t[0], 0)); rk.push_back(ref(t[0], 0));
    auto join = std::make_unique<PhysicalHashJoin>(std::vector<LogicalType>{t[0], t[1], t[0], t[1]}, planner::JoinType::kInner, std::move(lk), std::move(rk), nullptr,
      std::make_unique<RefSource>(t, probe, threads), std::make_unique<RefSource>(t, build, threads));
    std::vector<planner::BoundExprPtr> a; a.push_back(std::make_unique<planner::BoundAggregate>(LogicalType::bigint(), planner::AggregateId::kCountStar, nullptr, false));
    auto op = std::make_unique<PhysicalHashAggregate>(std::vector<LogicalType>{LogicalType::bigint()}, std::vector<planner::BoundExprPtr>{}, std::move(a), std::move(join));
    auto start = std::chrono::steady_clock::now();
    auto rows = run_plan(std::move(op), threads);
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    printf("join threads=%zu count=%s %.1f ms\n", threads, rows[0][0].to_string().c_str(), ms);
  }
  auto data = make_data(2000000, 1000000);
  for (size_t threads : {1, 2}) {
    std::vector<SortKey> keys; keys.push_back(SortKey{ref(t[0], 0), false, false}); keys.push_back(SortKey{ref(t[1], 1), true, false});
    auto op = std::make_unique<PhysicalOrder>(t, std::move(keys), std::make_unique<RefSource>(t, data, threads));
    auto start = std::chrono::steady_clock::now();
    QueryContext q; q.scheduler = &test_scheduler(); q.max_threads = threads;
    PhysicalResultCollector root(PhysicalResultCollector::Mode::kCollect, 0, std::move(op));
    QueryExecutor ex(root, q); ex.execute();
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    printf("sort 2M threads=%zu %.1f ms\n", threads, ms);
  }
}
}
}
