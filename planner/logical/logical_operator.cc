#include "planner/logical/logical_operator.h"

#include "catalog/catalog_entry.h"
#include "storage/storage_constants.h"

namespace tessera::planner {

std::vector<ColumnBinding> LogicalOperator::output_bindings() const {
  return children.empty() ? std::vector<ColumnBinding>{} : children[0]->output_bindings();
}

std::vector<LogicalType> LogicalOperator::output_types() const {
  return children.empty() ? std::vector<LogicalType>{} : children[0]->output_types();
}

namespace {

std::string join_exprs(const std::vector<BoundExprPtr>& exprs, const char* sep) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); i++) {
    if (i) out += sep;
    out += exprs[i]->to_string();
  }
  return out;
}

}  // namespace

LogicalGet::LogicalGet(std::shared_ptr<catalog::TableEntry> table, uint32_t table_index, std::string alias)
    : LogicalOperator(LogicalOperatorKind::kGet), table(std::move(table)), table_index(table_index), alias(std::move(alias)) {}

std::vector<ColumnBinding> LogicalGet::output_bindings() const {
  std::vector<ColumnBinding> result;
  for (size_t id : column_ids) result.push_back(ColumnBinding{table_index, static_cast<uint32_t>(id)});
  return result;
}

std::vector<LogicalType> LogicalGet::output_types() const {
  std::vector<LogicalType> result;
  for (size_t id : column_ids) {
    result.push_back(id == storage::kRowIdColumn ? LogicalType::bigint() : table->columns()[id].type);
  }
  return result;
}

std::string LogicalGet::describe() const {
  std::string out = "Get " + table->name();
  if (alias != table->name()) out += " " + alias;
  if (!filters.empty()) out += " [" + join_exprs(filters, " AND ") + "]";
  return out;
}

std::vector<ColumnBinding> LogicalModify::output_bindings() const {
  if (!returning) return {};
  auto bindings = children[0]->output_bindings();
  bindings.erase(bindings.begin());
  return bindings;
}

std::vector<LogicalType> LogicalModify::output_types() const {
  if (!returning) return {};
  auto types = children[0]->output_types();
  types.erase(types.begin());
  return types;
}

std::string LogicalModify::describe() const {
  return std::string(kind == LogicalOperatorKind::kDelete ? "Delete " : "Update ") + table->name();
}

std::vector<ColumnBinding> LogicalFilter::output_bindings() const { return children[0]->output_bindings(); }
std::vector<LogicalType> LogicalFilter::output_types() const { return children[0]->output_types(); }
std::string LogicalFilter::describe() const { return "Filter " + join_exprs(conjuncts, " AND "); }

std::vector<ColumnBinding> LogicalProjection::output_bindings() const {
  std::vector<ColumnBinding> result;
  for (size_t i = 0; i < expressions.size(); i++) result.push_back(ColumnBinding{table_index, static_cast<uint32_t>(i)});
  return result;
}

std::vector<LogicalType> LogicalProjection::output_types() const {
  std::vector<LogicalType> result;
  for (const auto& e : expressions) result.push_back(e->type);
  return result;
}

std::string LogicalProjection::describe() const { return "Projection " + join_exprs(expressions, ", "); }

std::vector<ColumnBinding> LogicalAggregate::output_bindings() const {
  std::vector<ColumnBinding> result;
  for (size_t i = 0; i < groups.size(); i++) result.push_back(ColumnBinding{group_index, static_cast<uint32_t>(i)});
  for (size_t i = 0; i < aggregates.size(); i++) {
    result.push_back(ColumnBinding{aggregate_index, static_cast<uint32_t>(i)});
  }
  for (size_t i = 0; i < grouping_functions.size(); i++) {
    result.push_back(ColumnBinding{grouping_index, static_cast<uint32_t>(i)});
  }
  return result;
}

std::vector<LogicalType> LogicalAggregate::output_types() const {
  std::vector<LogicalType> result;
  for (const auto& e : groups) result.push_back(e->type);
  for (const auto& e : aggregates) result.push_back(e->type);
  for (size_t i = 0; i < grouping_functions.size(); i++) result.push_back(LogicalType::integer());
  return result;
}

std::string LogicalAggregate::describe() const {
  std::string out = "Aggregate [" + join_exprs(groups, ", ") + "] [" + join_exprs(aggregates, ", ") + "]";
  if (!grouping_sets.empty()) out += " grouping sets: " + grouping_sets_to_string(grouping_sets, groups);
  return out;
}

std::string grouping_sets_to_string(const std::vector<std::vector<uint32_t>>& sets, const std::vector<BoundExprPtr>& groups) {
  std::string out;
  for (size_t s = 0; s < sets.size(); s++) {
    if (s > 0) out += ", ";
    out += "(";
    for (size_t i = 0; i < sets[s].size(); i++) {
      if (i > 0) out += ", ";
      out += groups[sets[s][i]]->to_string();
    }
    out += ")";
  }
  return out;
}

std::vector<ColumnBinding> LogicalWindow::output_bindings() const {
  auto result = children[0]->output_bindings();
  for (size_t i = 0; i < windows.size(); i++) result.push_back(ColumnBinding{window_index, static_cast<uint32_t>(i)});
  return result;
}

std::vector<LogicalType> LogicalWindow::output_types() const {
  auto result = children[0]->output_types();
  for (const auto& e : windows) result.push_back(e->type);
  return result;
}

std::string LogicalWindow::describe() const { return "Window [" + join_exprs(windows, ", ") + "]"; }

std::vector<ColumnBinding> LogicalJoin::output_bindings() const {
  auto result = children[0]->output_bindings();
  if (outputs_left_only(join_type)) return result;
  if (join_type == JoinType::kMark) {
    result.push_back(ColumnBinding{mark_index, 0});
    return result;
  }
  auto right = children[1]->output_bindings();
  result.insert(result.end(), right.begin(), right.end());
  return result;
}

std::vector<LogicalType> LogicalJoin::output_types() const {
  auto result = children[0]->output_types();
  if (outputs_left_only(join_type)) return result;
  if (join_type == JoinType::kMark) {
    result.push_back(LogicalType::boolean());
    return result;
  }
  auto right = children[1]->output_types();
  result.insert(result.end(), right.begin(), right.end());
  return result;
}

std::string LogicalJoin::describe() const {
  const char* names[] = {"Inner", "Left", "Right", "Full", "Cross", "Semi", "Anti", "Mark"};
  std::string out = std::string("Join ") + names[static_cast<int>(join_type)];
  if (join_type == JoinType::kMark && mark_null_aware) out += " (null-aware)";
  if (single_match) out += " (single)";
  return out + " " + join_exprs(conditions, " AND ");
}

std::vector<ColumnBinding> LogicalDependentJoin::output_bindings() const {
  auto result = children[0]->output_bindings();
  auto right = children[1]->output_bindings();
  result.insert(result.end(), right.begin(), right.end());
  return result;
}

std::vector<LogicalType> LogicalDependentJoin::output_types() const {
  auto result = children[0]->output_types();
  auto right = children[1]->output_types();
  result.insert(result.end(), right.begin(), right.end());
  return result;
}

std::string LogicalDependentJoin::describe() const {
  return std::string("DependentJoin ") + (join_type == JoinType::kLeft ? "Left" : "Inner") + " [" +
         join_exprs(correlated, ", ") + "]";
}

std::vector<ColumnBinding> LogicalOrder::output_bindings() const { return children[0]->output_bindings(); }
std::vector<LogicalType> LogicalOrder::output_types() const { return children[0]->output_types(); }
std::string LogicalOrder::describe() const {
  std::string out = "Order";
  for (const auto& o : orders) out += " " + o.expression->to_string() + (o.descending ? " DESC" : "");
  return out;
}

std::vector<ColumnBinding> LogicalLimit::output_bindings() const { return children[0]->output_bindings(); }
std::vector<LogicalType> LogicalLimit::output_types() const { return children[0]->output_types(); }
std::string LogicalLimit::describe() const {
  return "Limit " + (limit ? limit->to_string() : std::string("ALL")) + (with_ties ? " WITH TIES" : "") + " Offset " +
         (offset ? offset->to_string() : "0");
}

std::vector<ColumnBinding> LogicalDistinct::output_bindings() const { return children[0]->output_bindings(); }
std::vector<LogicalType> LogicalDistinct::output_types() const { return children[0]->output_types(); }
std::string LogicalDistinct::describe() const {
  return distinct_on.empty() ? "Distinct" : "DistinctOn " + join_exprs(distinct_on, ", ");
}

std::vector<ColumnBinding> LogicalValues::output_bindings() const {
  std::vector<ColumnBinding> result;
  for (size_t i = 0; i < types.size(); i++) result.push_back(ColumnBinding{table_index, static_cast<uint32_t>(i)});
  return result;
}

std::vector<LogicalType> LogicalValues::output_types() const { return types; }

std::vector<ColumnBinding> LogicalTableFunction::output_bindings() const {
  std::vector<ColumnBinding> result;
  const size_t columns = schema.types.size() + (ordinality ? 1 : 0);
  for (size_t i = 0; i < columns; i++) result.push_back(ColumnBinding{table_index, static_cast<uint32_t>(i)});
  return result;
}

std::vector<LogicalType> LogicalTableFunction::output_types() const {
  std::vector<LogicalType> result = schema.types;
  if (ordinality) result.push_back(LogicalType::bigint());
  return result;
}

std::string LogicalValues::describe() const { return "Values " + std::to_string(rows.size()) + " rows"; }

std::vector<ColumnBinding> LogicalSetOperation::output_bindings() const {
  std::vector<ColumnBinding> result;
  for (size_t i = 0; i < types.size(); i++) result.push_back(ColumnBinding{table_index, static_cast<uint32_t>(i)});
  return result;
}

std::string LogicalSetOperation::describe() const {
  const char* names[] = {"Union", "Intersect", "Except"};
  return std::string("SetOperation ") + names[static_cast<int>(set_kind)] + (all ? " All" : "");
}

std::vector<ColumnBinding> LogicalRecursiveCte::output_bindings() const {
  std::vector<ColumnBinding> result;
  for (size_t i = 0; i < types.size(); i++) result.push_back(ColumnBinding{table_index, static_cast<uint32_t>(i)});
  return result;
}

std::vector<ColumnBinding> LogicalCteScan::output_bindings() const {
  if (!bindings.empty()) return bindings;
  std::vector<ColumnBinding> result;
  for (size_t i = 0; i < types.size(); i++) result.push_back(ColumnBinding{table_index, static_cast<uint32_t>(i)});
  return result;
}

std::string LogicalInsert::describe() const { return "Insert " + table->name(); }

namespace {

void append_plan(const LogicalOperator& op, int depth, std::string& out) {
  out += std::string(depth * 2, ' ') + op.describe() + "\n";
  for (const auto& child : op.children) append_plan(*child, depth + 1, out);
}

}  // namespace

std::string logical_plan_to_string(const LogicalOperator& op) {
  std::string out;
  append_plan(op, 0, out);
  return out;
}

}  // namespace tessera::planner
