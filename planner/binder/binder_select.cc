#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "planner/binder/binder.h"
#include "planner/binder/type_rules.h"
#include "src/common/assert.h"
#include "src/common/sql_error.h"
#include "src/common/stack_guard.h"
#include "src/common/value_cast.h"

namespace tessera::planner {

namespace {

bool contains_aggregate(const BoundExpression& expr) { return contains_expression(expr, BoundExprKind::kAggregate); }

/// Rewrites an expression of a grouped query onto the aggregate's outputs: GROUP BY
/// expressions become references to the group columns, aggregates references to the
/// aggregate columns; any other column reference is an error.
class GroupedRewriter {
 public:
  explicit GroupedRewriter(LogicalAggregate& aggregate) : aggregate_(aggregate) {}
  /// Columns of `table_index` are computed after the aggregation (set-returning functions of
  /// the target list) and stay as they are.
  void pass_through(uint32_t table_index) { passed_through_.insert(table_index); }

  void rewrite(BoundExprPtr& expr) {
    for (size_t i = 0; i < aggregate_.groups.size(); i++) {
      if (expr->equals(*aggregate_.groups[i])) {
        std::string alias = expr->alias;
        expr = std::make_unique<BoundColumnRef>(aggregate_.groups[i]->type,
                                                ColumnBinding{aggregate_.group_index, static_cast<uint32_t>(i)},
                                                aggregate_.groups[i]->to_string());
        expr->alias = alias;
        return;
      }
    }
    if (expr->kind == BoundExprKind::kAggregate) {
      // PostgreSQL evaluates an ordered-set aggregate's direct arguments once per group.
      auto& call = static_cast<BoundAggregate&>(*expr);
      if (call.function->ordered_set) {
        for (size_t i = 0; i + 1 < call.args.size(); i++) check_direct_argument(*call.args[i]);
      }
      size_t index = aggregate_.aggregates.size();
      for (size_t j = 0; j < aggregate_.aggregates.size(); j++) {
        if (aggregate_.aggregates[j]->equals(*expr)) {
          index = j;
          break;
        }
      }
      if (index == aggregate_.aggregates.size()) aggregate_.aggregates.push_back(expr->copy());
      std::string alias = expr->alias;
      std::string name = expr->to_string();
      LogicalType type = expr->type;
      expr = std::make_unique<BoundColumnRef>(type, ColumnBinding{aggregate_.aggregate_index, static_cast<uint32_t>(index)},
                                              name);
      expr->alias = alias;
      return;
    }
    if (expr->kind == BoundExprKind::kGrouping) {
      rewrite_grouping(expr);
      return;
    }
    if (expr->kind == BoundExprKind::kColumnRef) {
      const auto& ref = static_cast<const BoundColumnRef&>(*expr);
      if (passed_through_.count(ref.binding.table_index)) return;
      throw SqlError(SqlState::kGroupingError,
                     "column \"" + ref.name + "\" must appear in the GROUP BY clause or be used in an aggregate function");
    }
    expr->for_each_child([&](BoundExprPtr& child) { rewrite(child); });
  }

 private:
  /// Raises 42803 when `expr` reads a column outside the GROUP BY expressions.
  void check_direct_argument(BoundExpression& expr) {
    for (const auto& group : aggregate_.groups) {
      if (expr.equals(*group)) return;
    }
    if (expr.kind == BoundExprKind::kColumnRef) {
      const auto& ref = static_cast<const BoundColumnRef&>(expr);
      throw SqlError(SqlState::kGroupingError,
                     "column \"" + ref.name + "\" must appear in the GROUP BY clause or be used in an aggregate function")
          .with_detail("Direct arguments of an ordered-set aggregate must use only grouped columns.");
    }
    expr.for_each_child([&](BoundExprPtr& child) { check_direct_argument(*child); });
  }

  /// grouping(...): 0 without grouping sets (every argument is grouped in every row), else a
  /// grouping column of the aggregate.
  void rewrite_grouping(BoundExprPtr& expr) {
    const auto& call = static_cast<const BoundGrouping&>(*expr);
    std::vector<uint32_t> columns;
    for (const auto& arg : call.args) {
      size_t index = aggregate_.groups.size();
      for (size_t i = 0; i < aggregate_.groups.size() && index == aggregate_.groups.size(); i++) {
        if (arg->equals(*aggregate_.groups[i])) index = i;
      }
      if (index == aggregate_.groups.size()) {
        throw SqlError(SqlState::kGroupingError, "arguments to GROUPING must be grouping expressions of the associated query level");
      }
      columns.push_back(static_cast<uint32_t>(index));
    }
    std::string alias = expr->alias;
    if (aggregate_.grouping_sets.empty()) {
      expr = std::make_unique<BoundConstant>(Value::integer(0));
      expr->alias = alias;
      return;
    }
    auto& functions = aggregate_.grouping_functions;
    size_t index = std::find(functions.begin(), functions.end(), columns) - functions.begin();
    if (index == functions.size()) functions.push_back(columns);
    std::string name = expr->to_string();
    expr = std::make_unique<BoundColumnRef>(LogicalType::integer(), ColumnBinding{aggregate_.grouping_index, static_cast<uint32_t>(index)},
                                            name);
    expr->alias = alias;
  }

  LogicalAggregate& aggregate_;
  std::set<uint32_t> passed_through_;
};

/// PostgreSQL's limit on the number of grouping sets of one GROUP BY.
constexpr size_t kMaxGroupingSets = 4096;
/// PostgreSQL's limit on the elements of one CUBE.
constexpr size_t kMaxCubeElements = 12;

/// A GROUP BY item (or an element of GROUPING SETS) with its expressions bound to indexes into
/// the aggregate's groups.
struct GroupingNode {
  /// kEmpty with `units` empty: (); kEmpty with one unit: a plain expression (a parenthesized
  /// list is one unit of several columns).
  GroupingSetKind kind = GroupingSetKind::kEmpty;
  /// The elements of ROLLUP / CUBE, or the columns of a plain expression.
  std::vector<std::vector<uint32_t>> units;
  /// The elements of GROUPING SETS.
  std::vector<GroupingNode> children;
};

/// How many grouping sets `node` stands for, saturating above kMaxGroupingSets.
size_t count_grouping_sets(const GroupingNode& node) {
  switch (node.kind) {
    case GroupingSetKind::kEmpty: return 1;
    case GroupingSetKind::kRollup: return node.units.size() + 1;
    case GroupingSetKind::kCube: return size_t{1} << node.units.size();
    case GroupingSetKind::kSets: {
      size_t total = 0;
      for (const auto& child : node.children) total = std::min(total + count_grouping_sets(child), kMaxGroupingSets + 1);
      return total;
    }
  }
  return 1;
}

/// The grouping sets of `node`, in PostgreSQL's order.
std::vector<std::vector<uint32_t>> expand_grouping_node(const GroupingNode& node) {
  std::vector<std::vector<uint32_t>> sets;
  auto concat = [&](auto&& take) {
    std::vector<uint32_t> set;
    for (size_t u = 0; u < node.units.size(); u++) {
      if (take(u)) set.insert(set.end(), node.units[u].begin(), node.units[u].end());
    }
    return set;
  };
  switch (node.kind) {
    case GroupingSetKind::kEmpty: sets.push_back(concat([](size_t) { return true; })); break;
    case GroupingSetKind::kRollup:
      for (size_t n = node.units.size() + 1; n-- > 0;) sets.push_back(concat([&](size_t u) { return u < n; }));
      break;
    case GroupingSetKind::kCube:
      // From the full set down to the empty one; bit u of `mask` selects unit u.
      for (size_t mask = (size_t{1} << node.units.size()); mask-- > 0;) {
        sets.push_back(concat([&](size_t u) { return ((mask >> (node.units.size() - 1 - u)) & 1) != 0; }));
      }
      break;
    case GroupingSetKind::kSets:
      for (const auto& child : node.children) {
        auto more = expand_grouping_node(child);
        sets.insert(sets.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
      }
      break;
  }
  return sets;
}

/// The grouping sets of a GROUP BY list: the cross product of its items' sets (each set the
/// union of one set of every item), each set without repeated columns; with DISTINCT, equal sets
/// (in any column order) once. Raises 54001 beyond kMaxGroupingSets (counted before removing
/// duplicates, as PostgreSQL).
std::vector<std::vector<uint32_t>> expand_grouping_sets(const std::vector<GroupingNode>& items, bool distinct) {
  size_t count = 1;
  for (const auto& item : items) {
    count = std::min(count * count_grouping_sets(item), kMaxGroupingSets + 1);
  }
  if (count > kMaxGroupingSets) {
    throw SqlError(SqlState::kStatementTooComplex, "too many grouping sets present (maximum " + std::to_string(kMaxGroupingSets) + ")");
  }
  std::vector<std::vector<uint32_t>> result{{}};
  for (const auto& item : items) {
    const auto sets = expand_grouping_node(item);
    std::vector<std::vector<uint32_t>> next;
    for (const auto& left : result) {
      for (const auto& right : sets) {
        std::vector<uint32_t> set = left;
        for (uint32_t column : right) {
          if (std::find(set.begin(), set.end(), column) == set.end()) set.push_back(column);
        }
        next.push_back(std::move(set));
      }
    }
    result = std::move(next);
  }
  if (distinct) {
    std::vector<std::vector<uint32_t>> unique;
    std::set<std::vector<uint32_t>> seen;
    for (auto& set : result) {
      std::vector<uint32_t> sorted = set;
      std::sort(sorted.begin(), sorted.end());
      if (seen.insert(sorted).second) unique.push_back(std::move(set));
    }
    result = std::move(unique);
  }
  return result;
}

}  // namespace

LogicalPtr Binder::bind_query(const SelectStmt& select, std::vector<std::string>& names) {
  check_stack_depth();
  if (select.with) return bind_with(*select.with, [&] { return bind_query_body(select, names); });
  return bind_query_body(select, names);
}

LogicalPtr Binder::bind_query_body(const SelectStmt& select, std::vector<std::string>& names) {
  LogicalPtr plan;
  switch (select.select_kind) {
    case SelectKind::kSimple: plan = bind_simple_select(select, names); break;
    case SelectKind::kValues:
      plan = bind_values(select, names);
      last_unknown_outputs_.assign(names.size(), false);
      last_output_locations_.clear();
      for (const auto& e : select.values_lists[0]) last_output_locations_.push_back(e->location);
      break;
    case SelectKind::kSetOp: plan = bind_set_operation(select, names); break;
  }
  if (!plan) throw SqlError(SqlState::kFeatureNotSupported, "unsupported query");
  return plan;
}

BoundExprPtr Binder::bind_limit_value(const Expr& expr, const char* clause) {
  // LIMIT/OFFSET see no columns of the query.
  Scope saved = std::move(scope_);
  scope_ = Scope();
  BoundExprPtr bound;
  try {
    bound = bind_expr(expr);
  } catch (...) {
    scope_ = std::move(saved);
    throw;
  }
  scope_ = std::move(saved);
  const LogicalType& type = bound->type;
  if (!type.is_numeric() && !is_unknown_literal(*bound) && type.id() != LogicalTypeId::kSqlNull) {
    throw_at(SqlState::kDatatypeMismatch, std::string("argument of ") + clause + " must be type bigint, not type " + type.name(),
             expr.location);
  }
  return cast_to(std::move(bound), LogicalType::bigint());
}

LogicalPtr Binder::bind_values(const SelectStmt& select, std::vector<std::string>& names) {
  const auto& lists = select.values_lists;
  size_t width = lists[0].size();
  std::vector<std::vector<BoundExprPtr>> rows;
  for (const auto& row : lists) {
    if (row.size() != width) throw_at(SqlState::kSyntaxError, "VALUES lists must all be the same length", row.empty() ? select.location : row[0]->location);
    std::vector<BoundExprPtr> bound;
    for (const auto& e : row) bound.push_back(bind_expr(*e));
    rows.push_back(std::move(bound));
  }
  auto values = std::make_unique<LogicalValues>(next_table_index());
  for (size_t c = 0; c < width; c++) {
    LogicalType type = LogicalType::sql_null();
    bool all_unknown = true;
    for (auto& row : rows) {
      if (is_unknown_literal(*row[c]) || row[c]->type.id() == LogicalTypeId::kSqlNull) continue;
      all_unknown = false;
      auto common = common_supertype(type, row[c]->type);
      if (!common) {
        throw_at(SqlState::kDatatypeMismatch, "VALUES types " + type.name() + " and " + row[c]->type.name() + " cannot be matched",
                 lists[&row - &rows[0]][c]->location);
      }
      type = *common;
    }
    if (all_unknown) type = LogicalType::varchar();
    // The column keeps a type modifier only when every row has exactly that type
    // (select_common_typmod: an unknown literal or NULL drops it).
    std::vector<LogicalType> inputs;
    for (const auto& row : rows) inputs.push_back(is_unknown_literal(*row[c]) ? LogicalType::sql_null() : row[c]->type);
    type = common_typmod(type, inputs);
    for (auto& row : rows) row[c] = cast_to(std::move(row[c]), type);
    values->types.push_back(type);
    names.push_back("column" + std::to_string(c + 1));
  }
  values->rows = std::move(rows);
  LogicalPtr plan = std::move(values);
  if (!select.order_by.empty()) {
    auto order = std::make_unique<LogicalOrder>();
    auto bindings = plan->output_bindings();
    auto types = plan->output_types();
    for (const auto& item : select.order_by) {
      int64_t ordinal = -1;
      if (item.expr->kind == ExprKind::kConstant && item.expr->as<ConstantExpr>().constant_kind == ConstantKind::kInteger) {
        ordinal = item.expr->as<ConstantExpr>().int_value;
      } else if (item.expr->kind == ExprKind::kColumnRef && item.expr->as<ColumnRefExpr>().fields.size() == 1) {
        for (size_t i = 0; i < names.size(); i++) {
          if (names[i] == item.expr->as<ColumnRefExpr>().fields[0]) ordinal = static_cast<int64_t>(i + 1);
        }
      }
      if (ordinal < 1 || ordinal > static_cast<int64_t>(names.size())) {
        throw_at(SqlState::kFeatureNotSupported, "ORDER BY on VALUES supports only output columns", item.location);
      }
      order->orders.push_back(order_by_output(item, static_cast<size_t>(ordinal), types, bindings, names));
    }
    order->children.push_back(std::move(plan));
    plan = std::move(order);
  }
  plan = wrap_limit(select, std::move(plan));
  return plan;
}

LogicalPtr Binder::bind_simple_select(const SelectStmt& select, std::vector<std::string>& names) {
  LogicalPtr plan = bind_from(select.from);

  // WHERE
  if (select.where) {
    no_aggregates_clause_ = "WHERE";
    BoundExprPtr condition = bind_boolean(*select.where, "WHERE");
    no_aggregates_clause_ = nullptr;
    auto filter = std::make_unique<LogicalFilter>();
    filter->conjuncts.push_back(std::move(condition));
    filter->children.push_back(std::move(plan));
    plan = std::move(filter);
  }

  SelectContext context;
  select_context_ = &context;
  if (!select.windows.empty()) {
    resolve_named_windows(select, context);
    // Every WINDOW entry is checked, used or not (PostgreSQL transforms them all).
    for (const auto& spec : context.named_windows) {
      BoundWindow unused(LogicalType::bigint(), WindowFunction::kRowNumber);
      bind_window_spec(spec, unused);
    }
  }

  // Target list
  std::vector<BoundExprPtr> targets;
  std::vector<int> target_locations;
  for (const auto& target : select.targets) {
    if (target.expr->kind == ExprKind::kStar) {
      for (auto& e : expand_star(target.expr->as<StarExpr>())) {
        names.push_back(e->alias);
        targets.push_back(std::move(e));
        target_locations.push_back(target.expr->location);
      }
      continue;
    }
    target_locations.push_back(target.expr->location);
    context.set_functions_allowed = true;
    BoundExprPtr e = bind_expr(*target.expr);
    context.set_functions_allowed = false;
    std::string name = target.alias.empty() ? column_name_of(*target.expr) : target.alias;
    e->alias = name;
    names.push_back(name);
    targets.push_back(std::move(e));
  }

  std::vector<bool> unknown_outputs;
  for (const auto& t : targets) {
    unknown_outputs.push_back(is_unknown_literal(*t) || t->type.id() == LogicalTypeId::kSqlNull);
  }

  // GROUP BY: every distinct expression becomes one group column; grouping sets list the
  // columns each set groups by.
  std::vector<BoundExprPtr> groups;
  std::vector<std::vector<uint32_t>> grouping_sets;
  std::vector<int> group_locations;
  if (!select.group_by.empty()) {
    no_aggregates_clause_ = "GROUP BY";
    // A position or output name refers to an output column; anything else is an expression
    // over the input. Returns the index of its group column.
    auto bind_group = [&](const Expr& g) -> uint32_t {
      BoundExprPtr bound;
      if (g.kind == ExprKind::kConstant && g.as<ConstantExpr>().constant_kind == ConstantKind::kInteger) {
        int64_t ordinal = g.as<ConstantExpr>().int_value;
        if (ordinal < 1 || ordinal > static_cast<int64_t>(targets.size())) {
          throw_at(SqlState::kInvalidColumnReference, "GROUP BY position " + std::to_string(ordinal) + " is not in select list", g.location);
        }
        if (contains_aggregate(*targets[ordinal - 1])) {
          throw_at(SqlState::kGroupingError, "aggregate functions are not allowed in GROUP BY", g.location);
        }
        if (contains_expression(*targets[ordinal - 1], BoundExprKind::kGrouping)) {
          throw_at(SqlState::kGroupingError, "grouping operations are not allowed in GROUP BY", g.location);
        }
        bound = targets[ordinal - 1]->copy();
      } else if (g.kind == ExprKind::kColumnRef && g.as<ColumnRefExpr>().fields.size() == 1 &&
                 !lookup_local(g.as<ColumnRefExpr>().fields, g.location)) {
        // An input column wins over an output column of the same name.
        const std::string& n = g.as<ColumnRefExpr>().fields[0];
        for (size_t i = 0; i < names.size() && !bound; i++) {
          if (names[i] == n) bound = targets[i]->copy();
        }
      }
      if (!bound) bound = bind_expr(g);
      // A position or output name may name a window function.
      if (contains_expression(*bound, BoundExprKind::kWindow)) {
        throw_at(SqlState::kWindowingError, "window functions are not allowed in GROUP BY", g.location);
      }
      for (size_t i = 0; i < groups.size(); i++) {
        if (groups[i]->equals(*bound)) return static_cast<uint32_t>(i);
      }
      groups.push_back(std::move(bound));
      group_locations.push_back(g.location);
      return static_cast<uint32_t>(groups.size() - 1);
    };
    // A parenthesized list (an implicit row) groups by each of its expressions.
    auto bind_unit = [&](const Expr& g) {
      std::vector<uint32_t> columns;
      if (g.kind == ExprKind::kRow && !g.as<RowExpr>().explicit_row) {
        for (const auto& e : g.as<RowExpr>().args) columns.push_back(bind_group(*e));
      } else {
        columns.push_back(bind_group(g));
      }
      return columns;
    };
    std::function<GroupingNode(const Expr&)> bind_node = [&](const Expr& g) {
      GroupingNode node;
      if (g.kind != ExprKind::kGroupingSet) {
        node.units.push_back(bind_unit(g));
        return node;
      }
      const auto& set = g.as<GroupingSetExpr>();
      node.kind = set.set_kind;
      if (set.set_kind == GroupingSetKind::kCube && set.items.size() > kMaxCubeElements) {
        throw_at(SqlState::kTooManyColumns, "CUBE is limited to " + std::to_string(kMaxCubeElements) + " elements", g.location);
      }
      for (const auto& item : set.items) {
        if (set.set_kind == GroupingSetKind::kSets) {
          node.children.push_back(bind_node(*item));
        } else {
          node.units.push_back(bind_unit(*item));
        }
      }
      return node;
    };
    std::vector<GroupingNode> items;
    bool has_grouping_sets = false;
    for (const auto& g : select.group_by) {
      has_grouping_sets |= g->kind == ExprKind::kGroupingSet;
      items.push_back(bind_node(*g));
    }
    no_aggregates_clause_ = nullptr;
    if (has_grouping_sets || select.group_by_distinct) {
      grouping_sets = expand_grouping_sets(items, select.group_by_distinct);
      // One set is a plain GROUP BY (of every group column).
      if (grouping_sets.size() == 1) grouping_sets.clear();
    }
  }

  // HAVING
  BoundExprPtr having;
  if (select.having) {
    context.no_windows_clause = "HAVING";
    having = bind_boolean(*select.having, "HAVING");
    context.no_windows_clause = nullptr;
  }

  // ORDER BY: resolve against the output columns first, then as expressions over the input.
  struct OrderItem {
    int target = -1;       // index into targets
    BoundExprPtr expr;     // when not a target
    bool descending = false;
    bool nulls_first = false;
    int location = -1;
  };
  // An ORDER BY (or DISTINCT ON) item: an output column by position or name, else an
  // expression over the input (which may equal an output column).
  auto resolve_sort_item = [&](const Expr& e, const char* clause) {
    OrderItem o;
    o.location = e.location;
    if (e.kind == ExprKind::kConstant && e.as<ConstantExpr>().constant_kind == ConstantKind::kInteger) {
      int64_t ordinal = e.as<ConstantExpr>().int_value;
      if (ordinal < 1 || ordinal > static_cast<int64_t>(targets.size())) {
        throw_at(SqlState::kInvalidColumnReference,
                 std::string(clause) + " position " + std::to_string(ordinal) + " is not in select list", e.location);
      }
      o.target = static_cast<int>(ordinal - 1);
    } else if (e.kind == ExprKind::kColumnRef && e.as<ColumnRefExpr>().fields.size() == 1) {
      const std::string& n = e.as<ColumnRefExpr>().fields[0];
      int found = -1;
      for (size_t i = 0; i < names.size(); i++) {
        if (names[i] != n) continue;
        if (found >= 0 && !targets[found]->equals(*targets[i])) {
          throw_at(SqlState::kAmbiguousColumn, std::string(clause) + " \"" + n + "\" is ambiguous", e.location);
        }
        if (found < 0) found = static_cast<int>(i);
      }
      if (found >= 0) {
        o.target = found;
      } else {
        o.expr = bind_expr(e);
      }
    } else {
      o.expr = bind_expr(e);
    }
    if (o.expr) {
      for (size_t i = 0; i < targets.size(); i++) {
        if (targets[i]->equals(*o.expr)) {
          o.target = static_cast<int>(i);
          o.expr.reset();
          break;
        }
      }
    }
    return o;
  };
  auto same_item = [](const OrderItem& a, const OrderItem& b) {
    if (a.target >= 0 || b.target >= 0) return a.target == b.target;
    return a.expr->equals(*b.expr);
  };
  std::vector<OrderItem> order_items;
  for (const auto& item : select.order_by) {
    OrderItem o = resolve_sort_item(*item.expr, "ORDER BY");
    o.descending = item.direction == SortDirection::kDesc;
    o.nulls_first = item.nulls == NullsOrder::kDefault ? o.descending : item.nulls == NullsOrder::kFirst;
    if (o.expr && select.distinct && select.distinct_on.empty()) {
      throw_at(SqlState::kInvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list",
               item.expr->location);
    }
    order_items.push_back(std::move(o));
  }
  // DISTINCT ON (PostgreSQL's transformDistinctOnClause): its expressions must be the leading
  // ORDER BY items (in any order); the rows are sorted by ORDER BY followed by the DISTINCT ON
  // expressions it does not name, and the first row of each group is kept.
  std::vector<OrderItem> distinct_items;
  std::vector<size_t> distinct_order_index;  // the ORDER BY item each DISTINCT ON expression sorts by
  if (!select.distinct_on.empty()) {
    for (const auto& e : select.distinct_on) distinct_items.push_back(resolve_sort_item(*e, "SELECT DISTINCT ON"));
    auto in_distinct = [&](const OrderItem& o) {
      for (const auto& d : distinct_items) {
        if (same_item(d, o)) return true;
      }
      return false;
    };
    bool skipped = false;
    for (const auto& o : order_items) {
      if (in_distinct(o)) {
        if (skipped) {
          throw_at(SqlState::kInvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions",
                   o.location);
        }
      } else {
        skipped = true;
      }
    }
    for (auto& d : distinct_items) {
      bool ordered = false;
      for (size_t k = 0; k < order_items.size() && !ordered; k++) {
        if (same_item(d, order_items[k])) {
          ordered = true;
          distinct_order_index.push_back(k);
        }
      }
      if (ordered) continue;
      if (skipped) {
        throw_at(SqlState::kInvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions",
                 d.location);
      }
      OrderItem extra;
      extra.target = d.target;
      extra.expr = d.expr ? d.expr->copy() : nullptr;
      extra.location = d.location;
      distinct_order_index.push_back(order_items.size());
      order_items.push_back(std::move(extra));
    }
  }
  select_context_ = nullptr;

  // Set-returning functions of the target list run after aggregation and window functions.
  std::set<uint32_t> set_function_tables;
  for (const auto& f : context.set_functions) set_function_tables.insert(f->table_index);
  auto reads_set_function = [&](const BoundExpression& expr) {
    bool found = false;
    visit_expression(expr, [&](const BoundExpression& e) {
      if (e.kind == BoundExprKind::kColumnRef &&
          set_function_tables.count(static_cast<const BoundColumnRef&>(e).binding.table_index)) {
        found = true;
      }
    });
    return found;
  };
  for (const auto& g : groups) {
    if (reads_set_function(*g)) {
      throw_at(SqlState::kFeatureNotSupported, "set-returning functions in GROUP BY are not supported yet", select.location);
    }
  }
  for (const auto& o : order_items) {
    if (o.expr && reads_set_function(*o.expr)) {
      throw_at(SqlState::kFeatureNotSupported, "set-returning functions in ORDER BY are not supported yet", o.location);
    }
  }

  // Aggregation
  bool has_aggregates = false;
  // grouping(...) makes a query grouped as an aggregate does.
  auto groups_rows = [](const BoundExpression& e) {
    return contains_aggregate(e) || contains_expression(e, BoundExprKind::kGrouping);
  };
  for (const auto& t : targets) has_aggregates |= groups_rows(*t);
  for (const auto& f : context.set_functions) {
    for (const auto& a : f->arguments) has_aggregates |= groups_rows(*a);
  }
  if (having) has_aggregates |= true;
  for (const auto& o : order_items) {
    if (o.expr) has_aggregates |= groups_rows(*o.expr);
  }
  if (!select.group_by.empty() || has_aggregates) {
    auto aggregate = std::make_unique<LogicalAggregate>(next_table_index(), next_table_index());
    aggregate->groups = std::move(groups);
    aggregate->grouping_sets = std::move(grouping_sets);
    if (!aggregate->grouping_sets.empty()) aggregate->grouping_index = next_table_index();
    GroupedRewriter rewriter(*aggregate);
    for (uint32_t table : set_function_tables) rewriter.pass_through(table);
    for (auto& f : context.set_functions) {
      for (auto& a : f->arguments) rewriter.rewrite(a);
    }
    for (auto& t : targets) rewriter.rewrite(t);
    if (having) rewriter.rewrite(having);
    for (auto& o : order_items) {
      if (o.expr) rewriter.rewrite(o.expr);
    }
    aggregate->children.push_back(std::move(plan));
    plan = std::move(aggregate);
    if (having) {
      auto filter = std::make_unique<LogicalFilter>();
      filter->conjuncts.push_back(std::move(having));
      filter->children.push_back(std::move(plan));
      plan = std::move(filter);
    }
  }

  // Window functions, over the grouped rows when the query groups: one LogicalWindow per
  // distinct PARTITION BY / ORDER BY, each computing its windows as columns.
  std::vector<std::unique_ptr<LogicalWindow>> window_nodes;
  auto extract_windows = [&](BoundExprPtr& expr) {
    rewrite_expression(expr, [&](BoundExpression& e) -> BoundExprPtr {
      if (e.kind != BoundExprKind::kWindow) return nullptr;
      const auto& window = static_cast<const BoundWindow&>(e);
      LogicalWindow* node = nullptr;
      for (auto& n : window_nodes) {
        if (static_cast<const BoundWindow&>(*n->windows[0]).same_ordering(window)) node = n.get();
      }
      if (!node) {
        window_nodes.push_back(std::make_unique<LogicalWindow>(next_table_index()));
        node = window_nodes.back().get();
      }
      size_t index = node->windows.size();
      for (size_t j = 0; j < node->windows.size(); j++) {
        if (node->windows[j]->equals(window)) index = j;
      }
      if (index == node->windows.size()) node->windows.push_back(window.copy());
      auto ref = std::make_unique<BoundColumnRef>(window.type, ColumnBinding{node->window_index, static_cast<uint32_t>(index)},
                                                  window.aggregate ? window.aggregate->name : window_function_name(window.function));
      ref->alias = window.alias;
      return ref;
    });
  };
  for (auto& t : targets) extract_windows(t);
  for (auto& o : order_items) {
    if (o.expr) extract_windows(o.expr);
  }
  for (auto& f : context.set_functions) {
    for (auto& a : f->arguments) extract_windows(a);
  }
  for (auto& node : window_nodes) {
    node->children.push_back(std::move(plan));
    plan = std::move(node);
  }
  if (!context.set_functions.empty()) plan = bind_set_functions(std::move(plan), std::move(context.set_functions));

  // Projection: the targets, then hidden ORDER BY expressions.
  auto projection = std::make_unique<LogicalProjection>(next_table_index());
  size_t visible = targets.size();
  for (auto& t : targets) projection->expressions.push_back(std::move(t));
  std::vector<BoundOrderBy> orders;
  std::vector<size_t> order_columns;
  for (auto& o : order_items) {
    size_t column;
    if (o.target >= 0) {
      column = static_cast<size_t>(o.target);
    } else {
      column = projection->expressions.size();
      projection->expressions.push_back(std::move(o.expr));
    }
    BoundOrderBy order;
    order.expression = std::make_unique<BoundColumnRef>(projection->expressions[column]->type,
                                                        ColumnBinding{projection->table_index, static_cast<uint32_t>(column)},
                                                        column < visible ? names[column] : "sort key");
    order.descending = o.descending;
    order.nulls_first = o.nulls_first;
    orders.push_back(std::move(order));
    order_columns.push_back(column);
  }
  projection->children.push_back(std::move(plan));
  uint32_t projection_index = projection->table_index;
  std::vector<LogicalType> projection_types = projection->output_types();
  plan = std::move(projection);

  if (!distinct_order_index.empty()) {
    // DISTINCT ON: sort, then keep the first row of each group.
    auto distinct = std::make_unique<LogicalDistinct>();
    for (size_t k : distinct_order_index) {
      size_t column = order_columns[k];
      distinct->distinct_on.push_back(std::make_unique<BoundColumnRef>(
          projection_types[column], ColumnBinding{projection_index, static_cast<uint32_t>(column)},
          column < visible ? names[column] : "distinct key"));
    }
    auto order = std::make_unique<LogicalOrder>();
    order->orders = std::move(orders);
    order->children.push_back(std::move(plan));
    distinct->children.push_back(std::move(order));
    plan = std::move(distinct);
  } else {
    if (select.distinct) {
      auto distinct = std::make_unique<LogicalDistinct>();
      distinct->children.push_back(std::move(plan));
      plan = std::move(distinct);
    }
    if (!orders.empty()) {
      auto order = std::make_unique<LogicalOrder>();
      order->orders = std::move(orders);
      order->children.push_back(std::move(plan));
      plan = std::move(order);
    }
  }
  plan = wrap_limit(select, std::move(plan));
  if (projection_types.size() > visible) {
    auto strip = std::make_unique<LogicalProjection>(next_table_index());
    for (size_t i = 0; i < visible; i++) {
      strip->expressions.push_back(std::make_unique<BoundColumnRef>(
          projection_types[i], ColumnBinding{projection_index, static_cast<uint32_t>(i)}, names[i]));
    }
    strip->children.push_back(std::move(plan));
    plan = std::move(strip);
  }
  last_unknown_outputs_ = std::move(unknown_outputs);
  last_output_locations_ = std::move(target_locations);
  return plan;
}

LogicalPtr Binder::wrap_limit(const SelectStmt& select, LogicalPtr plan) {
  if (!select.limit && !select.offset) return plan;
  auto limit = std::make_unique<LogicalLimit>();
  if (select.limit) limit->limit = bind_limit_value(*select.limit, "LIMIT");
  if (select.offset) limit->offset = bind_limit_value(*select.offset, "OFFSET");
  if (select.limit_with_ties) {
    // PostgreSQL rejects a NULL literal here; a NULL of another form means no limit.
    if (select.limit->kind == ExprKind::kConstant && select.limit->as<ConstantExpr>().constant_kind == ConstantKind::kNull) {
      throw_at(SqlState::kInvalidRowCountInLimitClause, "row count cannot be null in FETCH FIRST ... WITH TIES clause",
               select.limit->location);
    }
    // The ORDER BY sits right under the limit, or under the DISTINCT ON it feeds.
    const LogicalOperator* node = plan.get();
    if (node->kind == LogicalOperatorKind::kDistinct) node = node->children[0].get();
    TS_CHECK(node->kind == LogicalOperatorKind::kOrder, "WITH TIES without an ORDER BY under the limit");
    limit->with_ties = true;
    for (const auto& o : static_cast<const LogicalOrder&>(*node).orders) limit->tie_keys.push_back(o.expression->copy());
  }
  limit->children.push_back(std::move(plan));
  return limit;
}

BoundOrderBy Binder::order_by_output(const SortBy& item, size_t ordinal, const std::vector<LogicalType>& types,
                                     const std::vector<ColumnBinding>& bindings, const std::vector<std::string>& names) {
  BoundOrderBy o;
  o.expression = std::make_unique<BoundColumnRef>(types[ordinal - 1], bindings[ordinal - 1], names[ordinal - 1]);
  o.descending = item.direction == SortDirection::kDesc;
  o.nulls_first = item.nulls == NullsOrder::kDefault ? o.descending : item.nulls == NullsOrder::kFirst;
  return o;
}

}  // namespace tessera::planner
