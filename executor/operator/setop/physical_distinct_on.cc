#include "executor/operator/setop/physical_distinct_on.h"

#include <mutex>

#include "executor/key_serializer.h"
#include "executor/operator/aggregate/group_hash_table.h"
#include "executor/operator/projection/expression_state.h"

namespace tessera::executor {

namespace {

struct DistinctOnGlobalState : GlobalState {
  std::mutex mutex;
  GroupHashTable seen;
};

struct DistinctOnLocalState : ExpressionState {
  explicit DistinctOnLocalState(QueryContext& query) : ExpressionState(query) {}
  KeySerializer keys;
};

}  // namespace

PhysicalDistinctOn::PhysicalDistinctOn(std::vector<LogicalType> types, std::vector<planner::BoundExprPtr> keys,
                                       std::unique_ptr<PhysicalOperator> child)
    : PhysicalOperator("DISTINCT_ON", std::move(types)), keys_(std::move(keys)) {
  add_child(std::move(child));
}

std::unique_ptr<GlobalState> PhysicalDistinctOn::make_global_operator(QueryContext&) const {
  return std::make_unique<DistinctOnGlobalState>();
}

std::unique_ptr<LocalState> PhysicalDistinctOn::make_local_operator(WorkerContext& worker, GlobalState&) const {
  return std::make_unique<DistinctOnLocalState>(worker.query);
}

OperatorResult PhysicalDistinctOn::execute(WorkerContext&, DataChunk& in, DataChunk& out, GlobalState& global_state,
                                           LocalState& local_state) const {
  auto& global = static_cast<DistinctOnGlobalState&>(global_state);
  auto& local = static_cast<DistinctOnLocalState&>(local_state);
  const size_t n = in.size();
  std::vector<Vector> values(keys_.size());
  std::vector<const Vector*> columns;
  for (size_t k = 0; k < keys_.size(); k++) {
    local.expressions.execute(*keys_[k], in, values[k]);
    columns.push_back(&values[k]);
  }
  local.keys.serialize(columns, n);
  SelectionVector sel(n);
  size_t count = 0;
  {
    std::lock_guard lock(global.mutex);
    for (size_t i = 0; i < n; i++) {
      bool inserted = false;
      global.seen.find_or_create(local.keys.hash(i), local.keys.key(i), local.keys.length(i), &inserted);
      if (inserted) sel.set_index(count++, static_cast<sel_t>(i));
    }
  }
  if (count == n) {
    out.reference(in);
  } else if (count > 0) {
    out.slice(in, sel, count);
  } else {
    out.set_size(0);
  }
  return OperatorResult::kNeedMoreInput;
}

std::string PhysicalDistinctOn::explain_details() const { return join_expressions(keys_, ", "); }

}  // namespace tessera::executor
