#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "pgwire/backend.h"
#include "pgwire/codec/frontend_message.h"
#include "pgwire/protocol/connection_output.h"
#include "pgwire/protocol/output_buffer.h"
#include "pgwire/protocol/result_writer.h"
#include "src/common/sql_error.h"

namespace tessera::pgwire {

/// Where a connection is in the protocol.
enum class ConnectionPhase : uint8_t {
  kStartup = 0,  ///< waiting for SSLRequest / GSSENCRequest / CancelRequest / StartupMessage
  kReady = 1,    ///< session open; regular messages
  kClosed = 2,   ///< Terminate, FATAL error, cancel request handled, or abort(): close the socket
};

/// Per-connection settings chosen by whoever accepts the connection.
struct ConnectionConfig {
  /// The key reported in BackendKeyData; a CancelRequest must present both.
  int32_t process_id = 0;
  int32_t secret_key = 0;
  /// Reported as server_version. Drivers parse it, so it stays a plain PostgreSQL version.
  std::string server_version = "15.6";
  /// Pending output is handed to the ConnectionOutput once it reaches this many bytes.
  size_t flush_threshold = 64 * 1024;
  /// Called with the key of a CancelRequest received on this connection (which then closes
  /// without a reply). Empty = cancel requests are ignored.
  std::function<void(const CancelRequest&)> on_cancel_request;
};

/// The PostgreSQL v3 protocol state machine of one client connection, without sockets: bytes
/// from the client go into receive(); bytes for the client come out of the ConnectionOutput.
/// It handles startup (SSLRequest and GSSENCRequest are refused with 'N', CancelRequest is
/// forwarded, trust authentication), the simple query protocol (statements run synchronously
/// inside receive() through the BackendSession), Terminate, and the extended protocol's error
/// path (0A000, then skip to Sync). Malformed input gets a FATAL 08P01 ErrorResponse and closes.
///
/// Thread-safety: receive() and abort() must be called from one thread at a time (the
/// statement thread; statements run on it). cancel(), process_id() and secret_key() may be
/// called from any thread.
class Connection : private ResultWriter::CopyInSource {
 public:
  /// `backend`, `output` and `input` must outlive the Connection. Without `input`, COPY FROM
  /// STDIN reads only bytes already received (a client whose data is not all there is treated
  /// as gone).
  Connection(Backend& backend, ConnectionOutput& output, ConnectionConfig config, ConnectionInput* input = nullptr);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Processes bytes received from the client: decodes every complete message, answers it,
  /// and runs queries to completion before returning. Buffered output is flushed before
  /// returning. Bytes after the connection closed are ignored.
  void receive(std::string_view bytes);

  ConnectionPhase phase() const { return phase_; }
  bool is_closed() const { return phase_ == ConnectionPhase::kClosed; }

  /// Asks the statement running on this connection, if any, to stop with 57014. A request
  /// that arrives while no statement runs is ignored (as PostgreSQL does). Thread-safe.
  void cancel();
  /// The client is gone: ends the session without writing anything and closes.
  void abort();

  int32_t process_id() const { return config_.process_id; }
  int32_t secret_key() const { return config_.secret_key; }

 private:
  void handle_startup_packet(StartupPacket& packet);
  void start_session(StartupMessage& message);
  void handle_message(FrontendMessage& message);
  void run_query(const std::string& sql);
  void reject_extended_message();
  /// COPY FROM STDIN: decodes CopyData messages up to CopyDone from the received bytes,
  /// waiting for more on `input_`.
  void read_copy_data(std::string& data) override;
  void send_ready_for_query();
  /// Sends `error` with severity FATAL and closes the connection.
  void fatal(SqlError error);
  void close();

  Backend& backend_;
  OutputBuffer out_;
  ConnectionConfig config_;
  ConnectionPhase phase_ = ConnectionPhase::kStartup;
  ConnectionInput* input_;
  std::string in_;                ///< received bytes; those before in_pos_ are decoded
  size_t in_pos_ = 0;
  bool ssl_requested_ = false;    ///< SSLRequest seen (answered 'N')
  bool gss_requested_ = false;    ///< GSSENCRequest seen (answered 'N')
  bool skip_until_sync_ = false;  ///< an extended-protocol error: discard messages until Sync

  // session_ is created and destroyed on the receive() thread under session_mutex_, so that
  // thread may use it without the lock; cancel() uses it under the lock.
  std::mutex session_mutex_;
  std::unique_ptr<BackendSession> session_;
  bool statement_running_ = false;  ///< guarded by session_mutex_
};

}  // namespace tessera::pgwire
