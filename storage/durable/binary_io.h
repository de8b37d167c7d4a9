#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tessera::storage {

/// Appends values to a byte string in the on-disk byte order (little-endian, fixed width) or as
/// LEB128 varints. The writer of every durable format (WAL records, data and manifest files).
class BinaryWriter {
 public:
  void put_u8(uint8_t v) { buffer_.push_back(static_cast<char>(v)); }
  void put_u32(uint32_t v) { put_fixed(v, 4); }
  void put_u64(uint64_t v) { put_fixed(v, 8); }
  void put_i64(int64_t v) { put_u64(static_cast<uint64_t>(v)); }
  void put_double(double v);
  /// Unsigned LEB128: 1 byte below 128, at most 10.
  void put_varint(uint64_t v);
  /// A varint length, then the bytes.
  void put_string(std::string_view s);
  void put_bytes(const void* data, size_t size) {
    if (size > 0) buffer_.append(static_cast<const char*>(data), size);
  }

  const std::string& data() const { return buffer_; }
  std::string take() { return std::move(buffer_); }
  size_t size() const { return buffer_.size(); }

 private:
  void put_fixed(uint64_t v, int bytes);
  std::string buffer_;
};

/// Reads what a BinaryWriter wrote, checking every read against the end: reading past it, an
/// overlong varint or a length beyond the data throws XX001 data_corrupted naming `what` (the
/// file or record being read), never reads out of bounds.
class BinaryReader {
 public:
  BinaryReader(std::string_view data, std::string what) : data_(data), what_(std::move(what)) {}

  uint8_t get_u8();
  uint32_t get_u32() { return static_cast<uint32_t>(get_fixed(4)); }
  uint64_t get_u64() { return get_fixed(8); }
  int64_t get_i64() { return static_cast<int64_t>(get_u64()); }
  double get_double();
  uint64_t get_varint();
  /// A string written by put_string: a view into the reader's data.
  std::string_view get_string();
  /// The next `size` bytes, as a view into the reader's data.
  std::string_view get_bytes(size_t size);

  size_t remaining() const { return data_.size() - pos_; }
  bool at_end() const { return pos_ == data_.size(); }
  size_t position() const { return pos_; }
  /// Throws XX001 ("<what>: <problem>"): for format checks of the caller (a bad tag, a count
  /// that cannot be right).
  [[noreturn]] void corrupt(std::string_view problem) const;

 private:
  uint64_t get_fixed(int bytes);
  std::string_view data_;
  size_t pos_ = 0;
  std::string what_;
};

}  // namespace tessera::storage
