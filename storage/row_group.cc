#include "storage/row_group.h"

#include <algorithm>

#include "src/common/assert.h"

namespace tessera::storage {

RowGroup::RowGroup(const std::vector<LogicalType>& types, uint64_t start_row, uint64_t storage_id)
    : start_row_(start_row), storage_id_(storage_id) {
  columns_.reserve(types.size());
  for (const auto& type : types) columns_.push_back(std::make_unique<ColumnData>(type));
}

std::shared_ptr<RowGroup> RowGroup::restore_unloaded(
    const std::vector<LogicalType>& types, uint64_t start_row, uint64_t storage_id, size_t rows,
    std::vector<std::pair<std::shared_ptr<const SegmentLoader>, std::vector<SegmentInfo>>> columns) {
  TS_CHECK(columns.size() == types.size() && rows <= kRowGroupSize, "restore of a row group of another shape");
  auto group = std::make_shared<RowGroup>(types, start_row, storage_id);
  for (size_t c = 0; c < columns.size(); c++) {
    group->columns_[c]->restore_unloaded(std::move(columns[c].first), std::move(columns[c].second));
  }
  group->versions_.append(0, rows, 0);
  group->versions_.commit(0, rows, 0, rows);
  group->count_.store(rows, std::memory_order_release);
  return group;
}

void RowGroup::attach_file(
    std::vector<std::pair<std::shared_ptr<const SegmentLoader>, std::vector<SegmentInfo>>> columns) const {
  TS_CHECK(columns.size() == columns_.size() && count() == kRowGroupSize, "a data file of another row group");
  for (size_t c = 0; c < columns.size(); c++) {
    columns_[c]->attach_file(std::move(columns[c].first), std::move(columns[c].second));
  }
}

size_t RowGroup::append(const std::vector<UnifiedVectorFormat>& columns, size_t offset, size_t count,
                        uint64_t txn_id) {
  TS_CHECK(columns.size() == columns_.size(), "append with the wrong number of columns");
  const size_t start = count_.load(std::memory_order_relaxed);  // only the appender writes it
  TS_CHECK(start + count <= kRowGroupSize, "row group overflow");
  for (size_t c = 0; c < columns_.size(); c++) columns_[c]->append(columns[c], offset, start, count);
  versions_.append(start, count, txn_id);
  // Publish: readers that load the new count see all of the above.
  count_.store(start + count, std::memory_order_release);
  return start;
}

void RowGroup::commit_rows(size_t start, size_t count, uint64_t commit_ts) {
  versions_.commit(start, count, commit_ts, count_.load(std::memory_order_acquire));
}

void RowGroup::rollback_rows(size_t start, size_t count) { versions_.rollback(start, count); }

void RowGroup::commit_deletes(const std::vector<uint32_t>& rows, uint64_t commit_ts) {
  deletes_.commit(rows.data(), rows.size(), commit_ts);
  committed_deletes_.fetch_add(rows.size(), std::memory_order_relaxed);
}

void RowGroup::rollback_deletes(const std::vector<uint32_t>& rows) { deletes_.rollback(rows.data(), rows.size()); }

void RowGroup::read_rows(size_t start, size_t count, DataChunk& out) const {
  TS_CHECK(count > 0 && count <= kVectorSize && start / kVectorSize == (start + count - 1) / kVectorSize,
           "read of rows across a vector window");
  TS_CHECK(start + count <= this->count(), "read of rows that are not published");
  const size_t window_start = start / kVectorSize * kVectorSize;
  const size_t window_rows = std::min(kVectorSize, this->count() - window_start);
  sel_t sel[kVectorSize];
  for (size_t i = 0; i < count; i++) sel[i] = static_cast<sel_t>(start - window_start + i);
  const bool whole_window = start == window_start && count == window_rows;
  for (size_t c = 0; c < columns_.size(); c++) {
    columns_[c]->scan(window_start, window_rows, whole_window ? nullptr : sel, count, out.column(c));
  }
  out.set_size(count);
}

size_t RowGroup::scan_vector(size_t vector_index, size_t row_limit, const RowVisibility& visibility,
                             const std::vector<size_t>& column_ids, LocalTableScanState& local, DataChunk& out) const {
  const size_t vector_start = vector_index * kVectorSize;
  out.set_size(0);
  if (vector_start >= row_limit) return 0;
  const size_t rows = std::min(kVectorSize, row_limit - vector_start);
  uint32_t* sel_buffer = local.sel_.get();

  // Zone maps first: a filtered column whose segments under this vector all exclude the filter
  // rules the vector out; filters its segments satisfy in full need no evaluation.
  const size_t filter_count = local.filters_.size();
  for (size_t f = 0; f < filter_count; f++) {
    auto& active = local.filters_[f];
    const ColumnData& column = *columns_[active.column];
    const size_t first = column.segment_index(vector_start);
    const size_t last = column.segment_index(vector_start + rows - 1);
    bool all_never = true, all_always = true;
    for (size_t s = first; s <= last; s++) {
      const ZoneCheck check = column.check_zone(s, *active.filter);
      all_never &= check == ZoneCheck::kNever;
      all_always &= check == ZoneCheck::kAlways;
    }
    if (all_never) {
      for (size_t s = first; s <= last; s++) {
        const void* segment = column.segment_key(s);  // not loaded: skipped segments are never read
        if (segment == active.last_skipped) continue;
        active.last_skipped = segment;
        local.segments_skipped_++;
        if (local.statistics_) local.statistics_->segments_skipped++;
      }
      return 0;
    }
    active.evaluate = !all_always;
  }

  // MVCC: the rows this transaction sees, inserted and not deleted in its snapshot. A vector
  // nobody ever deleted from and whose rows all committed before the snapshot needs no check.
  const bool has_deletes = deletes_.has_deletes(vector_index);
  const bool all_visible =
      !has_deletes && rows == kVectorSize && versions_.all_visible(vector_index, visibility.start_ts);
  size_t count = all_visible ? rows : versions_.select_visible(vector_index, rows, visibility, sel_buffer);
  if (has_deletes) count = deletes_.filter_visible(vector_index, visibility, sel_buffer, count);
  bool identity = all_visible;
  for (size_t f = 0; f < filter_count && count > 0; f++) {
    const auto& active = local.filters_[f];
    if (!active.evaluate) continue;
    if (local.statistics_) count_segments_read(local, active.column, vector_start, rows);
    count = columns_[active.column]->select(*active.filter, vector_start, identity ? nullptr : sel_buffer, count,
                                           sel_buffer);
    identity = false;
  }
  if (count == 0) return 0;
  TS_CHECK(out.column_count() == column_ids.size(), "scan output has the wrong number of columns");
  const uint32_t* sel = identity || count == rows ? nullptr : sel_buffer;
  for (size_t j = 0; j < column_ids.size(); j++) {
    if (column_ids[j] == kRowIdColumn) {
      Vector& ids = out.column(j);
      ids.reset(kVectorSize);
      int64_t* values = ids.mutable_values<int64_t>();
      const auto first = static_cast<int64_t>(start_row_ + vector_start);
      for (size_t i = 0; i < count; i++) values[i] = first + static_cast<int64_t>(sel ? sel[i] : i);
      continue;
    }
    if (local.statistics_) count_segments_read(local, column_ids[j], vector_start, rows);
    columns_[column_ids[j]]->scan(vector_start, rows, sel, count, out.column(j));
  }
  out.set_size(count);
  return count;
}

void RowGroup::count_segments_read(LocalTableScanState& local, size_t column, size_t vector_start, size_t rows) const {
  const ColumnData& data = *columns_[column];
  const size_t first = data.segment_index(vector_start);
  const size_t last = data.segment_index(vector_start + rows - 1);
  size_t& counted = local.last_read_segment_[column];
  for (size_t s = first; s <= last; s++) {
    if (counted != LocalTableScanState::kNoSegment && s <= counted) continue;
    counted = s;
    local.statistics_->segments_read++;
    local.statistics_->column_bytes[column] += data.segment(s)->memory_bytes();
  }
}

}  // namespace tessera::storage
