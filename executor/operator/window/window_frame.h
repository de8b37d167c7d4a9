#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "planner/binder/bound_expression.h"

namespace tessera::executor {

/// The frame clause of a window with its ROWS / GROUPS offsets evaluated (RANGE offsets are
/// resolved per row by the caller into `range_start` / `range_end` of compute_frames()).
struct WindowFrameSpec {
  planner::WindowFrameUnit unit = planner::WindowFrameUnit::kRange;
  planner::WindowFrameBoundKind start = planner::WindowFrameBoundKind::kUnboundedPreceding;
  planner::WindowFrameBoundKind end = planner::WindowFrameBoundKind::kCurrentRow;
  planner::WindowFrameExclusion exclusion = planner::WindowFrameExclusion::kNoOthers;
  int64_t start_offset = 0;  ///< ROWS / GROUPS n PRECEDING / FOLLOWING (never negative)
  int64_t end_offset = 0;
};

/// The peer groups of one sorted partition of `num_rows` rows: rows with equal ORDER BY keys.
/// Without ORDER BY the whole partition is one group.
struct PartitionPeers {
  /// The peer group of each row.
  std::vector<uint32_t> group_of;
  /// The first row of each group, then num_rows (size groups + 1).
  std::vector<uint32_t> group_start;

  size_t num_rows() const { return group_of.size(); }
  size_t num_groups() const { return group_start.size() - 1; }
  uint32_t peer_begin(size_t row) const { return group_start[group_of[row]]; }
  uint32_t peer_end(size_t row) const { return group_start[group_of[row] + 1]; }
};

/// A frame after EXCLUDE: up to three disjoint row ranges [begin, end) of the partition, in
/// row order (empty ranges are dropped).
struct FrameRanges {
  uint32_t begin[3];
  uint32_t end[3];
  uint8_t count = 0;

  size_t size() const {
    size_t total = 0;
    for (uint8_t r = 0; r < count; r++) total += end[r] - begin[r];
    return total;
  }
};

/// The frame of every row of a partition (positions 0..num_rows within the sorted partition),
/// with the exclusion applied. For RANGE with an offset bound, `range_start` / `range_end` give
/// that bound per row (they are ignored otherwise and may be empty). Pure function.
std::vector<FrameRanges> compute_frames(const WindowFrameSpec& spec, const PartitionPeers& peers,
                                        const std::vector<uint32_t>& range_start, const std::vector<uint32_t>& range_end);

}  // namespace tessera::executor
