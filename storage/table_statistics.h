#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "src/common/hash.h"
#include "src/common/logical_type.h"
#include "src/common/value.h"
#include "storage/zone_map.h"

namespace tessera {
struct UnifiedVectorFormat;
}

namespace tessera::storage {

class BinaryReader;
class BinaryWriter;

/// Estimated statistics of one column, for the planner's row estimates. Until ANALYZE measures
/// the column, all counts cover every row ever appended (committed, uncommitted and rolled
/// back), like DataTable::estimated_row_count; afterwards they cover the rows ANALYZE saw plus
/// every row appended since. They are estimates, not answers.
struct ColumnStatistics {
  /// Estimated number of distinct non-NULL values (0 when there are none).
  double distinct_count = 0;
  /// Fraction of the rows that are NULL, in [0, 1].
  double null_fraction = 0;
  /// Smallest and largest non-NULL value in the type's order; NULL values when the column has
  /// no non-NULL value.
  Value min;
  Value max;
};

/// Estimated statistics of a table: its row count and one ColumnStatistics per column, in
/// column order. A plain value (a snapshot taken by DataTable::statistics).
struct TableStatistics {
  double row_count = 0;
  std::vector<ColumnStatistics> columns;
};

/// A HyperLogLog sketch of the distinct values of one column (Flajolet et al. 2007, with the
/// linear-counting correction for small cardinalities of Heule et al. 2013): 2^kPrecision
/// one-byte registers, each the largest "position of the first one bit" among the hashes that
/// map to it. Standard error about 1.04 / sqrt(2^kPrecision), i.e. about 3%; exact enough for
/// small counts (a handful of values is estimated within a fraction of a value).
///
/// Thread-safety: `add` may run concurrently from several threads (registers are updated with
/// atomic compare-and-swap maxima) and concurrently with `estimate`, which reads a possibly
/// slightly stale but consistent-enough state.
class DistinctSketch {
 public:
  static constexpr uint32_t kPrecision = 10;
  static constexpr uint32_t kRegisters = 1u << kPrecision;

  DistinctSketch();
  DistinctSketch(const DistinctSketch&) = delete;
  DistinctSketch& operator=(const DistinctSketch&) = delete;

  /// Adds one value by its 64-bit hash (tessera::hash_* of the value).
  void add_hash(hash_t hash) {
    const auto index = static_cast<uint32_t>(hash >> (64 - kPrecision));
    // The rank is the position of the first one bit of the remaining bits; a guard bit bounds
    // it when they are all zero.
    const uint64_t rest = (hash << kPrecision) | (uint64_t{1} << (kPrecision - 1));
    const auto rank = static_cast<uint8_t>(__builtin_clzll(rest) + 1);
    std::atomic<uint8_t>& reg = registers_[index];
    uint8_t current = reg.load(std::memory_order_relaxed);
    while (rank > current && !reg.compare_exchange_weak(current, rank, std::memory_order_relaxed)) {
    }
  }
  /// Adds the non-NULL values of rows [offset, offset + count) of a unified vector of `type`.
  void add(const LogicalType& type, const UnifiedVectorFormat& values, size_t offset, size_t count);
  /// Estimated number of distinct values added.
  double estimate() const;
  /// Replaces the registers by `other`'s (ANALYZE installing a sketch of the live values). An
  /// add running concurrently may be lost: the sketch stays an estimate.
  void assign(const DistinctSketch& other);
  /// The durable form (checkpoints): the registers, one byte each.
  void write(BinaryWriter& out) const;
  /// Folds in a sketch write() wrote: afterwards this sketch counts the values of both.
  void merge(BinaryReader& in);

 private:
  std::unique_ptr<std::atomic<uint8_t>[]> registers_;
};

/// What ANALYZE measured of one column: the zone figures (NULL count, value count, min/max) of
/// the values its snapshot saw, and where the table's rows ended then.
struct AnalyzedColumn {
  /// One past the last row id when the column was analyzed: rows from there on were appended
  /// since, and their zone maps fold into the figures.
  uint64_t row_end = 0;
  ZoneMap zone;
};

/// What ANALYZE measured of a table (DataTable::analyze): its live rows, and per column the
/// figures of the columns it analyzed (nullopt for the others).
struct TableAnalysis {
  double live_rows = 0;
  /// The table's appended-row and committed-delete counters when analyzed: rows appended
  /// since raise the row count, deletes committed since lower it.
  uint64_t appended = 0;
  uint64_t deleted = 0;
  std::vector<std::optional<AnalyzedColumn>> columns;
};

/// Adds the values of rows [0, count) of a unified vector of `type` to `zone` (ANALYZE).
void add_to_zone_map(ZoneMap& zone, const LogicalType& type, const UnifiedVectorFormat& values, size_t count);

}  // namespace tessera::storage
