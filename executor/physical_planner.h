#pragma once

#include <map>
#include <memory>
#include <vector>

#include "executor/physical_operator.h"
#include "planner/logical/logical_operator.h"

namespace tessera::catalog { class Catalog; }
namespace tessera::storage { class Transaction; }

namespace tessera::executor {

class PhysicalCte;
struct IndexScanChoice;

/// Turns an optimized logical plan into physical operators: picks algorithms (hash join with
/// the smaller side built, nested-loop join for conditions without equalities, top-N for
/// ORDER BY + LIMIT, hash aggregate for DISTINCT) and resolves column bindings to chunk
/// positions. It lives in the executor because the operators it creates do; the planner part
/// stops at the optimized logical plan.
class PhysicalPlanner {
 public:
  /// `catalog` and `transaction` are what constant expressions evaluated while planning
  /// (LIMIT/OFFSET) may read through subqueries.
  PhysicalPlanner(catalog::Catalog* catalog, storage::Transaction* transaction) : catalog_(catalog), transaction_(transaction) {}

  /// The physical plan of `plan` (without a result sink).
  std::unique_ptr<PhysicalOperator> create_plan(const planner::LogicalOperator& plan);
  /// `create_plan` under a result collector: the root every executed plan needs.
  std::unique_ptr<PhysicalOperator> create_rooted_plan(const planner::LogicalOperator& plan, bool stream, size_t max_rows = 0);
  /// Evaluates an expression that reads no columns (LIMIT, EXECUTE arguments).
  Value evaluate_constant(const planner::BoundExpression& expr);

 private:
  std::unique_ptr<PhysicalOperator> plan_join(const planner::LogicalJoin& join);
  /// An index nested-loop join for `join` (its key pairs, the condition of each, the other
  /// conditions) when one is cheaper than a hash join; null otherwise.
  std::unique_ptr<PhysicalOperator> plan_index_join(const planner::LogicalJoin& join,
                                                    const std::vector<planner::BoundExprPtr>& left_keys,
                                                    const std::vector<planner::BoundExprPtr>& right_keys,
                                                    const std::vector<const planner::BoundExpression*>& key_conditions,
                                                    const std::vector<planner::BoundExprPtr>& residual);
  /// A projection putting the columns of `swapped` (right columns, then left) back in
  /// left-then-right order.
  std::unique_ptr<PhysicalOperator> restore_column_order(const std::vector<LogicalType>& left_types,
                                                         const std::vector<LogicalType>& right_types,
                                                         std::unique_ptr<PhysicalOperator> swapped);
  /// The columns `get` outputs, then those only `conjuncts` read (table column indexes).
  static std::vector<size_t> columns_read(const planner::LogicalGet& get, const std::vector<planner::BoundExprPtr>& conjuncts);
  /// The index scan of `get` that `choice` describes.
  std::unique_ptr<PhysicalOperator> plan_index_scan(const planner::LogicalGet& get, IndexScanChoice choice);
  std::unique_ptr<PhysicalOperator> plan_set_operation(const planner::LogicalSetOperation& set_op);
  std::unique_ptr<PhysicalOperator> plan_materialized_cte(const planner::LogicalMaterializedCte& cte);
  /// Copies `expr` with column references resolved against `input` (the child's output
  /// bindings) and subqueries planned.
  planner::BoundExprPtr resolve(const planner::BoundExpression& expr, const std::vector<planner::ColumnBinding>& input);
  /// CHECK constraints bound over {table_index, c}, resolved over a chunk of the table's columns.
  std::vector<planner::BoundExprPtr> resolve_checks(const std::vector<planner::BoundExprPtr>& checks,
                                                    uint32_t table_index, size_t column_count);
  std::vector<planner::BoundExprPtr> resolve_all(const std::vector<planner::BoundExprPtr>& exprs,
                                                 const std::vector<planner::ColumnBinding>& input);
  /// Whether `expr` reads no columns, parameters or subqueries.
  static bool is_constant_expression(const planner::BoundExpression& expr);

  catalog::Catalog* catalog_;
  storage::Transaction* transaction_;
  /// The materialized WITH queries planned so far, by cte_index (their scans refer to them).
  std::map<uint32_t, const PhysicalCte*> ctes_;
};

}  // namespace tessera::executor
