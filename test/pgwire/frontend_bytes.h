#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessera::pgwire {

/// Builds frontend messages byte by byte, independently of the code under test, so decoder
/// and Connection tests feed exactly what a client sends.
class FrontendBytes {
 public:
  static std::string int32(int32_t v) {
    uint32_t u = static_cast<uint32_t>(v);
    return {static_cast<char>(u >> 24), static_cast<char>(u >> 16), static_cast<char>(u >> 8), static_cast<char>(u)};
  }
  static std::string int16(int16_t v) {
    uint16_t u = static_cast<uint16_t>(v);
    return {static_cast<char>(u >> 8), static_cast<char>(u)};
  }
  /// Bytes from hex digits; spaces are ignored ("51 0000000d").
  static std::string hex(std::string_view digits) {
    std::string out;
    int high = -1;
    for (char c : digits) {
      int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (v < 0) continue;
      if (high < 0) {
        high = v;
      } else {
        out.push_back(static_cast<char>(high * 16 + v));
        high = -1;
      }
    }
    return out;
  }
  /// The bytes of a string literal, embedded NULs included (the final terminator excluded).
  template <size_t N>
  static std::string text(const char (&literal)[N]) { return std::string(literal, N - 1); }
  static std::string cstring(std::string_view s) { return std::string(s) + '\0'; }

  /// type byte + length word (counting itself) + body.
  static std::string frame(char type, const std::string& body) {
    return std::string(1, type) + int32(static_cast<int32_t>(body.size() + 4)) + body;
  }
  /// length word + body, for startup packets.
  static std::string packet(const std::string& body) { return int32(static_cast<int32_t>(body.size() + 4)) + body; }

  static std::string startup(const std::vector<std::pair<std::string, std::string>>& params, int32_t version = 3 << 16) {
    std::string body = int32(version);
    for (const auto& [name, value] : params) body += cstring(name) + cstring(value);
    body += '\0';
    return packet(body);
  }
  static std::string startup_tessera() {
    return startup({{"user", "tessera"}, {"database", "tessera"}, {"application_name", "test"}});
  }
  static std::string ssl_request() { return packet(int32(80877103)); }
  static std::string gssenc_request() { return packet(int32(80877104)); }
  static std::string cancel_request(int32_t pid, int32_t key) { return packet(int32(80877102) + int32(pid) + int32(key)); }

  static std::string query(std::string_view sql) { return frame('Q', cstring(sql)); }
  static std::string terminate() { return frame('X', ""); }
  static std::string sync() { return frame('S', ""); }
  static std::string flush() { return frame('H', ""); }
  static std::string parse(std::string_view name, std::string_view sql, const std::vector<int32_t>& oids) {
    std::string body = cstring(name) + cstring(sql) + int16(static_cast<int16_t>(oids.size()));
    for (int32_t oid : oids) body += int32(oid);
    return frame('P', body);
  }
  static std::string bind(std::string_view portal, std::string_view statement, const std::vector<int16_t>& formats,
                          const std::vector<std::optional<std::string>>& params, const std::vector<int16_t>& result_formats) {
    std::string body = cstring(portal) + cstring(statement) + int16(static_cast<int16_t>(formats.size()));
    for (int16_t f : formats) body += int16(f);
    body += int16(static_cast<int16_t>(params.size()));
    for (const auto& p : params) body += p ? int32(static_cast<int32_t>(p->size())) + *p : int32(-1);
    body += int16(static_cast<int16_t>(result_formats.size()));
    for (int16_t f : result_formats) body += int16(f);
    return frame('B', body);
  }
  static std::string describe(char kind, std::string_view name) { return frame('D', std::string(1, kind) + cstring(name)); }
  static std::string execute(std::string_view portal, int32_t max_rows) { return frame('E', cstring(portal) + int32(max_rows)); }
  static std::string close(char kind, std::string_view name) { return frame('C', std::string(1, kind) + cstring(name)); }
};

}  // namespace tessera::pgwire
