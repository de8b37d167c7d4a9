#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "executor/execution_context.h"
#include "planner/binder/bound_expression.h"
#include "src/common/data_chunk.h"

namespace tessera::executor {

/// Evaluates bound expressions (column references already resolved to BoundReference
/// positions) a chunk at a time, column-at-a-time, with selection vectors. One per worker
/// and operator: it keeps scratch state and subquery caches, so it is not thread-safe.
class ExpressionExecutor {
 public:
  explicit ExpressionExecutor(QueryContext& query);
  ~ExpressionExecutor();
  ExpressionExecutor(const ExpressionExecutor&) = delete;
  ExpressionExecutor& operator=(const ExpressionExecutor&) = delete;

  /// Evaluates `expr` for every row of `input` into `result` (any representation; its type is
  /// expr.type).
  void execute(const planner::BoundExpression& expr, const DataChunk& input, Vector& result);
  /// Evaluates each expression into the matching column of `output`; sets output's size.
  void execute(const std::vector<planner::BoundExprPtr>& exprs, const DataChunk& input, DataChunk& output);
  /// Writes the rows of `input` for which every conjunct is true into `sel`; returns how many.
  size_t select(const std::vector<planner::BoundExprPtr>& conjuncts, const DataChunk& input, SelectionVector& sel);

  /// Evaluates `expr` for the rows `sel[0..count)` (all rows 0..count when sel is null):
  /// row r of `result` holds the value of input row r. Rows outside the selection are undefined.
  void eval(const planner::BoundExpression& expr, const DataChunk& input, const sel_t* sel, size_t count,
            Vector& result);
  /// Of the rows sel[0..count) (0..count when null), writes those where `expr` is true into
  /// `true_sel` and returns their number.
  size_t eval_select(const planner::BoundExpression& expr, const DataChunk& input, const sel_t* sel, size_t count,
                     sel_t* true_sel);

 private:
  struct SubqueryCache;

  void eval_case(const planner::BoundCase& expr, const DataChunk& input, const sel_t* sel, size_t count, Vector& result);
  void eval_boolean_test(const planner::BoundBooleanTest& expr, const DataChunk& input, const sel_t* sel, size_t count,
                         Vector& result);
  void eval_coalesce(const planner::BoundCoalesce& expr, const DataChunk& input, const sel_t* sel, size_t count,
                     Vector& result);
  void eval_conjunction(const planner::BoundConjunction& expr, const DataChunk& input, const sel_t* sel, size_t count,
                        Vector& result);
  void eval_function(const planner::BoundFunction& expr, const DataChunk& input, const sel_t* sel, size_t count,
                     Vector& result);
  void eval_subquery(const planner::BoundSubquery& expr, const DataChunk& input, const sel_t* sel, size_t count,
                     Vector& result);
  /// Runs the subquery with `params` and reduces it to the expression's value for `left`.
  Value subquery_value(const planner::BoundSubquery& expr, const std::vector<Value>& params, const Value& left);

  QueryContext& query_;
  std::map<const planner::BoundSubquery*, std::unique_ptr<SubqueryCache>> subquery_caches_;
};

}  // namespace tessera::executor
