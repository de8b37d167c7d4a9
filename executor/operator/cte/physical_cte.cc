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
  CteScanState(PhysicalCte::State& cte, bool working_table) : cte(cte), working_table(working_table) {}
  size_t max_threads() const override {
    // A recursion still running is read by one worker, so its rows arrive in the order the
    // iterations produce them (what LIMIT without ORDER BY keeps, as in PostgreSQL).
    if (!working_table && !cte.complete) return 1;
    return std::max<size_t>(1, rows().chunks().size());
  }
  const ChunkCollection& rows() const { return working_table ? cte.working : cte.rows; }
  PhysicalCte::State& cte;
  bool working_table;
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

PhysicalCte::State::State() = default;
PhysicalCte::State::~State() = default;

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

void PhysicalCte::finalize(QueryContext&, GlobalState& global) const {
  if (!recursive_) return;
  auto& state = static_cast<State&>(global);
  std::lock_guard lock(state.mutex);
  if (!union_all_) {
    // UNION: the non-recursive term's duplicates go too.
    state.seen = std::make_unique<GroupHashTable>();
    state.keys = std::make_unique<KeySerializer>();
    ChunkCollection distinct(cte_types_);
    for (const DataChunk& chunk : state.rows.chunks()) append_unseen(chunk, *state.seen, *state.keys, distinct);
    state.rows = std::move(distinct);
  }
  for (const DataChunk& chunk : state.rows.chunks()) state.working.append(chunk);
  // The iterations run when a scan has read every stored row (PhysicalCteScan::get_data).
  state.complete = state.working.empty();
}

void PhysicalCte::iterate(QueryContext& query, State& state) const {
  TS_CHECK(recursive_ && !state.complete, "iterating a CTE that is not a running recursion");
  query.check_cancelled();
  QueryContext iteration;
  iteration.catalog = query.catalog;
  iteration.transaction = query.transaction;
  iteration.settings = query.settings;
  iteration.cancelled = query.cancelled;
  iteration.parameters = query.parameters;
  iteration.parent = &query;
  iteration.profile = query.profile;  // EXPLAIN ANALYZE sums the iterations' operators
  iteration.max_threads = 1;  // inline on this worker
  const PhysicalOperator& recursive = *children_[2];
  QueryExecutor executor(recursive, iteration);
  executor.execute();
  auto& produced = static_cast<PhysicalResultCollector::State&>(executor.sink_state(recursive));
  ChunkCollection added(cte_types_);
  for (const DataChunk& chunk : produced.chunks) {
    if (union_all_) {
      added.append(chunk);
    } else {
      append_unseen(chunk, *state.seen, *state.keys, added);
    }
  }
  for (const DataChunk& chunk : added.chunks()) state.rows.append(chunk);
  state.working = std::move(added);
  state.complete = state.working.empty();
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
  return std::make_unique<CteScanState>(state, working_table_);
}

SourceResult PhysicalCteScan::get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState&) const {
  auto& state = static_cast<CteScanState&>(global);
  const size_t index = state.next.fetch_add(1);
  if (state.working_table) {
    // Read by the recursive term while the iterating scan holds the lock.
    const auto& chunks = state.cte.working.chunks();
    if (index >= chunks.size()) {
      out.set_size(0);
      return SourceResult::kFinished;
    }
    out.reference(chunks[index]);
    return index + 1 >= chunks.size() ? SourceResult::kFinished : SourceResult::kHaveMoreOutput;
  }
  std::lock_guard lock(state.cte.mutex);
  const auto& chunks = state.cte.rows.chunks();
  // Demand-driven recursion: iterate until the claimed chunk exists or nothing more comes.
  while (index >= chunks.size() && !state.cte.complete) cte_.iterate(worker.query, state.cte);
  if (index >= chunks.size()) {
    out.set_size(0);
    return SourceResult::kFinished;
  }
  out.reference(chunks[index]);
  return index + 1 >= chunks.size() && state.cte.complete ? SourceResult::kFinished : SourceResult::kHaveMoreOutput;
}

std::string PhysicalCteScan::explain_details() const { return cte_name_; }

}  // namespace tessera::executor
