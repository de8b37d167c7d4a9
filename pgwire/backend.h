#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/common/result_receiver.h"

namespace tessera::pgwire {

/// The transaction state reported in ReadyForQuery.
enum class TransactionStatus : char {
  kIdle = 'I',      ///< not in a transaction block
  kInBlock = 'T',   ///< in a transaction block
  kFailed = 'E',    ///< in a failed transaction block (statements get 25P02 until ROLLBACK)
};

/// What the client sent in its StartupMessage.
struct StartupParameters {
  std::string user;
  std::string database;
  std::string application_name;
  /// Every parameter as sent, including the three above.
  std::vector<std::pair<std::string, std::string>> all;
};

/// One client's session with the database engine, as the wire protocol sees it. Implemented
/// above pgwire (src/main), so pgwire knows nothing of planning or execution.
class BackendSession {
 public:
  virtual ~BackendSession() = default;
  /// Runs every statement of a simple-query string in order, reporting each to `receiver`.
  /// Errors are reported through receiver.on_error, never thrown. Runs on a statement thread,
  /// never on the I/O thread.
  virtual void execute_simple(std::string_view sql, ResultReceiver& receiver) = 0;
  virtual TransactionStatus transaction_status() const = 0;
  /// Asks the running statement to stop with 57014. Thread-safe; may be called from any thread.
  virtual void cancel() = 0;
};

/// The engine behind the server: creates sessions.
class Backend {
 public:
  virtual ~Backend() = default;
  /// Opens a session for a connection. Throws SqlError (3D000 for an unknown database, 28000
  /// for an unknown role) to refuse it.
  virtual std::unique_ptr<BackendSession> open_session(const StartupParameters& params) = 0;
};

}  // namespace tessera::pgwire
