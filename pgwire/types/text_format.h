#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/common/data_chunk.h"
#include "src/common/logical_type.h"
#include "src/common/vector.h"

namespace tessera::pgwire {

/// Appends PostgreSQL's text output for the non-NULL value at `index` of the physical value
/// array `data` of a vector of `type`: booleans as "t"/"f", integers in decimal, double
/// precision as format_double prints it, text as is, date/time types in DateStyle ISO and
/// IntervalStyle postgres (timestamptz in the current DateTimeContext's zone). The untyped NULL type has no non-NULL
/// values and appends nothing. Thread-safe.
void append_text_value(const LogicalType& type, const uint8_t* data, size_t index, std::string& out);

/// The text form of row `row` of `vector` (any vector representation); nullopt for NULL.
/// For tests and single values; chunks go through DataRowEncoder.
std::optional<std::string> text_value(const Vector& vector, size_t row);

/// Encodes the rows of DataChunks as DataRow messages in text format, one message per row,
/// reading each column through its unified format (flat, constant and dictionary vectors alike).
/// Not thread-safe: keeps scratch state between calls; use one per connection.
class DataRowEncoder {
 public:
  /// Appends one DataRow message per row of `chunk` to `out`.
  void encode(const DataChunk& chunk, std::string& out);

 private:
  std::vector<UnifiedVectorFormat> columns_;
};

}  // namespace tessera::pgwire
