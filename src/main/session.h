#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "executor/execution_context.h"
#include "executor/session_settings.h"
#include "pgwire/backend.h"
#include "src/common/result_receiver.h"
#include "src/common/value.h"

namespace tessera {

class Database;
namespace storage { class Transaction; }
namespace planner {
struct Statement;
struct BoundStatement;
}  // namespace planner

/// Per-connection state: the current transaction, settings and the portals it runs. Every
/// statement takes one road: prepare (parse, bind: parameter types, result columns,
/// properties), bind (parameter values, optimize, physical plan) and execute (the plan runs on
/// the scheduler's workers; this thread takes the result chunks from the query's bounded
/// hand-off and passes them to the receiver). Transaction control runs here from the
/// statement's properties. Not thread-safe except cancel(): one call at a time, on the
/// connection's statement thread.
class Session : public pgwire::BackendSession {
 public:
  /// Applies the startup packet's settings (and `options` of `-c name=value` words) as SET
  /// does; an unknown name or invalid value throws (the connection is refused, as in
  /// PostgreSQL).
  Session(Database& db, const pgwire::StartupParameters& params);
  /// Open portals must be destroyed first.
  ~Session() override;

  std::unique_ptr<pgwire::PreparedStatement> prepare(std::string_view sql) override;
  std::unique_ptr<pgwire::Portal> bind(const pgwire::PreparedStatement& prepared,
                                       const std::vector<std::optional<std::string>>& parameters) override;
  pgwire::ExecuteResult execute(pgwire::Portal& portal, size_t max_rows, ResultReceiver& receiver) override;

  /// Parses `sql` (one or more statements separated by ';') and runs each statement as
  /// prepare + bind + execute(0), reporting to `receiver`. On the first error the statement is
  /// rolled back, receiver.on_error is called and the rest of the string is skipped.
  void execute_simple(std::string_view sql, ResultReceiver& receiver) override;
  pgwire::TransactionStatus transaction_status() const override;
  std::vector<std::pair<std::string, std::string>> reported_settings() const override;
  void cancel() override;

 private:
  class Prepared;
  class ActivePortal;

  /// Runs one statement of a simple query; throws SqlError.
  void execute_statement(std::unique_ptr<planner::Statement> statement, std::string_view sql, ResultReceiver& receiver);
  /// Binds a parsed statement (inferring $n types, but for the first `declared` ones);
  /// throws SqlError. PREPARE, EXECUTE and DEALLOCATE are not bound: EXECUTE takes the
  /// parameter-free properties and result columns of the statement it runs.
  std::unique_ptr<Prepared> prepare_statement(std::unique_ptr<planner::Statement> statement, std::string sql,
                                              const std::vector<LogicalType>& declared = {});
  /// SQL PREPARE, run when the statement is bound: parses, binds and keeps the statement
  /// under its name (42P05 when taken).
  void run_sql_prepare(const planner::Statement& statement);
  /// SQL DEALLOCATE: forgets one prepared statement (26000 when unknown) or all.
  void run_sql_deallocate(const planner::Statement& statement);
  /// The statement SQL PREPARE kept under `name`: 26000 when there is none.
  const Prepared& named_statement(const std::string& name) const;
  /// Binds parameter values and plans. `bound`, when given, is the plan prepare bound for a
  /// statement without parameters, used as it is (the simple protocol binds right after
  /// preparing).
  std::unique_ptr<ActivePortal> bind_portal(const Prepared& prepared, std::vector<Value> values,
                                            std::optional<planner::BoundStatement> bound);
  /// COPY: moves the data in (from the client or a file, then runs the INSERT) or out (runs
  /// the query and writes its rows to the client or a file); throws SqlError.
  pgwire::ExecuteResult run_copy(ActivePortal& portal, ResultReceiver& receiver);
  /// Runs a portal up to max_rows rows; throws SqlError.
  pgwire::ExecuteResult run_portal(ActivePortal& portal, size_t max_rows, ResultReceiver& receiver);
  /// CALL: runs procedure `name` (src/main/procedures.h) with the argument values: its
  /// statements run in the current transaction as part of the CALL; throws SqlError.
  void run_call(const std::vector<std::string>& name, std::vector<Value> args, ResultReceiver& receiver);
  /// Runs the query of a portal up to max_rows rows, once; throws SqlError.
  pgwire::ExecuteResult run_query(ActivePortal& portal, size_t max_rows, ResultReceiver& receiver);
  /// Whether a failed portal's statement runs again: a READ COMMITTED statement that met a row
  /// changed by a commit after its snapshot (40001), still the transaction's current
  /// statement, that sent no rows yet.
  bool can_restart(const ActivePortal& portal, const SqlError& error) const;
  /// Takes back the statement's changes, gives the transaction a new snapshot and statement
  /// number and a new query state, so that the portal's plan runs again.
  void restart_statement(ActivePortal& portal);
  /// A fresh result hand-off and QueryContext for the portal's plan.
  void init_query_context(ActivePortal& portal);
  /// Whether a statement reads (and so fixes) the transaction's snapshot: all but transaction
  /// control, SET, SHOW and CHECKPOINT.
  static bool takes_snapshot(const planner::Statement& statement);
  /// A statement that takes a snapshot starts: the transaction's isolation level is read from
  /// transaction_isolation; READ COMMITTED takes a new snapshot, REPEATABLE READ and
  /// SERIALIZABLE take one at the transaction's first such statement and keep it.
  void take_statement_snapshot();
  /// Runs BEGIN/COMMIT/ROLLBACK (BEGIN with its ISOLATION LEVEL, or empty); returns the
  /// command whose tag reports it.
  CommandKind run_transaction_control(TransactionControl control, const std::string& isolation_level,
                                      ResultReceiver& receiver);
  /// 25P02 unless the statement may run in a failed block (COMMIT, ROLLBACK).
  void check_not_failed(const StatementProperties& properties) const;
  /// A statement failed: its transaction is rolled back; inside a block the block is marked
  /// failed (25P02 until it ends).
  void fail_statement();
  /// fail_statement(), then reports `error` to the receiver.
  void report_failure(const SqlError& error, ResultReceiver& receiver);
  /// Starts a statement: clears an earlier cancel request and arms statement_timeout; the
  /// returned guard disarms it.
  class StatementTimeout;
  std::unique_ptr<StatementTimeout> begin_statement();
  /// `error` as the client sees it: a cancel caused by statement_timeout says so.
  SqlError client_error(SqlError error) const;
  /// Outside a block and with no portal open, commits the implicit transaction (what Sync
  /// does for the extended protocol).
  void finish_implicit_transaction();
  /// Stops the queries of every open portal (their transaction is ending).
  void release_portals();
  /// A statement starts: its start time and the current TimeZone go into datetime_.
  void start_statement_clock();

  /// Ends the current transaction (commit or rollback); the session has none afterwards, also
  /// when the commit throws (a failing commit hook rolls the transaction back).
  void end_transaction(bool commit);
  void ensure_transaction();


  Database& db_;
  std::unique_ptr<storage::Transaction> transaction_;  ///< the open transaction, if any
  bool in_block_ = false;                              ///< inside BEGIN ... COMMIT
  bool failed_ = false;                                ///< the block hit an error (25P02)
  /// Running a query string of several statements outside a block, which form one implicit
  /// transaction.
  bool in_implicit_block_ = false;
  executor::SessionSettings settings_;
  /// TimeZone and transaction/statement start times, installed on the statement thread for
  /// each API call and copied into each query's context.
  DateTimeContext datetime_;
  /// Sends ParameterStatus for each reported setting whose value differs from what the client
  /// was last told (after each statement, and after an error rolled settings back).
  void report_changed_settings(ResultReceiver& receiver);
  /// The reported settings' values clients were last told about.
  std::vector<std::pair<std::string, std::string>> reported_;
  /// currval/lastval state of this session's sequence use.
  catalog::SequenceSession sequences_;
  std::set<ActivePortal*> portals_;                    ///< portals not yet complete or closed
  /// The statements SQL PREPARE made, by name (they outlive transactions, as in PostgreSQL).
  std::map<std::string, std::unique_ptr<Prepared>> named_statements_;
  std::atomic<bool> cancel_requested_{false};
  /// The statement's lock_timeout in milliseconds (0: none), read by the transaction's lock waits.
  std::atomic<int64_t> lock_timeout_ms_{0};
  /// Set with cancel_requested_ when the statement's statement_timeout expired.
  std::atomic<bool> timed_out_{false};
};

}  // namespace tessera
