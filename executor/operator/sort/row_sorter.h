#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "src/common/data_chunk.h"

namespace tessera::executor {

/// Orders the rows of a materialized chunk (flat vectors, any number of rows) by some of its
/// columns, with PostgreSQL's rules: NULLs placed per key, doubles with NaN above every number
/// (and -0 equal to 0), strings bytewise (C collation). Rows with equal keys keep their input
/// order, so the result is deterministic. Sorts a permutation; the rows are not moved.
/// Thread-safety: const methods may run concurrently; the chunk must outlive the sorter.
class RowSorter {
 public:
  struct Key {
    size_t column;
    bool descending;
    bool nulls_first;
  };

  RowSorter(const DataChunk& rows, const std::vector<Key>& keys);

  /// <0, 0 or >0 as row a sorts before, like, or after row b (ignoring their positions).
  int compare(sel_t a, sel_t b) const;
  /// The row numbers in sorted order. With `limit` below the row count, only the first `limit`
  /// rows of the order are computed and returned (a partial sort).
  std::vector<sel_t> sort(size_t limit = std::numeric_limits<size_t>::max()) const;

 private:
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
