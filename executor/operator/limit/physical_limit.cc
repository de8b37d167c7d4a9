#include "executor/operator/limit/physical_limit.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <string>

#include "executor/chunk_collection.h"
#include "executor/key_serializer.h"
#include "src/common/assert.h"

namespace tessera::executor {

namespace {

struct LimitGlobalState : GlobalState {
  explicit LimitGlobalState(std::vector<LogicalType> types) : rows(std::move(types)) {}
  std::mutex mutex;
  /// Input rows seen so far (skipped or kept), in arrival order.
  uint64_t seen = 0;
  ChunkCollection rows;
  /// WITH TIES: the serialized tie key of the last wanted row, and whether a row after it
  /// differed (nothing more is kept).
  std::string last_key;
  bool ties_done = false;
};

/// Single-threaded scan of the kept chunks.
struct LimitSourceState : GlobalState {
  explicit LimitSourceState(LimitGlobalState& sink) : sink(sink) {}
  LimitGlobalState& sink;
  size_t next_chunk = 0;
};

}  // namespace

PhysicalLimit::PhysicalLimit(std::vector<LogicalType> types, std::optional<int64_t> limit, int64_t offset,
                             std::unique_ptr<PhysicalOperator> child, std::vector<size_t> tie_columns)
    : PhysicalOperator("LIMIT", std::move(types)), limit_(limit), offset_(offset), tie_columns_(std::move(tie_columns)) {
  TS_CHECK(offset_ >= 0 && (!limit_ || *limit_ >= 0), "limit: negative limit or offset");
  add_child(std::move(child));
}

std::unique_ptr<GlobalState> PhysicalLimit::make_global_sink(QueryContext&) const {
  return std::make_unique<LimitGlobalState>(types_);
}

SinkResult PhysicalLimit::sink(WorkerContext&, DataChunk& in, GlobalState& global, LocalState&) const {
  // LIMIT 0 needs no input at all.
  if (limit_ && *limit_ == 0) return SinkResult::kFinished;
  auto& g = static_cast<LimitGlobalState&>(global);
  const auto offset = static_cast<uint64_t>(offset_);
  // One past the last wanted row; saturates when there is no limit.
  const uint64_t end = limit_ ? offset + static_cast<uint64_t>(*limit_) : UINT64_MAX;
  const bool with_ties = !tie_columns_.empty() && limit_;
  std::lock_guard lock(g.mutex);
  if (g.seen >= end && (!with_ties || g.ties_done)) return SinkResult::kFinished;
  const uint64_t n = in.size();
  const uint64_t first = std::max(g.seen, offset);
  const uint64_t last = std::min(g.seen + n, end);
  if (first < last) {
    const size_t skip = static_cast<size_t>(first - g.seen);
    const size_t take = static_cast<size_t>(last - first);
    if (skip == 0 && take == n) {
      g.rows.append(in);
    } else {
      SelectionVector sel(take);
      for (size_t i = 0; i < take; i++) sel.set_index(i, static_cast<sel_t>(skip + i));
      g.rows.append(in, sel, take);
    }
  }
  if (with_ties && g.seen + n >= end) keep_ties(global, in, g.seen, end);
  g.seen += n;
  if (with_ties) return g.ties_done ? SinkResult::kFinished : SinkResult::kNeedMoreInput;
  return g.seen >= end ? SinkResult::kFinished : SinkResult::kNeedMoreInput;
}

void PhysicalLimit::keep_ties(GlobalState& global, const DataChunk& in, uint64_t first_row, uint64_t end) const {
  auto& g = static_cast<LimitGlobalState&>(global);
  const size_t n = in.size();
  std::vector<const Vector*> columns;
  for (size_t c : tie_columns_) columns.push_back(&in.column(c));
  KeySerializer keys;
  keys.serialize(columns, n);
  size_t i = 0;
  const uint64_t last = end - 1;
  if (last >= first_row) {
    i = static_cast<size_t>(last - first_row);
    g.last_key.assign(reinterpret_cast<const char*>(keys.key(i)), keys.length(i));
    i++;
  }
  SelectionVector sel(n);
  size_t k = 0;
  for (; i < n; i++) {
    if (keys.length(i) != g.last_key.size() || std::memcmp(keys.key(i), g.last_key.data(), g.last_key.size()) != 0) {
      g.ties_done = true;
      break;
    }
    sel.set_index(k++, static_cast<sel_t>(i));
  }
  if (k > 0) g.rows.append(in, sel, k);
}

std::unique_ptr<GlobalState> PhysicalLimit::make_global_source(QueryContext& query) const {
  return std::make_unique<LimitSourceState>(static_cast<LimitGlobalState&>(query.states->sink_state(*this)));
}

SourceResult PhysicalLimit::get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const {
  auto& state = static_cast<LimitSourceState&>(global);
  const auto& chunks = state.sink.rows.chunks();
  if (state.next_chunk >= chunks.size()) {
    out.set_size(0);
    return SourceResult::kFinished;
  }
  out.reference(chunks[state.next_chunk++]);
  return state.next_chunk >= chunks.size() ? SourceResult::kFinished : SourceResult::kHaveMoreOutput;
}

std::string PhysicalLimit::explain_details() const {
  std::string out = limit_ ? "limit " + std::to_string(*limit_) + (tie_columns_.empty() ? "" : " with ties") : "";
  if (offset_ > 0) out += (out.empty() ? "" : " ") + std::string("offset ") + std::to_string(offset_);
  return out;
}

}  // namespace tessera::executor
