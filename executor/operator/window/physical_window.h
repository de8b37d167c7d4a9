#pragma once

#include <memory>
#include <string>
#include <vector>

#include "executor/operator/sort/sort_key.h"
#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"

namespace tessera::executor {

/// Window functions sharing one PARTITION BY / ORDER BY. Output: the child's columns, then one
/// column per window (planner::BoundWindow, whose arguments, filter and frame offsets are
/// expressions over the child's columns; its partitions and orders are ignored in favour of
/// `partitions` / `orders`).
///
/// Sink of its child's pipeline: each worker evaluates the partition keys, order keys and
/// window arguments of its rows and appends the rows to one of kBuckets collections chosen by
/// the hash of the partition keys (one bucket without PARTITION BY), so every partition lies in
/// one bucket. Finalization runs per bucket on the scheduler's workers (finalize_part): sort
/// the bucket by partition and order keys with RowSorter, find the partitions and peer groups,
/// compute every window over each partition (frames with compute_frames, aggregates with an
/// AggregateSegmentTree). Source: emits the buckets' rows in their sorted order with the window
/// columns, on one thread. Immutable; state lives in Global/Local states.
class PhysicalWindow : public PhysicalOperator {
 public:
  static constexpr size_t kBuckets = 32;

  PhysicalWindow(std::vector<LogicalType> types, std::vector<planner::BoundExprPtr> partitions, std::vector<SortKey> orders,
                 std::vector<planner::BoundExprPtr> windows, std::unique_ptr<PhysicalOperator> child);

  bool is_sink() const override { return true; }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_sink(WorkerContext& worker, GlobalState& global) const override;
  SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const override;
  void combine(WorkerContext& worker, GlobalState& global, LocalState& local) const override;
  size_t prepare_finalize(QueryContext& query, GlobalState& global) const override;
  void finalize_part(QueryContext& query, GlobalState& global, size_t part) const override;
  void finalize(QueryContext& query, GlobalState& global) const override;

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;

  std::string explain_details() const override;

 private:
  /// Where a window's evaluated arguments (and filter) sit among the materialized columns.
  struct WindowColumns {
    size_t first_arg = 0;
    size_t num_args = 0;
    int filter = -1;
  };

  size_t input_count_;
  std::vector<planner::BoundExprPtr> partitions_;
  std::vector<SortKey> orders_;
  std::vector<planner::BoundExprPtr> windows_;
  std::vector<WindowColumns> window_columns_;
  /// Every materialized column's type: input, partition keys, order keys, window arguments.
  std::vector<LogicalType> stored_types_;
};

}  // namespace tessera::executor
