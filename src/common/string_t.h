#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tessera {

/// A 16-byte string reference: length, then either up to 12 bytes inline or a 4-byte prefix
/// plus a pointer to bytes owned elsewhere (a StringHeap of the vector or segment).
/// Comparisons look at the length and prefix before touching the pointer.
class string_t {  // NOLINT: named like a primitive on purpose
 public:
  static constexpr uint32_t kInlineLength = 12;
  static constexpr uint32_t kPrefixLength = 4;

  string_t() { std::memset(this, 0, sizeof(*this)); }
  /// Wraps `len` bytes at `data`; the bytes must outlive this value unless len <= 12.
  string_t(const char* data, uint32_t len) {
    value_.inlined.length = len;
    if (len <= kInlineLength) {
      std::memset(value_.inlined.inlined, 0, kInlineLength);
      if (len > 0) std::memcpy(value_.inlined.inlined, data, len);
    } else {
      std::memcpy(value_.pointer.prefix, data, kPrefixLength);
      value_.pointer.ptr = data;
    }
  }
  explicit string_t(std::string_view sv) : string_t(sv.data(), static_cast<uint32_t>(sv.size())) {}

  uint32_t size() const { return value_.inlined.length; }
  bool is_inlined() const { return size() <= kInlineLength; }
  const char* data() const { return is_inlined() ? value_.inlined.inlined : value_.pointer.ptr; }
  const char* prefix() const { return value_.pointer.prefix; }
  std::string_view view() const { return std::string_view(data(), size()); }
  std::string str() const { return std::string(data(), size()); }

  friend bool operator==(const string_t& a, const string_t& b) {
    // length + prefix are the first 8 bytes in both layouts
    uint64_t ha, hb;
    std::memcpy(&ha, &a, 8);
    std::memcpy(&hb, &b, 8);
    if (ha != hb) return false;
    if (a.is_inlined()) return std::memcmp(a.value_.inlined.inlined + 4, b.value_.inlined.inlined + 4, 8) == 0;
    return std::memcmp(a.data(), b.data(), a.size()) == 0;
  }
  friend bool operator!=(const string_t& a, const string_t& b) { return !(a == b); }
  /// Byte-wise comparison (the C collation).
  friend int compare(const string_t& a, const string_t& b) {
    uint32_t min_len = a.size() < b.size() ? a.size() : b.size();
    uint32_t prefix_len = min_len < kPrefixLength ? min_len : kPrefixLength;
    int r = std::memcmp(a.value_.pointer.prefix, b.value_.pointer.prefix, prefix_len);
    if (r != 0) return r;
    r = std::memcmp(a.data(), b.data(), min_len);
    if (r != 0) return r;
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
  }
  friend bool operator<(const string_t& a, const string_t& b) { return compare(a, b) < 0; }
  friend bool operator>(const string_t& a, const string_t& b) { return compare(a, b) > 0; }
  friend bool operator<=(const string_t& a, const string_t& b) { return compare(a, b) <= 0; }
  friend bool operator>=(const string_t& a, const string_t& b) { return compare(a, b) >= 0; }

 private:
  union {
    struct {
      uint32_t length;
      char prefix[4];
      const char* ptr;
    } pointer;
    struct {
      uint32_t length;
      char inlined[12];
    } inlined;
  } value_;
};

static_assert(sizeof(string_t) == 16, "string_t must be 16 bytes");

}  // namespace tessera
