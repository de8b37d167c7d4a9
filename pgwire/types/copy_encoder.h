#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "src/common/copy_format.h"
#include "src/common/data_chunk.h"
#include "src/common/vector.h"

namespace tessera::pgwire {

/// Writes rows in COPY TO's text or CSV format, one line per row ending in "\n", each value
/// in its type's text output (as DataRow sends it) and PostgreSQL's escaping: text format
/// backslash-escapes the backslash, the delimiter and \b \f \n \r \t \v; CSV quotes a value
/// holding the delimiter, the quote, a newline or a carriage return, one equal to the NULL
/// string, a lone `\.` in a single-column COPY and every non-NULL value of a FORCE_QUOTE
/// column, doubling the quote and escape characters inside with the ESCAPE character. NULL is
/// the NULL string. Not thread-safe: keeps scratch state between calls.
class CopyEncoder {
 public:
  explicit CopyEncoder(CopyFormat format);

  /// Appends the header line: the column names, escaped as values (never force-quoted).
  void encode_header(const std::vector<std::string>& names, std::string& out) const;
  /// Prepares the rows of `chunk` for encode_row.
  void begin_chunk(const DataChunk& chunk);
  /// Appends the line of row `row` of the chunk given to begin_chunk.
  void encode_row(const DataChunk& chunk, size_t row, std::string& out);

  /// Appends one value (not NULL), escaped; CSV quotes it when `force_quote`. `num_columns` is
  /// the row's width (a lone `\.` is quoted in a single-column COPY).
  void append_value(std::string_view value, bool force_quote, size_t num_columns, std::string& out) const;

 private:
  CopyFormat format_;
  std::vector<UnifiedVectorFormat> columns_;
  std::string scratch_;
};

}  // namespace tessera::pgwire
