#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "src/common/assert.h"
#include "src/common/logical_type.h"
#include "src/common/vector.h"

namespace tessera {

/// A set of equally long vectors: the unit of data flowing between operators. It never holds
/// more than kVectorSize rows (checked); more rows are a collection of chunks or, once
/// materialized, columns (executor::ColumnarRows). Owns its vectors. Not thread-safe.
class DataChunk {
 public:
  DataChunk() = default;
  /// Allocates one flat vector per type with `capacity` rows.
  void initialize(const std::vector<LogicalType>& types, size_t capacity = kVectorSize);
  /// Same as initialize, without allocating buffers (vectors are filled by reference).
  void initialize_empty(const std::vector<LogicalType>& types);

  size_t size() const { return count_; }
  void set_size(size_t count) {
    TS_CHECK(count <= kVectorSize, "a data chunk holds at most kVectorSize rows");
    count_ = count;
  }
  size_t column_count() const { return data_.size(); }
  size_t capacity() const { return capacity_; }
  std::vector<LogicalType> types() const;

  Vector& column(size_t i) { return data_[i]; }
  const Vector& column(size_t i) const { return data_[i]; }
  std::vector<Vector>& columns() { return data_; }

  /// Restores fresh owned flat buffers in every column and sets the size to 0.
  void reset();
  /// Makes every column a reference to the same column of `other`, and takes its size.
  void reference(const DataChunk& other);
  /// Keeps only the rows in `sel` (the first `count` entries), by slicing every column.
  void slice(const SelectionVector& sel, size_t count);
  /// Makes this chunk a selection of `other`'s rows (every column sliced).
  void slice(const DataChunk& other, const SelectionVector& sel, size_t count);
  /// Flattens every column.
  void flatten();
  /// Appends the rows of `other` (same types) by copying; grows up to kVectorSize rows.
  void append(const DataChunk& other);

  Value get_value(size_t column, size_t row) const { return data_[column].get_value(row); }
  void set_value(size_t column, size_t row, const Value& v) { data_[column].set_value(row, v); }

  /// A readable dump for tests and debugging.
  std::string to_string() const;

 private:
  std::vector<Vector> data_;
  size_t count_ = 0;
  size_t capacity_ = kVectorSize;
};

}  // namespace tessera
