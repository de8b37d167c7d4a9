#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessera {

/// The data format of a COPY: PostgreSQL's text format or CSV.
enum class CopyFileFormat : uint8_t { kText, kCsv };

/// The resolved options of a COPY statement (PostgreSQL's ProcessCopyOptions with defaults
/// applied). Per-column flags are aligned with the COPY's column list.
struct CopyFormat {
  CopyFileFormat format = CopyFileFormat::kText;
  char delimiter = '\t';
  std::string null_string = "\\N";
  char quote = '"';   ///< CSV only
  char escape = '"';  ///< CSV only
  bool header = false;
  bool force_quote_all = false;      ///< COPY TO, CSV: FORCE_QUOTE *
  std::vector<bool> force_quote;     ///< COPY TO, CSV: quote non-NULL values of these columns
  std::vector<bool> force_not_null;  ///< COPY FROM, CSV: the NULL string is a value here
  std::vector<bool> force_null;      ///< COPY FROM, CSV: a quoted NULL string is NULL here

  bool is_csv() const { return format == CopyFileFormat::kCsv; }
};

}  // namespace tessera
