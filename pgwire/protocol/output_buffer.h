#pragma once

#include <cstddef>
#include <string>

#include "pgwire/protocol/connection_output.h"

namespace tessera::pgwire {

/// Collects encoded backend messages and hands them to a ConnectionOutput in batches: when
/// the batch reaches `flush_threshold` bytes (so a large result streams with bounded memory)
/// or when flush() is called (at ReadyForQuery, Flush, or before waiting for input).
/// Not thread-safe.
class OutputBuffer {
 public:
  OutputBuffer(ConnectionOutput& sink, size_t flush_threshold);

  /// The pending bytes; encoders append here.
  std::string& bytes() { return buffer_; }
  /// Flushes when at least flush_threshold bytes are pending.
  void flush_if_full() {
    if (buffer_.size() >= flush_threshold_) flush();
  }
  /// Hands every pending byte to the sink.
  void flush();

 private:
  ConnectionOutput& sink_;
  size_t flush_threshold_;
  std::string buffer_;
};

}  // namespace tessera::pgwire
