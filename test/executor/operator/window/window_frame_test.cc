#include "executor/operator/window/window_frame.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace tessera::executor::test {
namespace {

using planner::WindowFrameBoundKind;
using planner::WindowFrameExclusion;
using planner::WindowFrameUnit;

/// Peer groups from a list of sorted keys.
PartitionPeers peers_of(const std::vector<int>& keys) {
  PartitionPeers peers;
  peers.group_start.push_back(0);
  for (size_t i = 0; i < keys.size(); i++) {
    if (i > 0 && keys[i] != keys[i - 1]) peers.group_start.push_back(static_cast<uint32_t>(i));
    peers.group_of.push_back(static_cast<uint32_t>(peers.group_start.size() - 1));
  }
  peers.group_start.push_back(static_cast<uint32_t>(keys.size()));
  return peers;
}

std::set<int64_t> rows_of(const FrameRanges& f) {
  std::set<int64_t> rows;
  for (uint8_t r = 0; r < f.count; r++) {
    for (uint32_t i = f.begin[r]; i < f.end[r]; i++) rows.insert(i);
  }
  return rows;
}

/// The frame of row `i` by the SQL definitions, row by row: a row j is in the frame when it is
/// after the start bound and before the end bound, then the exclusion removes rows.
std::set<int64_t> reference(const WindowFrameSpec& spec, const std::vector<int>& keys, int64_t i) {
  const int64_t n = static_cast<int64_t>(keys.size());
  auto group = [&](int64_t row) {
    int64_t g = 0;
    for (int64_t j = 1; j <= row; j++) g += keys[j] != keys[j - 1];
    return g;
  };
  // Position of row j relative to row i in the frame unit.
  auto distance = [&](int64_t j) -> int64_t {
    switch (spec.unit) {
      case WindowFrameUnit::kRows: return j - i;
      case WindowFrameUnit::kGroups: return group(j) - group(i);
      case WindowFrameUnit::kRange: return keys[j] - keys[i];
    }
    return 0;
  };
  auto after_start = [&](int64_t j) {
    switch (spec.start) {
      case WindowFrameBoundKind::kUnboundedPreceding: return true;
      case WindowFrameBoundKind::kPreceding: return distance(j) >= -spec.start_offset;
      case WindowFrameBoundKind::kCurrentRow: return spec.unit == WindowFrameUnit::kRows ? j >= i : distance(j) >= 0;
      case WindowFrameBoundKind::kFollowing: return distance(j) >= spec.start_offset;
      case WindowFrameBoundKind::kUnboundedFollowing: return false;
    }
    return false;
  };
  auto before_end = [&](int64_t j) {
    switch (spec.end) {
      case WindowFrameBoundKind::kUnboundedPreceding: return false;
      case WindowFrameBoundKind::kPreceding: return distance(j) <= -spec.end_offset;
      case WindowFrameBoundKind::kCurrentRow: return spec.unit == WindowFrameUnit::kRows ? j <= i : distance(j) <= 0;
      case WindowFrameBoundKind::kFollowing: return distance(j) <= spec.end_offset;
      case WindowFrameBoundKind::kUnboundedFollowing: return true;
    }
    return false;
  };
  std::set<int64_t> rows;
  for (int64_t j = 0; j < n; j++) {
    if (!after_start(j) || !before_end(j)) continue;
    const bool peer = keys[j] == keys[i];
    switch (spec.exclusion) {
      case WindowFrameExclusion::kNoOthers: break;
      case WindowFrameExclusion::kCurrentRow:
        if (j == i) continue;
        break;
      case WindowFrameExclusion::kGroup:
        if (peer) continue;
        break;
      case WindowFrameExclusion::kTies:
        if (peer && j != i) continue;
        break;
    }
    rows.insert(j);
  }
  return rows;
}

/// RANGE offset bounds by linear search, as the operator's binary search must find them.
void range_bounds(const WindowFrameSpec& spec, const std::vector<int>& keys, std::vector<uint32_t>& starts,
                  std::vector<uint32_t>& ends) {
  const size_t n = keys.size();
  starts.assign(n, 0);
  ends.assign(n, 0);
  for (size_t i = 0; i < n; i++) {
    const int64_t lo = keys[i] + (spec.start == WindowFrameBoundKind::kPreceding ? -spec.start_offset : spec.start_offset);
    const int64_t hi = keys[i] + (spec.end == WindowFrameBoundKind::kPreceding ? -spec.end_offset : spec.end_offset);
    size_t s = 0;
    while (s < n && keys[s] < lo) s++;
    size_t e = 0;
    while (e < n && keys[e] <= hi) e++;
    starts[i] = static_cast<uint32_t>(s);
    ends[i] = static_cast<uint32_t>(e);
  }
}

TEST(WindowFrame, DefaultFrameIsRunningOverPeers) {
  const std::vector<int> keys = {1, 1, 2, 3, 3, 3};
  WindowFrameSpec spec;
  const auto frames = compute_frames(spec, peers_of(keys), {}, {});
  const std::vector<size_t> sizes = {2, 2, 3, 6, 6, 6};
  for (size_t i = 0; i < keys.size(); i++) EXPECT_EQ(sizes[i], frames[i].size()) << i;
  EXPECT_EQ(0u, frames[4].begin[0]);
}

TEST(WindowFrame, EmptyFramesHaveNoRanges) {
  const std::vector<int> keys = {1, 2, 3};
  WindowFrameSpec spec;
  spec.unit = WindowFrameUnit::kRows;
  spec.start = WindowFrameBoundKind::kPreceding;
  spec.start_offset = 5;
  spec.end = WindowFrameBoundKind::kPreceding;
  spec.end_offset = 4;
  for (const auto& f : compute_frames(spec, peers_of(keys), {}, {})) EXPECT_EQ(0, f.count);
  spec.start = WindowFrameBoundKind::kFollowing;
  spec.start_offset = INT64_MAX;
  spec.end = WindowFrameBoundKind::kUnboundedFollowing;
  for (const auto& f : compute_frames(spec, peers_of(keys), {}, {})) EXPECT_EQ(0, f.count);
}

TEST(WindowFrame, MatchesDefinitionForEveryShape) {
  std::mt19937 random(7);
  const WindowFrameBoundKind kinds[] = {WindowFrameBoundKind::kUnboundedPreceding, WindowFrameBoundKind::kPreceding,
                                        WindowFrameBoundKind::kCurrentRow, WindowFrameBoundKind::kFollowing,
                                        WindowFrameBoundKind::kUnboundedFollowing};
  const WindowFrameExclusion exclusions[] = {WindowFrameExclusion::kNoOthers, WindowFrameExclusion::kCurrentRow,
                                             WindowFrameExclusion::kGroup, WindowFrameExclusion::kTies};
  for (int trial = 0; trial < 30; trial++) {
    std::vector<int> keys(1 + random() % 25);
    int key = 0;
    for (auto& k : keys) {
      key += static_cast<int>(random() % 3);
      k = key;
    }
    const PartitionPeers peers = peers_of(keys);
    for (auto unit : {WindowFrameUnit::kRows, WindowFrameUnit::kRange, WindowFrameUnit::kGroups}) {
      for (auto start : kinds) {
        for (auto end : kinds) {
          if (start == WindowFrameBoundKind::kUnboundedFollowing || end == WindowFrameBoundKind::kUnboundedPreceding) continue;
          for (auto exclusion : exclusions) {
            WindowFrameSpec spec;
            spec.unit = unit;
            spec.start = start;
            spec.end = end;
            spec.exclusion = exclusion;
            spec.start_offset = random() % 4;
            spec.end_offset = random() % 4;
            std::vector<uint32_t> starts, ends;
            if (unit == WindowFrameUnit::kRange) range_bounds(spec, keys, starts, ends);
            const auto frames = compute_frames(spec, peers, starts, ends);
            for (size_t i = 0; i < keys.size(); i++) {
              ASSERT_EQ(reference(spec, keys, static_cast<int64_t>(i)), rows_of(frames[i]))
                  << "unit " << int(unit) << " start " << int(start) << " end " << int(end) << " exclusion " << int(exclusion)
                  << " row " << i;
            }
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace tessera::executor::test
