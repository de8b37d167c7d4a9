#include "executor/operator/copy/copy_reader.h"

#include <utility>

#include "src/common/sql_error.h"
#include "src/common/utf8.h"

namespace tessera::executor {

namespace {

/// At most this many bytes of a line or value go into an error context (PostgreSQL's
/// MAX_COPY_DATA_DISPLAY), then "...".
constexpr size_t kMaxDisplayBytes = 100;

std::string display(std::string_view text) {
  if (text.size() <= kMaxDisplayBytes) return std::string(text);
  // Cut on a character boundary.
  size_t cut = kMaxDisplayBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) cut--;
  return std::string(text.substr(0, cut)) + "...";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Whether data[p..] is the end-of-data marker `\.` followed by the line ending or the end;
/// sets `next` past it.
bool is_end_marker(std::string_view data, size_t p, CopyEol eol, size_t& next) {
  if (p + 1 >= data.size() || data[p] != '\\' || data[p + 1] != '.') return false;
  size_t q = p + 2;
  const char after = q < data.size() ? data[q] : '\0';
  if ((eol == CopyEol::kCr && after == '\n') || (eol == CopyEol::kNl && after == '\r')) {
    throw SqlError(SqlState::kBadCopyFileFormat, "end-of-copy marker does not match previous newline style");
  }
  if (eol == CopyEol::kCr) {
    if (q < data.size() && data[q] != '\r') return false;
    next = q < data.size() ? q + 1 : q;
    return true;
  }
  if (q < data.size() && data[q] == '\r') q++;
  if (q < data.size() && data[q] != '\n') return false;
  next = q < data.size() ? q + 1 : q;
  return true;
}

/// A line ending at data[p] ('\r' or '\n', outside quotes) of the row starting at `pos`: its
/// extent, with PostgreSQL's rules for the line ending, which the input's first one decides
/// (`eol`, set by it): "\n", "\r\n" or a lone "\r"; any other is 22P04.
CopyRowExtent line_ending(std::string_view data, size_t p, CopyEol& eol, bool csv) {
  if (data[p] == '\n') {
    if (eol == CopyEol::kCr || eol == CopyEol::kCrNl) {
      throw SqlError(SqlState::kBadCopyFileFormat, csv ? "unquoted newline found in data" : "literal newline found in data")
          .with_hint(csv ? "Use quoted CSV field to represent newline." : "Use \"\\n\" to represent newline.");
    }
    eol = CopyEol::kNl;
    return CopyRowExtent{p, p + 1, false};
  }
  const bool crnl = p + 1 < data.size() && data[p + 1] == '\n';
  if ((eol == CopyEol::kUnknown || eol == CopyEol::kCrNl) && crnl) {
    eol = CopyEol::kCrNl;
    return CopyRowExtent{p, p + 2, false};
  }
  if (eol == CopyEol::kUnknown) {
    eol = CopyEol::kCr;
    return CopyRowExtent{p, p + 1, false};
  }
  if (eol == CopyEol::kCr) return CopyRowExtent{p, p + 1, false};
  throw SqlError(SqlState::kBadCopyFileFormat,
                 csv ? "unquoted carriage return found in data" : "literal carriage return found in data")
      .with_hint(csv ? "Use quoted CSV field to represent carriage return." : "Use \"\\r\" to represent carriage return.");
}

}  // namespace

CopyRowExtent find_copy_row(std::string_view data, size_t pos, const CopyFormat& format, CopyEol& eol) {
  const size_t n = data.size();
  const char* bytes = data.data();
  size_t next = 0;
  if (!format.is_csv()) {
    size_t p = pos;
    while (p < n) {
      const char c = bytes[p];
      if (c == '\n' || c == '\r') return line_ending(data, p, eol, false);
      if (c == '\\') {
        if (p + 1 < n && bytes[p + 1] == '.') {
          if (!is_end_marker(data, p, eol, next)) {
            throw SqlError(SqlState::kBadCopyFileFormat, "end-of-copy marker corrupt");
          }
          return CopyRowExtent{p, next, true};
        }
        p += 2;  // the escaped character, a newline too, belongs to the row
        continue;
      }
      p++;
    }
    return CopyRowExtent{n, n, false};
  }
  if (is_end_marker(data, pos, eol, next)) return CopyRowExtent{pos, next, true};
  const char quote = format.quote;
  const char escape = format.escape;
  bool in_quote = false;
  size_t p = pos;
  while (p < n) {
    const char c = bytes[p];
    if (in_quote) {
      if (c == escape && escape != quote && p + 1 < n && (bytes[p + 1] == quote || bytes[p + 1] == escape)) {
        p += 2;
        continue;
      }
      if (c == quote) in_quote = false;
      p++;
      continue;
    }
    if (c == quote) {
      in_quote = true;
    } else if (c == '\n' || c == '\r') {
      return line_ending(data, p, eol, true);
    }
    p++;
  }
  // A quoted field that never ends makes the rest of the input one row, which fails to parse
  // (with that row in the error context, as PostgreSQL reports it).
  return CopyRowExtent{n, n, false};
}

std::string copy_line_context(std::string_view table_name, uint64_t line) {
  return "COPY " + std::string(table_name) + ", line " + std::to_string(line);
}

std::vector<CopyBlock> split_copy_input(std::string_view data, const CopyFormat& format, size_t target_bytes,
                                        std::string_view table_name) {
  std::vector<CopyBlock> blocks;
  size_t pos = 0;
  uint64_t line = 1;
  CopyEol eol = CopyEol::kUnknown;
  auto find_row = [&](size_t at) {
    try {
      return find_copy_row(data, at, format, eol);
    } catch (SqlError& error) {
      error.with_context(copy_line_context(table_name, line));
      throw;
    }
  };
  if (format.header && pos < data.size()) {
    CopyRowExtent header = find_row(pos);
    if (header.end_marker) return blocks;
    pos = header.next;
    line = 2;
  }
  CopyBlock block{pos, pos, line};
  while (pos < data.size()) {
    CopyRowExtent row = find_row(pos);
    if (row.end_marker) {
      // Text before the marker on its line is a last row.
      if (row.content_end > pos) pos = row.next;
      break;
    }
    pos = row.next;
    line++;
    if (pos - block.begin >= target_bytes) {
      block.end = pos;
      blocks.push_back(block);
      block = CopyBlock{pos, pos, line};
    }
  }
  block.end = pos;
  if (block.end > block.begin) blocks.push_back(block);
  // The first line ending decided the input's: every block parses with it.
  for (CopyBlock& b : blocks) b.eol = eol;
  return blocks;
}

CopyRowParser::CopyRowParser(const CopyFormat& format, std::vector<std::string> names, std::string table_name)
    : format_(format), names_(std::move(names)), table_name_(std::move(table_name)) {}

std::string copy_row_context(std::string_view table_name, uint64_t line, std::string_view row) {
  return copy_line_context(table_name, line) + ": \"" + display(row) + "\"";
}

std::string CopyRowParser::context(uint64_t line, std::string_view row) const {
  return copy_row_context(table_name_, line, row);
}

std::string CopyRowParser::column_context(uint64_t line, size_t column, const Field& value) const {
  std::string out = copy_line_context(table_name_, line) + ", column " + names_[column] + ": ";
  if (value.is_null) return out + "null input";
  return out + "\"" + display(value.text) + "\"";
}

void CopyRowParser::parse_row(std::string_view data, size_t pos, const CopyRowExtent& extent, uint64_t line) {
  std::string_view row = data.substr(pos, extent.content_end - pos);
  fields_.clear();
  field_escaped_.clear();
  // Unescaping never makes a field longer, so the scratch buffer never moves while views
  // into it are taken.
  scratch_.resize(row.size());
  try {
    if (format_.is_csv()) {
      parse_csv(row);
    } else {
      parse_text(row);
    }
  } catch (SqlError& error) {
    error.with_context(context(line, row));
    throw;
  }
  if (fields_.size() > names_.size()) {
    throw SqlError(SqlState::kBadCopyFileFormat, "extra data after last expected column").with_context(context(line, row));
  }
  if (fields_.size() < names_.size()) {
    throw SqlError(SqlState::kBadCopyFileFormat, "missing data for column \"" + names_[fields_.size()] + "\"")
        .with_context(context(line, row));
  }
  for (size_t i = 0; i < field_escaped_.size(); i++) {
    if (!field_escaped_[i] || fields_[i].is_null) continue;
    try {
      utf8_check(fields_[i].text);
    } catch (SqlError& error) {
      error.with_context(column_context(line, i, fields_[i]));
      throw;
    }
  }
}

void CopyRowParser::parse_text(std::string_view row) {
  const size_t n = row.size();
  const char delimiter = format_.delimiter;
  char* out = scratch_.data();
  size_t w = 0;
  size_t p = 0;
  for (;;) {
    const size_t start = p;
    const size_t out_start = w;
    bool escaped = false;
    while (p < n && row[p] != delimiter) {
      char c = row[p++];
      if (c == '\\') {
        if (p >= n) break;  // a backslash ending the line is dropped
        escaped = true;
        c = row[p++];
        switch (c) {
          case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            int value = c - '0';
            for (int k = 0; k < 2 && p < n && row[p] >= '0' && row[p] <= '7'; k++) value = value * 8 + (row[p++] - '0');
            c = static_cast<char>(value & 0xFF);
            break;
          }
          case 'x': {
            if (p < n && hex_value(row[p]) >= 0) {
              int value = hex_value(row[p++]);
              if (p < n && hex_value(row[p]) >= 0) value = value * 16 + hex_value(row[p++]);
              c = static_cast<char>(value);
            }
            break;
          }
          case 'b': c = '\b'; break;
          case 'f': c = '\f'; break;
          case 'n': c = '\n'; break;
          case 'r': c = '\r'; break;
          case 't': c = '\t'; break;
          case 'v': c = '\v'; break;
          default: break;  // any other character stands for itself
        }
      }
      out[w++] = c;
    }
    std::string_view raw = row.substr(start, p - start);
    Field field;
    if (raw == format_.null_string) {
      field.is_null = true;
    } else {
      field.text = std::string_view(out + out_start, w - out_start);
    }
    fields_.push_back(field);
    field_escaped_.push_back(escaped);
    if (p >= n) break;
    p++;  // the delimiter
  }
}

void CopyRowParser::parse_csv(std::string_view row) {
  const size_t n = row.size();
  const char delimiter = format_.delimiter;
  const char quote = format_.quote;
  const char escape = format_.escape;
  char* out = scratch_.data();
  size_t w = 0;
  size_t p = 0;
  for (;;) {
    const size_t start = p;
    const size_t out_start = w;
    bool quoted = false;
    for (;;) {
      while (p < n && row[p] != delimiter && row[p] != quote) out[w++] = row[p++];
      if (p >= n || row[p] != quote) break;
      quoted = true;
      p++;
      for (;;) {
        if (p >= n) throw SqlError(SqlState::kBadCopyFileFormat, "unterminated CSV quoted field");
        const char c = row[p];
        if (c == escape && p + 1 < n && (row[p + 1] == quote || row[p + 1] == escape)) {
          out[w++] = row[p + 1];
          p += 2;
          continue;
        }
        p++;
        if (c == quote) break;
        out[w++] = c;
      }
    }
    const size_t column = fields_.size();
    std::string_view raw = row.substr(start, p - start);
    Field field;
    field.text = std::string_view(out + out_start, w - out_start);
    if (!quoted && raw == format_.null_string) {
      field.is_null = column >= format_.force_not_null.size() || !format_.force_not_null[column];
    } else if (column < format_.force_null.size() && format_.force_null[column] && field.text == format_.null_string) {
      field.is_null = true;
    }
    if (field.is_null) field.text = {};
    fields_.push_back(field);
    field_escaped_.push_back(false);
    if (p >= n) break;
    p++;  // the delimiter
  }
}

}  // namespace tessera::executor
