#include "pgwire/types/copy_encoder.h"

#include <utility>

#include "pgwire/types/text_format.h"

namespace tessera::pgwire {

CopyEncoder::CopyEncoder(CopyFormat format) : format_(std::move(format)) {}

void CopyEncoder::encode_header(const std::vector<std::string>& names, std::string& out) const {
  for (size_t c = 0; c < names.size(); c++) {
    if (c > 0) out.push_back(format_.delimiter);
    append_value(names[c], false, names.size(), out);  // names are never force-quoted
  }
  out.push_back('\n');
}

void CopyEncoder::begin_chunk(const DataChunk& chunk) {
  columns_.resize(chunk.column_count());
  for (size_t c = 0; c < chunk.column_count(); c++) chunk.column(c).to_unified(chunk.size(), columns_[c]);
}

void CopyEncoder::encode_row(const DataChunk& chunk, size_t row, std::string& out) {
  const size_t num_columns = chunk.column_count();
  for (size_t c = 0; c < num_columns; c++) {
    if (c > 0) out.push_back(format_.delimiter);
    const Vector& vector = chunk.column(c);
    const UnifiedVectorFormat& unified = columns_[c];
    const size_t index = unified.sel.get_index(row);
    if (vector.type().id() == LogicalTypeId::kSqlNull || !unified.validity->row_is_valid(index)) {
      out.append(format_.null_string);
      continue;
    }
    scratch_.clear();
    append_text_value(vector.type(), unified.data, index, scratch_);
    append_value(scratch_, c < format_.force_quote.size() && format_.force_quote[c], num_columns, out);
  }
  out.push_back('\n');
}

void CopyEncoder::append_value(std::string_view value, bool force_quote, size_t num_columns, std::string& out) const {
  const char delimiter = format_.delimiter;
  if (!format_.is_csv()) {
    for (char c : value) {
      switch (c) {
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        case '\\': out += "\\\\"; break;
        default:
          if (c == delimiter) out.push_back('\\');
          out.push_back(c);
      }
    }
    return;
  }
  const char quote = format_.quote;
  const char escape = format_.escape;
  bool use_quote = force_quote;
  if (!use_quote && value == format_.null_string) use_quote = true;
  if (!use_quote) {
    if (num_columns == 1 && value == "\\.") {
      use_quote = true;
    } else {
      for (char c : value) {
        if (c == delimiter || c == quote || c == '\n' || c == '\r') {
          use_quote = true;
          break;
        }
      }
    }
  }
  if (!use_quote) {
    out.append(value);
    return;
  }
  out.push_back(quote);
  for (char c : value) {
    if (c == quote || c == escape) out.push_back(escape);
    out.push_back(c);
  }
  out.push_back(quote);
}

}  // namespace tessera::pgwire
