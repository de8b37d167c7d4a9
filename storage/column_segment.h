#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>

#include "src/common/arena.h"
#include "src/common/logical_type.h"
#include "src/common/vector.h"
#include "storage/zone_map.h"

namespace tessera::storage {

/// Up to kVectorSize values of one column, stored uncompressed in memory (the in-memory form of a
/// segment; encoded and compressed forms come with checkpoints). Rows are written once, in order,
/// by the table's appender; when the segment is full it is *sealed*: its data is complete and
/// immutable, and scans reference its Vector without copying.
///
/// Thread-safety: one writer (under the table's append lock) and any number of concurrent
/// readers. A reader may read rows the row group has published to it (RowGroup::count(),
/// acquire); values live at fixed addresses (no reallocation) and validity bits are atomics while
/// the segment fills, so readers never race with the writer. `vector()` may be used only once
/// the segment is sealed and that was published. The zone map has its own lock.
class ColumnSegment {
 public:
  explicit ColumnSegment(LogicalType type);
  ColumnSegment(const ColumnSegment&) = delete;
  ColumnSegment& operator=(const ColumnSegment&) = delete;

  const LogicalType& type() const { return type_; }

  /// Writer: copies `count` rows of `source` (rows source.sel[source_offset ..]) into rows
  /// [offset, offset + count) of this segment. Strings are copied into the segment's heap.
  void append(const UnifiedVectorFormat& source, size_t source_offset, size_t offset, size_t count);
  /// Writer: the segment holds kVectorSize rows; makes its Vector complete (validity included).
  void seal();

  /// The complete, immutable vector of a sealed segment. Copies share its buffers and keep the
  /// string heap alive.
  const Vector& vector() const { return vector_; }
  /// Reader: copies rows sel[0..count) of this segment to rows [0, count) of `out`, a flat vector
  /// owned by the caller with capacity >= count. Strings are not copied: `out` gets a reference
  /// to this segment's heap.
  void copy_rows(const uint32_t* sel, size_t count, Vector& out) const;
  /// Reader: whether row `row` is not NULL.
  bool row_is_valid(size_t row) const {
    return (validity_[row / 64].load(std::memory_order_relaxed) >> (row % 64)) & 1;
  }

  /// Min/max/NULL count of the rows written so far.
  ZoneMap zone_map() const;

 private:
  template <class T>
  void append_fixed(const UnifiedVectorFormat& source, size_t source_offset, size_t offset, size_t count,
                    ZoneMap& zone);
  void append_strings(const UnifiedVectorFormat& source, size_t source_offset, size_t offset, size_t count,
                      ZoneMap& zone);
  void set_valid_bits(size_t offset, size_t count, const uint64_t* valid_words);

  const LogicalType type_;
  const size_t width_;
  Vector vector_;        // owns the values; validity filled in by seal()
  uint8_t* const data_;  // vector_'s value buffer, fixed for the segment's lifetime
  std::shared_ptr<StringHeap> heap_;  // string bytes; written only by the appender
  std::array<std::atomic<uint64_t>, kVectorSize / 64> validity_{};  // 1 = valid
  mutable std::mutex zone_mutex_;
  ZoneMap zone_map_;
};

}  // namespace tessera::storage
