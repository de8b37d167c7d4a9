#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "executor/expression/expression_executor.h"
#include "executor/chunk_collection.h"
#include "executor/operator/sort/row_sorter.h"
#include "executor/operator/sort/sort_key.h"

namespace tessera::executor {

/// Rows to be sorted, each stored with its evaluated sort keys (payload columns, then key
/// columns), and once sorted, their order. Shared by ORDER BY and top-N: a worker fills one,
/// combine() absorbs them into the global one, finalize() sorts it, the source scans it.
/// Not thread-safe; `keys` must outlive the buffer.
class SortBuffer {
 public:
  SortBuffer(const std::vector<LogicalType>& payload_types, const std::vector<SortKey>& keys);

  size_t size() const { return rows_.size(); }

  /// Copies `in` (payload columns) with its keys, evaluated by `expressions`.
  void append(ExpressionExecutor& expressions, const DataChunk& in);
  /// Moves every row of `other` into this buffer.
  void absorb(SortBuffer& other);
  /// Keeps only the first `limit` rows of the sort order (top-N pruning).
  void keep_best(size_t limit);
  /// Sorts the rows; afterwards scan() emits them. Only the first `limit` rows of the order
  /// are determined (a partial sort) when `limit` is below the row count.
  void sort(size_t limit = std::numeric_limits<size_t>::max());

  /// Number of rows in the computed order.
  size_t sorted_count() const { return order_.size(); }
  /// Emits the rows order[*position, end) (at most kVectorSize of them) into `out` as slices
  /// of the sorted rows (valid while this buffer lives) and advances `*position`.
  void scan(size_t* position, size_t end, DataChunk& out) const;

 private:
  std::vector<RowSorter::Key> sorter_keys() const;

  const std::vector<SortKey>& keys_;
  size_t payload_count_;
  ChunkCollection rows_;
  ColumnarRows sorted_;
  std::vector<sel_t> order_;
};

}  // namespace tessera::executor
