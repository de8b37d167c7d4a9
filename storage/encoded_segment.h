#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "src/common/arena.h"
#include "src/common/logical_type.h"
#include "src/common/memory_tracker.h"
#include "src/common/vector.h"
#include "storage/column_segment.h"
#include "storage/zone_map.h"

namespace tessera::storage {

class BinaryReader;
class BinaryWriter;

/// The immutable, compressed in-memory form of a sealed segment. `encode` analyses a sealed
/// segment's values and picks the smallest of:
///  - constant: one value for every non-NULL row (also the all-NULL segment, with no value);
///  - RLE: run values plus each run's end row;
///  - dictionary (text): the distinct strings plus bit-packed codes;
///  - bitpack: integers (bool, smallint, integer, bigint, date, time, timestamp[tz], and
///    numerics whose raw word — coefficient * 256 + scale — fits 64 bits) as bit-packed
///    offsets from the minimum (frame of reference);
///  - delta: integers as bit-packed offsets of consecutive differences from the smallest
///    difference (sorted and near-sorted data), with a checkpoint value every 128 rows so a
///    read decodes at most 127 rows it does not need;
/// and returns nullptr when none is smaller than the uncompressed form (the caller keeps that).
/// Floating point and interval columns (and numerics beyond 64 bits) use constant or RLE only.
/// NULLs live in a validity bitmap that is absent when every row is valid.
///
/// Filters are evaluated on the encoded data: for constant, RLE and dictionary segments once
/// per distinct value (and once for NULL), then mapped to rows through the runs or codes; for
/// bit-packed and delta segments on the decoded range of the selected rows only.
///
/// Thread-safety: immutable after construction; any number of concurrent readers.
class EncodedSegment final : public ColumnSegment {
 public:
  /// Encodes rows [0, count) of `values` (a flat vector of `type`, as a sealed
  /// UncompressedSegment hands it out) whose zone map is `zone`; nullptr when keeping the
  /// values uncompressed is at least as small.
  static std::unique_ptr<EncodedSegment> encode(const LogicalType& type, const Vector& values, size_t count,
                                                const ZoneMap& zone) {
    return encode_as(SegmentEncoding::kUncompressed, type, values, count, zone);
  }
  /// As encode, but with encoding `forced` (unless kUncompressed: then the smallest), or
  /// nullptr when `forced` cannot represent the values (e.g. constant over two values,
  /// dictionary of non-text, bitpack of non-integers). For tests.
  static std::unique_ptr<EncodedSegment> encode_as(SegmentEncoding forced, const LogicalType& type,
                                                   const Vector& values, size_t count, const ZoneMap& zone);

  EncodedSegment(LogicalType type, SegmentEncoding encoding, size_t count, ZoneMap zone);

  /// The durable form (data files): the encoding, row count, zone map and the encoding's
  /// parts (validity words, distinct values — strings length-prefixed —, run ends, packed
  /// bits, base and checkpoints).
  void write(BinaryWriter& out) const;
  /// Reads a segment write() wrote for a column of `type`. Every part is checked against the
  /// encoding (sizes, run ends ascending and ending at the row count, dictionary codes within
  /// the values): XX001 rather than a segment whose reads could go out of bounds.
  static std::unique_ptr<EncodedSegment> read(BinaryReader& in, const LogicalType& type);

  size_t count() const override { return count_; }
  size_t capacity() const override { return count_; }
  ZoneMap zone_map() const override { return zone_map_; }
  ZoneCheck check_zone(const TableFilter& filter) const override { return filter.check_zone(zone_map_); }
  SegmentEncoding encoding() const override { return encoding_; }
  size_t memory_bytes() const override;
  size_t uncompressed_bytes() const override { return uncompressed_bytes_; }
  void scan(size_t offset, const sel_t* sel, size_t count, Vector& out, size_t out_offset) const override;
  size_t select(const TableFilter& filter, size_t offset, const sel_t* sel_in, size_t count,
                sel_t* sel_out) const override;

 private:
  bool row_is_valid(size_t row) const {
    return validity_.empty() || ((validity_[row / 64] >> (row % 64)) & 1);
  }
  /// out[i] = index into values_ of row offset + sel[i] (sel nullptr: offset + i) for a
  /// constant, RLE or dictionary segment.
  void value_indexes(size_t offset, const sel_t* sel, size_t count, uint32_t* out) const;
  /// Decodes rows [from, to) of a bitpack or delta segment into out[from - base ..].
  template <class T>
  void decode_integers(size_t from, size_t to, T* out) const;
  template <class T>
  void scan_integers(size_t offset, const sel_t* sel, size_t count, T* out) const;
  void scan_indexed(size_t offset, const sel_t* sel, size_t count, uint8_t* out) const;
  size_t select_indexed(const TableFilter& filter, size_t offset, const sel_t* sel_in, size_t count,
                        sel_t* sel_out) const;
  template <class T>
  size_t select_integers(const TableFilter& filter, size_t offset, const sel_t* sel_in, size_t count,
                         sel_t* sel_out) const;

  template <class T>
  friend class IntegerEncoder;
  friend class IndexedEncoder;

  const SegmentEncoding encoding_;
  const size_t count_;
  const size_t width_;
  const ZoneMap zone_map_;
  size_t uncompressed_bytes_ = 0;
  std::vector<uint64_t> validity_;  // 1 = valid; empty when every row is valid
  // constant, RLE, dictionary: the distinct values (physical type), strings in heap_.
  std::vector<uint8_t> values_;
  size_t value_count_ = 0;
  std::shared_ptr<StringHeap> heap_;  // keeps the values' string bytes alive (string_bytes_ of them)
  size_t string_bytes_ = 0;
  std::vector<uint16_t> run_ends_;  // RLE: exclusive end row of each run
  // dictionary codes, bitpack offsets, delta differences: `bit_width_` bits per row.
  std::vector<uint8_t> packed_;
  unsigned bit_width_ = 0;
  int64_t base_ = 0;                  // bitpack: the minimum; delta: the smallest difference
  std::vector<int64_t> checkpoints_;  // delta: the value of every kDeltaCheckpoint-th row
  MemoryCharge charge_;  // memory_bytes(), against the tracker current when encoded
};

}  // namespace tessera::storage
