#include "executor/operator/cte/physical_cte.h"

#include <atomic>

#include "executor/key_serializer.h"
#include "executor/operator/aggregate/group_hash_table.h"
#include "executor/operator/result/physical_result_collector.h"
#include "executor/pipeline.h"
#include "executor/query_executor.h"
#include "src/common/assert.h"

namespace tessera::executor {

namespace {

/// Appends to `out` the rows of `chunk` not yet in `seen` (adding them), for UNION.
void append_unseen(const DataChunk& chunk, GroupHashTable& seen, KeySerializer& keys, ChunkCollection& out) {
  const size_t n = chunk.size();
  if (n == 0) return;
  std::vector<const Vector*> columns;
  for (size_t c = 0; c < chunk.column_count(); c++) columns.push_back(&chunk.column(c));
  keys.serialize(columns, n);
  SelectionVector sel(n);
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    bool inserted = false;
    seen.find_or_create(keys.hash(i), keys.key(i), keys.length(i), &inserted);
    if (inserted) sel.set_index(count++, static_cast<sel_t>(i));
  }
  if (count > 0) out.append(chunk, sel, count);
}

struct CteScanState : GlobalState {
  explicit CteScanState(const ChunkCollection& rows) : rows(rows) {}
  size_t max_threads() const override { return std::max<size_t>(1, rows.chunks().size()); }
  const ChunkCollection& rows;
  std::atomic<size_t> next{0};
};

}  // namespace

PhysicalCte::PhysicalCte(std::string name, std::vector<LogicalType> cte_types, std::vector<LogicalType> output_types)
    : PhysicalOperator("CTE", std::move(output_types)), cte_name_(std::move(name)), cte_types_(std::move(cte_types)) {}

void PhysicalCte::set_inputs(std::unique_ptr<PhysicalOperator> definition, std::unique_ptr<PhysicalOperator> main) {
  TS_CHECK(children_.empty(), "CTE inputs set twice");
  add_child(std::move(definition));
  add_child(std::move(main));
}

void PhysicalCte::set_recursive_term(std::unique_ptr<PhysicalOperator> recursive, bool union_all) {
  TS_CHECK(children_.size() == 2 && recursive->is_sink(), "a recursive term is a rooted plan added after the inputs");
  recursive_ = true;
  union_all_ = union_all;
  add_child(std::move(recursive));
}

std::unique_ptr<GlobalState> PhysicalCte::make_global_sink(QueryContext&) const {
  auto state = std::make_unique<State>();
  state->rows = ChunkCollection(cte_types_);
  state->working = ChunkCollection(cte_types_);
  return state;
}

SinkResult PhysicalCte::sink(WorkerContext&, DataChunk& in, GlobalState& global, LocalState&) const {
  auto& state = static_cast<State&>(global);
  std::lock_guard lock(state.mutex);
  state.rows.append(in);
  return SinkResult::kNeedMoreInput;
}

void PhysicalCte::finalize(QueryContext& query, GlobalState& global) const {
  if (!recursive_) return;
  auto& state = static_cast<State&>(global);
  GroupHashTable seen;
  KeySerializer keys;
  if (!union_all_) {
    // UNION: the non-recursive term's duplicates go too.
    ChunkCollection distinct(cte_types_);
    for (const DataChunk& chunk : state.rows.chunks()) append_unseen(chunk, seen, keys, distinct);
    state.rows = std::move(distinct);
  }
  for (const DataChunk& chunk : state.rows.chunks()) state.working.append(chunk);
  const PhysicalOperator& recursive = *children_[2];
  while (!state.working.empty()) {
    query.check_cancelled();
    QueryContext iteration;
    iteration.catalog = query.catalog;
    iteration.transaction = query.transaction;
    iteration.settings = query.settings;
    iteration.cancelled = query.cancelled;
    iteration.parameters = query.parameters;
    iteration.parent = &query;
    iteration.max_threads = 1;  // inline on this worker
    QueryExecutor executor(recursive, iteration);
    executor.execute();
    auto& produced = static_cast<PhysicalResultCollector::State&>(executor.sink_state(recursive));
    ChunkCollection added(cte_types_);
    for (const DataChunk& chunk : produced.chunks) {
      if (union_all_) {
        added.append(chunk);
      } else {
        append_unseen(chunk, seen, keys, added);
      }
    }
    for (const DataChunk& chunk : added.chunks()) state.rows.append(chunk);
    state.working = std::move(added);
  }
}

void PhysicalCte::build_pipelines(PipelineBuilder& builder, Pipeline& current) const {
  Pipeline& definition = builder.create_pipeline(this);
  children_[0]->build_pipelines(builder, definition);
  // Every pipeline of the rest of the query runs after the rows are stored.
  const size_t first = builder.pipelines().size();
  current.dependencies.push_back(&definition);
  children_[1]->build_pipelines(builder, current);
  for (size_t i = first; i < builder.pipelines().size(); i++) builder.pipelines()[i]->dependencies.push_back(&definition);
}

std::string PhysicalCte::explain_details() const {
  if (!recursive_) return cte_name_;
  return cte_name_ + (union_all_ ? " (recursive, UNION ALL)" : " (recursive, UNION)");
}

PhysicalCteScan::PhysicalCteScan(const PhysicalCte& cte, std::string name, bool working_table)
    : PhysicalOperator(working_table ? "WORKTABLE_SCAN" : "CTE_SCAN", cte.cte_types()),
      cte_(cte),
      cte_name_(std::move(name)),
      working_table_(working_table) {}

std::unique_ptr<GlobalState> PhysicalCteScan::make_global_source(QueryContext& query) const {
  auto& state = static_cast<PhysicalCte::State&>(query.enclosing_sink_state(cte_));
  return std::make_unique<CteScanState>(working_table_ ? state.working : state.rows);
}

SourceResult PhysicalCteScan::get_data(WorkerContext&, DataChunk& out, GlobalState& global, LocalState&) const {
  auto& state = static_cast<CteScanState&>(global);
  const size_t index = state.next.fetch_add(1);
  const auto& chunks = state.rows.chunks();
  if (index >= chunks.size()) {
    out.set_size(0);
    return SourceResult::kFinished;
  }
  out.reference(chunks[index]);
  return index + 1 >= chunks.size() ? SourceResult::kFinished : SourceResult::kHaveMoreOutput;
}

std::string PhysicalCteScan::explain_details() const { return cte_name_; }

}  // namespace tessera::executor
