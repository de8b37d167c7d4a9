#include "pgwire/codec/frontend_decoder.h"

#include <cstdint>
#include <cstring>
#include <string>

#include "pgwire/codec/protocol_limits.h"

namespace tessera::pgwire {

namespace {

int32_t load_int32(const char* p) {
  uint32_t v = (static_cast<uint32_t>(static_cast<uint8_t>(p[0])) << 24) |
               (static_cast<uint32_t>(static_cast<uint8_t>(p[1])) << 16) |
               (static_cast<uint32_t>(static_cast<uint8_t>(p[2])) << 8) |
               static_cast<uint32_t>(static_cast<uint8_t>(p[3]));
  return static_cast<int32_t>(v);
}

/// Bounds-checked sequential reads over one message body. Every read reports failure instead
/// of reading past the end; the first failure sticks.
class BodyReader {
 public:
  explicit BodyReader(std::string_view body) : body_(body) {}

  bool ok() const { return error_ == nullptr; }
  const char* error() const { return error_; }
  bool at_end() const { return pos_ == body_.size(); }

  int32_t int32() {
    if (!require(4)) return 0;
    int32_t v = load_int32(body_.data() + pos_);
    pos_ += 4;
    return v;
  }
  int16_t int16() {
    if (!require(2)) return 0;
    uint16_t v = static_cast<uint16_t>((static_cast<uint8_t>(body_[pos_]) << 8) |
                                       static_cast<uint8_t>(body_[pos_ + 1]));
    pos_ += 2;
    return static_cast<int16_t>(v);
  }
  char byte() {
    if (!require(1)) return 0;
    return body_[pos_++];
  }
  /// A NUL-terminated string; the terminator is consumed, not returned.
  std::string cstring() {
    if (!ok()) return {};
    const void* nul = std::memchr(body_.data() + pos_, '\0', body_.size() - pos_);
    if (nul == nullptr) {
      fail("invalid string in message");
      return {};
    }
    size_t end = static_cast<size_t>(static_cast<const char*>(nul) - body_.data());
    std::string s(body_.data() + pos_, end - pos_);
    pos_ = end + 1;
    return s;
  }
  std::string bytes(size_t n) {
    if (!require(n)) return {};
    std::string s(body_.data() + pos_, n);
    pos_ += n;
    return s;
  }
  /// The rest of the body.
  std::string rest() { return bytes(body_.size() - pos_); }
  /// A count that must be non-negative.
  size_t count16() {
    int16_t n = int16();
    if (n < 0) fail("invalid message format");
    return n < 0 ? 0 : static_cast<size_t>(n);
  }
  void fail(const char* message) {
    if (error_ == nullptr) error_ = message;
  }
  /// Checks that the whole body was used (PostgreSQL's pq_getmsgend).
  void finish() {
    if (ok() && !at_end()) fail("invalid message format");
  }

 private:
  bool require(size_t n) {
    if (!ok()) return false;
    if (body_.size() - pos_ < n) {
      fail("insufficient data left in message");
      return false;
    }
    return true;
  }

  std::string_view body_;
  size_t pos_ = 0;
  const char* error_ = nullptr;
};

/// The largest length word allowed for a message type, or 0 for an unknown type.
size_t max_length_for_type(char type) {
  switch (type) {
    case 'Q': case 'P': case 'B': case 'd':
      return kMaxLargeMessageLength;
    case 'X': case 'D': case 'E': case 'C': case 'S': case 'H': case 'c': case 'f':
      return kMaxSmallMessageLength;
    case 'p':
      return kMaxPasswordMessageLength;
    default:
      return 0;
  }
}

FrontendMessage decode_body(char type, BodyReader& r) {
  switch (type) {
    case 'Q': {
      Query m;
      m.sql = r.cstring();
      return m;
    }
    case 'X':
      return Terminate{};
    case 'P': {
      Parse m;
      m.statement = r.cstring();
      m.query = r.cstring();
      size_t n = r.count16();
      m.parameter_types.reserve(n);
      for (size_t i = 0; i < n && r.ok(); i++) m.parameter_types.push_back(static_cast<Oid>(r.int32()));
      return m;
    }
    case 'B': {
      Bind m;
      m.portal = r.cstring();
      m.statement = r.cstring();
      size_t num_formats = r.count16();
      for (size_t i = 0; i < num_formats && r.ok(); i++) m.parameter_formats.push_back(r.int16());
      size_t num_params = r.count16();
      for (size_t i = 0; i < num_params && r.ok(); i++) {
        int32_t len = r.int32();
        if (len == -1) {
          m.parameters.emplace_back(std::nullopt);
        } else if (len < -1) {
          r.fail("insufficient data left in message");
        } else {
          m.parameters.emplace_back(r.bytes(static_cast<size_t>(len)));
        }
      }
      size_t num_results = r.count16();
      for (size_t i = 0; i < num_results && r.ok(); i++) m.result_formats.push_back(r.int16());
      return m;
    }
    case 'D': {
      Describe m;
      m.kind = r.byte();
      m.name = r.cstring();
      return m;
    }
    case 'E': {
      Execute m;
      m.portal = r.cstring();
      m.max_rows = r.int32();
      return m;
    }
    case 'C': {
      Close m;
      m.kind = r.byte();
      m.name = r.cstring();
      return m;
    }
    case 'S':
      return Sync{};
    case 'H':
      return Flush{};
    case 'p':
      return PasswordMessage{r.rest()};
    case 'd':
      return CopyData{r.rest()};
    case 'c':
      return CopyDone{};
    case 'f': {
      CopyFail m;
      m.message = r.cstring();
      return m;
    }
    default:
      r.fail("invalid frontend message type");
      return Terminate{};
  }
}

}  // namespace

DecodeResult<StartupPacket> decode_startup_packet(std::string_view bytes) {
  using Result = DecodeResult<StartupPacket>;
  if (bytes.size() < 4) return Result::need_more_bytes();
  int32_t length = load_int32(bytes.data());
  if (length < 8 || static_cast<size_t>(length) > kMaxStartupPacketLength) {
    return Result::malformed("invalid length of startup packet");
  }
  size_t total = static_cast<size_t>(length);
  if (bytes.size() < total) return Result::need_more_bytes();
  int32_t code = load_int32(bytes.data() + 4);
  std::string_view body = bytes.substr(8, total - 8);

  if (code == kSslRequestCode || code == kGssEncRequestCode) {
    if (!body.empty()) return Result::malformed("invalid length of startup packet");
    if (code == kSslRequestCode) return Result::ok(SslRequest{}, total);
    return Result::ok(GssEncRequest{}, total);
  }
  if (code == kCancelRequestCode) {
    if (body.size() != 8) return Result::malformed("invalid length of startup packet");
    CancelRequest m;
    m.process_id = load_int32(body.data());
    m.secret_key = load_int32(body.data() + 4);
    return Result::ok(m, total);
  }

  StartupMessage m;
  uint32_t version = static_cast<uint32_t>(code);
  m.major_version = static_cast<uint16_t>(version >> 16);
  m.minor_version = static_cast<uint16_t>(version & 0xffff);
  if (m.major_version != 3) return Result::ok(std::move(m), total);

  // Name/value pairs of NUL-terminated strings, closed by an empty name.
  if (body.empty() || body.back() != '\0') {
    return Result::malformed("invalid startup packet layout: expected terminator as last byte");
  }
  BodyReader r(body.substr(0, body.size() - 1));
  while (r.ok() && !r.at_end()) {
    std::string name = r.cstring();
    if (!r.ok()) break;
    if (name.empty()) {
      r.fail("invalid startup packet layout: expected terminator as last byte");
      break;
    }
    std::string value = r.cstring();
    if (!r.ok()) break;
    m.parameters.emplace_back(std::move(name), std::move(value));
  }
  if (!r.ok()) return Result::malformed("invalid startup packet layout: expected terminator as last byte");
  return Result::ok(std::move(m), total);
}

DecodeResult<FrontendMessage> decode_frontend_message(std::string_view bytes) {
  using Result = DecodeResult<FrontendMessage>;
  if (bytes.empty()) return Result::need_more_bytes();
  char type = bytes[0];
  size_t max_length = max_length_for_type(type);
  if (max_length == 0) {
    return Result::malformed("invalid frontend message type " +
                             std::to_string(static_cast<int>(static_cast<uint8_t>(type))));
  }
  if (bytes.size() < 5) return Result::need_more_bytes();
  int32_t length = load_int32(bytes.data() + 1);
  if (length < 4 || static_cast<size_t>(length) > max_length) {
    return Result::malformed("invalid message length");
  }
  size_t total = 1 + static_cast<size_t>(length);
  if (bytes.size() < total) return Result::need_more_bytes();

  BodyReader r(bytes.substr(5, total - 5));
  FrontendMessage message = decode_body(type, r);
  r.finish();
  if (!r.ok()) return Result::malformed(r.error());
  return Result::ok(std::move(message), total);
}

}  // namespace tessera::pgwire
