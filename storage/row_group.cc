#include "storage/row_group.h"

#include <algorithm>

#include "src/common/assert.h"

namespace tessera::storage {

RowGroup::RowGroup(const std::vector<LogicalType>& types, uint64_t start_row) : start_row_(start_row) {
  columns_.reserve(types.size());
  for (const auto& type : types) columns_.push_back(std::make_unique<ColumnData>(type));
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

size_t RowGroup::scan_vector(size_t vector_index, size_t row_limit, uint64_t start_ts, uint64_t txn_id,
                             const std::vector<size_t>& column_ids, DataChunk& out, uint32_t* sel_buffer) const {
  const size_t vector_start = vector_index * kVectorSize;
  if (vector_start >= row_limit) {
    out.set_size(0);
    return 0;
  }
  const size_t rows = std::min(kVectorSize, row_limit - vector_start);
  // Sealed segments are complete and immutable; the count that says so was published after seal().
  const bool sealed = count() >= vector_start + kVectorSize;
  const bool all_visible = sealed && rows == kVectorSize && versions_.all_visible(vector_index, start_ts);
  const size_t visible =
      all_visible ? rows : versions_.select_visible(vector_index, rows, start_ts, txn_id, sel_buffer);
  if (visible == 0) {
    out.set_size(0);
    return 0;
  }
  TS_CHECK(out.column_count() == column_ids.size(), "scan output has the wrong number of columns");
  for (size_t j = 0; j < column_ids.size(); j++) {
    const ColumnSegment& segment = columns_[column_ids[j]]->segment(vector_index);
    Vector& target = out.column(j);
    if (sealed && visible == rows) {
      target.reference(segment.vector());
    } else if (sealed) {
      target.slice(segment.vector(), SelectionVector(sel_buffer), visible);
    } else {
      target.reset(kVectorSize);
      segment.copy_rows(sel_buffer, visible, target);
    }
  }
  out.set_size(visible);
  return visible;
}

}  // namespace tessera::storage
