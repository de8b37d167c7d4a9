#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "src/common/data_chunk.h"
#include "src/common/logical_type.h"
#include "src/common/vector.h"
#include "storage/column_data.h"
#include "storage/delete_versions.h"
#include "storage/insert_versions.h"
#include "storage/storage_constants.h"
#include "storage/table_scan_state.h"

namespace tessera::storage {

/// Up to kRowGroupSize rows of a table (a partition): one ColumnData per column (each a list of
/// segments with its own zone map) plus the rows' insert versions. Rows are appended at the end
/// and published by a single atomic row count, stored (release) only after every column and
/// version of the new rows is written.
///
/// Thread-safety: one appender at a time (the owning table's append lock); commit/rollback
/// stamping under the TransactionManager's lock; any number of concurrent readers, which read
/// only rows below a count() they loaded. A row group is shared (shared_ptr) by its table, the
/// transactions that appended to it and the scans that snapshot it.
class RowGroup {
 public:
  RowGroup(const std::vector<LogicalType>& types, uint64_t start_row, uint64_t storage_id = 0);
  RowGroup(const RowGroup&) = delete;
  RowGroup& operator=(const RowGroup&) = delete;

  /// Row number of this group's first row within the table.
  uint64_t start_row() const { return start_row_; }
  /// The durable storage id of the table holding this group (DataTable::storage_id).
  uint64_t storage_id() const { return storage_id_; }
  /// Published rows (committed or not).
  size_t count() const { return count_.load(std::memory_order_acquire); }
  size_t column_count() const { return columns_.size(); }
  const ColumnData& column(size_t index) const { return *columns_[index]; }
  const InsertVersions& versions() const { return versions_; }
  const DeleteVersions& deletes() const { return deletes_; }
  /// Rows whose delete has committed (statistics).
  size_t committed_delete_count() const { return committed_deletes_.load(std::memory_order_relaxed); }

  /// Recovery: a row group of `rows` rows, every row's insert committed for every snapshot,
  /// whose columns' segments stay where they are stored (per column its loader and segment
  /// infos; see ColumnData::restore_unloaded) until first used.
  static std::shared_ptr<RowGroup> restore_unloaded(
      const std::vector<LogicalType>& types, uint64_t start_row, uint64_t storage_id, size_t rows,
      std::vector<std::pair<std::shared_ptr<const SegmentLoader>, std::vector<SegmentInfo>>> columns);

  /// Checkpoints: a data file now holds this full row group; `columns` (per column its loader
  /// and segment infos) let the BufferPool drop its columns and read them again.
  void attach_file(std::vector<std::pair<std::shared_ptr<const SegmentLoader>, std::vector<SegmentInfo>>> columns) const;

  /// Writer: appends rows [offset, offset + count) of the unified input columns as rows of
  /// transaction `txn_id`; requires count <= kRowGroupSize - count(). Returns the row-group
  /// offset of the first new row.
  size_t append(const std::vector<UnifiedVectorFormat>& columns, size_t offset, size_t count, uint64_t txn_id);
  /// Stamps rows [start, start + count) with `commit_ts` (TransactionManager::commit).
  void commit_rows(size_t start, size_t count, uint64_t commit_ts);
  /// Stamps rows [start, start + count) as rolled back (TransactionManager::rollback).
  void rollback_rows(size_t start, size_t count);

  /// Tries to delete row `offset` for transaction `txn_id` (see DeleteVersions::try_delete):
  /// kNotDeleted when deleted now, else the version that stopped it.
  uint64_t try_delete(size_t offset, uint64_t txn_id) { return deletes_.try_delete(offset, txn_id); }
  /// Stamps deleted rows with `commit_ts` (TransactionManager::commit).
  void commit_deletes(const std::vector<uint32_t>& rows, uint64_t commit_ts);
  /// Makes deleted rows live again (TransactionManager::rollback).
  void rollback_deletes(const std::vector<uint32_t>& rows);

  /// Reads every column of rows [start, start + count) (published, within one vector window:
  /// start / kVectorSize == (start + count - 1) / kVectorSize), whatever their versions, into
  /// `out` (initialized with the group's types); sets its size. The WAL's record of appended rows.
  void read_rows(size_t start, size_t count, DataChunk& out) const;
  /// Reader: fills `out` with the rows of vector `vector_index` (rows [vector_index *
  /// kVectorSize, ...) of the group), restricted to the first `row_limit` rows of the group, that
  /// `visibility` sees — inserted and not deleted in that snapshot — and satisfy every filter of `local`, projecting
  /// `column_ids`. The vector is skipped without reading when a filtered column's segment zone
  /// maps exclude it (counted in `local`). A sealed segment whose rows are all returned is
  /// referenced (no copy); a sealed segment with rows left out becomes a dictionary over it;
  /// other rows are decoded. A column id kRowIdColumn produces the rows' row ids (bigint).
  /// Returns the number of rows produced.
  size_t scan_vector(size_t vector_index, size_t row_limit, const RowVisibility& visibility,
                     const std::vector<size_t>& column_ids, LocalTableScanState& local, DataChunk& out) const;

 private:
  /// Counts in `local`'s statistics the segments of table column `column` under rows
  /// [vector_start, vector_start + rows) not counted yet, with their bytes.
  void count_segments_read(LocalTableScanState& local, size_t column, size_t vector_start, size_t rows) const;

  const uint64_t start_row_;
  const uint64_t storage_id_;
  std::vector<std::unique_ptr<ColumnData>> columns_;
  InsertVersions versions_;
  DeleteVersions deletes_;
  std::atomic<size_t> committed_deletes_{0};
  std::atomic<size_t> count_{0};
};

}  // namespace tessera::storage
