#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace tessera::pgwire {

/// Outcome of decoding one frame from a byte stream.
enum class DecodeStatus : uint8_t {
  kOk = 0,             ///< a whole message was decoded
  kNeedMoreBytes = 1,  ///< the bytes end inside a frame; call again with more
  kMalformed = 2,      ///< the stream is not valid protocol; the connection cannot continue
};

/// The result of decoding one message of type T from the front of a byte buffer: the message
/// and how many bytes it used, or "need more bytes", or "malformed" with a reason worded like
/// PostgreSQL's protocol_violation messages. Expected failures are values here, never throws.
/// A plain value: not synchronized.
template <class T>
class DecodeResult {
 public:
  static DecodeResult ok(T message, size_t consumed) {
    DecodeResult r(DecodeStatus::kOk);
    r.message_.emplace(std::move(message));
    r.consumed_ = consumed;
    return r;
  }
  static DecodeResult need_more_bytes() { return DecodeResult(DecodeStatus::kNeedMoreBytes); }
  static DecodeResult malformed(std::string reason) {
    DecodeResult r(DecodeStatus::kMalformed);
    r.error_ = std::move(reason);
    return r;
  }

  DecodeStatus status() const { return status_; }
  bool is_ok() const { return status_ == DecodeStatus::kOk; }
  bool needs_more_bytes() const { return status_ == DecodeStatus::kNeedMoreBytes; }
  bool is_malformed() const { return status_ == DecodeStatus::kMalformed; }

  /// The decoded message; only when is_ok().
  T& message() { return *message_; }
  const T& message() const { return *message_; }
  /// Bytes of the input the message occupied (header included); only when is_ok().
  size_t consumed() const { return consumed_; }
  /// Why the input is malformed; only when is_malformed().
  const std::string& error() const { return error_; }

 private:
  explicit DecodeResult(DecodeStatus status) : status_(status) {}

  DecodeStatus status_;
  std::optional<T> message_;
  size_t consumed_ = 0;
  std::string error_;
};

}  // namespace tessera::pgwire
