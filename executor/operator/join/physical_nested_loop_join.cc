#include "executor/operator/join/physical_nested_loop_join.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>

#include "executor/expression/expression_executor.h"
#include "executor/operator/join/join_batch.h"
#include "executor/chunk_collection.h"
#include "executor/pipeline.h"
#include "src/common/assert.h"

namespace tessera::executor {

namespace {

struct NestedLoopBuildState : GlobalState {
  explicit NestedLoopBuildState(std::vector<LogicalType> types) : collected(std::move(types)) {}
  std::mutex mutex;
  ChunkCollection collected;
  /// All right rows, built by finalize; read-only while probing.
  ColumnarRows rows;
  size_t num_rows = 0;
  /// FULL joins: which right rows joined some left row (set by every probing worker).
  std::unique_ptr<std::atomic<uint8_t>[]> matched;
};

struct NestedLoopSinkState : LocalState {
  explicit NestedLoopSinkState(std::vector<LogicalType> types) : collected(std::move(types)) {}
  ChunkCollection collected;
};

struct NestedLoopProbeGlobal : GlobalState {
  explicit NestedLoopProbeGlobal(const NestedLoopBuildState& build) : build(build) {}
  const NestedLoopBuildState& build;
};

enum class LoopPhase : uint8_t { kMatching, kUnmatched, kDone };

struct NestedLoopProbeState : LocalState {
  explicit NestedLoopProbeState(QueryContext& query) : expressions(query) {}
  ExpressionExecutor expressions;
  JoinBatch batch;
  std::vector<uint8_t> matched;
  std::vector<uint8_t> unknown;  ///< null-aware MARK joins: rows with a pair whose condition is NULL
  /// The next pair to test: left row `row`, right row `right_row`.
  size_t row = 0;
  size_t right_row = 0;
  LoopPhase phase = LoopPhase::kDone;
  bool active = false;
};

}  // namespace

PhysicalNestedLoopJoin::PhysicalNestedLoopJoin(std::vector<LogicalType> types, planner::JoinType join_type,
                                               planner::BoundExprPtr condition, std::unique_ptr<PhysicalOperator> left,
                                               std::unique_ptr<PhysicalOperator> right, bool mark_null_aware,
                                               bool single_match)
    : PhysicalOperator("NESTED_LOOP_JOIN", std::move(types)),
      join_type_(join_type),
      condition_(std::move(condition)),
      mark_null_aware_(mark_null_aware),
      single_match_(single_match) {
  TS_CHECK(join_type_ == planner::JoinType::kInner || join_type_ == planner::JoinType::kLeft ||
               join_type_ == planner::JoinType::kFull || join_type_ == planner::JoinType::kCross ||
               join_type_ == planner::JoinType::kMark || planner::outputs_left_only(join_type_),
           "nested loop join supports INNER, LEFT, FULL, CROSS, SEMI, ANTI and MARK joins");
  TS_CHECK(!mark_null_aware_ || join_type_ == planner::JoinType::kMark,
           "nested loop join: only a mark join is null-aware");
  TS_CHECK(!single_match_ || join_type_ == planner::JoinType::kLeft, "nested loop join: only a LEFT join is single-match");
  if (join_type_ == planner::JoinType::kMark) {
    TS_CHECK(types_.size() == left->output_types().size() + 1 && types_.back() == LogicalType::boolean(),
             "nested loop join: a mark join outputs the left columns, then the boolean mark");
  } else {
    TS_CHECK(types_.size() == left->output_types().size() +
                                  (planner::outputs_left_only(join_type_) ? 0 : right->output_types().size()),
             "nested loop join: output must be the left then the right columns");
  }
  add_child(std::move(left));
  add_child(std::move(right));
}

void PhysicalNestedLoopJoin::build_pipelines(PipelineBuilder& builder, Pipeline& current) const {
  // FULL: the left side is streamed in a pipeline of its own feeding the same operators and
  // sink; `current` then starts at this operator as the source of the unmatched right rows,
  // once that pipeline (its dependency) has finished.
  Pipeline* probe = &current;
  if (join_type_ == planner::JoinType::kFull) {
    probe = &builder.create_pipeline(current.sink);
    probe->operators = current.operators;
    probe->dependencies = current.dependencies;
    current.source = this;
    current.dependencies.push_back(probe);
  }
  probe->operators.insert(probe->operators.begin(), this);
  Pipeline& build = builder.create_pipeline(this);
  probe->dependencies.push_back(&build);
  children_[1]->build_pipelines(builder, build);
  children_[0]->build_pipelines(builder, *probe);
}

std::unique_ptr<GlobalState> PhysicalNestedLoopJoin::make_global_sink(QueryContext&) const {
  return std::make_unique<NestedLoopBuildState>(children_[1]->output_types());
}

std::unique_ptr<LocalState> PhysicalNestedLoopJoin::make_local_sink(WorkerContext&, GlobalState&) const {
  return std::make_unique<NestedLoopSinkState>(children_[1]->output_types());
}

SinkResult PhysicalNestedLoopJoin::sink(WorkerContext&, DataChunk& in, GlobalState&, LocalState& local) const {
  static_cast<NestedLoopSinkState&>(local).collected.append(in);
  return SinkResult::kNeedMoreInput;
}

void PhysicalNestedLoopJoin::combine(WorkerContext&, GlobalState& global, LocalState& local) const {
  auto& g = static_cast<NestedLoopBuildState&>(global);
  std::lock_guard lock(g.mutex);
  g.collected.absorb(static_cast<NestedLoopSinkState&>(local).collected);
}

void PhysicalNestedLoopJoin::finalize(QueryContext&, GlobalState& global) const {
  auto& g = static_cast<NestedLoopBuildState&>(global);
  g.rows = g.collected.consolidate();
  g.collected.clear();
  g.num_rows = g.rows.size();
  TS_CHECK(g.num_rows < 0xFFFFFFFFULL, "nested loop join right side too large");
  if (join_type_ == planner::JoinType::kFull) g.matched = std::make_unique<std::atomic<uint8_t>[]>(g.num_rows);
}

std::unique_ptr<GlobalState> PhysicalNestedLoopJoin::make_global_operator(QueryContext& query) const {
  return std::make_unique<NestedLoopProbeGlobal>(static_cast<NestedLoopBuildState&>(query.states->sink_state(*this)));
}

std::unique_ptr<LocalState> PhysicalNestedLoopJoin::make_local_operator(WorkerContext& worker, GlobalState&) const {
  auto state = std::make_unique<NestedLoopProbeState>(worker.query);
  state->batch.set_single_match(single_match_);
  return state;
}

OperatorResult PhysicalNestedLoopJoin::execute(WorkerContext&, DataChunk& in, DataChunk& out, GlobalState& global,
                                               LocalState& local_state) const {
  const NestedLoopBuildState& build = static_cast<NestedLoopProbeGlobal&>(global).build;
  auto& state = static_cast<NestedLoopProbeState&>(local_state);
  const size_t n = in.size();
  const size_t num_right = build.num_rows;
  // Semi, anti and mark joins only decide whether each left row has a joining right row.
  const bool is_mark = join_type_ == planner::JoinType::kMark;
  const bool left_only = planner::outputs_left_only(join_type_) || is_mark;
  if (num_right == 0 && is_mark) {
    // Nothing can match, and nothing is unknown: every mark is false.
    state.matched.assign(n, 0);
    JoinBatch::emit_marked(in, state.matched.data(), nullptr, out);
    return OperatorResult::kNeedMoreInput;
  }
  if (num_right == 0 && join_type_ == planner::JoinType::kAnti) {
    // Nothing can match: every left row passes.
    out.reference(in);
    return OperatorResult::kNeedMoreInput;
  }
  const bool keeps_left_rows = join_type_ == planner::JoinType::kLeft || join_type_ == planner::JoinType::kFull;
  if (num_right == 0 && !keeps_left_rows) {
    // Nothing can match: stop reading the left side.
    out.set_size(0);
    return OperatorResult::kFinished;
  }
  if (!state.active) {
    state.matched.assign(n, 0);
    if (mark_null_aware_) state.unknown.assign(n, 0);
    state.row = num_right == 0 ? n : 0;
    state.right_row = 0;
    state.phase = LoopPhase::kMatching;
    state.active = true;
  }
  const size_t right_columns = children_[1]->output_types().size();
  for (;;) {
    if (state.phase == LoopPhase::kMatching) {
      // The next kVectorSize pairs in (left row, right row) order.
      sel_t* left = state.batch.left();
      sel_t* right = state.batch.right();
      size_t count = 0;
      while (state.row < n && count < kVectorSize) {
        if (left_only && state.matched[state.row]) {
          // A semi or anti join needs one joining right row per left row.
          state.right_row = 0;
          state.row++;
          continue;
        }
        const size_t take = std::min(num_right - state.right_row, kVectorSize - count);
        for (size_t t = 0; t < take; t++) {
          left[count + t] = static_cast<sel_t>(state.row);
          right[count + t] = static_cast<sel_t>(state.right_row + t);
        }
        count += take;
        state.right_row += take;
        if (state.right_row == num_right) {
          state.right_row = 0;
          state.row++;
        }
      }
      if (left_only) {
        // Pairs only decide which left rows match; the rows go out once every row is decided.
        if (mark_null_aware_) {
          state.batch.mark_three_valued(state.expressions, condition_.get(), in, build.rows, right_columns, count,
                                        state.matched.data(), state.unknown.data());
        } else {
          state.batch.mark(state.expressions, condition_.get(), in, build.rows, right_columns, count,
                           state.matched.data());
        }
        if (state.row < n) continue;
        if (is_mark) {
          JoinBatch::emit_marked(in, state.matched.data(), mark_null_aware_ ? state.unknown.data() : nullptr, out);
        } else if (join_type_ == planner::JoinType::kSemi) {
          state.batch.emit_matched(in, state.matched.data(), out);
        } else {
          state.batch.emit_unmatched(in, state.matched.data(), out);
        }
        state.phase = LoopPhase::kDone;
        state.active = false;
        return OperatorResult::kNeedMoreInput;
      }
      if (state.row >= n) {
        state.phase = keeps_left_rows ? LoopPhase::kUnmatched : LoopPhase::kDone;
      }
      const size_t produced = state.batch.emit(state.expressions, condition_.get(), in, build.rows, right_columns, count,
                                               state.matched.data(), out, build.matched.get());
      if (produced > 0) {
        if (state.phase != LoopPhase::kDone) return OperatorResult::kHaveMoreOutput;
        state.active = false;
        return OperatorResult::kNeedMoreInput;
      }
      continue;
    }
    if (state.phase == LoopPhase::kUnmatched) state.batch.emit_unmatched(in, state.matched.data(), out);
    state.phase = LoopPhase::kDone;
    state.active = false;
    return OperatorResult::kNeedMoreInput;
  }
}

// ---- FULL joins: the unmatched right rows, after the left side.

namespace {

struct UnmatchedRightState : GlobalState {
  explicit UnmatchedRightState(const NestedLoopBuildState& build) : build(build) {}
  const NestedLoopBuildState& build;
  size_t next_row = 0;  ///< next right row to examine
};

}  // namespace

std::unique_ptr<GlobalState> PhysicalNestedLoopJoin::make_global_source(QueryContext& query) const {
  return std::make_unique<UnmatchedRightState>(static_cast<NestedLoopBuildState&>(query.states->sink_state(*this)));
}

SourceResult PhysicalNestedLoopJoin::get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const {
  auto& state = static_cast<UnmatchedRightState&>(global);
  const NestedLoopBuildState& build = state.build;
  const size_t left_columns = children_[0]->output_types().size();
  const size_t right_columns = children_[1]->output_types().size();
  if (JoinBatch::emit_unmatched_build_rows(build.matched.get(), build.rows, right_columns, build.num_rows, left_columns,
                                          state.next_row, out) == 0) {
    out.set_size(0);
    return SourceResult::kFinished;
  }
  return state.next_row < build.num_rows ? SourceResult::kHaveMoreOutput : SourceResult::kFinished;
}

std::string PhysicalNestedLoopJoin::explain_details() const {
  const char* type = join_type_ == planner::JoinType::kLeft    ? (single_match_ ? "LEFT SINGLE" : "LEFT")
                     : join_type_ == planner::JoinType::kFull  ? "FULL"
                     : join_type_ == planner::JoinType::kCross ? "CROSS"
                     : join_type_ == planner::JoinType::kSemi  ? "SEMI"
                     : join_type_ == planner::JoinType::kAnti  ? "ANTI"
                     : join_type_ == planner::JoinType::kMark  ? (mark_null_aware_ ? "MARK (NULL-AWARE)" : "MARK")
                                                               : "INNER";
  std::string out = type;
  if (condition_) out += std::string(": ") + condition_->to_string();
  return out;
}

}  // namespace tessera::executor
