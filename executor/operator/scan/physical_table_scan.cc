#include "executor/operator/scan/physical_table_scan.h"

#include "catalog/catalog_entry.h"
#include "executor/expression/expression_executor.h"
#include "storage/data_table.h"

namespace tessera::executor {

namespace {

struct ScanGlobalState : GlobalState {
  std::unique_ptr<storage::ParallelTableScanState> scan;
  size_t threads = 1;
  size_t max_threads() const override { return threads; }
};

struct ScanLocalState : LocalState {
  explicit ScanLocalState(QueryContext& query) : expressions(query) {}
  storage::LocalTableScanState scan;
  bool has_morsel = false;
  ExpressionExecutor expressions;
  DataChunk scanned;
};

}  // namespace

PhysicalTableScan::PhysicalTableScan(std::vector<LogicalType> types, std::shared_ptr<catalog::TableEntry> table,
                                     std::vector<size_t> column_ids, std::vector<planner::BoundExprPtr> filters)
    : PhysicalOperator("TABLE_SCAN", std::move(types)),
      table_(std::move(table)),
      column_ids_(std::move(column_ids)),
      filters_(std::move(filters)) {}

std::unique_ptr<GlobalState> PhysicalTableScan::make_global_source(QueryContext& query) const {
  auto state = std::make_unique<ScanGlobalState>();
  state->scan = table_->storage().begin_scan(*query.transaction, column_ids_);
  size_t row_groups = (table_->storage().estimated_row_count() + storage::kRowGroupSize - 1) / storage::kRowGroupSize;
  state->threads = std::max<size_t>(1, row_groups);
  return state;
}

std::unique_ptr<LocalState> PhysicalTableScan::make_local_source(WorkerContext& worker, GlobalState&) const {
  auto state = std::make_unique<ScanLocalState>(worker.query);
  state->scanned.initialize(types_);
  return state;
}

SourceResult PhysicalTableScan::get_data(WorkerContext&, DataChunk& out, GlobalState& global_state,
                                         LocalState& local_state) const {
  auto& global = static_cast<ScanGlobalState&>(global_state);
  auto& local = static_cast<ScanLocalState&>(local_state);
  for (;;) {
    if (!local.has_morsel) {
      if (!table_->storage().next_morsel(*global.scan, local.scan)) return SourceResult::kFinished;
      local.has_morsel = true;
    }
    DataChunk& target = filters_.empty() ? out : local.scanned;
    target.reset();
    if (!table_->storage().scan(local.scan, target)) {
      local.has_morsel = false;
      continue;
    }
    if (target.size() == 0) continue;
    if (filters_.empty()) return SourceResult::kHaveMoreOutput;
    SelectionVector sel;
    size_t count = local.expressions.select(filters_, local.scanned, sel);
    if (count == 0) continue;
    if (count == local.scanned.size()) {
      out.reference(local.scanned);
    } else {
      out.slice(local.scanned, sel, count);
    }
    return SourceResult::kHaveMoreOutput;
  }
}

std::string PhysicalTableScan::explain_details() const {
  std::string out = table_->name();
  if (!filters_.empty()) {
    out += " filters: ";
    for (size_t i = 0; i < filters_.size(); i++) {
      if (i) out += " AND ";
      out += filters_[i]->to_string();
    }
  }
  return out;
}

}  // namespace tessera::executor
