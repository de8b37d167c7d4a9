#include "executor/operator/window/window_frame.h"

#include <algorithm>

namespace tessera::executor {

using planner::WindowFrameBoundKind;
using planner::WindowFrameExclusion;
using planner::WindowFrameUnit;

namespace {

int64_t clamp(int64_t v, int64_t lo, int64_t hi) { return std::max(lo, std::min(v, hi)); }

/// Saturating a + b for offsets up to INT64_MAX.
int64_t add(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}

uint32_t frame_start(const WindowFrameSpec& spec, const PartitionPeers& peers, size_t row, const std::vector<uint32_t>& range_start) {
  const int64_t n = static_cast<int64_t>(peers.num_rows());
  const int64_t i = static_cast<int64_t>(row);
  switch (spec.start) {
    case WindowFrameBoundKind::kUnboundedPreceding: return 0;
    case WindowFrameBoundKind::kUnboundedFollowing: return static_cast<uint32_t>(n);
    case WindowFrameBoundKind::kCurrentRow: return spec.unit == WindowFrameUnit::kRows ? static_cast<uint32_t>(row) : peers.peer_begin(row);
    case WindowFrameBoundKind::kPreceding:
    case WindowFrameBoundKind::kFollowing: {
      const bool preceding = spec.start == WindowFrameBoundKind::kPreceding;
      switch (spec.unit) {
        case WindowFrameUnit::kRows:
          return static_cast<uint32_t>(preceding ? clamp(i - std::min(spec.start_offset, n), 0, n) : clamp(add(i, spec.start_offset), 0, n));
        case WindowFrameUnit::kGroups: {
          const int64_t groups = static_cast<int64_t>(peers.num_groups());
          const int64_t g = peers.group_of[row];
          const int64_t target = preceding ? std::max<int64_t>(0, g - std::min(spec.start_offset, groups)) : add(g, spec.start_offset);
          return target >= groups ? static_cast<uint32_t>(n) : peers.group_start[target];
        }
        case WindowFrameUnit::kRange: return range_start[row];
      }
    }
  }
  return 0;
}

uint32_t frame_end(const WindowFrameSpec& spec, const PartitionPeers& peers, size_t row, const std::vector<uint32_t>& range_end) {
  const int64_t n = static_cast<int64_t>(peers.num_rows());
  const int64_t i = static_cast<int64_t>(row);
  switch (spec.end) {
    case WindowFrameBoundKind::kUnboundedPreceding: return 0;
    case WindowFrameBoundKind::kUnboundedFollowing: return static_cast<uint32_t>(n);
    case WindowFrameBoundKind::kCurrentRow: return spec.unit == WindowFrameUnit::kRows ? static_cast<uint32_t>(row + 1) : peers.peer_end(row);
    case WindowFrameBoundKind::kPreceding:
    case WindowFrameBoundKind::kFollowing: {
      const bool preceding = spec.end == WindowFrameBoundKind::kPreceding;
      switch (spec.unit) {
        case WindowFrameUnit::kRows:
          return static_cast<uint32_t>(preceding ? clamp(i + 1 - std::min(spec.end_offset, n + 1), 0, n)
                                                 : clamp(add(i + 1, spec.end_offset), 0, n));
        case WindowFrameUnit::kGroups: {
          const int64_t groups = static_cast<int64_t>(peers.num_groups());
          const int64_t g = peers.group_of[row];
          const int64_t target = preceding ? g - std::min(spec.end_offset, groups + 1) : std::min(add(g, spec.end_offset), groups - 1);
          return target < 0 ? 0 : peers.group_start[target + 1];
        }
        case WindowFrameUnit::kRange: return range_end[row];
      }
    }
  }
  return 0;
}

}  // namespace

std::vector<FrameRanges> compute_frames(const WindowFrameSpec& spec, const PartitionPeers& peers,
                                        const std::vector<uint32_t>& range_start, const std::vector<uint32_t>& range_end) {
  const size_t n = peers.num_rows();
  std::vector<FrameRanges> frames(n);
  for (size_t row = 0; row < n; row++) {
    const uint32_t begin = frame_start(spec, peers, row, range_start);
    const uint32_t end = std::max(begin, frame_end(spec, peers, row, range_end));
    FrameRanges& f = frames[row];
    auto push = [&](uint32_t b, uint32_t e) {
      b = std::max(b, begin);
      e = std::min(e, end);
      if (b < e) {
        f.begin[f.count] = b;
        f.end[f.count] = e;
        f.count++;
      }
    };
    const uint32_t r = static_cast<uint32_t>(row);
    switch (spec.exclusion) {
      case WindowFrameExclusion::kNoOthers: push(begin, end); break;
      case WindowFrameExclusion::kCurrentRow:
        push(begin, r);
        push(r + 1, end);
        break;
      case WindowFrameExclusion::kGroup:
        push(begin, peers.peer_begin(row));
        push(peers.peer_end(row), end);
        break;
      case WindowFrameExclusion::kTies:
        push(begin, peers.peer_begin(row));
        push(r, r + 1);
        push(peers.peer_end(row), end);
        break;
    }
  }
  return frames;
}

}  // namespace tessera::executor
