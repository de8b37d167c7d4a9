#pragma once

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

}  // namespace tessera::pgwire
