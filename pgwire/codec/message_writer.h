#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tessera::pgwire {

/// Appends backend messages to a byte buffer: a type byte, a length word filled in by end(),
/// and big-endian fields. Not thread-safe; the buffer must outlive the writer.
class MessageWriter {
 public:
  explicit MessageWriter(std::string& out) : out_(out) {}

  /// Starts a message of `type`; the length word is patched by end().
  void begin(char type) {
    out_.push_back(type);
    start_ = out_.size();
    out_.append(4, '\0');
  }
  /// Finishes the current message by writing its length word.
  void end() { patch_int32(start_, static_cast<int32_t>(out_.size() - start_)); }

  void write_byte(char c) { out_.push_back(c); }
  void write_int16(int16_t v) {
    uint16_t u = static_cast<uint16_t>(v);
    char b[2] = {static_cast<char>(u >> 8), static_cast<char>(u)};
    out_.append(b, 2);
  }
  void write_int32(int32_t v) {
    out_.append(4, '\0');
    patch_int32(out_.size() - 4, v);
  }
  /// A NUL-terminated string. Protocol strings cannot hold NUL, so `s` is cut at its first NUL.
  void write_cstring(std::string_view s) {
    size_t nul = s.find('\0');
    if (nul != std::string_view::npos) s = s.substr(0, nul);
    out_.append(s.data(), s.size());
    out_.push_back('\0');
  }
  void write_bytes(std::string_view s) { out_.append(s.data(), s.size()); }

  /// Writes `v` big-endian at byte offset `pos` of `out` (which must hold pos + 4 bytes).
  static void store_int32(std::string& out, size_t pos, int32_t v) {
    uint32_t u = static_cast<uint32_t>(v);
    out[pos] = static_cast<char>(u >> 24);
    out[pos + 1] = static_cast<char>(u >> 16);
    out[pos + 2] = static_cast<char>(u >> 8);
    out[pos + 3] = static_cast<char>(u);
  }

 private:
  void patch_int32(size_t pos, int32_t v) { store_int32(out_, pos, v); }

  std::string& out_;
  size_t start_ = 0;
};

}  // namespace tessera::pgwire
