#include "executor/operator/scan/physical_table_scan.h"

#include "catalog/function_entry.h"

#include <optional>

#include "catalog/catalog_entry.h"
#include "catalog/function_entry.h"
#include "executor/expression/expression_executor.h"
#include "executor/operator_profile.h"
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
                                     std::vector<size_t> column_ids, std::vector<planner::BoundExprPtr> filters,
                                     storage::TableFilterSet table_filters)
    : PhysicalOperator("TABLE_SCAN", std::move(types)),
      table_(std::move(table)),
      column_ids_(std::move(column_ids)),
      filters_(std::move(filters)),
      table_filters_(std::move(table_filters)) {}

namespace {

using planner::BoundColumnRef;
using planner::BoundConjunction;
using planner::BoundConstant;
using planner::BoundExpression;
using planner::BoundExprKind;
using planner::BoundExprPtr;
using planner::BoundFunction;
using planner::BoundBooleanTest;
using planner::BooleanTest;

// The storage comparison a built-in comparison operator call stands for. The converter only
// takes calls whose arguments are a column and a constant of the column's own type, so the
// operator is the type's built-in comparison, whose semantics storage filters implement.
std::optional<storage::CompareOp> compare_op(const BoundFunction& f) { return PhysicalTableScan::comparison_op(f); }

// `constant <op> column` is `column <flipped op> constant`.
storage::CompareOp flip(storage::CompareOp op) {
  switch (op) {
    case storage::CompareOp::kLess: return storage::CompareOp::kGreater;
    case storage::CompareOp::kLessEqual: return storage::CompareOp::kGreaterEqual;
    case storage::CompareOp::kGreater: return storage::CompareOp::kLess;
    case storage::CompareOp::kGreaterEqual: return storage::CompareOp::kLessEqual;
    default: return op;
  }
}

struct TableFilterConverter {
  const catalog::TableEntry& table;
  uint32_t table_index;

  // The table column `e` reads, if it is a plain column reference of this table.
  std::optional<size_t> column_of(const BoundExpression& e) const {
    if (e.kind != BoundExprKind::kColumnRef) return std::nullopt;
    const auto& ref = static_cast<const BoundColumnRef&>(e);
    if (ref.binding.table_index != table_index || ref.binding.column_index >= table.columns().size()) return std::nullopt;
    return ref.binding.column_index;
  }

  // The constant of `e` if it is one of the column's type (NULL included).
  const Value* constant_for(const BoundExpression& e, size_t column) const {
    if (e.kind != BoundExprKind::kConstant) return nullptr;
    const Value& v = static_cast<const BoundConstant&>(e).value;
    if (v.type().id() != table.columns()[column].type.id()) return nullptr;
    // Numeric zone maps keep no bounds; numeric predicates run in the filter operator. Array
    // comparisons decode their elements (equal elements may be spelled differently).
    if (v.type().id() == LogicalTypeId::kNumeric || v.type().is_array()) return nullptr;
    return &v;
  }

  // column <op> constant (either order) with a non-NULL constant.
  bool comparison(const BoundExpression& e, size_t& column, storage::CompareOp& op, Value& constant) const {
    if (e.kind != BoundExprKind::kFunction) return false;
    const auto& f = static_cast<const BoundFunction&>(e);
    auto base = compare_op(f);
    if (!base || f.children.size() != 2) return false;
    for (int side = 0; side < 2; side++) {
      auto col = column_of(*f.children[side]);
      if (!col) continue;
      const Value* v = constant_for(*f.children[1 - side], *col);
      if (v == nullptr || v->is_null()) return false;
      column = *col;
      op = side == 0 ? *base : flip(*base);
      constant = *v;
      return true;
    }
    return false;
  }

  // Converts one conjunct (no ANDs inside) into (column, filter), or returns false.
  bool convert(const BoundExpression& e, size_t& column, storage::TableFilterPtr& filter) const {
    storage::CompareOp op;
    Value constant;
    if (comparison(e, column, op, constant)) {
      filter = std::make_unique<storage::CompareFilter>(op, std::move(constant));
      return true;
    }
    if (e.kind == BoundExprKind::kBooleanTest) {
      const auto& t = static_cast<const BoundBooleanTest&>(e);
      if (t.test != BooleanTest::kIsNull && t.test != BooleanTest::kIsNotNull) return false;
      auto col = column_of(*t.child);
      if (!col) return false;
      column = *col;
      filter = std::make_unique<storage::NullFilter>(t.test == BooleanTest::kIsNull);
      return true;
    }
    if (e.kind == BoundExprKind::kFunction) return false;
    if (e.kind == BoundExprKind::kConjunction && !static_cast<const BoundConjunction&>(e).is_and) {
      // column = c1 OR column = c2 ... (x IN (...)); a NULL item never makes it true.
      std::optional<size_t> in_column;
      std::vector<Value> items;
      for (const auto& child : static_cast<const BoundConjunction&>(e).children) {
        if (child->kind != BoundExprKind::kFunction) return false;
        const auto& f = static_cast<const BoundFunction&>(*child);
        auto op = compare_op(f);
        if (!op || *op != storage::CompareOp::kEqual || f.children.size() != 2) return false;
        std::optional<size_t> col;
        const Value* v = nullptr;
        for (int side = 0; side < 2 && !col; side++) {
          col = column_of(*f.children[side]);
          if (col) v = constant_for(*f.children[1 - side], *col);
        }
        if (!col || v == nullptr || (in_column && *in_column != *col)) return false;
        in_column = col;
        if (!v->is_null()) items.push_back(*v);
      }
      if (!in_column || items.empty()) return false;
      column = *in_column;
      filter = std::make_unique<storage::InFilter>(std::move(items));
      return true;
    }
    return false;
  }

  void split(const BoundExpression& e, storage::TableFilterSet& pushed, std::vector<BoundExprPtr>& remaining) const {
    if (e.kind == BoundExprKind::kConjunction && static_cast<const BoundConjunction&>(e).is_and) {
      for (const auto& child : static_cast<const BoundConjunction&>(e).children) split(*child, pushed, remaining);
      return;
    }
    size_t column = 0;
    storage::TableFilterPtr filter;
    if (convert(e, column, filter)) {
      pushed.add(column, std::move(filter));
    } else {
      remaining.push_back(e.copy());
    }
  }
};

}  // namespace

std::optional<storage::CompareOp> PhysicalTableScan::comparison_op(const BoundFunction& f) {
  if (f.function == nullptr || f.function->kind != catalog::FunctionKind::kOperator) return std::nullopt;
  const std::string& name = f.function->name;
  if (name == "=") return storage::CompareOp::kEqual;
  if (name == "<>") return storage::CompareOp::kNotEqual;
  if (name == "<") return storage::CompareOp::kLess;
  if (name == "<=") return storage::CompareOp::kLessEqual;
  if (name == ">") return storage::CompareOp::kGreater;
  if (name == ">=") return storage::CompareOp::kGreaterEqual;
  return std::nullopt;
}

std::vector<BoundExprPtr> PhysicalTableScan::extract_table_filters(const catalog::TableEntry& table, uint32_t table_index,
                                                                  const std::vector<BoundExprPtr>& conjuncts,
                                                                  storage::TableFilterSet& table_filters) {
  TableFilterConverter converter{table, table_index};
  std::vector<BoundExprPtr> remaining;
  for (const auto& c : conjuncts) converter.split(*c, table_filters, remaining);
  return remaining;
}

storage::ScanSkipCounts PhysicalTableScan::skip_counts(const GlobalState& global) {
  return static_cast<const ScanGlobalState&>(global).scan->skip_counts();
}

std::unique_ptr<GlobalState> PhysicalTableScan::make_global_source(QueryContext& query) const {
  auto state = std::make_unique<ScanGlobalState>();
  state->scan = table_->storage().begin_scan(*query.transaction, column_ids_, table_filters_);
  size_t row_groups = (table_->storage().estimated_row_count() + storage::kRowGroupSize - 1) / storage::kRowGroupSize;
  state->threads = std::max<size_t>(1, row_groups);
  return state;
}

std::unique_ptr<LocalState> PhysicalTableScan::make_local_source(WorkerContext& worker, GlobalState&) const {
  auto state = std::make_unique<ScanLocalState>(worker.query);
  state->scanned.initialize(types_);
  if (worker.query.profile) state->scan.enable_statistics(table_->columns().size());
  return state;
}

void PhysicalTableScan::collect_source_profile(const LocalState& local, OperatorProfile& profile) const {
  const storage::ScanStatistics* statistics = static_cast<const ScanLocalState&>(local).scan.statistics();
  if (!statistics) return;
  if (!profile.scan) profile.scan.emplace();
  profile.scan->merge(*statistics);
}

std::string PhysicalTableScan::explain_analyze_details(const OperatorProfile& profile) const {
  if (!profile.scan) return "";
  const storage::ScanStatistics& scan = *profile.scan;
  std::string out = "Row Groups: read=" + std::to_string(scan.row_groups_read) +
                    " skipped=" + std::to_string(scan.row_groups_skipped);
  out += "\nSegments: read=" + std::to_string(scan.segments_read) + " skipped=" + std::to_string(scan.segments_skipped);
  std::string bytes;
  const auto& columns = table_->columns();
  for (size_t c = 0; c < scan.column_bytes.size() && c < columns.size(); c++) {
    if (scan.column_bytes[c] == 0) continue;
    bytes += (bytes.empty() ? "" : " ") + columns[c].name + "=" + std::to_string(scan.column_bytes[c]);
  }
  if (!bytes.empty()) out += "\nBytes Read: " + bytes;
  return out;
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
  if (!table_filters_.empty()) {
    std::vector<std::string> names;
    for (const auto& column : table_->columns()) names.push_back(column.name);
    out += "\nTable Filters: " + table_filters_.to_string(names);
  }
  return out;
}

}  // namespace tessera::executor
