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
#include "storage/column_segment.h"
#include "storage/zone_map.h"

namespace tessera::storage {

/// The appendable, in-memory form of a segment: up to kVectorSize values of one column stored
/// uncompressed (a flat array of the physical type plus a validity bitmap). Rows are written
/// once, in order, by the table's appender; when the segment is full it is *sealed*: its data is
/// complete and immutable, and scans reference its Vector without copying (copy-on-write keeps
/// readers from writing into it).
///
/// Thread-safety: one writer (under the table's append lock) and any number of concurrent
/// readers. A reader may read rows the row group has published to it (RowGroup::count(),
/// acquire); values live at fixed addresses (no reallocation) and validity bits are atomics while
/// the segment fills, so readers never race with the writer. `reference()` hands out the vector
/// only once the segment is sealed and that was published. The zone map has its own lock.
class UncompressedSegment final : public ColumnSegment {
 public:
  static constexpr size_t kCapacity = kVectorSize;

  explicit UncompressedSegment(LogicalType type);

  /// Writer: copies `count` rows of `source` (rows source.sel[source_offset ..]) into rows
  /// [offset, offset + count) of this segment (offset == count() so far). Strings are copied
  /// into the segment's heap. Returns the zone map of the appended rows.
  ZoneMap append(const UnifiedVectorFormat& source, size_t source_offset, size_t offset, size_t count);
  /// Writer: the segment holds kCapacity rows; makes its Vector complete (validity included).
  void seal();
  bool sealed() const { return sealed_.load(std::memory_order_acquire); }

  size_t count() const override { return count_.load(std::memory_order_acquire); }
  size_t capacity() const override { return kCapacity; }
  ZoneMap zone_map() const override;
  size_t memory_bytes() const override;
  size_t uncompressed_bytes() const override { return memory_bytes(); }
  ZoneCheck check_zone(const TableFilter& filter) const override;
  void scan(size_t offset, const sel_t* sel, size_t count, Vector& out, size_t out_offset) const override;
  const Vector* reference(size_t offset, size_t count) const override;
  size_t select(const TableFilter& filter, size_t offset, const sel_t* sel_in, size_t count,
                sel_t* sel_out) const override;

 private:
  template <class T>
  void append_fixed(const UnifiedVectorFormat& source, size_t source_offset, size_t offset, size_t count,
                    ZoneMap& zone);
  void append_strings(const UnifiedVectorFormat& source, size_t source_offset, size_t offset, size_t count,
                      ZoneMap& zone);
  void set_valid_bits(size_t offset, size_t count, const uint64_t* valid_words);
  bool row_is_valid(size_t row) const {
    return (validity_[row / 64].load(std::memory_order_relaxed) >> (row % 64)) & 1;
  }

  const size_t width_;
  Vector vector_;        // owns the values; validity filled in by seal()
  uint8_t* const data_;  // vector_'s value buffer, fixed for the segment's lifetime
  std::shared_ptr<StringHeap> heap_;  // string bytes; written only by the appender
  std::array<std::atomic<uint64_t>, kCapacity / 64> validity_{};  // 1 = valid
  std::atomic<size_t> count_{0};
  std::atomic<size_t> string_bytes_{0};  // bytes of the non-inlined strings appended
  std::atomic<bool> sealed_{false};
  bool has_nulls_ = false;  // writer only; copied into vector_ by seal()
  mutable std::mutex zone_mutex_;
  ZoneMap zone_map_;
};

}  // namespace tessera::storage
