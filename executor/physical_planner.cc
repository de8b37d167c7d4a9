#include "executor/physical_planner.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>

#include "executor/expression/expression_executor.h"
#include "executor/expression/subquery_plan.h"
#include "executor/operator/aggregate/physical_hash_aggregate.h"
#include "executor/operator/cte/physical_cte.h"
#include "executor/operator/ddl/physical_alter_table.h"
#include "executor/operator/ddl/physical_create_table.h"
#include "executor/operator/ddl/physical_explain.h"
#include "executor/operator/ddl/physical_explain_analyze.h"
#include "executor/operator/ddl/physical_utility.h"
#include "executor/operator/ddl/physical_vacuum.h"
#include "executor/operator/insert/physical_insert.h"
#include "executor/operator/join/physical_dependent_join.h"
#include "executor/operator/join/physical_hash_join.h"
#include "executor/operator/join/physical_index_join.h"
#include "executor/operator/join/physical_nested_loop_join.h"
#include "executor/operator/limit/physical_limit.h"
#include "executor/operator/modify/physical_modify.h"
#include "executor/operator/modify/physical_truncate.h"
#include "executor/operator/projection/physical_filter.h"
#include "executor/operator/projection/physical_projection.h"
#include "executor/operator/result/physical_result_collector.h"
#include "executor/operator/scan/physical_index_scan.h"
#include "executor/operator/scan/physical_table_scan.h"
#include "executor/operator/scan/physical_table_function.h"
#include "executor/operator/copy/physical_copy_from.h"
#include "planner/logical/logical_copy_from.h"
#include "executor/operator/scan/physical_values.h"
#include "executor/operator/setop/physical_distinct_on.h"
#include "executor/operator/setop/physical_hash_set_operation.h"
#include "executor/operator/setop/physical_union_all.h"
#include "executor/operator/sort/physical_order.h"
#include "executor/operator/sort/physical_top_n.h"
#include "executor/operator/window/physical_window.h"
#include "src/common/assert.h"
#include "src/common/sql_error.h"
#include "src/common/stack_guard.h"

namespace tessera::executor {

using namespace planner;  // NOLINT: the planner's plan types are this file's vocabulary

namespace {

std::set<uint32_t> tables_of(const std::vector<ColumnBinding>& bindings) {
  std::set<uint32_t> result;
  for (const auto& b : bindings) result.insert(b.table_index);
  return result;
}

bool refers_only_to(const BoundExpression& expr, const std::set<uint32_t>& tables) {
  bool ok = true;
  bool any = false;
  visit_expression(expr, [&](const BoundExpression& e) {
    if (e.kind == BoundExprKind::kColumnRef) {
      any = true;
      if (!tables.count(static_cast<const BoundColumnRef&>(e).binding.table_index)) ok = false;
    }
  });
  return ok && any;
}

std::vector<ColumnBinding> concat(std::vector<ColumnBinding> a, const std::vector<ColumnBinding>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

BoundExprPtr conjunction_of(std::vector<BoundExprPtr> conjuncts) {
  if (conjuncts.empty()) return nullptr;
  if (conjuncts.size() == 1) return std::move(conjuncts[0]);
  return std::make_unique<BoundConjunction>(true, std::move(conjuncts));
}

std::vector<SortKey> make_sort_keys(const std::vector<BoundOrderBy>& orders, const std::vector<BoundExprPtr>& resolved) {
  std::vector<SortKey> keys;
  for (size_t i = 0; i < orders.size(); i++) {
    keys.push_back(SortKey{resolved[i]->copy(), orders[i].descending, orders[i].nulls_first});
  }
  return keys;
}

}  // namespace

bool PhysicalPlanner::is_constant_expression(const BoundExpression& expr) {
  bool constant = true;
  visit_expression(expr, [&](const BoundExpression& e) {
    if (e.kind == BoundExprKind::kColumnRef || e.kind == BoundExprKind::kParameter || e.kind == BoundExprKind::kSubquery ||
        e.kind == BoundExprKind::kAggregate || e.kind == BoundExprKind::kWindow || e.kind == BoundExprKind::kReference) {
      constant = false;
    }
    // A volatile call (nextval) runs per row, never once at plan time.
    if (e.kind == BoundExprKind::kFunction &&
        static_cast<const BoundFunction&>(e).function->volatility == catalog::Volatility::kVolatile) {
      constant = false;
    }
  });
  return constant;
}

std::vector<BoundExprPtr> PhysicalPlanner::resolve_checks(const std::vector<BoundExprPtr>& checks, uint32_t table_index,
                                                          size_t column_count) {
  std::vector<ColumnBinding> row;
  for (size_t c = 0; c < column_count; c++) row.push_back(ColumnBinding{table_index, static_cast<uint32_t>(c)});
  return resolve_all(checks, row);
}

Value PhysicalPlanner::evaluate_constant(const BoundExpression& expr) {
  BoundExprPtr resolved = resolve(expr, {});
  QueryContext query;
  query.catalog = catalog_;
  query.transaction = transaction_;
  ExpressionExecutor executor(query);
  DataChunk single;
  single.set_size(1);
  Vector result;
  executor.execute(*resolved, single, result);
  return result.get_value(0);
}

BoundExprPtr PhysicalPlanner::resolve(const BoundExpression& expr, const std::vector<ColumnBinding>& input) {
  BoundExprPtr result = expr.copy();
  rewrite_expression(result, [&](BoundExpression& e) -> BoundExprPtr {
    if (e.kind == BoundExprKind::kColumnRef) {
      const auto& ref = static_cast<const BoundColumnRef&>(e);
      for (size_t i = 0; i < input.size(); i++) {
        if (input[i] == ref.binding) return std::make_unique<BoundReference>(ref.type, static_cast<uint32_t>(i), ref.name);
      }
      TS_CHECK(false, "column " + ref.name + " is not produced by the operator's input");
    }
    if (e.kind == BoundExprKind::kSubquery) {
      auto& sub = static_cast<BoundSubquery&>(e);
      if (!sub.prepared) {
        size_t max_rows = sub.subquery_kind == SubqueryKind::kExists ? 1 : sub.subquery_kind == SubqueryKind::kScalar ? 2 : 0;
        sub.prepared = std::make_shared<SubqueryPlan>(create_rooted_plan(*sub.plan, false, max_rows));
      }
    }
    return nullptr;
  });
  return result;
}

std::vector<BoundExprPtr> PhysicalPlanner::resolve_all(const std::vector<BoundExprPtr>& exprs,
                                                       const std::vector<ColumnBinding>& input) {
  std::vector<BoundExprPtr> result;
  for (const auto& e : exprs) result.push_back(resolve(*e, input));
  return result;
}

std::unique_ptr<PhysicalOperator> PhysicalPlanner::create_rooted_plan(const LogicalOperator& plan, bool stream, size_t max_rows) {
  auto root = create_plan(plan);
  return std::make_unique<PhysicalResultCollector>(
      stream ? PhysicalResultCollector::Mode::kStream : PhysicalResultCollector::Mode::kCollect, max_rows, std::move(root));
}

std::unique_ptr<PhysicalOperator> PhysicalPlanner::create_plan(const LogicalOperator& op) {
  check_stack_depth();
  std::unique_ptr<PhysicalOperator> result;
  // The tables FOREIGN KEY actions change, resolved over their columns.
  auto resolve_cascades = [&](const std::shared_ptr<const std::vector<CascadeTarget>>& targets) {
    auto tables = std::make_shared<std::vector<CascadeTable>>();
    if (!targets) return std::shared_ptr<const std::vector<CascadeTable>>(tables);
    for (const CascadeTarget& target : *targets) {
      CascadeTable table;
      table.table = target.table;
      table.checks = resolve_checks(target.checks, target.check_table_index, target.table->columns().size());
      table.referenced = target.referenced;
      table.defaults = resolve_all(target.defaults, {});
      table.referencing = target.referencing;
      tables->push_back(std::move(table));
    }
    return std::shared_ptr<const std::vector<CascadeTable>>(tables);
  };
  switch (op.kind) {
    case LogicalOperatorKind::kGet: {
      const auto& get = static_cast<const LogicalGet&>(op);
      if (catalog_ != nullptr && transaction_ != nullptr) {
        if (auto choice = PhysicalIndexScan::choose(get, *catalog_, *transaction_)) {
          result = plan_index_scan(get, std::move(*choice));
          break;
        }
      }
      // Conjuncts storage can evaluate (column vs constant) go into the scan's table filters;
      // the rest are evaluated by the scan operator on the projected columns.
      storage::TableFilterSet table_filters;
      auto remaining = PhysicalTableScan::extract_table_filters(*get.table, get.table_index, get.filters, table_filters);
      auto filters = resolve_all(remaining, get.output_bindings());
      result = std::make_unique<PhysicalTableScan>(get.output_types(), get.table, get.column_ids, std::move(filters),
                                                   std::move(table_filters));
      break;
    }
    case LogicalOperatorKind::kFilter: {
      // Conjuncts that read nothing are decided now, as PostgreSQL's one-time filters are: a
      // false or NULL one means the input is never read at all.
      const auto& filter = static_cast<const LogicalFilter&>(op);
      std::vector<BoundExprPtr> conjuncts;
      bool always_false = false;
      for (const auto& c : filter.conjuncts) {
        if (!is_constant_expression(*c)) {
          conjuncts.push_back(c->copy());
          continue;
        }
        Value v = evaluate_constant(*c);
        if (v.is_null() || !v.get_bool()) always_false = true;
        if (always_false) break;
      }
      if (always_false) {
        result = std::make_unique<PhysicalValues>(op.output_types(), std::vector<std::vector<BoundExprPtr>>{});
        break;
      }
      if (conjuncts.empty()) {
        result = create_plan(*op.children[0]);
        break;
      }
      auto resolved = resolve_all(conjuncts, op.children[0]->output_bindings());
      result = std::make_unique<PhysicalFilter>(op.output_types(), std::move(resolved), create_plan(*op.children[0]));
      break;
    }
    case LogicalOperatorKind::kProjection: {
      const auto& projection = static_cast<const LogicalProjection&>(op);
      auto exprs = resolve_all(projection.expressions, op.children[0]->output_bindings());
      result = std::make_unique<PhysicalProjection>(op.output_types(), std::move(exprs), create_plan(*op.children[0]));
      break;
    }
    case LogicalOperatorKind::kAggregate: {
      const auto& aggregate = static_cast<const LogicalAggregate&>(op);
      auto input = op.children[0]->output_bindings();
      result = std::make_unique<PhysicalHashAggregate>(op.output_types(), resolve_all(aggregate.groups, input),
                                                       resolve_all(aggregate.aggregates, input), create_plan(*op.children[0]),
                                                       aggregate.grouping_sets, aggregate.grouping_functions);
      break;
    }
    case LogicalOperatorKind::kDistinct: {
      const auto& distinct = static_cast<const LogicalDistinct&>(op);
      if (!distinct.distinct_on.empty()) {
        result = std::make_unique<PhysicalDistinctOn>(op.output_types(),
                                                      resolve_all(distinct.distinct_on, op.children[0]->output_bindings()),
                                                      create_plan(*op.children[0]));
        result->estimated_rows = op.estimated_rows;
        break;
      }
      auto input = op.children[0]->output_bindings();
      auto types = op.output_types();
      std::vector<BoundExprPtr> groups;
      for (size_t i = 0; i < input.size(); i++) groups.push_back(std::make_unique<BoundReference>(types[i], static_cast<uint32_t>(i), ""));
      result = std::make_unique<PhysicalHashAggregate>(types, std::move(groups), std::vector<BoundExprPtr>{},
                                                       create_plan(*op.children[0]));
      result->estimated_rows = op.estimated_rows;
      break;
    }
    case LogicalOperatorKind::kJoin: result = plan_join(static_cast<const LogicalJoin&>(op)); break;
    case LogicalOperatorKind::kDependentJoin: {
      const auto& join = static_cast<const LogicalDependentJoin&>(op);
      auto right = std::make_unique<SubqueryPlan>(create_rooted_plan(*op.children[1], false));
      result = std::make_unique<PhysicalDependentJoin>(op.output_types(), join.join_type,
                                                       resolve_all(join.correlated, op.children[0]->output_bindings()),
                                                       std::move(right), create_plan(*op.children[0]));
      break;
    }
    case LogicalOperatorKind::kSetOperation: result = plan_set_operation(static_cast<const LogicalSetOperation&>(op)); break;
    case LogicalOperatorKind::kMaterializedCte:
      result = plan_materialized_cte(static_cast<const LogicalMaterializedCte&>(op));
      break;
    case LogicalOperatorKind::kRecursiveCte:
      TS_CHECK(false, "a recursive CTE is planned by its LogicalMaterializedCte");
      break;
    case LogicalOperatorKind::kCteScan: {
      const auto& scan = static_cast<const LogicalCteScan&>(op);
      if (!op.children.empty()) {
        result = create_plan(*op.children[0]);
        break;
      }
      auto it = ctes_.find(scan.cte_index);
      TS_CHECK(it != ctes_.end(), "CTE scan outside of its WITH query");
      result = std::make_unique<PhysicalCteScan>(*it->second, scan.name, scan.working_table);
      break;
    }
    case LogicalOperatorKind::kOrder: {
      const auto& order = static_cast<const LogicalOrder&>(op);
      std::vector<BoundExprPtr> exprs;
      for (const auto& o : order.orders) exprs.push_back(resolve(*o.expression, op.children[0]->output_bindings()));
      result = std::make_unique<PhysicalOrder>(op.output_types(), make_sort_keys(order.orders, exprs), create_plan(*op.children[0]));
      break;
    }
    case LogicalOperatorKind::kWindow: {
      const auto& window = static_cast<const LogicalWindow&>(op);
      auto input = op.children[0]->output_bindings();
      std::vector<BoundExprPtr> windows = resolve_all(window.windows, input);
      const auto& first = static_cast<const BoundWindow&>(*windows[0]);
      std::vector<BoundExprPtr> partitions;
      for (const auto& p : first.partitions) partitions.push_back(p->copy());
      std::vector<SortKey> orders;
      for (const auto& o : first.orders) orders.push_back(SortKey{o.expression->copy(), o.descending, o.nulls_first});
      result = std::make_unique<PhysicalWindow>(op.output_types(), std::move(partitions), std::move(orders), std::move(windows),
                                                create_plan(*op.children[0]));
      break;
    }
    case LogicalOperatorKind::kLimit: {
      const auto& logical_limit = static_cast<const LogicalLimit&>(op);
      const LogicalOperator& child = *op.children[0];
      struct {
        std::optional<int64_t> limit;
        int64_t offset = 0;
      } limit;
      if (logical_limit.limit) {
        Value v = evaluate_constant(*logical_limit.limit);
        if (!v.is_null()) {
          if (v.get_int64() < 0) throw SqlError(SqlState::kInvalidRowCountInLimitClause, "LIMIT must not be negative");
          limit.limit = v.get_int64();
        }
      }
      if (logical_limit.offset) {
        Value v = evaluate_constant(*logical_limit.offset);
        if (!v.is_null()) {
          if (v.get_int64() < 0) throw SqlError(SqlState::kInvalidRowCountInResultOffsetClause, "OFFSET must not be negative");
          limit.offset = v.get_int64();
        }
      }
      if (logical_limit.with_ties) {
        // The rows arrive sorted; the limit compares the ORDER BY key columns of its input.
        std::vector<size_t> tie_columns;
        for (const auto& key : logical_limit.tie_keys) {
          BoundExprPtr resolved = resolve(*key, child.output_bindings());
          TS_CHECK(resolved->kind == planner::BoundExprKind::kReference, "WITH TIES key is not a column");
          tie_columns.push_back(static_cast<const planner::BoundReference&>(*resolved).index);
        }
        result = std::make_unique<PhysicalLimit>(op.output_types(), limit.limit, limit.offset, create_plan(child),
                                                 std::move(tie_columns));
      } else if (limit.limit && child.kind == LogicalOperatorKind::kOrder) {
        const auto& order = static_cast<const LogicalOrder&>(child);
        std::vector<BoundExprPtr> exprs;
        for (const auto& o : order.orders) exprs.push_back(resolve(*o.expression, child.children[0]->output_bindings()));
        result = std::make_unique<PhysicalTopN>(op.output_types(), make_sort_keys(order.orders, exprs), *limit.limit, limit.offset,
                                                create_plan(*child.children[0]));
      } else {
        result = std::make_unique<PhysicalLimit>(op.output_types(), limit.limit, limit.offset, create_plan(child));
      }
      break;
    }
    case LogicalOperatorKind::kValues: {
      const auto& values = static_cast<const LogicalValues&>(op);
      std::vector<std::vector<BoundExprPtr>> rows;
      for (const auto& row : values.rows) rows.push_back(resolve_all(row, {}));
      result = std::make_unique<PhysicalValues>(values.types, std::move(rows));
      break;
    }
    case LogicalOperatorKind::kCopyFrom: {
      const auto& copy = static_cast<const planner::LogicalCopyFrom&>(op);
      result = std::make_unique<PhysicalCopyFrom>(copy.types, copy.names, copy.table_name, copy.format, copy.input);
      break;
    }
    case LogicalOperatorKind::kTableFunction: {
      const auto& function = static_cast<const LogicalTableFunction&>(op);
      result = std::make_unique<PhysicalTableFunction>(*function.function, resolve_all(function.arguments, {}),
                                                       function.schema, function.ordinality);
      break;
    }
    case LogicalOperatorKind::kInsert: {
      const auto& insert = static_cast<const LogicalInsert&>(op);
      std::unique_ptr<PhysicalInsert::OnConflict> on_conflict;
      if (insert.on_conflict) {
        const planner::BoundOnConflict& bound = *insert.on_conflict;
        on_conflict = std::make_unique<PhysicalInsert::OnConflict>();
        on_conflict->arbiters = bound.arbiters;
        on_conflict->do_update = bound.do_update;
        on_conflict->referencing = bound.referencing;
        on_conflict->cascades = resolve_cascades(bound.cascades);
        std::vector<ColumnBinding> row;
        for (uint32_t table_index : {bound.existing_table_index, bound.excluded_table_index}) {
          for (size_t c = 0; c < insert.table->columns().size(); c++) {
            row.push_back(ColumnBinding{table_index, static_cast<uint32_t>(c)});
          }
        }
        on_conflict->set = resolve_all(bound.set, row);
        if (bound.where) on_conflict->where = resolve(*bound.where, row);
      }
      auto physical_insert = std::make_unique<PhysicalInsert>(
          insert.table, create_plan(*op.children[0]), insert.returning,
          resolve_checks(insert.checks, insert.check_table_index, insert.table->columns().size()), insert.referenced,
          std::move(on_conflict));
      // COPY FROM (under the projection adding defaults): constraint errors name the row's line.
      const PhysicalOperator* child = physical_insert->children()[0].get();
      while (child->name() == "PROJECTION" && child->children().size() == 1) child = child->children()[0].get();
      if (const auto* copy = dynamic_cast<const PhysicalCopyFrom*>(child)) physical_insert->set_copy_rows(copy->row_contexts());
      result = std::move(physical_insert);
      break;
    }
    case LogicalOperatorKind::kDelete:
    case LogicalOperatorKind::kUpdate: {
      const auto& modify = static_cast<const LogicalModify&>(op);
      auto types = modify.returning ? op.output_types() : std::vector<LogicalType>{LogicalType::bigint()};
      result = std::make_unique<PhysicalModify>(op.kind == LogicalOperatorKind::kDelete ? ModifyKind::kDelete : ModifyKind::kUpdate,
                                                modify.table, modify.returning, std::move(types), create_plan(*op.children[0]),
                                                resolve_checks(modify.checks, modify.check_table_index,
                                                               modify.table->columns().size()),
                                                modify.referenced, modify.referencing, resolve_cascades(modify.cascades));
      break;
    }
    case LogicalOperatorKind::kTruncate:
      result = std::make_unique<PhysicalTruncate>(static_cast<const LogicalTruncate&>(op).tables);
      break;
    case LogicalOperatorKind::kCreateTable: {
      const auto& create = static_cast<const LogicalCreateTable&>(op);
      result = std::make_unique<PhysicalCreateTable>(create.schema, create.name, create.columns, create.indexes, create.sequences,
                                                     create.checks, create.foreign_keys, create.if_not_exists,
                                                     op.children.empty() ? nullptr : create_plan(*op.children[0]));
      break;
    }
    case LogicalOperatorKind::kDrop: {
      const auto& drop = static_cast<const LogicalDrop&>(op);
      UtilityStatement s;
      s.kind = UtilityKind::kDrop;
      s.entry_kind = drop.entry_kind;
      s.names = drop.names;
      s.schemas = drop.schemas;
      s.if_exists = drop.if_exists;
      s.cascade = drop.cascade;
      s.skipped = drop.skipped;
      result = std::make_unique<PhysicalUtility>(std::move(s));
      break;
    }
    case LogicalOperatorKind::kSchemaCommand: {
      const auto& command = static_cast<const planner::LogicalSchemaCommand&>(op);
      UtilityStatement s;
      s.kind = UtilityKind::kSchema;
      s.schema_action = command.action;
      s.names = command.names;
      s.owner_table = command.owner;
      s.name = command.new_name;
      s.query_text = command.comment;
      s.if_exists = command.if_exists;
      s.cascade = command.cascade;
      result = std::make_unique<PhysicalUtility>(std::move(s));
      break;
    }
    case LogicalOperatorKind::kCreateIndex: {
      const auto& create = static_cast<const LogicalCreateIndex&>(op);
      UtilityStatement s;
      s.kind = UtilityKind::kCreateIndex;
      s.name = create.table;
      s.schemas = {create.table_schema};
      s.index = create.index;
      s.if_exists = create.if_not_exists;
      result = std::make_unique<PhysicalUtility>(std::move(s));
      break;
    }
    case LogicalOperatorKind::kCreateSequence: {
      const auto& create = static_cast<const LogicalCreateSequence&>(op);
      UtilityStatement s;
      s.kind = UtilityKind::kCreateSequence;
      s.name = create.name;
      s.sequence = create.options;
      s.if_exists = create.if_not_exists;
      result = std::make_unique<PhysicalUtility>(std::move(s));
      break;
    }
    case LogicalOperatorKind::kCreateView: {
      const auto& create = static_cast<const LogicalCreateView&>(op);
      UtilityStatement s;
      s.kind = UtilityKind::kCreateView;
      s.name = create.name;
      s.columns = create.columns;
      s.query_text = create.query_text;
      s.dependencies = create.dependencies;
      s.or_replace = create.or_replace;
      result = std::make_unique<PhysicalUtility>(std::move(s));
      break;
    }
    case LogicalOperatorKind::kAlterTable: {
      const auto& alter = static_cast<const LogicalAlterTable&>(op);
      std::vector<BoundExprPtr> expressions;
      std::vector<BoundExprPtr> checks;
      if (alter.table) {
        expressions = resolve_checks(alter.expressions, alter.table_index, alter.table->columns().size());
        checks = resolve_checks(alter.checks, alter.check_table_index, alter.altered.columns.size());
      }
      result = std::make_unique<PhysicalAlterTable>(alter.table, alter.altered, std::move(expressions),
                                                    std::move(checks), alter.referenced, alter.notices);
      break;
    }
    case LogicalOperatorKind::kVacuum: {
      const auto& vacuum = static_cast<const LogicalVacuum&>(op);
      result = std::make_unique<PhysicalVacuum>(vacuum.options, vacuum.targets, vacuum.notices);
      break;
    }
    case LogicalOperatorKind::kAlterSequence: {
      const auto& alter = static_cast<const LogicalAlterSequence&>(op);
      UtilityStatement s;
      s.kind = UtilityKind::kAlterSequence;
      s.name = alter.name;
      s.entry = alter.sequence;
      s.sequence = alter.options;
      s.owner_table = alter.owner_table;
      s.owner_column = alter.owner_column;
      s.restart = alter.restart;
      result = std::make_unique<PhysicalUtility>(std::move(s));
      break;
    }
    case LogicalOperatorKind::kComment: {
      const auto& comment = static_cast<const LogicalComment&>(op);
      UtilityStatement s;
      s.kind = UtilityKind::kComment;
      s.entry = comment.entry;
      s.column = comment.column;
      s.name = comment.comment;
      result = std::make_unique<PhysicalUtility>(std::move(s));
      break;
    }
    case LogicalOperatorKind::kTransaction:
      // BEGIN/COMMIT/ROLLBACK are run by the session from the statement's properties.
      TS_CHECK(false, "transaction control statements are not planned");
      break;
    case LogicalOperatorKind::kSet: {
      const auto& set = static_cast<const LogicalSet&>(op);
      UtilityStatement s;
      s.kind = UtilityKind::kSet;
      s.name = set.name;
      s.value = set.value;
      s.local = set.local;
      result = std::make_unique<PhysicalUtility>(std::move(s));
      break;
    }
    case LogicalOperatorKind::kShow: {
      UtilityStatement s;
      s.kind = UtilityKind::kShow;
      s.name = static_cast<const LogicalShow&>(op).name;
      result = std::make_unique<PhysicalUtility>(std::move(s));
      break;
    }
    case LogicalOperatorKind::kExplain: {
      const auto& explain = static_cast<const LogicalExplain&>(op);
      auto planning_nanos = [&] {
        const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now().time_since_epoch()).count();
        return static_cast<uint64_t>(std::max<int64_t>(0, now - explain.planning_start_ns));
      };
      if (!explain.analyze) {
        auto explained = create_rooted_plan(*op.children[0], false);
        auto lines = PhysicalExplain::render(*explained);
        if (explain.summary) lines.push_back(PhysicalExplain::milliseconds_line("Planning Time", planning_nanos()));
        result = std::make_unique<PhysicalExplain>(std::move(lines));
        break;
      }
      auto explained = create_plan(*op.children[0]);
      PhysicalExplainAnalyze::Options options;
      options.timing = explain.timing;
      options.summary = explain.summary;
      const LogicalOperatorKind kind = op.children[0]->kind;
      options.modifies = kind == LogicalOperatorKind::kInsert || kind == LogicalOperatorKind::kUpdate ||
                         kind == LogicalOperatorKind::kDelete || kind == LogicalOperatorKind::kCreateTable;
      options.planning_nanos = planning_nanos();
      result = std::make_unique<PhysicalExplainAnalyze>(std::move(explained), options);
      break;
    }
  }
  TS_CHECK(result != nullptr, "no physical plan for a logical operator");
  if (op.kind != LogicalOperatorKind::kDistinct) result->estimated_rows = op.estimated_rows;
  return result;
}

std::unique_ptr<PhysicalOperator> PhysicalPlanner::plan_set_operation(const LogicalSetOperation& set_op) {
  const auto types = set_op.output_types();
  // Gathers the inputs of a chain of unions into one UNION ALL: UNION ALL flattens nested
  // UNION ALLs; a distinct UNION flattens every nested union (duplicates go at the top anyway).
  std::vector<std::unique_ptr<PhysicalOperator>> inputs;
  const bool distinct_union = set_op.set_kind == SetOperationKind::kUnion && !set_op.all;
  std::function<void(const LogicalOperator&)> gather = [&](const LogicalOperator& op) {
    if (op.kind == LogicalOperatorKind::kSetOperation) {
      const auto& inner = static_cast<const LogicalSetOperation&>(op);
      if (inner.set_kind == SetOperationKind::kUnion && (inner.all || distinct_union)) {
        check_stack_depth();
        for (const auto& child : op.children) gather(*child);
        return;
      }
    }
    inputs.push_back(create_plan(op));
  };
  if (set_op.set_kind == SetOperationKind::kUnion) {
    for (const auto& child : set_op.children) gather(*child);
    auto all = std::make_unique<PhysicalUnionAll>(types, std::move(inputs));
    all->estimated_rows = set_op.estimated_rows;
    if (set_op.all) return all;
    return std::make_unique<PhysicalHashSetOperation>(SetOperationType::kUnion, types, std::move(all));
  }
  // INTERSECT / EXCEPT: tag each row with its input.
  std::vector<LogicalType> tagged_types = types;
  tagged_types.push_back(LogicalType::integer());
  for (size_t side = 0; side < 2; side++) {
    std::vector<BoundExprPtr> exprs;
    for (size_t i = 0; i < types.size(); i++) exprs.push_back(std::make_unique<BoundReference>(types[i], static_cast<uint32_t>(i), ""));
    exprs.push_back(std::make_unique<BoundConstant>(Value::integer(static_cast<int32_t>(side))));
    auto input = create_plan(*set_op.children[side]);
    double rows = input->estimated_rows;
    inputs.push_back(std::make_unique<PhysicalProjection>(tagged_types, std::move(exprs), std::move(input)));
    inputs.back()->estimated_rows = rows;
  }
  auto all = std::make_unique<PhysicalUnionAll>(tagged_types, std::move(inputs));
  all->estimated_rows = set_op.children[0]->estimated_rows + set_op.children[1]->estimated_rows;
  SetOperationType type = set_op.set_kind == SetOperationKind::kIntersect
                              ? (set_op.all ? SetOperationType::kIntersectAll : SetOperationType::kIntersect)
                              : (set_op.all ? SetOperationType::kExceptAll : SetOperationType::kExcept);
  return std::make_unique<PhysicalHashSetOperation>(type, types, std::move(all));
}

std::unique_ptr<PhysicalOperator> PhysicalPlanner::plan_materialized_cte(const LogicalMaterializedCte& cte) {
  const LogicalOperator& definition = *cte.children[0];
  auto op = std::make_unique<PhysicalCte>(cte.name, definition.output_types(), cte.output_types());
  // Registered first: the definition's recursive term and the rest of the query scan it.
  ctes_[cte.cte_index] = op.get();
  if (definition.kind == LogicalOperatorKind::kRecursiveCte) {
    const auto& recursive = static_cast<const LogicalRecursiveCte&>(definition);
    auto anchor = create_plan(*recursive.children[0]);
    op->set_inputs(std::move(anchor), create_plan(*cte.children[1]));
    op->set_recursive_term(create_rooted_plan(*recursive.children[1], false), recursive.union_all);
  } else {
    auto rows = create_plan(definition);
    op->set_inputs(std::move(rows), create_plan(*cte.children[1]));
  }
  return op;
}

std::unique_ptr<PhysicalOperator> PhysicalPlanner::plan_index_scan(const LogicalGet& get, IndexScanChoice choice) {
  std::vector<size_t> column_ids = columns_read(get, choice.remaining);
  std::vector<ColumnBinding> bindings;
  for (size_t id : column_ids) bindings.push_back(ColumnBinding{get.table_index, static_cast<uint32_t>(id)});
  auto filters = resolve_all(choice.remaining, bindings);
  return std::make_unique<PhysicalIndexScan>(get.output_types(), get.table, std::move(choice.index),
                                             std::move(choice.key_values), std::move(column_ids), get.column_ids.size(),
                                             std::move(filters), std::move(choice.parameters));
}

std::unique_ptr<PhysicalOperator> PhysicalPlanner::plan_join(const LogicalJoin& join) {
  const LogicalOperator& left = *join.children[0];
  const LogicalOperator& right = *join.children[1];
  auto left_bindings = left.output_bindings();
  auto right_bindings = right.output_bindings();
  auto left_tables = tables_of(left_bindings);
  auto right_tables = tables_of(right_bindings);
  auto all_bindings = concat(left_bindings, right_bindings);

  // Split the conditions into equality keys (one side each) and the rest.
  // A null-aware mark join's correlation conditions, `(inner = outer) IS TRUE`, become keys of
  // their own (group_left / group_right), which come before the compared value's key.
  const bool null_aware_mark = join.join_type == JoinType::kMark && join.mark_null_aware;
  std::vector<BoundExprPtr> left_keys, right_keys, residual, group_left, group_right;
  std::vector<const BoundExpression*> key_conditions;  // the condition of each key pair
  for (const auto& c : join.conditions) {
    const BoundExpression* condition = c.get();
    const bool correlation = null_aware_mark && condition->kind == BoundExprKind::kBooleanTest &&
                             static_cast<const BoundBooleanTest&>(*condition).test == BooleanTest::kIsTrue;
    if (correlation) condition = static_cast<const BoundBooleanTest&>(*condition).child.get();
    auto& lefts = correlation ? group_left : left_keys;
    auto& rights = correlation ? group_right : right_keys;
    if (condition->kind == BoundExprKind::kFunction && static_cast<const BoundFunction&>(*condition).function->hashable) {
      const auto& eq = static_cast<const BoundFunction&>(*condition);
      const auto& a = *eq.children[0];
      const auto& b = *eq.children[1];
      if (refers_only_to(a, left_tables) && refers_only_to(b, right_tables)) {
        lefts.push_back(a.copy());
        rights.push_back(b.copy());
        if (!correlation) key_conditions.push_back(c.get());
        continue;
      }
      if (refers_only_to(b, left_tables) && refers_only_to(a, right_tables)) {
        lefts.push_back(b.copy());
        rights.push_back(a.copy());
        if (!correlation) key_conditions.push_back(c.get());
        continue;
      }
    }
    residual.push_back(c->copy());
  }
  const bool hashable_mark = null_aware_mark && left_keys.size() == 1 && residual.empty();
  if (hashable_mark) {
    left_keys.insert(left_keys.begin(), std::make_move_iterator(group_left.begin()),
                     std::make_move_iterator(group_left.end()));
    right_keys.insert(right_keys.begin(), std::make_move_iterator(group_right.begin()),
                      std::make_move_iterator(group_right.end()));
  }
  auto types = join.output_types();
  // Index joins take no mark join (key_conditions describe left_keys only before the
  // correlation keys of a null-aware mark are put in front).
  if (join.join_type != JoinType::kMark) {
    if (auto index_join = plan_index_join(join, left_keys, right_keys, key_conditions, residual)) return index_join;
  }
  if (null_aware_mark && !hashable_mark) {
    // The null-aware hash join compares one value, within the groups of its correlation keys
    // (when any), and nothing else; any other null-aware mark join tests every pair in
    // three-valued logic.
    std::vector<BoundExprPtr> all;
    for (const auto& c : join.conditions) all.push_back(c->copy());
    BoundExprPtr condition = conjunction_of(std::move(all));
    return std::make_unique<PhysicalNestedLoopJoin>(types, JoinType::kMark,
                                                    condition ? resolve(*condition, all_bindings) : nullptr,
                                                    create_plan(left), create_plan(right), true);
  }
  if (left_keys.empty() && join.join_type == JoinType::kFull) {
    // PostgreSQL runs a FULL JOIN without an equality between the sides only when its condition
    // folds to a constant (ON true, ON false, ON NULL): a nested-loop join whose unmatched rows
    // of both sides come out padded with NULLs. A condition reading a side, or an outer query
    // (a correlated subquery), raises its 0A000.
    for (const auto& c : residual) {
      if (c->kind != BoundExprKind::kConstant) {
        throw SqlError(SqlState::kFeatureNotSupported,
                       "FULL JOIN is only supported with merge-joinable or hash-joinable join conditions");
      }
    }
  }
  if (left_keys.empty()) {
    BoundExprPtr condition = conjunction_of(std::move(residual));
    JoinType type = join.join_type == JoinType::kCross && condition ? JoinType::kInner : join.join_type;
    if (type == JoinType::kInner && !condition) type = JoinType::kCross;
    return std::make_unique<PhysicalNestedLoopJoin>(types, type, condition ? resolve(*condition, all_bindings) : nullptr,
                                                    create_plan(left), create_plan(right), join.mark_null_aware,
                                                    join.single_match);
  }
  BoundExprPtr condition = conjunction_of(std::move(residual));
  // The hash table is built on the right child: for inner joins put the smaller input there.
  bool swap = join.join_type == JoinType::kInner && left.estimated_rows < right.estimated_rows;
  if (!swap) {
    return std::make_unique<PhysicalHashJoin>(types, join.join_type, resolve_all(left_keys, left_bindings),
                                              resolve_all(right_keys, right_bindings),
                                              condition ? resolve(*condition, all_bindings) : nullptr, create_plan(left),
                                              create_plan(right), join.mark_null_aware, join.single_match);
  }
  auto swapped_bindings = concat(right_bindings, left_bindings);
  auto right_types = right.output_types();
  auto left_types = left.output_types();
  std::vector<LogicalType> swapped_types = right_types;
  swapped_types.insert(swapped_types.end(), left_types.begin(), left_types.end());
  auto hash_join = std::make_unique<PhysicalHashJoin>(
      swapped_types, JoinType::kInner, resolve_all(right_keys, right_bindings), resolve_all(left_keys, left_bindings),
      condition ? resolve(*condition, swapped_bindings) : nullptr, create_plan(right), create_plan(left));
  hash_join->estimated_rows = join.estimated_rows;
  return restore_column_order(left_types, right_types, std::move(hash_join));
}

std::unique_ptr<PhysicalOperator> PhysicalPlanner::restore_column_order(const std::vector<LogicalType>& left_types,
                                                                        const std::vector<LogicalType>& right_types,
                                                                        std::unique_ptr<PhysicalOperator> swapped) {
  std::vector<BoundExprPtr> reorder;
  for (size_t i = 0; i < left_types.size(); i++) {
    reorder.push_back(std::make_unique<BoundReference>(left_types[i], static_cast<uint32_t>(right_types.size() + i), ""));
  }
  for (size_t i = 0; i < right_types.size(); i++) {
    reorder.push_back(std::make_unique<BoundReference>(right_types[i], static_cast<uint32_t>(i), ""));
  }
  std::vector<LogicalType> types = left_types;
  types.insert(types.end(), right_types.begin(), right_types.end());
  auto projection = std::make_unique<PhysicalProjection>(types, std::move(reorder), std::move(swapped));
  projection->estimated_rows = projection->children()[0]->estimated_rows;
  return projection;
}

std::unique_ptr<PhysicalOperator> PhysicalPlanner::plan_index_join(const LogicalJoin& join,
                                                                   const std::vector<BoundExprPtr>& left_keys,
                                                                   const std::vector<BoundExprPtr>& right_keys,
                                                                   const std::vector<const BoundExpression*>& key_conditions,
                                                                   const std::vector<BoundExprPtr>& residual) {
  const JoinType type = join.join_type;
  // A single-match join (a scalar subquery's, raising 21000 for a second match) stays a hash
  // or nested-loop join, which check it.
  if (catalog_ == nullptr || transaction_ == nullptr || left_keys.empty() || join.mark_null_aware || join.single_match) {
    return nullptr;
  }
  if (type != JoinType::kInner && type != JoinType::kLeft && type != JoinType::kSemi && type != JoinType::kAnti) {
    return nullptr;
  }
  // The right input is probed; an inner join may probe its left input instead.
  for (int swapped = 0; swapped < (type == JoinType::kInner ? 2 : 1); swapped++) {
    const LogicalOperator& outer = *join.children[swapped ? 1 : 0];
    const LogicalOperator& inner = *join.children[swapped ? 0 : 1];
    const auto& outer_side = swapped ? right_keys : left_keys;
    const auto& inner_side = swapped ? left_keys : right_keys;
    std::vector<const BoundExpression*> outer_keys, inner_keys;
    for (size_t p = 0; p < outer_side.size(); p++) {
      outer_keys.push_back(outer_side[p].get());
      inner_keys.push_back(inner_side[p].get());
    }
    // A SEMI or ANTI join outputs none of the inner columns, so a projection of the inner
    // table (`x IN (SELECT id FROM t)`) is looked through when only its columns are keys.
    const LogicalOperator* inner_input = &inner;
    if (inner.kind == LogicalOperatorKind::kProjection && outputs_left_only(type) && residual.empty() &&
        inner.children[0]->kind == LogicalOperatorKind::kGet) {
      const auto& projection = static_cast<const LogicalProjection&>(inner);
      bool all_columns = true;
      for (auto& key : inner_keys) {
        const auto* ref = key->kind == BoundExprKind::kColumnRef ? static_cast<const BoundColumnRef*>(key) : nullptr;
        if (ref == nullptr || ref->binding.table_index != projection.table_index ||
            projection.expressions[ref->binding.column_index]->kind != BoundExprKind::kColumnRef) {
          all_columns = false;
          break;
        }
        key = projection.expressions[ref->binding.column_index].get();
      }
      if (!all_columns) continue;
      inner_input = inner.children[0].get();
    }
    if (inner_input->kind != LogicalOperatorKind::kGet) continue;
    const auto& get = static_cast<const LogicalGet&>(*inner_input);
    auto choice = PhysicalIndexJoin::choose(get, inner_keys, outer_keys, outer.estimated_rows, *catalog_, *transaction_);
    if (!choice) continue;
    // Through a projection, every key pair must be probed (the others read its columns).
    if (inner_input != &inner && choice->key_pairs.size() != key_conditions.size()) continue;
    const auto outer_bindings = outer.output_bindings();
    std::vector<BoundExprPtr> probe_keys;
    for (size_t p : choice->key_pairs) probe_keys.push_back(resolve(*outer_keys[p], outer_bindings));
    // Key pairs the index does not cover are checked with the residual.
    std::vector<BoundExprPtr> conditions;
    for (const auto& c : residual) conditions.push_back(c->copy());
    for (size_t p = 0; p < key_conditions.size(); p++) {
      if (std::find(choice->key_pairs.begin(), choice->key_pairs.end(), p) == choice->key_pairs.end()) {
        conditions.push_back(key_conditions[p]->copy());
      }
    }
    BoundExprPtr condition = conjunction_of(std::move(conditions));
    const auto column_ids = columns_read(get, get.filters);
    std::vector<ColumnBinding> fetched;
    for (size_t id : column_ids) fetched.push_back(ColumnBinding{get.table_index, static_cast<uint32_t>(id)});
    auto types = outer.output_types();
    if (!outputs_left_only(type)) {
      const auto inner_types = get.output_types();
      types.insert(types.end(), inner_types.begin(), inner_types.end());
    }
    auto index_join = std::make_unique<PhysicalIndexJoin>(
        types, type, std::move(probe_keys), get.table, choice->index, column_ids, get.column_ids.size(),
        resolve_all(get.filters, fetched),
        condition ? resolve(*condition, concat(outer_bindings, get.output_bindings())) : nullptr, create_plan(outer));
    index_join->estimated_rows = join.estimated_rows;
    if (!swapped) return index_join;
    return restore_column_order(get.output_types(), outer.output_types(), std::move(index_join));
  }
  return nullptr;
}

std::vector<size_t> PhysicalPlanner::columns_read(const LogicalGet& get, const std::vector<BoundExprPtr>& conjuncts) {
  std::vector<size_t> column_ids = get.column_ids;
  for (const auto& conjunct : conjuncts) {
    visit_expression(*conjunct, [&](const BoundExpression& e) {
      if (e.kind != BoundExprKind::kColumnRef) return;
      const auto& ref = static_cast<const BoundColumnRef&>(e);
      if (ref.binding.table_index != get.table_index) return;
      if (std::find(column_ids.begin(), column_ids.end(), ref.binding.column_index) == column_ids.end()) {
        column_ids.push_back(ref.binding.column_index);
      }
    });
  }
  return column_ids;
}

}  // namespace tessera::executor
