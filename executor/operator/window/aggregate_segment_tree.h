#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "catalog/function_entry.h"
#include "executor/operator/window/window_frame.h"
#include "src/common/memory_tracker.h"
#include "src/common/vector.h"

namespace tessera::executor {

/// An aggregate of the registry over arbitrary frames of `num_rows` rows, in O(log n) combines
/// per frame: a segment tree whose leaves hold each row's state (update) and whose inner nodes
/// hold the combination of their children (combine). A frame [begin, end) is answered by
/// combining the O(log n) nodes that tile it into a fresh state, which is then finalized; a
/// frame of several ranges (EXCLUDE) combines the nodes of each, always in row order, so an
/// order-sensitive combine sees its inputs in order. Growing, shrinking and sliding
/// frames all cost the same, and no aggregate needs an inverse. Rows for which `filter` is not
/// true (FILTER (WHERE ...)) leave their leaf empty. The states' bytes are charged to the
/// current MemoryTracker. Not thread-safe; the argument vectors must outlive the tree.
class AggregateSegmentTree {
 public:
  AggregateSegmentTree(const catalog::AggregateFunction& function, const std::vector<Vector>& args, const Vector* filter,
                       size_t num_rows);

  /// Writes the aggregate of frames[i] (row ranges shifted by `base`) to row target_offset + i
  /// of the flat vector `result`.
  void evaluate(const std::vector<FrameRanges>& frames, size_t base, Vector& result, size_t target_offset);

 private:
  std::byte* node(size_t index) { return states_.data() + index * stride_; }

  const catalog::AggregateFunction& function_;
  size_t stride_;
  size_t leaves_;  ///< a power of two >= num_rows; node 1 is the root, leaves start here
  std::vector<std::byte> states_;
  std::shared_ptr<StringHeap> heap_;
  MemoryCharge charge_;
};

}  // namespace tessera::executor
