#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "pgwire/backend.h"

namespace tessera::pgwire {

/// How a Server listens.
struct ServerConfig {
  /// Address to listen on: an IP address or a host name; "*" means every IPv4 interface.
  std::string host = "127.0.0.1";
  /// TCP port; 0 picks a free one (see Server::port()).
  uint16_t port = 5432;
  /// Opens the sessions; must outlive the Server.
  Backend& backend;
  /// When true, run() also stops on SIGINT or SIGTERM.
  bool handle_signals = false;
  /// Output bytes a connection may have queued for its socket before the statement producing
  /// them waits for the client to read (backpressure).
  size_t max_pending_output = 4 * 1024 * 1024;
  /// Reported to clients as server_version.
  std::string server_version = "15.6";
};

/// The PostgreSQL wire-protocol server: accepts TCP connections and serves each with a
/// protocol Connection. Sockets are handled asynchronously on the thread that calls run();
/// statements run on an elastic pool of statement threads, one task at a time per connection,
/// so a long statement delays no other connection. CancelRequests are routed to the target
/// connection by (process id, secret key).
///
/// Use: `Server server(ServerConfig{.host = h, .port = p, .backend = db, .handle_signals = true});
/// server.run();` — or call listen() first to learn the port, run() on a thread, and stop()
/// from anywhere. Thread-safety: stop(), port() and connection_count() are thread-safe;
/// listen() and run() are called once, from one thread.
class Server {
 public:
  explicit Server(ServerConfig config);
  /// Ends what is left of the connections. Call stop() and let run() return first.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens. Throws SqlError (58030 io_error) when the address cannot be used.
  void listen();
  /// The bound port (after listen()).
  uint16_t port() const;
  /// Listens if listen() was not called, then serves until stop(). On return every connection
  /// is closed and every statement thread has finished.
  void run();
  /// Makes run() return: stops accepting, closes every connection and cancels running
  /// statements. Thread-safe; may be called before run() (which then returns at once).
  void stop();
  /// Connections currently open.
  size_t connection_count() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::pgwire
