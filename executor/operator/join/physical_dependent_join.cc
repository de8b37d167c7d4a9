#include "executor/operator/join/physical_dependent_join.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "executor/expression/expression_executor.h"
#include "executor/operator/projection/expression_state.h"

namespace tessera::executor {

namespace {

/// A worker's progress through one left chunk, and its cache of right-side runs.
struct DependentJoinState : LocalState {
  explicit DependentJoinState(QueryContext& query) : expressions(query) {}
  ExpressionExecutor expressions;
  /// The right side's rows per distinct parameter values.
  std::unordered_map<std::string, std::vector<DataChunk>> runs;
  /// The correlated values of the current left chunk.
  std::vector<Vector> parameters;
  bool active = false;
  size_t row = 0;
  /// The right rows of the current left row (null: not looked up yet), and how far they went.
  const std::vector<DataChunk>* rows = nullptr;
  size_t chunk = 0;
  size_t offset = 0;
  bool matched = false;
};

std::string parameters_key(const std::vector<Value>& values) {
  std::string key;
  for (const auto& v : values) {
    key += v.is_null() ? std::string("\x01N", 2) : "\x02" + v.to_string();
    key += '\x00';
  }
  return key;
}

}  // namespace

PhysicalDependentJoin::PhysicalDependentJoin(std::vector<LogicalType> types, planner::JoinType join_type,
                                             std::vector<planner::BoundExprPtr> correlated,
                                             std::unique_ptr<SubqueryPlan> right, std::unique_ptr<PhysicalOperator> left)
    : PhysicalOperator("DEPENDENT_JOIN", std::move(types)),
      join_type_(join_type),
      correlated_(std::move(correlated)),
      right_(std::move(right)) {
  add_child(std::move(left));
}

std::unique_ptr<LocalState> PhysicalDependentJoin::make_local_operator(WorkerContext& worker, GlobalState&) const {
  return std::make_unique<DependentJoinState>(worker.query);
}

OperatorResult PhysicalDependentJoin::execute(WorkerContext& worker, DataChunk& in, DataChunk& out, GlobalState&,
                                              LocalState& local) const {
  auto& state = static_cast<DependentJoinState&>(local);
  const size_t left_columns = in.column_count();
  const size_t right_columns = types_.size() - left_columns;
  if (!state.active) {
    state.parameters.assign(correlated_.size(), Vector());
    for (size_t p = 0; p < correlated_.size(); p++) state.expressions.execute(*correlated_[p], in, state.parameters[p]);
    state.active = true;
    state.row = 0;
    state.rows = nullptr;
  }
  for (size_t c = 0; c < types_.size(); c++) out.column(c).reset(kVectorSize);
  SelectionVector left_sel(kVectorSize);
  SelectionVector right_sel(kVectorSize);
  size_t count = 0;
  std::vector<Value> values(correlated_.size());
  while (state.row < in.size()) {
    if (!state.rows) {
      worker.query.check_cancelled();
      for (size_t p = 0; p < values.size(); p++) values[p] = state.parameters[p].get_value(state.row);
      std::string key = parameters_key(values);
      auto it = state.runs.find(key);
      if (it == state.runs.end()) it = state.runs.emplace(std::move(key), run_subquery(*right_, worker.query, values)).first;
      state.rows = &it->second;
      state.chunk = 0;
      state.offset = 0;
      state.matched = false;
    }
    const std::vector<DataChunk>& rows = *state.rows;
    while (state.chunk < rows.size() && state.offset >= rows[state.chunk].size()) {
      state.chunk++;
      state.offset = 0;
    }
    if (state.chunk < rows.size()) {
      const DataChunk& right = rows[state.chunk];
      const size_t take = std::min(right.size() - state.offset, kVectorSize - count);
      if (take == 0) break;  // the output is full
      for (size_t i = 0; i < take; i++) {
        left_sel.set_index(i, static_cast<sel_t>(state.row));
        right_sel.set_index(i, static_cast<sel_t>(state.offset + i));
      }
      for (size_t c = 0; c < left_columns; c++) out.column(c).copy_from(in.column(c), left_sel, take, count);
      for (size_t c = 0; c < right_columns; c++) {
        out.column(left_columns + c).copy_from(right.column(c), right_sel, take, count);
      }
      count += take;
      state.offset += take;
      state.matched = true;
      continue;
    }
    if (!state.matched && join_type_ == planner::JoinType::kLeft) {
      if (count == kVectorSize) break;
      left_sel.set_index(0, static_cast<sel_t>(state.row));
      for (size_t c = 0; c < left_columns; c++) out.column(c).copy_from(in.column(c), left_sel, 1, count);
      for (size_t c = 0; c < right_columns; c++) {
        out.column(left_columns + c).set_value(count, Value::null(types_[left_columns + c]));
      }
      count++;
    }
    state.row++;
    state.rows = nullptr;
  }
  out.set_size(count);
  if (state.row < in.size()) return OperatorResult::kHaveMoreOutput;
  state.active = false;
  return OperatorResult::kNeedMoreInput;
}

std::string PhysicalDependentJoin::explain_details() const {
  std::string out = join_type_ == planner::JoinType::kLeft ? "LEFT" : "INNER";
  if (!correlated_.empty()) out += ": " + join_expressions(correlated_, ", ");
  return out;
}

}  // namespace tessera::executor
