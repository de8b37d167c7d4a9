#pragma once

// Test-only plumbing for operator tests: a morsel source over given rows, a plan runner that
// collects results, and small expression builders.

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "executor/operator/result/physical_result_collector.h"
#include "executor/physical_operator.h"
#include "test/executor/builtin_registry.h"
#include "executor/query_executor.h"
#include "executor/scheduler.h"
#include "planner/binder/bound_expression.h"
#include "test/executor/builtin_registry.h"
#include "src/common/data_chunk.h"
#include "src/common/value.h"

namespace tessera::executor::test {

using Row = std::vector<Value>;
using Rows = std::vector<Row>;

/// Emits the given rows as chunks of `rows_per_chunk`, each chunk a morsel claimed by one worker
/// (up to `max_threads` workers). Every chunk is copied into `out`, with long strings written to a
/// per-worker scratch buffer that is overwritten with '#' on the next call — so an operator that
/// keeps string pointers from a previous chunk instead of copying reads garbage.
class RowSource : public PhysicalOperator {
 public:
  /// `emitted` (optional) counts the chunks handed out, so tests can see early stops.
  RowSource(std::vector<LogicalType> types, const Rows& rows, size_t rows_per_chunk, size_t max_threads,
            std::atomic<size_t>* emitted = nullptr)
      : PhysicalOperator("TEST_SOURCE", types), max_threads_(max_threads), emitted_(emitted) {
    for (size_t begin = 0; begin < rows.size(); begin += rows_per_chunk) {
      const size_t n = std::min(rows_per_chunk, rows.size() - begin);
      DataChunk chunk;
      chunk.initialize(types_, n);
      for (size_t r = 0; r < n; r++) {
        for (size_t c = 0; c < types_.size(); c++) chunk.set_value(c, r, rows[begin + r][c]);
      }
      chunk.set_size(n);
      chunks_.push_back(std::move(chunk));
    }
  }

  bool is_source() const override { return true; }

  struct Global : GlobalState {
    explicit Global(size_t threads) : threads(threads) {}
    size_t max_threads() const override { return threads; }
    size_t threads;
    std::atomic<size_t> next{0};
  };
  struct Local : LocalState {
    std::vector<char> scratch;
  };

  std::unique_ptr<GlobalState> make_global_source(QueryContext&) const override {
    return std::make_unique<Global>(max_threads_);
  }
  std::unique_ptr<LocalState> make_local_source(WorkerContext&, GlobalState&) const override {
    auto local = std::make_unique<Local>();
    size_t bytes = 1;
    for (const auto& chunk : chunks_) {
      size_t chunk_bytes = 0;
      for (size_t c = 0; c < types_.size(); c++) {
        if (types_[c].physical_type() != PhysicalType::kString) continue;
        for (size_t r = 0; r < chunk.size(); r++) {
          if (chunk.column(c).validity().row_is_valid(r)) chunk_bytes += chunk.column(c).values<string_t>()[r].size();
        }
      }
      bytes = std::max(bytes, chunk_bytes);
    }
    local->scratch.assign(bytes, '#');
    return local;
  }
  SourceResult get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState& local_state) const override {
    auto& g = static_cast<Global&>(global);
    auto& local = static_cast<Local&>(local_state);
    const size_t index = g.next.fetch_add(1);
    if (index >= chunks_.size()) {
      out.set_size(0);
      return SourceResult::kFinished;
    }
    if (emitted_) emitted_->fetch_add(1);
    std::fill(local.scratch.begin(), local.scratch.end(), '#');
    const DataChunk& chunk = chunks_[index];
    size_t used = 0;
    for (size_t c = 0; c < types_.size(); c++) {
      const Vector& from = chunk.column(c);
      Vector& to = out.column(c);
      for (size_t r = 0; r < chunk.size(); r++) {
        if (!from.validity().row_is_valid(r)) {
          to.mutable_validity().set_invalid(r);
          continue;
        }
        if (types_[c].physical_type() == PhysicalType::kString) {
          const string_t s = from.values<string_t>()[r];
          std::memcpy(local.scratch.data() + used, s.data(), s.size());
          to.mutable_values<string_t>()[r] = string_t(local.scratch.data() + used, s.size());
          used += s.size();
        } else {
          const size_t width = types_[c].physical_size();
          std::memcpy(to.mutable_data() + r * width, from.data() + r * width, width);
        }
      }
    }
    out.set_size(chunk.size());
    return index + 1 >= chunks_.size() ? SourceResult::kFinished : SourceResult::kHaveMoreOutput;
  }

 private:
  std::vector<DataChunk> chunks_;
  size_t max_threads_;
  std::atomic<size_t>* emitted_;
};

/// One scheduler for all tests of the binary.
inline Scheduler& test_scheduler() {
  static Scheduler scheduler(2);
  return scheduler;
}

/// Runs `plan` under a collecting result sink with up to `max_threads` workers; returns the rows
/// in the order the collector received them.
inline Rows run_plan(std::unique_ptr<PhysicalOperator> plan, size_t max_threads) {
  PhysicalResultCollector root(PhysicalResultCollector::Mode::kCollect, 0, std::move(plan));
  QueryContext query;
  query.scheduler = &test_scheduler();
  query.max_threads = max_threads;
  QueryExecutor executor(root, query);
  executor.execute();
  auto& state = static_cast<PhysicalResultCollector::State&>(executor.sink_state(root));
  Rows rows;
  for (const auto& chunk : state.chunks) {
    for (size_t r = 0; r < chunk.size(); r++) {
      Row row;
      for (size_t c = 0; c < chunk.column_count(); c++) row.push_back(chunk.get_value(c, r));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

inline planner::BoundExprPtr ref(LogicalType type, uint32_t index) {
  return std::make_unique<planner::BoundReference>(type, index, "#" + std::to_string(index));
}

/// The comparison `a op b` with the built-in operator over the arguments' types.
inline planner::BoundExprPtr compare(std::string_view op, planner::BoundExprPtr a, planner::BoundExprPtr b) {
  const auto& function = builtin_function(op, {a->type, b->type});
  std::vector<planner::BoundExprPtr> children;
  children.push_back(std::move(a));
  children.push_back(std::move(b));
  return std::make_unique<planner::BoundFunction>(LogicalType::boolean(), function, std::move(children));
}

/// A row as text ("1|abc|NULL"), for multiset comparisons.
inline std::string row_string(const Row& row) {
  std::string out;
  for (size_t i = 0; i < row.size(); i++) {
    if (i) out += '|';
    out += row[i].is_null() ? "NULL" : row[i].to_string();
  }
  return out;
}

/// The rows as sorted text lines: equal for equal multisets of rows.
inline std::vector<std::string> sorted_strings(const Rows& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(row_string(r));
  std::sort(out.begin(), out.end());
  return out;
}

inline Value int_or_null(bool is_null, int32_t v) { return is_null ? Value::null(LogicalType::integer()) : Value::integer(v); }

}  // namespace tessera::executor::test
