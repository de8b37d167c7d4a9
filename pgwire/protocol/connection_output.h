#pragma once

#include <string>
#include <string_view>

namespace tessera::pgwire {

/// Where a Connection sends the bytes meant for its client: a socket in the server, a string
/// in tests. Called only from the thread that drives the Connection.
class ConnectionOutput {
 public:
  virtual ~ConnectionOutput() = default;
  /// Queues `bytes` for the client, in order. May block while the client is slow to read
  /// (backpressure); returns without error once the client is gone, dropping the bytes.
  virtual void write(std::string_view bytes) = 0;
};

/// Where a Connection waits for more bytes from its client while a statement runs (COPY FROM
/// STDIN reads its data inside the statement). Called only from the thread that drives the
/// Connection.
class ConnectionInput {
 public:
  virtual ~ConnectionInput() = default;
  /// Blocks until the client sent more bytes and appends them to `bytes`; false when the
  /// client is gone.
  virtual bool wait_for_input(std::string& bytes) = 0;
};

}  // namespace tessera::pgwire
