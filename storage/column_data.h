#pragma once

#include <array>
#include <cstddef>
#include <memory>

#include "src/common/logical_type.h"
#include "src/common/vector.h"
#include "storage/column_segment.h"
#include "storage/storage_constants.h"

namespace tessera::storage {

/// The values of one column within one row group: a sequence of kVectorSize-row segments
/// (segment i holds rows [i * kVectorSize, (i + 1) * kVectorSize) of the row group). Segments are
/// created as appends reach them and never move, so readers need no lock.
///
/// Thread-safety: as ColumnSegment — one writer, concurrent readers of published rows.
class ColumnData {
 public:
  explicit ColumnData(LogicalType type) : type_(type) {}
  ColumnData(const ColumnData&) = delete;
  ColumnData& operator=(const ColumnData&) = delete;

  const LogicalType& type() const { return type_; }

  /// Writer: copies `count` rows of `source` (from row `source_offset`) to rows
  /// [row_start, row_start + count) of the row group, creating segments as needed and sealing
  /// those that become full.
  void append(const UnifiedVectorFormat& source, size_t source_offset, size_t row_start, size_t count);

  /// Reader: segment `index`; it exists once a row in it was published.
  const ColumnSegment& segment(size_t index) const { return *segments_[index]; }
  size_t segment_capacity() const { return segments_.size(); }

 private:
  const LogicalType type_;
  std::array<std::unique_ptr<ColumnSegment>, kVectorsPerRowGroup> segments_;
};

}  // namespace tessera::storage
