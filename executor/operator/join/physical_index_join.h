#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"
#include "planner/join_type.h"

namespace tessera::catalog {
class Catalog;
class TableEntry;
}  // namespace tessera::catalog
namespace tessera::planner { class LogicalGet; }
namespace tessera::storage {
class HashIndex;
class Transaction;
}  // namespace tessera::storage

namespace tessera::executor {

/// Which index of a join's inner table its equality keys cover: `key_pairs[i]` is the join key
/// pair whose inner side is index column i.
struct IndexJoinChoice {
  std::shared_ptr<storage::HashIndex> index;
  std::vector<size_t> key_pairs;
};

/// Index nested-loop join (INNER, LEFT, SEMI or ANTI): for each chunk of its child (the outer
/// side, streamed through this operator) it evaluates the outer keys, looks them up in an index
/// of the inner table (under the table's index lock, in the query's snapshot, as
/// PhysicalIndexScan does), fetches the matching inner rows' `column_ids`, keeps those that
/// pass the inner table's `inner_filters` and the pairs that pass `residual`. Output: the outer
/// columns, then (INNER, LEFT) the first `inner_output_count` fetched columns; a LEFT join
/// emits each outer row without a match once, with NULLs on the inner side; a SEMI (ANTI)
/// join emits the outer rows with (without) a match, once, after the whole chunk is decided.
/// An outer key with a NULL matches nothing. Output chunks hold at most kVectorSize rows
/// (kHaveMoreOutput resumes). Immutable; state lives in its local state.
class PhysicalIndexJoin : public PhysicalOperator {
 public:
  /// `outer_keys[i]` (over the outer columns) has the type of index column i, or is an
  /// integer of a wider type (narrowed per row; a value out of the column's range matches
  /// nothing). `inner_filters`
  /// are over the fetched columns; `residual` (may be null) over [outer..., inner outputs...].
  PhysicalIndexJoin(std::vector<LogicalType> types, planner::JoinType join_type,
                    std::vector<planner::BoundExprPtr> outer_keys, std::shared_ptr<catalog::TableEntry> table,
                    std::shared_ptr<storage::HashIndex> index, std::vector<size_t> column_ids,
                    size_t inner_output_count, std::vector<planner::BoundExprPtr> inner_filters,
                    planner::BoundExprPtr residual, std::unique_ptr<PhysicalOperator> outer);

  /// Whether probing an index of `inner` per outer row is cheaper than hashing the table:
  /// an index (one `txn` sees and the table maintains) whose every column is the inner side
  /// (a column of `inner`, see PhysicalIndexScan::key_column) of a pair of
  /// `inner_keys`/`outer_keys` of one type (an integer column widened: any integer), and an
  /// estimated cost of `outer_rows` probes and their fetches below that of reading and hashing
  /// the table.
  static std::optional<IndexJoinChoice> choose(const planner::LogicalGet& inner,
                                               const std::vector<const planner::BoundExpression*>& inner_keys,
                                               const std::vector<const planner::BoundExpression*>& outer_keys,
                                               double outer_rows, const catalog::Catalog& catalog,
                                               const storage::Transaction& txn);

  bool is_streaming_operator() const override { return true; }
  /// Fixes the snapshot the lookups read (the query's rows when its pipeline starts).
  std::unique_ptr<GlobalState> make_global_operator(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_operator(WorkerContext& worker, GlobalState& global) const override;
  OperatorResult execute(WorkerContext& worker, DataChunk& in, DataChunk& out, GlobalState& global,
                         LocalState& local) const override;
  /// "<type> using <index> on <table>", then lines "Index Cond: ..." and "Join Filter: ...".
  std::string explain_details() const override;

 private:
  planner::JoinType join_type_;
  std::vector<planner::BoundExprPtr> outer_keys_;
  std::shared_ptr<catalog::TableEntry> table_;
  std::shared_ptr<storage::HashIndex> index_;
  std::vector<size_t> column_ids_;
  std::vector<LogicalType> key_types_;  // the index columns'
  std::vector<LogicalType> fetch_types_;
  size_t inner_output_count_;
  std::vector<planner::BoundExprPtr> inner_filters_;
  planner::BoundExprPtr residual_;
  std::vector<planner::BoundExprPtr> residual_conjuncts_;  // residual_, as select() takes it
  std::vector<LogicalType> combined_types_;  // [outer..., inner outputs...]
};

}  // namespace tessera::executor
