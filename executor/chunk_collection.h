#pragma once

#include <cstddef>
#include <vector>

#include "src/common/data_chunk.h"
#include "src/common/logical_type.h"

namespace tessera::executor {

/// Rows materialized column by column: one flat vector per column holding all `num_rows` rows.
/// Unlike a DataChunk (never more than kVectorSize rows) it may hold any number of rows; joins
/// and sorts read it by slicing its columns with selections of at most kVectorSize rows.
/// Immutable once built; safe to read from several threads.
struct ColumnarRows {
  std::vector<Vector> columns;
  size_t num_rows = 0;

  size_t size() const { return num_rows; }
  size_t column_count() const { return columns.size(); }
  const Vector& column(size_t i) const { return columns[i]; }
};

/// An append-only list of owned copies of chunks of one schema: what blocking operators (sort,
/// top-N, join build sides, limit) materialize. Strings are copied into the copies' own heaps,
/// so the collection stays valid after its inputs are gone. Not thread-safe: one owner at a
/// time (a worker's local state, or a global state under its lock).
class ChunkCollection {
 public:
  ChunkCollection() = default;
  explicit ChunkCollection(std::vector<LogicalType> types) : types_(std::move(types)) {}

  const std::vector<LogicalType>& types() const { return types_; }
  size_t size() const { return num_rows_; }
  bool empty() const { return num_rows_ == 0; }
  const std::vector<DataChunk>& chunks() const { return chunks_; }

  /// Copies every row of `chunk` (its columns must have types()).
  void append(const DataChunk& chunk);
  /// Copies rows sel[0..count) of `chunk`.
  void append(const DataChunk& chunk, const SelectionVector& sel, size_t count);
  /// Copies rows sel[0..count) of `rows`, in chunks of at most kVectorSize rows.
  void append(const ColumnarRows& rows, const SelectionVector& sel, size_t count);
  /// Moves every chunk of `other` (same types) to the end of this collection; `other` is left empty.
  void absorb(ChunkCollection& other);
  /// Drops every row.
  void clear();

  /// All rows, one flat vector per column. String values are shared with the collection's
  /// chunks, whose heaps the result keeps alive, so it stays valid after this collection is
  /// cleared.
  ColumnarRows consolidate() const;

 private:
  std::vector<LogicalType> types_;
  std::vector<DataChunk> chunks_;
  size_t num_rows_ = 0;
};

}  // namespace tessera::executor
