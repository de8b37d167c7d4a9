#include "executor/operator/ddl/physical_explain_analyze.h"

#include <chrono>

#include "executor/operator/ddl/physical_explain.h"
#include "executor/operator_profile.h"

namespace tessera::executor {

namespace {

struct ExplainAnalyzeState : GlobalState {
  QueryProfile profile;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::vector<std::string> lines;  ///< set by finalize
};

/// Emits the sink state's lines, up to kVectorSize rows per call; single-threaded.
struct ExplainAnalyzeSourceState : GlobalState {
  explicit ExplainAnalyzeSourceState(const ExplainAnalyzeState& sink) : sink(sink) {}
  const ExplainAnalyzeState& sink;
  size_t next_line = 0;
};

}  // namespace

PhysicalExplainAnalyze::PhysicalExplainAnalyze(std::unique_ptr<PhysicalOperator> plan, Options options)
    : PhysicalOperator("EXPLAIN_ANALYZE", {LogicalType::varchar()}), options_(options) {
  add_child(std::move(plan));
}

std::unique_ptr<GlobalState> PhysicalExplainAnalyze::make_global_sink(QueryContext& query) const {
  auto state = std::make_unique<ExplainAnalyzeState>();
  query.profile = &state->profile;
  return state;
}

SinkResult PhysicalExplainAnalyze::sink(WorkerContext&, DataChunk&, GlobalState&, LocalState&) const {
  return SinkResult::kNeedMoreInput;
}

void PhysicalExplainAnalyze::finalize(QueryContext& query, GlobalState& global) const {
  auto& state = static_cast<ExplainAnalyzeState&>(global);
  const auto execution =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - state.started);
  if (options_.modifies) {
    // The rows the statement wrote, which the modify operator counted into the query (or,
    // with RETURNING, produced).
    const uint64_t written = query.processed_rows.load();
    const uint64_t produced = state.profile.get(*children_[0]).rows_out;
    if (written > produced) {
      OperatorProfile more;
      more.produces = true;
      more.rows_out = written - produced;
      state.profile.merge(*children_[0], more);
    }
  }
  state.lines = PhysicalExplain::render(*this, &state.profile, options_.timing);
  if (options_.summary) {
    state.lines.push_back(PhysicalExplain::milliseconds_line("Planning Time", options_.planning_nanos));
    state.lines.push_back(PhysicalExplain::milliseconds_line("Execution Time", static_cast<uint64_t>(execution.count())));
  }
}

std::unique_ptr<GlobalState> PhysicalExplainAnalyze::make_global_source(QueryContext& query) const {
  return std::make_unique<ExplainAnalyzeSourceState>(static_cast<ExplainAnalyzeState&>(query.states->sink_state(*this)));
}

SourceResult PhysicalExplainAnalyze::get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const {
  auto& source = static_cast<ExplainAnalyzeSourceState&>(global);
  const auto& lines = source.sink.lines;
  size_t count = 0;
  for (; count < kVectorSize && source.next_line < lines.size(); count++, source.next_line++) {
    out.set_value(0, count, Value::varchar(lines[source.next_line]));
  }
  out.set_size(count);
  return source.next_line < lines.size() ? SourceResult::kHaveMoreOutput : SourceResult::kFinished;
}

}  // namespace tessera::executor
