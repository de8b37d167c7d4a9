#pragma once

#include <array>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "pgwire/backend.h"
#include "pgwire/internal/asio.h"
#include "pgwire/internal/statement_pool.h"
#include "pgwire/protocol/connection.h"
#include "pgwire/protocol/connection_output.h"

namespace tessera::pgwire {

/// Ties one accepted socket to a protocol Connection. The socket is served asynchronously on
/// the io_context thread; the Connection (decoding and statements) runs as tasks on the
/// StatementPool, one task at a time per connection. Output flows to the socket through a
/// buffer bounded by `max_pending_output`: the statement thread waits while the client reads
/// too slowly. Input is read ahead up to a bound, then reading pauses until it is consumed.
///
/// Lifetime: shared; the pending asio handlers and pool tasks keep it alive. Thread-safety:
/// start() on the io thread; kill() and cancel() from any thread.
class ClientConnection : public std::enable_shared_from_this<ClientConnection>,
                         private ConnectionOutput,
                         private ConnectionInput {
 public:
  /// `on_destroy` runs in the destructor (the server unregisters the key there).
  ClientConnection(asio::ip::tcp::socket socket, Backend& backend, StatementPool& pool, ConnectionConfig config,
                   size_t max_pending_output, std::function<void(int32_t)> on_destroy);
  ~ClientConnection() override;

  /// Starts reading from the socket. Call on the io thread, once.
  void start();
  /// Ends the connection now: closes the socket, cancels a running statement and ends the
  /// session on a pool thread. Thread-safe.
  void kill();
  /// Cancels the running statement, if any. Thread-safe.
  void cancel() { connection_.cancel(); }

  int32_t process_id() const { return process_id_; }
  int32_t secret_key() const { return secret_key_; }

 private:
  static constexpr size_t kReadSize = 64 * 1024;
  static constexpr size_t kMaxPendingInput = 4 * 1024 * 1024;

  // io thread
  void do_read();
  void on_read(const asio::error_code& error, size_t bytes);
  void do_write();
  void on_written(const asio::error_code& error);
  void on_socket_error();
  void close_socket();

  // pool thread
  void process();
  void write(std::string_view bytes) override;
  bool wait_for_input(std::string& bytes) override;

  /// Schedules process() unless it is scheduled or the connection is finished. Needs mutex_.
  bool claim_processing_locked();
  void submit_processing();

  asio::ip::tcp::socket socket_;
  StatementPool& pool_;
  const size_t max_pending_output_;
  const int32_t process_id_;
  const int32_t secret_key_;
  std::function<void(int32_t)> on_destroy_;
  Connection connection_;
  std::array<char, kReadSize> read_buffer_;  ///< io thread only
  std::string writing_;                      ///< bytes of the async_write in flight; io thread only

  std::mutex mutex_;
  std::condition_variable output_drained_;
  std::condition_variable input_arrived_;  ///< inbox_ grew or the socket died
  std::string inbox_;             ///< bytes read and not yet given to connection_
  std::string outbox_;            ///< bytes written by connection_ and not yet sent
  size_t in_flight_ = 0;          ///< size of writing_
  bool processing_ = false;       ///< a process() task is scheduled or running
  bool reading_ = false;          ///< an async read is in flight
  bool writing_active_ = false;   ///< an async write is in flight or posted
  bool dead_ = false;             ///< the socket failed or was killed: drop output, stop
  bool closing_ = false;          ///< connection_ closed: close the socket once output is sent
  bool finished_ = false;         ///< connection_ is closed; no more processing
};

}  // namespace tessera::pgwire
