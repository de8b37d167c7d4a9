#include "pgwire/types/text_format.h"

#include <charconv>

#include "pgwire/codec/message_writer.h"
#include "src/common/array_value.h"
#include "src/common/bpchar.h"
#include "src/common/bytea.h"
#include "src/common/uuid.h"
#include "src/common/datetime.h"
#include "src/common/string_t.h"
#include "src/common/value.h"

namespace tessera::pgwire {

namespace {

template <class T>
void append_integer(T value, std::string& out) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), value);
  out.append(buf, static_cast<size_t>(res.ptr - buf));
}

}  // namespace

void append_text_value(const LogicalType& type, const uint8_t* data, size_t index, std::string& out) {
  switch (type.id()) {
    case LogicalTypeId::kBoolean:
      out.push_back(data[index] != 0 ? 't' : 'f');
      return;
    case LogicalTypeId::kSmallint:
      append_integer(reinterpret_cast<const int16_t*>(data)[index], out);
      return;
    case LogicalTypeId::kInteger:
      append_integer(reinterpret_cast<const int32_t*>(data)[index], out);
      return;
    case LogicalTypeId::kBigint:
      append_integer(reinterpret_cast<const int64_t*>(data)[index], out);
      return;
    case LogicalTypeId::kDouble:
      out.append(format_double(reinterpret_cast<const double*>(data)[index]));
      return;
    case LogicalTypeId::kReal:
      out.append(format_real(reinterpret_cast<const float*>(data)[index]));
      return;
    case LogicalTypeId::kVarchar: {
      const string_t& s = reinterpret_cast<const string_t*>(data)[index];
      out.append(s.data(), s.size());
      return;
    }
    case LogicalTypeId::kChar: {
      const string_t& s = reinterpret_cast<const string_t*>(data)[index];
      bpchar_append_padded(s.view(), type.modifier(), out);
      return;
    }
    case LogicalTypeId::kBytea: {
      const string_t& s = reinterpret_cast<const string_t*>(data)[index];
      bytea_append_hex(s.view(), out);
      return;
    }
    case LogicalTypeId::kUuid: {
      const string_t& s = reinterpret_cast<const string_t*>(data)[index];
      uuid_append_text(s.view(), out);
      return;
    }
    case LogicalTypeId::kDate:
      out.append(datetime::format_date(reinterpret_cast<const int32_t*>(data)[index]));
      return;
    case LogicalTypeId::kTime:
      out.append(datetime::format_time(reinterpret_cast<const int64_t*>(data)[index]));
      return;
    case LogicalTypeId::kTimestamp:
      out.append(datetime::format_timestamp(reinterpret_cast<const int64_t*>(data)[index]));
      return;
    case LogicalTypeId::kTimestampTz: {
      // Shown in the session's TimeZone, which the session installs for the statement.
      const auto& zone = current_datetime_context().time_zone;
      out.append(datetime::format_timestamptz(reinterpret_cast<const int64_t*>(data)[index], zone ? *zone : *utc_time_zone()));
      return;
    }
    case LogicalTypeId::kInterval:
      out.append(datetime::format_interval(reinterpret_cast<const Interval*>(data)[index]));
      return;
    case LogicalTypeId::kNumeric:
      out.append(numeric::format(reinterpret_cast<const Numeric*>(data)[index]));
      return;
    case LogicalTypeId::kArray:
      out.append(array::format(type.element_type(), reinterpret_cast<const string_t*>(data)[index].view()));
      return;
    case LogicalTypeId::kSqlNull:
    case LogicalTypeId::kInvalid:
      return;
  }
}

std::optional<std::string> text_value(const Vector& vector, size_t row) {
  if (vector.type().id() == LogicalTypeId::kSqlNull) return std::nullopt;
  UnifiedVectorFormat format;
  vector.to_unified(row + 1, format);
  size_t index = format.sel.get_index(row);
  if (!format.validity->row_is_valid(index)) return std::nullopt;
  std::string out;
  append_text_value(vector.type(), format.data, index, out);
  return out;
}

void DataRowEncoder::encode(const DataChunk& chunk, std::string& out) {
  const size_t num_rows = chunk.size();
  const size_t num_columns = chunk.column_count();
  columns_.resize(num_columns);
  for (size_t c = 0; c < num_columns; c++) chunk.column(c).to_unified(num_rows, columns_[c]);

  // A rough guess (header plus a short value per column) that avoids most regrowth.
  out.reserve(out.size() + num_rows * (7 + num_columns * 10));
  for (size_t row = 0; row < num_rows; row++) {
    out.push_back('D');
    const size_t message_start = out.size();
    out.append(4, '\0');
    out.push_back(static_cast<char>((num_columns >> 8) & 0xff));
    out.push_back(static_cast<char>(num_columns & 0xff));
    for (size_t c = 0; c < num_columns; c++) {
      const Vector& vector = chunk.column(c);
      const UnifiedVectorFormat& format = columns_[c];
      const size_t index = format.sel.get_index(row);
      const size_t length_pos = out.size();
      if (vector.type().id() == LogicalTypeId::kSqlNull || !format.validity->row_is_valid(index)) {
        out.append(4, '\xff');
        continue;
      }
      out.append(4, '\0');
      append_text_value(vector.type(), format.data, index, out);
      MessageWriter::store_int32(out, length_pos, static_cast<int32_t>(out.size() - length_pos - 4));
    }
    MessageWriter::store_int32(out, message_start, static_cast<int32_t>(out.size() - message_start));
  }
}

}  // namespace tessera::pgwire
