#include "storage/durable/vector_serializer.h"

#include <bit>
#include <cstring>

#include "src/common/datetime.h"
#include "src/common/numeric.h"
#include "src/common/string_t.h"

namespace tessera::storage {

static_assert(std::endian::native == std::endian::little,
              "the durable formats store fixed-width values as little-endian bytes, copied as they are in memory");

namespace {

// Every type id the engine defines has a physical layout; an id read from disk without one
// is not a type.
bool known_type_id(uint8_t id) {
  return LogicalType(static_cast<LogicalTypeId>(id)).physical_type() != PhysicalType::kInvalid;
}

// The bytes of a fixed-width value as stored; numeric and interval are written field by field
// so that their layout in memory (and its padding) does not leak into the format.
void write_fixed(BinaryWriter& out, PhysicalType physical, size_t width, const uint8_t* value) {
  switch (physical) {
    case PhysicalType::kNumeric: {
      const auto& n = *reinterpret_cast<const Numeric*>(value);
      out.put_u64(n.lo);
      out.put_u64(n.hi);
      return;
    }
    case PhysicalType::kInterval: {
      const auto& i = *reinterpret_cast<const Interval*>(value);
      out.put_i64(i.micros);
      out.put_u32(static_cast<uint32_t>(i.days));
      out.put_u32(static_cast<uint32_t>(i.months));
      return;
    }
    default:
      out.put_bytes(value, width);
  }
}

void read_fixed(BinaryReader& in, PhysicalType physical, size_t width, uint8_t* value) {
  switch (physical) {
    case PhysicalType::kNumeric: {
      auto& n = *reinterpret_cast<Numeric*>(value);
      n.lo = in.get_u64();
      n.hi = in.get_u64();
      return;
    }
    case PhysicalType::kInterval: {
      auto& i = *reinterpret_cast<Interval*>(value);
      i.micros = in.get_i64();
      i.days = static_cast<int32_t>(in.get_u32());
      i.months = static_cast<int32_t>(in.get_u32());
      return;
    }
    default:
      std::memcpy(value, in.get_bytes(width).data(), width);
  }
}

}  // namespace

void write_type(BinaryWriter& out, const LogicalType& type) {
  out.put_u8(static_cast<uint8_t>(type.id()));
  out.put_u32(static_cast<uint32_t>(type.modifier()));
  out.put_u8(type.id() == LogicalTypeId::kArray ? static_cast<uint8_t>(type.element_type().id()) : 0);
}

LogicalType read_type(BinaryReader& in) {
  const uint8_t id = in.get_u8();
  const auto modifier = static_cast<int32_t>(in.get_u32());
  const uint8_t element = in.get_u8();
  if (!known_type_id(id)) in.corrupt("unknown type id " + std::to_string(id));
  if (static_cast<LogicalTypeId>(id) == LogicalTypeId::kArray) {
    if (!known_type_id(element) || static_cast<LogicalTypeId>(element) == LogicalTypeId::kArray) {
      in.corrupt("unknown array element type id " + std::to_string(element));
    }
    return LogicalType::array_of(LogicalType(static_cast<LogicalTypeId>(element), modifier));
  }
  return LogicalType(static_cast<LogicalTypeId>(id), modifier);
}

void write_vector(BinaryWriter& out, const Vector& vector, size_t count) {
  UnifiedVectorFormat format;
  vector.to_unified(count, format);
  const bool has_nulls = [&] {
    if (format.validity->all_valid()) return false;
    for (size_t i = 0; i < count; i++) {
      if (!format.validity->row_is_valid(format.sel.get_index(i))) return true;
    }
    return false;
  }();
  out.put_u8(has_nulls ? 1 : 0);
  if (has_nulls) {
    std::string bits((count + 7) / 8, '\0');
    for (size_t i = 0; i < count; i++) {
      if (format.validity->row_is_valid(format.sel.get_index(i))) bits[i / 8] |= static_cast<char>(1 << (i % 8));
    }
    out.put_bytes(bits.data(), bits.size());
  }
  const PhysicalType physical = vector.type().physical_type();
  const size_t width = vector.type().physical_size();
  if (!has_nulls && physical != PhysicalType::kString && !format.sel.is_set() &&
      std::endian::native == std::endian::little) {
    // Consecutive fixed-width values: their bytes are the durable form (little-endian; a
    // numeric's low word first, an interval's micros, days, months — as they lie in memory).
    out.put_bytes(format.data, count * width);
    return;
  }
  for (size_t i = 0; i < count; i++) {
    const size_t row = format.sel.get_index(i);
    if (has_nulls && !format.validity->row_is_valid(row)) continue;
    if (physical == PhysicalType::kString) {
      out.put_string(format.values<string_t>()[row].view());
    } else {
      write_fixed(out, physical, width, format.data + row * width);
    }
  }
}

void read_vector(BinaryReader& in, const LogicalType& type, size_t count, Vector& out) {
  const uint8_t flags = in.get_u8();
  if (flags > 1) in.corrupt("unknown vector flags " + std::to_string(flags));
  std::string_view bits;
  if (flags & 1) bits = in.get_bytes((count + 7) / 8);
  const PhysicalType physical = type.physical_type();
  const size_t width = type.physical_size();
  uint8_t* data = out.mutable_data();
  ValidityMask& validity = out.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    if (!bits.empty() && !((static_cast<uint8_t>(bits[i / 8]) >> (i % 8)) & 1)) {
      validity.set_invalid(i);
      continue;
    }
    if (physical == PhysicalType::kString) {
      reinterpret_cast<string_t*>(data)[i] = out.string_heap().add(in.get_string());
    } else {
      read_fixed(in, physical, width, data + i * width);
    }
  }
}

void write_chunk(BinaryWriter& out, const DataChunk& chunk) {
  out.put_varint(chunk.size());
  out.put_varint(chunk.column_count());
  for (size_t c = 0; c < chunk.column_count(); c++) write_vector(out, chunk.column(c), chunk.size());
}

void read_chunk(BinaryReader& in, const std::vector<LogicalType>& types, DataChunk& out) {
  const uint64_t rows = in.get_varint();
  const uint64_t columns = in.get_varint();
  if (rows > kVectorSize) in.corrupt("chunk of " + std::to_string(rows) + " rows");
  if (columns != types.size()) {
    in.corrupt("chunk of " + std::to_string(columns) + " columns where " + std::to_string(types.size()) +
               " were expected");
  }
  out.initialize(types);
  for (size_t c = 0; c < types.size(); c++) read_vector(in, types[c], rows, out.column(c));
  out.set_size(rows);
}

}  // namespace tessera::storage
