#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "executor/chunk_collection.h"
#include "executor/expression/expression_executor.h"
#include "planner/binder/bound_expression.h"
#include "src/common/data_chunk.h"

namespace tessera::executor {

/// A batch of up to kVectorSize candidate pairs (probe row, build row) of a join, and how they
/// become output: probe columns sliced from the probe chunk, then build columns sliced from the
/// materialized build rows (no copies), filtered by the join condition. Shared by the hash and
/// nested-loop joins. Not thread-safe: one per worker.
class JoinBatch {
 public:
  JoinBatch() : left_(kVectorSize), right_(kVectorSize), selected_(kVectorSize) {}

  /// A single-match join (a scalar subquery's LEFT join): emit() raises 21000 when a probe
  /// row joins a second build row.
  void set_single_match(bool single_match) { single_match_ = single_match; }

  /// Probe row of pair i (set by the caller).
  sel_t* left() { return left_.data(); }
  /// Build row of pair i (set by the caller).
  sel_t* right() { return right_.data(); }

  /// Writes the pairs [0, count) for which `condition` (over [probe columns..., build
  /// columns...]; null = always true) holds into `out`, and sets matched[probe row] for them
  /// (and build_matched[build row], when given: a FULL join's build side, shared by workers;
  /// see set_single_match).
  /// `build` holds the build rows in its first `build_columns` columns. Returns the output size.
  size_t emit(ExpressionExecutor& expressions, const planner::BoundExpression* condition, const DataChunk& probe,
              const ColumnarRows& build, size_t build_columns, size_t count, uint8_t* matched, DataChunk& out,
              std::atomic<uint8_t>* build_matched = nullptr);

  /// Sets matched[probe row] for the pairs [0, count) for which `condition` holds, writing no
  /// output (the pairs of a semi or anti join).
  void mark(ExpressionExecutor& expressions, const planner::BoundExpression* condition, const DataChunk& probe,
            const ColumnarRows& build, size_t build_columns, size_t count, uint8_t* matched);

  /// Three-valued mark of the pairs [0, count) (a null-aware mark join): sets matched[probe
  /// row] where `condition` (null = always true) is true and unknown[probe row] where it is
  /// NULL.
  void mark_three_valued(ExpressionExecutor& expressions, const planner::BoundExpression* condition,
                         const DataChunk& probe, const ColumnarRows& build, size_t build_columns, size_t count,
                         uint8_t* matched, uint8_t* unknown);

  /// Writes every probe row into `out`, then the boolean mark column: true where matched[row],
  /// else NULL where `unknown` is given and unknown[row], else false (a mark join's output).
  /// Returns the output size.
  static size_t emit_marked(const DataChunk& probe, const uint8_t* matched, const uint8_t* unknown, DataChunk& out);

  /// The next up to kVectorSize build rows from `next_row` on that no probe row joined
  /// (matched[row] unset), and their count (0 when none are left); advances `next_row`. For the
  /// final pass of a FULL join: `out`'s probe columns become constant NULLs and its build
  /// columns the rows of `build` selected (references, no copies).
  static size_t emit_unmatched_build_rows(const std::atomic<uint8_t>* matched, const ColumnarRows& build,
                                          size_t build_columns, size_t num_rows, size_t left_columns, size_t& next_row,
                                          DataChunk& out);

  /// Writes the probe rows with matched[row] == 0 into `out` with NULL build columns (the
  /// extra rows of a LEFT join; an anti join's rows when `out` has only the probe columns).
  /// Returns the output size.
  size_t emit_unmatched(const DataChunk& probe, const uint8_t* matched, DataChunk& out) {
    return emit_probe_rows(probe, matched, 0, out);
  }
  /// Writes the probe rows with matched[row] != 0 into `out` (a semi join's rows).
  size_t emit_matched(const DataChunk& probe, const uint8_t* matched, DataChunk& out) {
    return emit_probe_rows(probe, matched, 1, out);
  }

 private:
  /// The pairs [0, count) as one chunk: probe columns, then build columns (slices, no copies).
  DataChunk pair_chunk(const DataChunk& probe, const ColumnarRows& build, size_t build_columns, size_t count) const;
  /// Writes the probe rows whose matched flag is `want`, then NULLs for any further columns.
  size_t emit_probe_rows(const DataChunk& probe, const uint8_t* matched, uint8_t want, DataChunk& out);

  /// Sets matched[row], raising 21000 when a single-match join's row is matched already.
  void set_matched(uint8_t* matched, sel_t row) const;

  SelectionVector left_;
  SelectionVector right_;
  SelectionVector selected_;
  bool single_match_ = false;
};

}  // namespace tessera::executor
