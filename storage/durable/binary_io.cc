#include "storage/durable/binary_io.h"

#include <bit>

#include <cstring>

#include "src/common/sql_error.h"

namespace tessera::storage {

void BinaryWriter::put_fixed(uint64_t v, int bytes) {
  if constexpr (std::endian::native == std::endian::little) {
    char little[8];
    std::memcpy(little, &v, sizeof little);
    buffer_.append(little, static_cast<size_t>(bytes));
  } else {
    for (int i = 0; i < bytes; i++) buffer_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
}

void BinaryWriter::put_double(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  put_u64(bits);
}

void BinaryWriter::put_varint(uint64_t v) {
  while (v >= 0x80) {
    buffer_.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  buffer_.push_back(static_cast<char>(v));
}

void BinaryWriter::put_string(std::string_view s) {
  put_varint(s.size());
  buffer_.append(s);
}

void BinaryReader::corrupt(std::string_view problem) const {
  throw SqlError(SqlState::kDataCorrupted, what_ + ": " + std::string(problem));
}

uint8_t BinaryReader::get_u8() {
  if (remaining() < 1) corrupt("unexpected end of data");
  return static_cast<uint8_t>(data_[pos_++]);
}

uint64_t BinaryReader::get_fixed(int bytes) {
  if (remaining() < static_cast<size_t>(bytes)) corrupt("unexpected end of data");
  uint64_t v = 0;
  for (int i = 0; i < bytes; i++) v |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
  pos_ += bytes;
  return v;
}

double BinaryReader::get_double() {
  const uint64_t bits = get_u64();
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

uint64_t BinaryReader::get_varint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const uint8_t byte = get_u8();
    if (shift == 63 && byte > 1) corrupt("varint out of range");
    v |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return v;
  }
  corrupt("varint out of range");
}

std::string_view BinaryReader::get_string() { return get_bytes(get_varint()); }

std::string_view BinaryReader::get_bytes(size_t size) {
  if (size > remaining()) corrupt("length beyond the end of data");
  const std::string_view out = data_.substr(pos_, size);
  pos_ += size;
  return out;
}

}  // namespace tessera::storage
