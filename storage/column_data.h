#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "src/common/logical_type.h"
#include "src/common/vector.h"
#include "storage/column_segment.h"
#include "storage/storage_constants.h"
#include "storage/table_filter.h"
#include "storage/uncompressed_segment.h"
#include "storage/zone_map.h"

namespace tessera::storage {

/// What a sealed segment is, known without its values (a data file's footer keeps it).
struct SegmentInfo {
  size_t count = 0;
  SegmentEncoding encoding = SegmentEncoding::kUncompressed;
  size_t memory_bytes = 0;        ///< ColumnSegment::memory_bytes
  size_t uncompressed_bytes = 0;  ///< ColumnSegment::uncompressed_bytes
  ZoneMap zone_map;
};

/// Reads the segments of one column of one row group from where they are stored (a data file
/// block): all of them, in row order, as SegmentInfo listed them. Errors: XX001 for damaged
/// data, 58030 for I/O errors. Thread-safety: load may run on any thread, also concurrently.
class SegmentLoader {
 public:
  virtual ~SegmentLoader() = default;
  virtual std::vector<std::shared_ptr<const ColumnSegment>> load() const = 0;
  /// The block compression of the stored segments ("lz4", "zstd", "none").
  virtual const char* codec_name() const = 0;
};

/// The values of one column within one row group: a list of segments, each covering a fixed run
/// of consecutive rows (segment i starts at row `segment_start(i)` of the row group and holds up
/// to `segment(i)->capacity()` rows). Nothing here assumes a segment size: appends create
/// UncompressedSegments of kVectorSize rows; when one is full it is sealed and replaced by its
/// EncodedSegment (same rows, same zone map) if that is smaller.
///
/// A column restored from a data file (restore_unloaded) starts without its segments: it knows
/// each segment's rows, encoding, sizes and zone map, and loads the values on first use
/// (segment()); the BufferPool may drop them again (evict) when loaded columns take more memory
/// than its limit, and the next use loads them again. Readers pin what they read, so an
/// eviction never pulls data from under a scan.
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

  ~ColumnData();

  /// Reader: number of segments listed so far.
  size_t segment_count() const { return segment_count_.load(std::memory_order_acquire); }
  /// Segment `index`, pinned; loads the column's segments first when they are not in memory
  /// (XX001 / 58030 when that fails).
  std::shared_ptr<const ColumnSegment> segment(size_t index) const;
  /// What the zone map of segment `index` says about `filter`, without loading the segment.
  ZoneCheck check_zone(size_t index, const TableFilter& filter) const;
  /// Zone map of segment `index`, without loading it.
  ZoneMap segment_zone_map(size_t index) const;
  /// Rows, encoding, sizes and zone map of every listed segment, without loading any.
  std::vector<SegmentInfo> segment_infos() const;
  /// An address that stands for segment `index` (whether loaded or not) in comparisons.
  const void* segment_key(size_t index) const { return &segments_[index]; }

  /// Recovery, on an empty column: the column's sealed segments are `infos` (in row order,
  /// covering the rows from 0), read by `loader` when first used.
  void restore_unloaded(std::shared_ptr<const SegmentLoader> loader, std::vector<SegmentInfo> infos);
  /// Checkpoints, once a data file holds this column's segments (all sealed, as `infos`
  /// describes them): from now on `loader` can read them again, so the BufferPool may drop
  /// them. Does not change what the column holds.
  void attach_file(std::shared_ptr<const SegmentLoader> loader, std::vector<SegmentInfo> infos) const;
  /// Whether a data file holds the column (restore_unloaded or attach_file).
  bool file_backed() const { return file_backed_.load(std::memory_order_acquire); }
  /// The data file's block compression, or "none" for a column only in memory.
  const char* codec_name() const { return file_backed() ? loader_->codec_name() : "none"; }
  /// BufferPool: drops the loaded segments of a column restore_unloaded made (readers keep
  /// the ones they pinned); returns whether there were any.
  bool evict() const;
  /// BufferPool: whether the column was used since the last call (and clears the mark).
  bool take_referenced() const { return referenced_.exchange(false, std::memory_order_relaxed); }
  /// First row (row-group offset) of segment `index`.
  size_t segment_start(size_t index) const { return segments_[index].start; }
  /// Index of the segment holding row `row` (the row must be published).
  size_t segment_index(size_t row) const;
  /// Reader: every listed segment, pinned (for statistics such as the tessera_storage view).
  std::vector<std::shared_ptr<const ColumnSegment>> segments() const;
  /// Min/max/NULL count of every row written to the column so far.
  ZoneMap zone_map() const;


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
    // guarded by segments_mutex_; mutable: loading and evicting do not change what the column holds
    mutable std::shared_ptr<const ColumnSegment> segment;
  };

  // Writer: seals the full tail segment and swaps in its encoded form when that is smaller.
  void seal_tail();

  // Loads the segments of a column restore_unloaded made, unless they are in memory.
  void load() const;

  const LogicalType type_;
  std::array<Slot, kMaxSegments> segments_;
  // Columns of data files: how to read the segments, and what they are (empty otherwise).
  // Written once, before file_backed_ is set (release); read after seeing it set.
  mutable std::shared_ptr<const SegmentLoader> loader_;
  mutable std::vector<SegmentInfo> infos_;
  mutable std::atomic<bool> file_backed_{false};
  mutable std::mutex load_mutex_;         // one load at a time
  mutable bool loaded_ = false;           // segments_mutex_; the slots hold the segments
  mutable std::atomic<bool> referenced_{false};
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
