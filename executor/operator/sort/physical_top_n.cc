#include "executor/operator/sort/physical_top_n.h"

#include <algorithm>
#include <limits>
#include <mutex>

#include "executor/expression/expression_executor.h"
#include "executor/operator/sort/sort_buffer.h"
#include "src/common/assert.h"

namespace tessera::executor {

namespace {

struct TopNGlobalState : GlobalState {
  TopNGlobalState(const std::vector<LogicalType>& types, const std::vector<SortKey>& keys) : buffer(types, keys) {}
  std::mutex mutex;
  SortBuffer buffer;
};

struct TopNLocalState : LocalState {
  TopNLocalState(QueryContext& query, const std::vector<LogicalType>& types, const std::vector<SortKey>& keys)
      : expressions(query), buffer(types, keys) {}
  ExpressionExecutor expressions;
  SortBuffer buffer;
};

/// Single-threaded scan of rows [offset, offset + limit) of the order.
struct TopNSourceState : GlobalState {
  TopNSourceState(TopNGlobalState& sink, size_t position) : sink(sink), position(position) {}
  TopNGlobalState& sink;
  size_t position;
};

}  // namespace

PhysicalTopN::PhysicalTopN(std::vector<LogicalType> types, std::vector<SortKey> keys, int64_t limit, int64_t offset,
                           std::unique_ptr<PhysicalOperator> child)
    : PhysicalOperator("TOP_N", std::move(types)), keys_(std::move(keys)), limit_(limit), offset_(offset) {
  TS_CHECK(limit_ >= 0 && offset_ >= 0, "top-n: negative limit or offset");
  TS_CHECK(child->output_types().size() == types_.size(), "top-n: output must be the child's columns");
  add_child(std::move(child));
}

size_t PhysicalTopN::keep_count() const {
  const auto limit = static_cast<uint64_t>(limit_), offset = static_cast<uint64_t>(offset_);
  const uint64_t max = std::numeric_limits<size_t>::max();
  return static_cast<size_t>(limit > max - offset ? max : limit + offset);
}

std::unique_ptr<GlobalState> PhysicalTopN::make_global_sink(QueryContext&) const {
  return std::make_unique<TopNGlobalState>(types_, keys_);
}

std::unique_ptr<LocalState> PhysicalTopN::make_local_sink(WorkerContext& worker, GlobalState&) const {
  return std::make_unique<TopNLocalState>(worker.query, types_, keys_);
}

SinkResult PhysicalTopN::sink(WorkerContext&, DataChunk& in, GlobalState&, LocalState& local_state) const {
  // LIMIT 0 needs no input at all.
  if (limit_ == 0) return SinkResult::kFinished;
  auto& local = static_cast<TopNLocalState&>(local_state);
  local.buffer.append(local.expressions, in);
  // Prune once the surplus over the kept rows is at least a chunk and at least the kept count,
  // so each row takes part in O(1) amortized partial sorts.
  const size_t keep = keep_count();
  if (local.buffer.size() > keep && local.buffer.size() - keep >= std::max(keep, kVectorSize)) {
    local.buffer.keep_best(keep);
  }
  return SinkResult::kNeedMoreInput;
}

void PhysicalTopN::combine(WorkerContext&, GlobalState& global, LocalState& local_state) const {
  auto& g = static_cast<TopNGlobalState&>(global);
  auto& local = static_cast<TopNLocalState&>(local_state);
  local.buffer.keep_best(keep_count());
  std::lock_guard lock(g.mutex);
  g.buffer.absorb(local.buffer);
}

void PhysicalTopN::finalize(QueryContext&, GlobalState& global) const {
  static_cast<TopNGlobalState&>(global).buffer.sort(keep_count());
}

std::unique_ptr<GlobalState> PhysicalTopN::make_global_source(QueryContext& query) const {
  auto& sink = static_cast<TopNGlobalState&>(query.states->sink_state(*this));
  return std::make_unique<TopNSourceState>(sink, static_cast<size_t>(offset_));
}

SourceResult PhysicalTopN::get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const {
  auto& state = static_cast<TopNSourceState&>(global);
  const SortBuffer& buffer = state.sink.buffer;
  const size_t end = limit_ == 0 ? 0 : keep_count();
  buffer.scan(&state.position, end, out);
  return state.position >= std::min(end, buffer.sorted_count()) ? SourceResult::kFinished : SourceResult::kHaveMoreOutput;
}

std::string PhysicalTopN::explain_details() const {
  std::string out;
  for (size_t i = 0; i < keys_.size(); i++) {
    if (i) out += ", ";
    out += keys_[i].to_string();
  }
  out += "; limit " + std::to_string(limit_);
  if (offset_ > 0) out += " offset " + std::to_string(offset_);
  return out;
}

}  // namespace tessera::executor
