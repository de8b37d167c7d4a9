#pragma once

#include <cstddef>
#include <cstdint>

#include "src/common/logical_type.h"
#include "src/common/selection_vector.h"
#include "src/common/vector.h"
#include "storage/table_filter.h"
#include "storage/zone_map.h"

namespace tessera::storage {

/// How a segment stores its values (see EncodedSegment).
enum class SegmentEncoding : uint8_t { kUncompressed = 0, kConstant, kRle, kDictionary, kBitpack, kDelta };

/// The encoding's name as the tessera_storage view shows it: 'uncompressed', 'constant', 'rle',
/// 'dictionary', 'bitpack' or 'delta'.
inline const char* segment_encoding_name(SegmentEncoding encoding) {
  switch (encoding) {
    case SegmentEncoding::kUncompressed: return "uncompressed";
    case SegmentEncoding::kConstant: return "constant";
    case SegmentEncoding::kRle: return "rle";
    case SegmentEncoding::kDictionary: return "dictionary";
    case SegmentEncoding::kBitpack: return "bitpack";
    case SegmentEncoding::kDelta: return "delta";
  }
  return "unknown";
}

/// A run of consecutive rows of one column inside a row group, in some representation
/// (UncompressedSegment while it fills, EncodedSegment once sealed and compressed). A segment knows its row count and zone
/// map, decodes rows into a caller's vector, and evaluates a TableFilter on its own data. The
/// rows of a segment are addressed from 0; the owning ColumnData knows where the segment starts.
///
/// Thread-safety: readers may call every method concurrently with the segment's writer (if it
/// has one), for rows whose publication they observed (RowGroup::count(), acquire).
class ColumnSegment {
 public:
  explicit ColumnSegment(LogicalType type) : type_(type) {}
  virtual ~ColumnSegment() = default;
  ColumnSegment(const ColumnSegment&) = delete;
  ColumnSegment& operator=(const ColumnSegment&) = delete;

  const LogicalType& type() const { return type_; }

  /// Rows the segment holds (published or not; a reader uses only published ones).
  virtual size_t count() const = 0;
  /// Rows the segment can hold in all (its row range in the row group is fixed at creation).
  virtual size_t capacity() const = 0;
  /// Min/max/NULL count of the rows written so far (a superset of any published prefix).
  virtual ZoneMap zone_map() const = 0;
  /// How the values are stored.
  virtual SegmentEncoding encoding() const { return SegmentEncoding::kUncompressed; }
  /// Bytes the segment's values take in memory (validity and string bytes included).
  virtual size_t memory_bytes() const = 0;
  /// Bytes the same rows take uncompressed (a flat array, string bytes, validity if any NULL).
  virtual size_t uncompressed_bytes() const = 0;

  /// Decodes rows `offset + sel[i]` for i < count into rows [out_offset, out_offset + count) of
  /// `out`, a flat vector owned by the caller with enough capacity. `sel` == nullptr selects
  /// rows offset .. offset + count - 1. Strings may reference segment-owned bytes: `out` then
  /// keeps them alive.
  virtual void scan(size_t offset, const sel_t* sel, size_t count, Vector& out, size_t out_offset) const = 0;
  /// A vector holding exactly rows [offset, offset + count) that may be referenced without a
  /// copy (it is immutable and shared), or nullptr if the segment cannot hand one out for that
  /// range (not sealed, or an encoded representation).
  virtual const Vector* reference(size_t offset, size_t count) const {
    (void)offset;
    (void)count;
    return nullptr;
  }
  /// What the zone map says about `filter` over this segment's rows (written so far).
  virtual ZoneCheck check_zone(const TableFilter& filter) const { return filter.check_zone(zone_map()); }
  /// Writes to `sel_out`, in order, the entries r of `sel_in[0 .. count)` (nullptr: 0 .. count - 1)
  /// whose row `offset + r` satisfies `filter` (NULLs never do, except for IS NULL); returns how
  /// many. `sel_out` has room for `count` entries and may be `sel_in`.
  virtual size_t select(const TableFilter& filter, size_t offset, const sel_t* sel_in, size_t count,
                        sel_t* sel_out) const = 0;

 private:
  const LogicalType type_;
};

}  // namespace tessera::storage
