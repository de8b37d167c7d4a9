#pragma once

#include <memory>
#include <string>
#include <vector>

#include "executor/physical_operator.h"

namespace tessera::executor {

enum class SetOperationType : uint8_t { kUnion, kIntersect, kIntersectAll, kExcept, kExceptAll };

/// UNION (distinct), INTERSECT [ALL] and EXCEPT [ALL] by hashing, as PostgreSQL's HashSetOp:
/// the child is a UNION ALL of both inputs, each row tagged in a last int32 column with the
/// input it came from (0 = left, 1 = right; UNION reads no tag). Rows are equal when every
/// column is (NULLs equal each other, as in GROUP BY). Each distinct row is output
///   UNION:         once;
///   INTERSECT:     once if it occurs in both inputs; INTERSECT ALL: min(m, n) times;
///   EXCEPT:        once if it occurs only on the left;  EXCEPT ALL: max(m - n, 0) times,
/// m and n being its counts in the left and right input.
///
/// Sink of its child's pipeline: each worker counts its rows per distinct row in a thread-local
/// GroupHashTable; combine() merges a worker's table into the global one under its lock;
/// finalize() writes the output rows. Source of the next pipeline: workers claim output chunks.
/// Immutable; all mutable state lives in the Global/Local states.
class PhysicalHashSetOperation : public PhysicalOperator {
 public:
  /// `types` are the output columns; the child produces them plus the tag (except for UNION).
  PhysicalHashSetOperation(SetOperationType type, std::vector<LogicalType> types, std::unique_ptr<PhysicalOperator> child);

  bool is_sink() const override { return true; }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_sink(WorkerContext& worker, GlobalState& global) const override;
  SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const override;
  void combine(WorkerContext& worker, GlobalState& global, LocalState& local) const override;
  void finalize(QueryContext& query, GlobalState& global) const override;

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;

  std::string explain_details() const override;

  /// How often a row counted `left` times in the left input and `right` times in the right
  /// one appears in the result.
  static uint64_t output_count(SetOperationType type, uint64_t left, uint64_t right);

 private:
  SetOperationType type_;
  bool tagged_;
};

}  // namespace tessera::executor
