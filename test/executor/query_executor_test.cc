#include "executor/query_executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "executor/operator/result/physical_result_collector.h"
#include "executor/operator/result/result_queue.h"
#include "executor/scheduler.h"
#include "src/common/sql_error.h"

namespace tessera::executor {
namespace {

/// Hang detector only: a correct run takes milliseconds; nothing here measures time.
constexpr auto kDeadline = std::chrono::seconds(60);

/// Emits bigint values 0, 1, 2, ... in chunks of `rows_per_chunk`, `num_chunks` chunks in all
/// (0 = until the query stops), handing chunks to up to `max_threads` workers.
class CountingSource : public PhysicalOperator {
 public:
  CountingSource(size_t num_chunks, size_t rows_per_chunk, size_t max_threads)
      : PhysicalOperator("COUNTING_SOURCE", {LogicalType::bigint()}),
        num_chunks_(num_chunks),
        rows_per_chunk_(rows_per_chunk),
        max_threads_(max_threads) {}

  struct Global : GlobalState {
    explicit Global(size_t threads) : threads(threads) {}
    size_t max_threads() const override { return threads; }
    size_t threads;
    std::atomic<size_t> next{0};
  };

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext&) const override {
    return std::make_unique<Global>(max_threads_);
  }
  SourceResult get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const override {
    auto& g = static_cast<Global&>(global);
    const size_t index = g.next.fetch_add(1);
    if (num_chunks_ != 0 && index >= num_chunks_) return SourceResult::kFinished;
    auto* values = out.column(0).mutable_values<int64_t>();
    for (size_t r = 0; r < rows_per_chunk_; r++) values[r] = static_cast<int64_t>(index * rows_per_chunk_ + r);
    out.set_size(rows_per_chunk_);
    return num_chunks_ != 0 && index + 1 == num_chunks_ ? SourceResult::kFinished : SourceResult::kHaveMoreOutput;
  }

 private:
  size_t num_chunks_;
  size_t rows_per_chunk_;
  size_t max_threads_;
};

/// A sink that counts and drops its input.
class DiscardSink : public PhysicalOperator {
 public:
  explicit DiscardSink(std::unique_ptr<PhysicalOperator> child) : PhysicalOperator("DISCARD", child->output_types()) {
    add_child(std::move(child));
  }
  struct State : GlobalState {
    std::atomic<size_t> rows{0};
  };
  bool is_sink() const override { return true; }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext&) const override { return std::make_unique<State>(); }
  SinkResult sink(WorkerContext&, DataChunk& in, GlobalState& global, LocalState&) const override {
    static_cast<State&>(global).rows += in.size();
    return SinkResult::kNeedMoreInput;
  }
};

/// One query streaming into its own result queue.
struct StreamingQuery {
  StreamingQuery(Scheduler& scheduler, size_t num_chunks, size_t threads, size_t capacity)
      : root(PhysicalResultCollector::Mode::kStream, 0,
             std::make_unique<CountingSource>(num_chunks, kVectorSize, threads)),
        results(&scheduler, capacity) {
    context.scheduler = &scheduler;
    context.max_threads = threads;
    context.results = &results;
    executor = std::make_unique<QueryExecutor>(root, context);
  }

  /// Pops every chunk; returns the values in arrival order.
  std::vector<int64_t> drain() {
    std::vector<int64_t> values;
    ResultQueue::Item item;
    while (results.pop(item)) {
      EXPECT_LE(results.queued_chunks(), results.capacity());
      for (size_t r = 0; r < item.chunk.size(); r++) values.push_back(item.chunk.get_value(0, r).get_int64());
    }
    executor->wait();
    return values;
  }

  PhysicalResultCollector root;
  ResultQueue results;
  QueryContext context;
  std::unique_ptr<QueryExecutor> executor;
};

/// Runs a collecting query over `num_chunks` chunks to completion; returns its row count.
size_t run_collecting(Scheduler& scheduler, size_t num_chunks, size_t threads) {
  PhysicalResultCollector root(PhysicalResultCollector::Mode::kCollect, 0,
                               std::make_unique<CountingSource>(num_chunks, 100, threads));
  QueryContext context;
  context.scheduler = &scheduler;
  context.max_threads = threads;
  QueryExecutor executor(root, context);
  executor.execute();
  return static_cast<PhysicalResultCollector::State&>(executor.sink_state(root)).row_count;
}

TEST(QueryExecutorTest, ResultQueueStaysWithinItsCapacityAndKeepsSingleProducerOrder) {
  Scheduler scheduler(2);
  StreamingQuery query(scheduler, 50, 1, 3);
  query.executor->start();
  // Let the producer fill the queue while nobody reads: it must park at the bound.
  while (query.results.queued_chunks() < 3) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(query.results.queued_chunks(), 3u);
  std::vector<int64_t> values = query.drain();
  ASSERT_EQ(values.size(), 50u * kVectorSize);
  for (size_t i = 0; i < values.size(); i++) ASSERT_EQ(values[i], static_cast<int64_t>(i));
  EXPECT_LE(query.results.high_water_mark(), 3u);
  EXPECT_EQ(query.context.processed_rows.load(), 50u * kVectorSize);
}

TEST(QueryExecutorTest, ManyProducersDeliverEveryRowExactlyOnce) {
  Scheduler scheduler(2);
  StreamingQuery query(scheduler, 200, 4, 2);
  query.executor->start();
  std::vector<int64_t> values = query.drain();
  std::sort(values.begin(), values.end());
  ASSERT_EQ(values.size(), 200u * kVectorSize);
  for (size_t i = 0; i < values.size(); i++) ASSERT_EQ(values[i], static_cast<int64_t>(i));
  EXPECT_LE(query.results.high_water_mark(), 2u);
}

TEST(QueryExecutorTest, ProducerOfAnUnreadResultYieldsItsWorkerToOtherQueries) {
  // One worker. The first query's consumer never reads, so its producer fills the hand-off;
  // it must park rather than hold the only worker, so the second query still runs.
  Scheduler scheduler(1);
  StreamingQuery stalled(scheduler, 1000, 1, 2);
  stalled.executor->start();
  auto other = std::async(std::launch::async, [&] { return run_collecting(scheduler, 20, 1); });
  ASSERT_EQ(other.wait_for(kDeadline), std::future_status::ready) << "the other query hung behind a blocked producer";
  EXPECT_EQ(other.get(), 2000u);
  EXPECT_FALSE(stalled.executor->is_finished());
  // Closing the stalled query releases it: its parked producer wakes, sees the stop and ends.
  auto closer = std::async(std::launch::async, [&] { stalled.executor.reset(); });
  ASSERT_EQ(closer.wait_for(kDeadline), std::future_status::ready) << "closing a stalled query hung";
}

TEST(QueryExecutorTest, LongQueryDoesNotStarveAShortOne) {
  // One worker and a query that never ends on its own: its task must yield its time slices
  // so a second query's tasks get the worker (round-robin between queries).
  Scheduler scheduler(1);
  DiscardSink root(std::make_unique<CountingSource>(0, 16, 1));
  QueryContext context;
  context.scheduler = &scheduler;
  context.max_threads = 1;
  QueryExecutor endless(root, context);
  endless.start();
  auto other = std::async(std::launch::async, [&] { return run_collecting(scheduler, 30, 1); });
  ASSERT_EQ(other.wait_for(kDeadline), std::future_status::ready) << "the short query starved";
  EXPECT_EQ(other.get(), 3000u);
  endless.stop();
  EXPECT_THROW(endless.wait(), SqlError);  // stopped, not finished
  EXPECT_GT(static_cast<DiscardSink::State&>(endless.sink_state(root)).rows.load(), 0u);
}

TEST(QueryExecutorTest, StatementThreadRunsNoTasks) {
  // The thread that starts a query only waits: every task runs on a scheduler worker.
  Scheduler scheduler(2);
  std::atomic<bool> ran_on_caller{false};
  const auto caller = std::this_thread::get_id();
  class ThreadCheckingSink : public DiscardSink {
   public:
    ThreadCheckingSink(std::unique_ptr<PhysicalOperator> child, std::thread::id caller, std::atomic<bool>& flag)
        : DiscardSink(std::move(child)), caller_(caller), flag_(flag) {}
    SinkResult sink(WorkerContext& w, DataChunk& in, GlobalState& g, LocalState& l) const override {
      if (std::this_thread::get_id() == caller_) flag_ = true;
      return DiscardSink::sink(w, in, g, l);
    }

   private:
    std::thread::id caller_;
    std::atomic<bool>& flag_;
  };
  ThreadCheckingSink root(std::make_unique<CountingSource>(100, 64, 4), caller, ran_on_caller);
  QueryContext context;
  context.scheduler = &scheduler;
  context.max_threads = 4;
  QueryExecutor executor(root, context);
  executor.execute();
  EXPECT_FALSE(ran_on_caller.load());
  EXPECT_EQ(static_cast<DiscardSink::State&>(executor.sink_state(root)).rows.load(), 6400u);
}

TEST(QueryExecutorTest, ErrorOfOneWorkerStopsTheOthersAndIsRethrownToTheCaller) {
  Scheduler scheduler(2);
  class FailingSink : public DiscardSink {
   public:
    using DiscardSink::DiscardSink;
    SinkResult sink(WorkerContext& w, DataChunk& in, GlobalState& g, LocalState& l) const override {
      if (in.get_value(0, 0).get_int64() == 640) throw SqlError(SqlState::kDivisionByZero, "division by zero");
      return DiscardSink::sink(w, in, g, l);
    }
  };
  FailingSink root(std::make_unique<CountingSource>(0, 64, 4));  // endless unless stopped
  QueryContext context;
  context.scheduler = &scheduler;
  context.max_threads = 4;
  QueryExecutor executor(root, context);
  auto run = std::async(std::launch::async, [&] {
    try {
      executor.execute();
    } catch (const SqlError& e) {
      return std::string(sqlstate_code(e.state()));
    }
    return std::string("none");
  });
  ASSERT_EQ(run.wait_for(kDeadline), std::future_status::ready) << "siblings of a failed task did not stop";
  EXPECT_EQ(run.get(), "22012");
}

TEST(QueryExecutorTest, SinkFinalizePartsRunOnceEachOnTheWorkersBeforeFinalize) {
  // A sink with parallel finalize parts: every part runs exactly once, on scheduler workers
  // (never on the thread that runs the query), before finalize(), and an error in one part
  // reaches the caller.
  class PartsSink : public DiscardSink {
   public:
    PartsSink(std::unique_ptr<PhysicalOperator> child, size_t parts, std::thread::id caller, int failing_part)
        : DiscardSink(std::move(child)), parts_(parts), caller_(caller), failing_part_(failing_part) {}
    struct PartsState : DiscardSink::State {
      explicit PartsState(size_t parts) : runs(parts) {}
      std::vector<std::atomic<int>> runs;
      std::atomic<bool> on_caller{false};
      std::atomic<bool> finalized_before_all_parts{false};
      std::atomic<size_t> parts_done{0};
      bool finalized = false;
    };
    std::unique_ptr<GlobalState> make_global_sink(QueryContext&) const override {
      return std::make_unique<PartsState>(parts_);
    }
    size_t prepare_finalize(QueryContext&, GlobalState&) const override { return parts_; }
    void finalize_part(QueryContext&, GlobalState& global, size_t part) const override {
      auto& g = static_cast<PartsState&>(global);
      if (std::this_thread::get_id() == caller_) g.on_caller = true;
      if (static_cast<int>(part) == failing_part_) throw SqlError(SqlState::kDivisionByZero, "division by zero");
      g.runs[part]++;
      g.parts_done++;
    }
    void finalize(QueryContext&, GlobalState& global) const override {
      auto& g = static_cast<PartsState&>(global);
      if (g.parts_done.load() != parts_) g.finalized_before_all_parts = true;
      g.finalized = true;
    }

   private:
    size_t parts_;
    std::thread::id caller_;
    int failing_part_;
  };
  Scheduler scheduler(2);
  {
    PartsSink root(std::make_unique<CountingSource>(20, 64, 4), 37, std::this_thread::get_id(), -1);
    QueryContext context;
    context.scheduler = &scheduler;
    context.max_threads = 4;
    QueryExecutor executor(root, context);
    executor.execute();
    auto& g = static_cast<PartsSink::PartsState&>(executor.sink_state(root));
    for (size_t i = 0; i < g.runs.size(); i++) EXPECT_EQ(g.runs[i].load(), 1) << "part " << i;
    EXPECT_TRUE(g.finalized);
    EXPECT_FALSE(g.finalized_before_all_parts.load());
    EXPECT_FALSE(g.on_caller.load());
    EXPECT_EQ(g.rows.load(), 1280u);
  }
  {
    PartsSink root(std::make_unique<CountingSource>(20, 64, 4), 8, std::this_thread::get_id(), 5);
    QueryContext context;
    context.scheduler = &scheduler;
    context.max_threads = 4;
    QueryExecutor executor(root, context);
    EXPECT_THROW(executor.execute(), SqlError);
    EXPECT_FALSE(static_cast<PartsSink::PartsState&>(executor.sink_state(root)).finalized);
  }
}

}  // namespace
}  // namespace tessera::executor
