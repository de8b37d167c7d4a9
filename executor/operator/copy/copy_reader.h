#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "src/common/copy_format.h"

namespace tessera::executor {

/// The line ending of COPY input, decided by its first line as PostgreSQL does: "\n", a lone
/// "\r" or "\r\n" (kUnknown before the first line ends).
enum class CopyEol : uint8_t { kUnknown, kNl, kCr, kCrNl };

/// A run of whole rows of COPY input: bytes [begin, end), the first row on line `first_line`
/// (1-based, counted as PostgreSQL does: one line per row, the header being line 1).
struct CopyBlock {
  size_t begin = 0;
  size_t end = 0;
  uint64_t first_line = 1;
  CopyEol eol = CopyEol::kUnknown;  ///< the input's line ending
};

/// Where one row of COPY input ends.
struct CopyRowExtent {
  size_t content_end = 0;  ///< end of the row's text (before its line ending)
  size_t next = 0;         ///< where the next row starts
  bool end_marker = false; ///< the row is (or ends in) the end-of-data marker `\.`: no rows follow
};

/// Finds the end of the row starting at data[pos] (pos < data.size()): the first line ending
/// not escaped by a backslash (text) or inside quotes (CSV); a quoted CSV field that never ends
/// makes the rest of the input the row. `eol`: the input's line ending, set by the first one
/// met while kUnknown. Throws 22P04 for a corrupt end-of-data marker (text) and for a newline
/// or carriage return that does not match the line ending (outside quotes).
CopyRowExtent find_copy_row(std::string_view data, size_t pos, const CopyFormat& format, CopyEol& eol);

/// Splits COPY input into blocks of about `target_bytes` that end on row boundaries, so each
/// block parses on its own: skips the header line (HEADER) and stops at the end-of-data marker.
/// Single pass over the bytes; throws as find_copy_row, with the context `COPY <table_name>,
/// line N`.
std::vector<CopyBlock> split_copy_input(std::string_view data, const CopyFormat& format, size_t target_bytes,
                                        std::string_view table_name);

/// PostgreSQL's error context for line `line` of a COPY into `table_name`: `COPY t, line 3`.
std::string copy_line_context(std::string_view table_name, uint64_t line);

/// The same with the row's text (cut to 100 bytes): `COPY t, line 3: "1\tx"`.
std::string copy_row_context(std::string_view table_name, uint64_t line, std::string_view row);

/// The rows of the chunk a COPY FROM handed on last, for the errors its insert raises about
/// them. A COPY hands on one chunk at a time, the next only after the insert took it.
class CopyRowContexts {
 public:
  struct Row {
    uint64_t line = 0;
    std::string_view text;  ///< the row's text in the input (which outlives the statement's plan)
  };
  explicit CopyRowContexts(std::string table_name) : table_name_(std::move(table_name)) {}
  void set_current(const std::vector<Row>* rows) { current_ = rows; }
  /// The CONTEXT line for row `row` of the current chunk (`COPY t, line 3: "..."`); empty when
  /// unknown.
  std::string context(size_t row) const {
    if (!current_ || row >= current_->size()) return {};
    return copy_row_context(table_name_, (*current_)[row].line, (*current_)[row].text);
  }
  /// The same without the row's text (`COPY t, line 3`), as PostgreSQL reports a duplicate key.
  std::string line_context(size_t row) const {
    if (!current_ || row >= current_->size()) return {};
    return copy_line_context(table_name_, (*current_)[row].line);
  }

 private:
  std::string table_name_;
  const std::vector<Row>* current_ = nullptr;
};

/// Splits the rows of COPY input into field values with PostgreSQL's rules: text format
/// backslash escapes (\b \f \n \r \t \v, octal \digits, \xhex, any other character as itself)
/// and the NULL string compared before unescaping; CSV quoting with the QUOTE and ESCAPE
/// characters, NULL being the unquoted NULL string (FORCE_NOT_NULL: never; FORCE_NULL: quoted
/// too). Not thread-safe: one per worker; field texts are valid until the next parse_row.
class CopyRowParser {
 public:
  struct Field {
    std::string_view text;
    bool is_null = false;
  };

  /// `names`: the COPY's columns (for error messages); their count is the fields a row must have.
  CopyRowParser(const CopyFormat& format, std::vector<std::string> names, std::string table_name);

  /// Parses the row [pos, extent.content_end) on line `line`: fields() then holds one value per
  /// column. Throws 22P04 for missing or extra columns and 22021 for an escape that makes
  /// invalid UTF-8, with the COPY context line.
  void parse_row(std::string_view data, size_t pos, const CopyRowExtent& extent, uint64_t line);
  const std::vector<Field>& fields() const { return fields_; }

  /// PostgreSQL's CONTEXT for an error in row `line` (`COPY t, line 3: "..."`), or in its
  /// column `column` holding `value` (`COPY t, line 3, column b: "x"`; NULL: "null input").
  std::string context(uint64_t line, std::string_view row) const;
  std::string column_context(uint64_t line, size_t column, const Field& value) const;

 private:
  void parse_text(std::string_view row);
  void parse_csv(std::string_view row);

  const CopyFormat& format_;
  std::vector<std::string> names_;
  std::string table_name_;
  std::vector<Field> fields_;
  std::string scratch_;                ///< unescaped field bytes of the current row
  std::vector<bool> field_escaped_;    ///< a text-format field used a backslash escape
};

}  // namespace tessera::executor
