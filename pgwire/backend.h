#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/common/result_receiver.h"
#include "src/common/statement_properties.h"

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

/// A statement prepared by BackendSession::prepare: parsed and bound, with what a client is
/// told before it runs (ParameterDescription, RowDescription). Owned by the caller; valid
/// while its session lives.
class PreparedStatement {
 public:
  virtual ~PreparedStatement() = default;
  /// The types of $1..$n, inferred from their contexts (text where the context leaves it open).
  virtual const std::vector<LogicalType>& parameter_types() const = 0;
  /// The columns of the rows the statement returns; empty when it returns none.
  virtual const std::vector<ResultColumn>& result_columns() const = 0;
  virtual const StatementProperties& properties() const = 0;
};

/// A prepared statement bound to parameter values, ready to execute (possibly in several
/// steps). Owned by the caller; destroying it closes it: a query still paused in it (suspended)
/// is stopped and its resources released. Valid while its session lives.
class Portal {
 public:
  virtual ~Portal() = default;
  virtual const std::vector<ResultColumn>& result_columns() const = 0;
  virtual const StatementProperties& properties() const = 0;
};

/// How an execute call ended.
enum class ExecuteResult : uint8_t {
  kSuspended,  ///< max_rows rows were sent; the query is paused until the next execute
  kComplete,   ///< the statement finished; receiver.on_complete was called with its tag
};

/// One client's session with the database engine, as the wire protocol sees it. Implemented
/// above pgwire (src/main), so pgwire knows nothing of planning or execution. Every method
/// runs on the connection's statement thread, never on the I/O thread; one call at a time
/// except cancel().
///
/// Errors: prepare, bind and execute throw SqlError after the session has dealt with its
/// transaction (rolled the statement back, or marked the block failed: 25P02 until ROLLBACK).
class BackendSession {
 public:
  virtual ~BackendSession() = default;

  /// Parses and binds one statement (42601 for more than one). `sql` may use $1..$n.
  virtual std::unique_ptr<PreparedStatement> prepare(std::string_view sql) = 0;
  /// Binds parameter values (text, or nullopt for NULL) converted with each parameter type's
  /// input function (22P02 on bad input), and plans the statement.
  virtual std::unique_ptr<Portal> bind(const PreparedStatement& prepared,
                                       const std::vector<std::optional<std::string>>& parameters) = 0;
  /// Runs the portal, sending up to `max_rows` rows (0 = all) to receiver.on_chunk (rows only:
  /// the caller sends the columns when it wants them, as Describe does). Returns kSuspended
  /// once max_rows rows were sent (the query stays paused: its producers wait on the full
  /// hand-off); kComplete after calling receiver.on_complete with the command tag. Notices go
  /// to receiver.on_notice in order with the rows.
  virtual ExecuteResult execute(Portal& portal, size_t max_rows, ResultReceiver& receiver) = 0;

  /// Runs every statement of a simple-query string in order, each as prepare + bind +
  /// execute(0) with its columns sent first, reporting to `receiver`. Errors are reported
  /// through receiver.on_error, never thrown; the rest of the string is then skipped.
  virtual void execute_simple(std::string_view sql, ResultReceiver& receiver) = 0;
  virtual TransactionStatus transaction_status() const = 0;
  /// The settings reported to the client with ParameterStatus at startup (PostgreSQL's
  /// GUC_REPORT settings, in its order and spelling) with the session's values. A change
  /// later is reported by the statement that made it (ResultReceiver::on_parameter_status).
  virtual std::vector<std::pair<std::string, std::string>> reported_settings() const = 0;
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
