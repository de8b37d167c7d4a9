#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "executor/chunk_collection.h"
#include "src/common/data_chunk.h"

namespace tessera::executor {

/// Orders the rows of a materialized chunk (flat vectors, any number of rows) by some of its
/// columns, with PostgreSQL's rules: NULLs placed per key, doubles with NaN above every number
/// (and -0 equal to 0), strings bytewise (C collation). Rows with equal keys keep their input
/// order, so the result is deterministic. Sorts a permutation; the rows are not moved. The
/// first key is normalized to a 64-bit number stored next to each row number (its NULLs are
/// split off first), so most comparisons are one integer comparison on sequential memory.
/// Thread-safety: const methods may run concurrently; the chunk must outlive the sorter.
class RowSorter {
 public:
  struct Key {
    size_t column;
    bool descending;
    bool nulls_first;
  };

  RowSorter(const ColumnarRows& rows, const std::vector<Key>& keys);

  /// <0, 0 or >0 as row a sorts before, like, or after row b (ignoring their positions).
  int compare(sel_t a, sel_t b) const { return compare_from(0, a, b); }
  /// The row numbers in sorted order. With `limit` below the row count, only the first `limit`
  /// rows of the order are computed and returned (a partial sort).
  std::vector<sel_t> sort(size_t limit = std::numeric_limits<size_t>::max()) const;

 private:
  /// compare() over the keys from `first_key` on.
  int compare_from(size_t first_key, sel_t a, sel_t b) const;
  /// The first key of a non-NULL row as an unsigned number whose order is the key order
  /// (direction included); for strings only an 8-byte prefix, so equal numbers need compare().
  uint64_t normalized_first_key(sel_t row) const;
  /// Sorts `rows` fully, or only its first `limit` entries, by compare() and then row number.
  void sort_rows(std::vector<sel_t>& rows, size_t first_key, size_t limit) const;

  struct KeyColumn {
    PhysicalType type;
    const uint8_t* data;
    const ValidityMask* validity;
    bool all_valid;
    bool descending;
    bool nulls_first;
  };
  std::vector<KeyColumn> keys_;
  size_t count_;
};

}  // namespace tessera::executor
