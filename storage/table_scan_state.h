#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "src/common/vector.h"
#include "storage/table_filter.h"
#include "storage/versioned_object.h"

namespace tessera::storage {

class ColumnSegment;
class RowGroup;

/// Counts of what zone maps let a scan skip (summed over all its workers).
struct ScanSkipCounts {
  size_t row_groups_scanned = 0;  ///< row groups claimed and read (not skipped)
  size_t row_groups_skipped = 0;  ///< row groups no row of which can match the filters
  size_t segments_skipped = 0;    ///< segments (of filtered columns) skipped inside read row groups
};

/// What one worker's scan read, counted when asked (EXPLAIN ANALYZE); the counts of all the
/// workers of a scan are summed with merge().
struct ScanStatistics {
  size_t row_groups_read = 0;     ///< row groups claimed and read
  size_t row_groups_skipped = 0;  ///< row groups skipped by zone maps
  size_t segments_read = 0;       ///< column segments decoded or referenced (each counted once)
  size_t segments_skipped = 0;    ///< segments of filtered columns skipped by zone maps
  /// Per table column: the sizes (ColumnSegment::memory_bytes) of the segments read.
  std::vector<uint64_t> column_bytes;

  void merge(const ScanStatistics& other);
};

/// The shared state of one parallel scan of a DataTable: a snapshot of the table's row groups
/// and their row counts taken at DataTable::begin_scan, the projection, the pushed-down filters,
/// the reading transaction's visibility (start timestamp and id), and the next morsel to hand
/// out. Rows appended after begin_scan are never returned (so INSERT INTO t SELECT ... FROM t
/// terminates); rows committed after the transaction began are invisible anyway.
///
/// Thread-safety: shared by all workers of the scan; DataTable::next_morsel claims morsels with
/// an atomic counter; the skip counters are atomics. Must outlive every LocalTableScanState that
/// claimed from it.
class ParallelTableScanState {
 public:
  ParallelTableScanState() = default;
  ParallelTableScanState(const ParallelTableScanState&) = delete;
  ParallelTableScanState& operator=(const ParallelTableScanState&) = delete;

  /// Morsels (row groups) in the snapshot: an upper bound on useful worker threads.
  size_t morsel_count() const { return morsels_.size(); }
  /// Rows in the snapshot (including rows the transaction may not see).
  size_t snapshot_row_count() const;
  const std::vector<size_t>& column_ids() const { return column_ids_; }
  const TableFilterSet& filters() const { return filters_; }
  /// Row groups and segments skipped so far (final once every worker finished).
  ScanSkipCounts skip_counts() const;

 private:
  friend class DataTable;
  struct Morsel {
    std::shared_ptr<const RowGroup> row_group;
    size_t row_limit;  // the group's row count at begin_scan
  };
  std::vector<Morsel> morsels_;
  std::vector<size_t> column_ids_;
  TableFilterSet filters_;
  RowVisibility visibility_;
  std::atomic<size_t> next_morsel_{0};
  std::atomic<size_t> row_groups_scanned_{0};
  std::atomic<size_t> row_groups_skipped_{0};
  std::atomic<size_t> segments_skipped_{0};
};

/// One worker's position in the morsel it claimed. Thread-safety: owned by one worker.
class LocalTableScanState {
 public:
  LocalTableScanState() = default;

  /// Starts counting what this worker's scan reads, for a table of `column_count` columns.
  void enable_statistics(size_t column_count);
  /// The counts so far; null unless enable_statistics() was called.
  const ScanStatistics* statistics() const { return statistics_.get(); }

 private:
  friend class DataTable;
  friend class RowGroup;
  /// A filter the claimed row group needs evaluated (its zone map did not decide it).
  struct ActiveFilter {
    size_t column;
    const TableFilter* filter;
    const void* last_skipped = nullptr;  // ColumnData::segment_key: so a segment is counted once
    bool evaluate = true;  // for the current vector: its zone maps did not decide the filter
  };
  ParallelTableScanState* global_ = nullptr;
  const RowGroup* row_group_ = nullptr;  // kept alive by global_'s snapshot
  size_t row_limit_ = 0;
  size_t vector_index_ = 0;
  std::vector<ActiveFilter> filters_;
  size_t segments_skipped_ = 0;  // in the current morsel, added to global_ when it ends
  std::unique_ptr<uint32_t[]> sel_;  // kVectorSize entries
  std::unique_ptr<ScanStatistics> statistics_;  // null: not counting
  // Per table column, the index of the last segment of the current row group counted as read,
  // so a segment under several vectors counts once; kNoSegment after a new morsel.
  static constexpr size_t kNoSegment = ~size_t{0};
  std::vector<size_t> last_read_segment_;
};

}  // namespace tessera::storage
