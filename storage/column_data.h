#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "src/common/logical_type.h"
#include "src/common/vector.h"
#include "storage/column_segment.h"
#include "storage/storage_constants.h"
#include "storage/table_filter.h"
#include "storage/uncompressed_segment.h"
#include "storage/zone_map.h"

namespace tessera::storage {

/// The values of one column within one row group: a list of segments, each covering a fixed run
/// of consecutive rows (segment i starts at row `segment_start(i)` of the row group and holds up
/// to `segment(i)->capacity()` rows). Nothing here assumes a segment size: appends create
/// UncompressedSegments of kVectorSize rows; when one is full it is sealed and replaced by its
/// EncodedSegment (same rows, same zone map) if that is smaller.
///
/// Thread-safety: one writer (the table's append lock), concurrent readers of published rows.
/// A reader finds every segment that holds a published row: a segment is listed (release)
/// before rows are appended to it, and rows are published after that. Slots hold shared
/// pointers (swapped under a mutex), so a reader pins the segment it reads (`segment(i)`) and
/// a replaced segment lives until its last reader lets go.
class ColumnData {
 public:
  explicit ColumnData(LogicalType type) : type_(type), zone_map_(type) {}
  ColumnData(const ColumnData&) = delete;
  ColumnData& operator=(const ColumnData&) = delete;

  const LogicalType& type() const { return type_; }

  /// Writer: copies `count` rows of `source` (from row `source_offset`) to rows
  /// [row_start, row_start + count) of the row group, creating segments as needed and sealing
  /// those that become full.
  void append(const UnifiedVectorFormat& source, size_t source_offset, size_t row_start, size_t count);

  /// Reader: number of segments listed so far.
  size_t segment_count() const { return segment_count_.load(std::memory_order_acquire); }
  std::shared_ptr<const ColumnSegment> segment(size_t index) const {
    std::lock_guard<std::mutex> lock(segments_mutex_);
    return segments_[index].segment;
  }
  /// First row (row-group offset) of segment `index`.
  size_t segment_start(size_t index) const { return segments_[index].start; }
  /// Index of the segment holding row `row` (the row must be published).
  size_t segment_index(size_t row) const;
  /// Reader: every listed segment, pinned (for statistics such as the tessera_storage view).
  std::vector<std::shared_ptr<const ColumnSegment>> segments() const;
  /// Min/max/NULL count of every row written to the column so far.
  ZoneMap zone_map() const;

  /// Recovery, on an empty column: lists `segments` (sealed, in row order, covering the rows
  /// from 0 without gaps) as the column's, as a full row group read from a data file has them.
  /// No appends may follow unless the segments leave room (they never do: data files hold
  /// full row groups).
  void restore_segments(std::vector<std::shared_ptr<const ColumnSegment>> segments);

  /// Reader: decodes the rows `row_start + sel[i]` (sel ascending; nullptr = rows
  /// row_start .. row_start + count - 1) into `out`. When `out` can reference a sealed segment
  /// instead of copying (the rows are exactly one segment's, or a selection within one sealed
  /// segment), it does; otherwise `out` is reset and filled (a flat vector).
  void scan(size_t row_start, size_t window_rows, const sel_t* sel, size_t count, Vector& out) const;
  /// Reader: writes to `sel_out` the entries r of `sel_in[0 .. count)` (ascending; nullptr:
  /// 0 .. count - 1) whose row `row_start + r` satisfies `filter`; returns how many. `sel_out`
  /// may be `sel_in`.
  size_t select(const TableFilter& filter, size_t row_start, const sel_t* sel_in, size_t count, sel_t* sel_out) const;

 private:
  // Most segments a row group can list: kVectorSize rows each is the smallest size appends make.
  static constexpr size_t kMaxSegments = kRowGroupSize / UncompressedSegment::kCapacity;
  struct Slot {
    size_t start = 0;
    std::shared_ptr<const ColumnSegment> segment;  // guarded by segments_mutex_
  };

  // Writer: seals the full tail segment and swaps in its encoded form when that is smaller.
  void seal_tail();

  const LogicalType type_;
  std::array<Slot, kMaxSegments> segments_;
  // Guards the slots' pointers: a reader copies one (pinning the segment) while the writer may
  // swap in an encoded segment.
  mutable std::mutex segments_mutex_;
  std::atomic<size_t> segment_count_{0};
  std::shared_ptr<UncompressedSegment> tail_;  // the segment appends go to; writer only
  size_t tail_index_ = 0;
  mutable std::mutex zone_mutex_;
  ZoneMap zone_map_;
};

}  // namespace tessera::storage
