#include "executor/operator/window/aggregate_segment_tree.h"

#include <algorithm>
#include <numeric>

#include "src/common/data_chunk.h"

namespace tessera::executor {

namespace {

size_t round_up(size_t n, size_t alignment) { return (n + alignment - 1) / alignment * alignment; }

/// At most this many nodes tile one range of a tree of 2^32 leaves (per side).
constexpr size_t kMaxNodesPerRange = 64;

}  // namespace

AggregateSegmentTree::AggregateSegmentTree(const catalog::AggregateFunction& function, const std::vector<Vector>& args,
                                           const Vector* filter, size_t num_rows)
    : function_(function),
      stride_(round_up(std::max<size_t>(function.state_size, 1), std::max<size_t>(function.state_alignment, alignof(std::max_align_t)))),
      heap_(std::make_shared<StringHeap>()) {
  leaves_ = 1;
  while (leaves_ < num_rows) leaves_ *= 2;
  charge_.set(2 * leaves_ * stride_);
  states_.resize(2 * leaves_ * stride_);

  std::vector<std::byte*> pointers(kVectorSize);
  std::vector<sel_t> rows(kVectorSize);
  // All nodes start empty.
  for (size_t first = 0; first < 2 * leaves_; first += kVectorSize) {
    const size_t count = std::min(kVectorSize, 2 * leaves_ - first);
    for (size_t i = 0; i < count; i++) pointers[i] = node(first + i);
    function_.init(pointers.data(), 0, count);
  }
  // Leaves: each row folded into its own state.
  for (size_t first = 0; first < num_rows; first += kVectorSize) {
    const size_t count = std::min(kVectorSize, num_rows - first);
    size_t selected = 0;
    UnifiedVectorFormat f;
    if (filter) filter->to_unified(first + count, f);
    for (size_t i = 0; i < count; i++) {
      if (filter) {
        const sel_t idx = f.sel.get_index(first + i);
        if (!f.validity->row_is_valid(idx) || !f.values<uint8_t>()[idx]) continue;
      }
      rows[selected] = static_cast<sel_t>(first + i);
      pointers[selected] = node(leaves_ + first + i);
      selected++;
    }
    if (selected == 0) continue;
    std::vector<Vector> sliced(args.size());
    SelectionVector sel(rows.data());
    for (size_t a = 0; a < args.size(); a++) sliced[a].slice(args[a], sel, selected);
    function_.update(sliced, selected, pointers.data(), 0, *heap_);
  }
  // Inner nodes, level by level from the bottom.
  std::vector<const std::byte*> sources(kVectorSize);
  for (size_t level = leaves_ / 2; level >= 1; level /= 2) {
    for (size_t first = level; first < 2 * level; first += kVectorSize) {
      const size_t count = std::min(kVectorSize, 2 * level - first);
      for (size_t i = 0; i < count; i++) {
        pointers[i] = node(first + i);
        sources[i] = node(2 * (first + i));
      }
      function_.combine(sources.data(), pointers.data(), 0, count, *heap_);
      for (size_t i = 0; i < count; i++) sources[i] = node(2 * (first + i) + 1);
      function_.combine(sources.data(), pointers.data(), 0, count, *heap_);
    }
  }
}

void AggregateSegmentTree::evaluate(const std::vector<FrameRanges>& frames, size_t base, Vector& result, size_t target_offset) {
  std::vector<std::byte> scratch(kVectorSize * stride_);
  std::vector<std::byte*> targets(kVectorSize);
  std::vector<const std::byte*> sources(kVectorSize);
  std::vector<std::byte*> round_targets(kVectorSize);
  std::vector<uint32_t> nodes(kVectorSize * 3 * kMaxNodesPerRange);
  std::vector<uint32_t> node_count(kVectorSize);
  std::vector<sel_t> identity(kVectorSize);
  std::iota(identity.begin(), identity.end(), 0);
  Vector batch(result.type(), kVectorSize);
  for (size_t first = 0; first < frames.size(); first += kVectorSize) {
    const size_t count = std::min(kVectorSize, frames.size() - first);
    for (size_t i = 0; i < count; i++) targets[i] = scratch.data() + i * stride_;
    function_.init(targets.data(), 0, count);
    size_t max_nodes = 0;
    for (size_t i = 0; i < count; i++) {
      const FrameRanges& frame = frames[first + i];
      uint32_t* list = nodes.data() + i * 3 * kMaxNodesPerRange;
      size_t n = 0;
      for (uint8_t r = 0; r < frame.count; r++) {
        // The tiling nodes in row order: those found from the left end ascend, those found
        // from the right end descend and follow them reversed.
        size_t lo = frame.begin[r] + base + leaves_;
        size_t hi = frame.end[r] + base + leaves_;
        uint32_t right[kMaxNodesPerRange];
        size_t num_right = 0;
        while (lo < hi) {
          if (lo & 1) list[n++] = static_cast<uint32_t>(lo++);
          if (hi & 1) right[num_right++] = static_cast<uint32_t>(--hi);
          lo >>= 1;
          hi >>= 1;
        }
        while (num_right > 0) list[n++] = right[--num_right];
      }
      node_count[i] = static_cast<uint32_t>(n);
      max_nodes = std::max(max_nodes, n);
    }
    // Round k folds the k-th node of every frame that has one.
    for (size_t k = 0; k < max_nodes; k++) {
      size_t m = 0;
      for (size_t i = 0; i < count; i++) {
        if (node_count[i] <= k) continue;
        sources[m] = node(nodes[i * 3 * kMaxNodesPerRange + k]);
        round_targets[m] = targets[i];
        m++;
      }
      function_.combine(sources.data(), round_targets.data(), 0, m, *heap_);
    }
    batch.reset(kVectorSize);
    function_.finalize(targets.data(), 0, count, batch);
    result.copy_from(batch, SelectionVector(identity.data()), count, target_offset + first);
  }
}

}  // namespace tessera::executor
