#include "src/main/session.h"

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <new>
#include <utility>

#include <sys/stat.h>

#include "catalog/catalog.h"
#include "executor/operator/result/physical_result_collector.h"
#include "executor/operator/result/result_queue.h"
#include "executor/physical_planner.h"
#include "executor/query_executor.h"
#include "executor/scheduler.h"
#include "planner/binder/binder.h"
#include "planner/binder/type_rules.h"
#include "planner/logical/logical_copy_from.h"
#include "pgwire/types/copy_encoder.h"
#include "planner/optimizer/optimizer.h"
#include "planner/parser/parser.h"
#include "src/common/assert.h"
#include "src/common/memory_tracker.h"
#include "src/main/statement_timer.h"
#include "src/common/sql_error.h"
#include "src/common/selection_vector.h"
#include "src/common/stack_guard.h"
#include "src/common/utf8.h"
#include "src/common/value_cast.h"
#include "src/main/database.h"
#include "src/main/procedures.h"
#include "storage/transaction.h"
#include "storage/transaction_manager.h"

namespace tessera {

namespace {

/// Rows [offset, offset + count) of `chunk`, sharing its buffers.
DataChunk slice_rows(const DataChunk& chunk, size_t offset, size_t count) {
  SelectionVector sel(count);
  for (size_t i = 0; i < count; i++) sel.set_index(i, static_cast<sel_t>(offset + i));
  DataChunk part;
  part.slice(chunk, sel, count);
  return part;
}

/// The exception being handled as the error the client gets: an SqlError as it is,
/// std::bad_alloc as 53200, any other std::exception as XX000. Anything else propagates.
SqlError current_sql_error() {
  try {
    throw;
  } catch (const SqlError& e) {
    return e;
  } catch (const std::bad_alloc&) {
    return SqlError(SqlState::kOutOfMemory, "out of memory");
  } catch (const std::exception& e) {
    return SqlError(SqlState::kInternalError, e.what());
  }
}

/// Chunks the hand-off between a query's workers and the statement thread holds at most.
constexpr size_t kResultQueueCapacity = 4;

/// Receives the rows of a CALL's arguments (the first row's values are kept), and the results of
/// the statements a procedure runs (discarded); notices go on to the client's receiver.
class CallArgumentsReceiver final : public ResultReceiver {
 public:
  explicit CallArgumentsReceiver(ResultReceiver& outer) : outer_(outer) {}
  void on_columns(const std::vector<ResultColumn>&) override {}
  void on_chunk(const DataChunk& chunk) override {
    if (!first_row.empty() || chunk.size() == 0) return;
    for (size_t c = 0; c < chunk.column_count(); c++) first_row.push_back(chunk.column(c).get_value(0));
  }
  void on_complete(std::string_view) override {}
  void on_empty_query() override {}
  void on_error(const SqlError& error) override { throw error; }
  void on_notice(std::string_view sqlstate, std::string_view message, std::string_view detail) override {
    outer_.on_notice(sqlstate, message, detail);
  }

  std::vector<Value> first_row;

 private:
  ResultReceiver& outer_;
};

/// For SET TRANSACTION ... ("SET TRANSACTION") and RESET / SET ... TO DEFAULT of
/// transaction_isolation ("RESET TRANSACTION"): the name PostgreSQL's warning gives it when it
/// runs outside a transaction block (where it lasts for its own statement only); else empty.
std::string transaction_setting_command(const planner::Statement& statement) {
  const auto& set = statement.as<planner::VariableSetStatement>();
  if (set.name == "transaction_isolation" &&
      (set.set_kind == planner::VariableSetKind::kDefault || set.set_kind == planner::VariableSetKind::kReset)) {
    return "RESET TRANSACTION";
  }
  if (set.set_kind != planner::VariableSetKind::kValue || set.name.rfind("transaction_", 0) != 0) return "";
  // SET TRANSACTION and SET transaction_isolation = ... parse alike: tell them by the words.
  std::string words;
  for (char c : statement.text) {
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!words.empty() && words.back() != ' ') words += ' ';
    } else {
      words += lower;
    }
    if (words.size() > 16) break;
  }
  return words.rfind("set transaction ", 0) == 0 ? "SET TRANSACTION" : "";
}

}  // namespace

/// A parsed and bound statement.
class Session::Prepared : public pgwire::PreparedStatement {
 public:
  const std::vector<LogicalType>& parameter_types() const override { return parameter_types_; }
  const std::vector<ResultColumn>& result_columns() const override { return columns_; }
  const StatementProperties& properties() const override { return properties_; }

  std::string sql;                           ///< the query string (error positions refer to it)
  planner::StatementPtr statement;           ///< null for an empty query string
  std::vector<LogicalType> parameter_types_;
  std::vector<ResultColumn> columns_;
  StatementProperties properties_;
  /// The plan bound by prepare, for a statement without parameters bound right away.
  std::optional<planner::BoundStatement> bound;
};

/// A bound statement with its physical plan and, once executed, its running query. Members
/// are destroyed in reverse order: the executor (stopping and waiting for the query's tasks)
/// before what its tasks use.
class Session::ActivePortal : public pgwire::Portal {
 public:
  ActivePortal(Session& session, const Prepared& prepared)
      : session(session), columns(prepared.columns_), properties_(prepared.properties_), empty(!prepared.statement) {
    if (prepared.statement && prepared.statement->kind == planner::StatementKind::kTransaction) {
      isolation_level = prepared.statement->as<planner::TransactionStatement>().isolation_level;
    }
    if (prepared.statement && prepared.statement->kind == planner::StatementKind::kVariableSet) {
      outside_block_warning = transaction_setting_command(*prepared.statement);
    }
  }
  ~ActivePortal() override { close(); }

  const std::vector<ResultColumn>& result_columns() const override { return columns; }
  const StatementProperties& properties() const override { return properties_; }

  /// Stops the query, if it runs, and forgets the portal in its session.
  void close() {
    executor.reset();
    if (!open) return;
    open = false;
    session.portals_.erase(this);
    if (commit_on_close) session.finish_implicit_transaction();
  }

  Session& session;
  const std::vector<ResultColumn> columns;
  const StatementProperties properties_;
  const bool empty;  ///< an empty query string
  bool open = false;             ///< registered in session.portals_
  bool commit_on_close = false;  ///< opened through the engine API (not the simple protocol)
  bool complete = false;
  bool resumed = false;          ///< an earlier execute suspended it
  bool released = false;         ///< its transaction ended under it
  bool session_command = false;  ///< SQL PREPARE or DEALLOCATE, done when bound
  bool delivered = false;        ///< rows went to a receiver (the statement cannot run again)
  /// BEGIN / START TRANSACTION: its ISOLATION LEVEL, or empty.
  std::string isolation_level;
  /// SET TRANSACTION, RESET transaction_isolation: the command PostgreSQL names when warning
  /// that it has no effect outside a transaction block; else empty.
  std::string outside_block_warning;
  /// The write version of the statement (Transaction::write_version when it was bound): it
  /// may run again (READ COMMITTED) only while no later statement began.
  uint64_t write_version = 0;
  planner::LogicalPtr plan;
  std::unique_ptr<executor::PhysicalOperator> root;
  std::unique_ptr<executor::ResultQueue> results;
  std::unique_ptr<executor::QueryContext> context;
  std::unique_ptr<executor::QueryExecutor> executor;
  /// CALL: the procedure's name, and whether its arguments are being computed.
  std::vector<std::string> call_name;
  bool computing_call_arguments = false;
  /// A chunk the last execute delivered only partly, and how far.
  std::optional<DataChunk> pending;
  size_t pending_offset = 0;
  /// COPY: its data's source or destination, and whether it started moving.
  std::shared_ptr<planner::BoundCopy> copy;
  bool copy_started = false;
};

namespace {

/// PostgreSQL's error for a file COPY cannot open (errcode_for_file_access): 58P01 for a
/// missing file, 42501 (with a hint to use \copy) when access is denied, else 58030.
[[noreturn]] void throw_file_error(const std::string& filename, bool reading, int error_number) {
  const std::string message = std::string("could not open file \"") + filename + "\" for " +
                              (reading ? "reading" : "writing") + ": " + std::strerror(error_number);
  const SqlState state = error_number == ENOENT || error_number == ENOTDIR ? SqlState::kUndefinedFile
                         : error_number == EACCES || error_number == EPERM ? SqlState::kInsufficientPrivilege
                                                                           : SqlState::kIoError;
  if (error_number == ENOENT || error_number == EACCES) {
    throw SqlError(state, message)
        .with_hint(reading ? "COPY FROM instructs the PostgreSQL server process to read a file. You may want a "
                             "client-side facility such as psql's \\copy."
                           : "COPY TO instructs the PostgreSQL server process to write a file. You may want a "
                             "client-side facility such as psql's \\copy.");
  }
  throw SqlError(state, message);
}

/// Reads the whole server-side file of COPY FROM into `data`.
void read_copy_file(const std::string& filename, std::string& data) {
  std::FILE* file = std::fopen(filename.c_str(), "rb");
  if (!file) throw_file_error(filename, true, errno);
  struct stat info {};
  if (fstat(fileno(file), &info) == 0 && S_ISDIR(info.st_mode)) {
    std::fclose(file);
    throw SqlError(SqlState::kWrongObjectType, "\"" + filename + "\" is a directory");
  }
  if (info.st_size > 0) data.reserve(static_cast<size_t>(info.st_size));
  char buffer[1 << 16];
  for (;;) {
    const size_t n = std::fread(buffer, 1, sizeof(buffer), file);
    data.append(buffer, n);
    if (n < sizeof(buffer)) break;
  }
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) throw SqlError(SqlState::kIoError, "could not read from COPY file: " + std::string(std::strerror(errno)));
}

/// Receives the rows of COPY TO's query and writes them in the COPY format: as CopyData to
/// the client (one message per row) or into a server-side file.
class CopyToReceiver final : public ResultReceiver {
 public:
  CopyToReceiver(const planner::BoundCopy& copy, ResultReceiver& outer, std::FILE* file)
      : encoder_(copy.format), outer_(outer), file_(file) {
    if (copy.format.header) {
      encoder_.encode_header(copy.names, buffer_);
      emit();
    }
  }
  void on_columns(const std::vector<ResultColumn>&) override {}
  void on_chunk(const DataChunk& chunk) override {
    encoder_.begin_chunk(chunk);
    for (size_t row = 0; row < chunk.size(); row++) {
      encoder_.encode_row(chunk, row, buffer_);
      if (!file_) emit();
    }
    if (buffer_.size() >= kFileBufferBytes) emit();
  }
  void on_complete(std::string_view command_tag) override { tag = std::string(command_tag); }
  void on_empty_query() override {}
  void on_error(const SqlError& error) override { throw error; }
  void on_notice(std::string_view sqlstate, std::string_view message, std::string_view detail) override {
    outer_.on_notice(sqlstate, message, detail);
  }
  /// Writes what is buffered (to the client: one row).
  void emit() {
    if (buffer_.empty()) return;
    if (file_) {
      if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
        throw SqlError(SqlState::kIoError, "could not write to COPY file: " + std::string(std::strerror(errno)));
      }
    } else {
      outer_.on_copy_data(buffer_);
    }
    buffer_.clear();
  }

  std::string tag;

 private:
  static constexpr size_t kFileBufferBytes = 1 << 20;
  pgwire::CopyEncoder encoder_;
  ResultReceiver& outer_;
  std::FILE* file_;
  std::string buffer_;
};

/// The words of a startup `options` parameter: separated by spaces, a backslash keeps the
/// next character (PostgreSQL's pg_split_opts).
std::vector<std::string> split_options(const std::string& options) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < options.size(); i++) {
    char c = options[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    if (c == '\\' && i + 1 < options.size()) c = options[++i];
    word += c;
    in_word = true;
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

/// `name=value` of a `-c` option (dashes in the name mean underscores, as PostgreSQL reads them).
void apply_option(executor::SessionSettings& settings, const std::string& assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos) {
    throw SqlError(SqlState::kSyntaxError, "--" + assignment + " requires a value");
  }
  std::string name = assignment.substr(0, eq);
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  const std::string value = assignment.substr(eq + 1);
  settings.set(name, &value);
}

}  // namespace

Session::Session(Database& db, const pgwire::StartupParameters& params) : db_(db) {
  settings_.set_initial("application_name", params.application_name);
  settings_.set_initial("session_authorization", params.user);
  for (const auto& [name, value] : params.all) {
    if (name == "user" || name == "database" || name == "application_name" || name == "replication") continue;
    if (name == "options") {
      const std::vector<std::string> words = split_options(value);
      for (size_t i = 0; i < words.size(); i++) {
        if (words[i] == "-c" && i + 1 < words.size()) {
          apply_option(settings_, words[++i]);
        } else if (words[i].rfind("-c", 0) == 0 && words[i].size() > 2) {
          apply_option(settings_, words[i].substr(2));
        } else if (words[i].rfind("--", 0) == 0 && words[i].size() > 2) {
          apply_option(settings_, words[i].substr(2));
        } else {
          throw SqlError(SqlState::kFeatureNotSupported, "startup option \"" + words[i] + "\" is not supported")
              .with_hint("Set configuration parameters with -c name=value.");
        }
      }
      continue;
    }
    settings_.set(name, &value);
  }
  datetime_.time_zone = settings_.time_zone();
  reported_ = settings_.reported();
}

std::vector<std::pair<std::string, std::string>> Session::reported_settings() const { return reported_; }

void Session::report_changed_settings(ResultReceiver& receiver) {
  std::vector<std::pair<std::string, std::string>> now = settings_.reported();
  for (size_t i = 0; i < now.size(); i++) {
    if (i < reported_.size() && reported_[i] == now[i]) continue;
    receiver.on_parameter_status(now[i].first, now[i].second);
  }
  reported_ = std::move(now);
}

Session::~Session() {
  release_portals();
  if (transaction_) end_transaction(false);
}

pgwire::TransactionStatus Session::transaction_status() const {
  if (!in_block_) return pgwire::TransactionStatus::kIdle;
  return failed_ ? pgwire::TransactionStatus::kFailed : pgwire::TransactionStatus::kInBlock;
}

void Session::cancel() { cancel_requested_.store(true); }

class Session::StatementTimeout {
 public:
  StatementTimeout(Session& session, int64_t milliseconds) {
    if (milliseconds <= 0) return;
    id_ = StatementTimer::instance().arm(StatementTimer::Clock::now() + std::chrono::milliseconds(milliseconds), [&session] {
      session.timed_out_.store(true);
      session.cancel_requested_.store(true);
    });
  }
  ~StatementTimeout() {
    if (id_ != 0) StatementTimer::instance().disarm(id_);
  }
  StatementTimeout(const StatementTimeout&) = delete;
  StatementTimeout& operator=(const StatementTimeout&) = delete;

 private:
  StatementTimer::Id id_ = 0;
};

std::unique_ptr<Session::StatementTimeout> Session::begin_statement() {
  cancel_requested_.store(false);
  timed_out_.store(false);
  lock_timeout_ms_.store(settings_.milliseconds("lock_timeout"));
  return std::make_unique<StatementTimeout>(*this, settings_.milliseconds("statement_timeout"));
}

SqlError Session::client_error(SqlError error) const {
  if (error.state() == SqlState::kQueryCanceled && timed_out_.load()) {
    return SqlError(SqlState::kQueryCanceled, "canceling statement due to statement timeout");
  }
  return error;
}

void Session::start_statement_clock() {
  datetime_.statement_timestamp = clock_timestamp_now();
  datetime_.time_zone = settings_.time_zone();
}

void Session::ensure_transaction() {
  if (transaction_) return;
  // now() and current_date are the transaction's start time (its first statement's).
  datetime_.transaction_timestamp = datetime_.statement_timestamp ? datetime_.statement_timestamp : clock_timestamp_now();
  transaction_ = db_.transactions().begin();
  settings_.begin_transaction();
  // Lock waits of the transaction stop on the session's cancel request (57014).
  transaction_->set_interrupt_flag(&cancel_requested_);
  // ... and after lock_timeout (55P03).
  transaction_->set_lock_timeout_source(&lock_timeout_ms_);
}

bool Session::takes_snapshot(const planner::Statement& statement) {
  // PostgreSQL's PlannedStmtRequiresSnapshot: transaction control, SET, SHOW and CHECKPOINT
  // neither read nor fix the snapshot.
  switch (statement.kind) {
    case planner::StatementKind::kTransaction:
    case planner::StatementKind::kVariableSet:
    case planner::StatementKind::kVariableShow:
    case planner::StatementKind::kCheckpoint: return false;
    default: return true;
  }
}

void Session::take_statement_snapshot() {
  const std::string level = settings_.show("transaction_isolation");
  const storage::IsolationLevel isolation = level == "serializable"      ? storage::IsolationLevel::kSerializable
                                            : level == "repeatable read" ? storage::IsolationLevel::kRepeatableRead
                                                                         : storage::IsolationLevel::kReadCommitted;
  transaction_->set_isolation(isolation);
  // READ COMMITTED: every statement sees what committed before it began. REPEATABLE READ and
  // SERIALIZABLE: the first statement's snapshot (not BEGIN's) serves the whole transaction.
  if (isolation == storage::IsolationLevel::kReadCommitted || !settings_.transaction_isolation_fixed()) {
    db_.transactions().refresh_snapshot(*transaction_);
  }
  settings_.fix_transaction_isolation();
}

void Session::init_query_context(ActivePortal& portal) {
  portal.results = std::make_unique<executor::ResultQueue>(&db_.scheduler(), kResultQueueCapacity);
  portal.context = std::make_unique<executor::QueryContext>();
  executor::QueryContext& context = *portal.context;
  context.scheduler = &db_.scheduler();
  context.catalog = &db_.catalog();
  context.transaction = transaction_.get();
  context.settings = &settings_;
  context.datetime = datetime_;
  context.sequences =
      catalog::SequenceContext{&db_.catalog(), transaction_.get(), &sequences_, settings_.show("search_path")};
  context.cancelled = &cancel_requested_;
  context.max_threads = db_.scheduler().thread_count();
  context.results = portal.results.get();
  context.memory = std::make_shared<MemoryTracker>(0, db_.memory());
}

bool Session::can_restart(const ActivePortal& portal, const SqlError& error) const {
  return error.state() == SqlState::kSerializationFailure && transaction_ &&
         transaction_->isolation() == storage::IsolationLevel::kReadCommitted &&
         transaction_->write_version() == portal.write_version && !portal.delivered && !portal.resumed &&
         !portal.pending && !portal.copy;
}

void Session::restart_statement(ActivePortal& portal) {
  portal.executor.reset();
  // The statement's changes go; it runs again on a snapshot that holds the commit it met (it
  // waited for that writer to end before failing, so each round makes progress).
  db_.transactions().rollback_statement(*transaction_);
  db_.transactions().refresh_snapshot(*transaction_);
  transaction_->begin_statement();
  portal.write_version = transaction_->write_version();
  init_query_context(portal);
}

void Session::end_transaction(bool commit) {
  if (!transaction_) return;
  release_portals();  // their queries read the transaction
  // The session has no transaction afterwards, also when the commit throws (a failing commit
  // hook rolls the whole transaction back).
  std::unique_ptr<storage::Transaction> txn = std::move(transaction_);
  if (commit) {
    // The value in force at commit decides (a SET LOCAL in the transaction included); the
    // remote levels act as on, as there are no standbys.
    txn->set_synchronous_commit(settings_.show("synchronous_commit") != "off");
    try {
      db_.transactions().commit(*txn);
    } catch (...) {
      settings_.end_transaction(false);  // a failed commit rolled everything back
      throw;
    }
  } else {
    db_.transactions().rollback(*txn);
  }
  settings_.end_transaction(commit);
}

void Session::release_portals() {
  for (ActivePortal* portal : std::set<ActivePortal*>(portals_)) {
    portal->executor.reset();
    portal->released = true;
    portal->open = false;
  }
  portals_.clear();
}

void Session::finish_implicit_transaction() {
  if (!in_block_ && portals_.empty()) end_transaction(true);
}

void Session::fail_statement() {
  // Outside a block the statement's transaction is rolled back. Inside one it is rolled back
  // too, at once, releasing its locks as PostgreSQL aborts it, and the block is marked failed:
  // later statements get 25P02 until COMMIT or ROLLBACK ends it.
  if (in_block_) failed_ = true;
  release_portals();
  end_transaction(false);
}

void Session::report_failure(const SqlError& error, ResultReceiver& receiver) {
  fail_statement();
  receiver.on_error(error);
}

void Session::check_not_failed(const StatementProperties& properties) const {
  if (!failed_) return;
  if (properties.transaction == TransactionControl::kCommit || properties.transaction == TransactionControl::kRollback) return;
  throw SqlError(SqlState::kInFailedSqlTransaction,
                 "current transaction is aborted, commands ignored until end of transaction block");
}

CommandKind Session::run_transaction_control(TransactionControl control, const std::string& isolation_level,
                                             ResultReceiver& receiver) {
  switch (control) {
    case TransactionControl::kBegin:
      if (in_block_) {
        receiver.on_notice("25001", "there is already a transaction in progress", "");
      } else {
        ensure_transaction();
        in_block_ = true;
      }
      // As SET TRANSACTION ISOLATION LEVEL (also inside a block, where it fails with 25001
      // once a statement took the snapshot).
      if (!isolation_level.empty()) settings_.set("transaction_isolation", &isolation_level);
      return CommandKind::kBegin;
    case TransactionControl::kCommit:
    case TransactionControl::kRollback: {
      if (!in_block_) {
        receiver.on_notice("25P01", "there is no transaction in progress", "");
        return control == TransactionControl::kCommit ? CommandKind::kCommit : CommandKind::kRollback;
      }
      // COMMIT of a failed block rolls back, and says so.
      const bool commit = control == TransactionControl::kCommit && !failed_;
      // The block ends even when the commit fails (the transaction is then rolled back).
      in_block_ = false;
      failed_ = false;
      release_portals();
      end_transaction(commit);
      return commit ? CommandKind::kCommit : CommandKind::kRollback;
    }
    case TransactionControl::kNone: break;
  }
  TS_CHECK(false, "not a transaction control statement");
  return CommandKind::kSelect;
}

// ---- The engine API ------------------------------------------------------------------------

std::unique_ptr<pgwire::PreparedStatement> Session::prepare(std::string_view sql) {
  StackBase stack_base;
  start_statement_clock();
  ScopedDateTimeContext datetime(&datetime_);
  try {
    std::vector<planner::StatementPtr> statements = planner::parse_sql(sql);
    if (statements.size() > 1) {
      throw SqlError(SqlState::kSyntaxError, "cannot insert multiple commands into a prepared statement");
    }
    std::unique_ptr<Prepared> prepared =
        prepare_statement(statements.empty() ? nullptr : std::move(statements[0]), std::string(sql));
    prepared->bound.reset();  // bind() binds again with the parameter values
    finish_implicit_transaction();
    return prepared;
  } catch (...) {
    SqlError error = current_sql_error();
    fail_statement();
    throw error;
  }
}

std::unique_ptr<pgwire::Portal> Session::bind(const pgwire::PreparedStatement& prepared_statement,
                                              const std::vector<std::optional<std::string>>& parameters) {
  StackBase stack_base;
  // Prepared statements handed out by this session are Prepared.
  const auto& prepared = static_cast<const Prepared&>(prepared_statement);
  start_statement_clock();
  ScopedDateTimeContext datetime(&datetime_);
  try {
    check_not_failed(prepared.properties_);
    const auto& types = prepared.parameter_types_;
    if (parameters.size() != types.size()) {
      throw SqlError(SqlState::kProtocolViolation, "bind message supplies " + std::to_string(parameters.size()) +
                                                       " parameters, but prepared statement requires " +
                                                       std::to_string(types.size()));
    }
    std::vector<Value> values;
    for (size_t i = 0; i < types.size(); i++) {
      // A parameter arrives as text: it must be valid UTF-8 (22021, checked here once like the
      // query string in the lexer) and goes through its type's input function (22P02).
      if (parameters[i]) utf8_check(*parameters[i]);
      values.push_back(parameters[i] ? cast_value(Value::varchar(*parameters[i]), types[i]) : Value::null(types[i]));
    }
    std::unique_ptr<ActivePortal> portal = bind_portal(prepared, std::move(values), std::nullopt);
    portal->commit_on_close = true;
    return portal;
  } catch (...) {
    SqlError error = current_sql_error();
    fail_statement();
    throw error;
  }
}

pgwire::ExecuteResult Session::execute(pgwire::Portal& portal_handle, size_t max_rows, ResultReceiver& receiver) {
  StackBase stack_base;
  auto& portal = static_cast<ActivePortal&>(portal_handle);
  ScopedDateTimeContext datetime(&datetime_);
  try {
    check_not_failed(portal.properties_);
    auto timeout = begin_statement();
    pgwire::ExecuteResult result = run_portal(portal, max_rows, receiver);
    if (result == pgwire::ExecuteResult::kComplete) portal.close();
    report_changed_settings(receiver);
    return result;
  } catch (...) {
    SqlError error = client_error(current_sql_error());
    portal.commit_on_close = false;  // the failed statement's transaction is not committed
    portal.close();
    fail_statement();
    throw error;
  }
}

// ---- The simple protocol -------------------------------------------------------------------

void Session::execute_simple(std::string_view sql, ResultReceiver& receiver) {
  StackBase stack_base;
  // SET TimeZone, DateStyle, ...: clients track these. As PostgreSQL does before
  // ReadyForQuery, the values that differ from what the client was last told are reported
  // once the query string has run (a ROLLBACK or a failure may have restored them).
  struct ReportSettings {
    Session& session;
    ResultReceiver& receiver;
    ~ReportSettings() { session.report_changed_settings(receiver); }
  } report{*this, receiver};
  start_statement_clock();
  ScopedDateTimeContext datetime(&datetime_);
  std::vector<planner::StatementPtr> statements;
  std::vector<planner::ParseNotice> notices;
  try {
    statements = planner::parse_sql(sql, notices);
  } catch (const SqlError& e) {
    report_failure(e, receiver);
    return;
  }
  for (const auto& n : notices) receiver.on_notice(n.sqlstate, n.message, "");
  if (statements.empty()) {
    receiver.on_empty_query();
    return;
  }
  // Several statements in one query string run as one implicit transaction, unless they
  // manage transactions themselves (PostgreSQL's rule).
  const bool implicit_block = statements.size() > 1 && !in_block_;
  struct ImplicitBlock {
    bool& flag;
    ~ImplicitBlock() { flag = false; }
  } implicit_scope{in_implicit_block_};
  in_implicit_block_ = implicit_block;
  // Any exception ends the statement here: the statement is rolled back and reported.
  try {
    for (auto& statement : statements) {
      execute_statement(std::move(statement), sql, receiver);
      // Outside a block each statement commits on its own; an implicit block commits at the end.
      if (!in_block_ && !implicit_block) end_transaction(true);
    }
    if (implicit_block && !in_block_) end_transaction(true);
  } catch (...) {
    report_failure(client_error(current_sql_error()), receiver);
  }
}

void Session::execute_statement(planner::StatementPtr statement, std::string_view sql, ResultReceiver& receiver) {
  auto timeout = begin_statement();
  // Each statement of a query string sees the TimeZone earlier ones SET (PostgreSQL keeps the
  // statement start time of the whole string).
  datetime_.time_zone = settings_.time_zone();
  std::unique_ptr<Prepared> prepared = prepare_statement(std::move(statement), std::string(sql));
  std::optional<planner::BoundStatement> bound;
  if (prepared->parameter_types_.empty()) bound = std::move(prepared->bound);
  std::unique_ptr<ActivePortal> portal = bind_portal(*prepared, {}, std::move(bound));
  if (prepared->properties_.returns_rows) receiver.on_columns(portal->columns);
  run_portal(*portal, 0, receiver);
}

// ---- The road every statement takes --------------------------------------------------------

std::unique_ptr<Session::Prepared> Session::prepare_statement(planner::StatementPtr statement, std::string sql,
                                                              const std::vector<LogicalType>& declared) {
  auto prepared = std::make_unique<Prepared>();
  prepared->sql = std::move(sql);
  prepared->statement = std::move(statement);
  if (!prepared->statement) return prepared;
  const planner::Statement& stmt = *prepared->statement;
  const bool is_transaction_control = stmt.kind == planner::StatementKind::kTransaction;
  if (failed_) {
    bool ends_block = is_transaction_control &&
                      (stmt.as<planner::TransactionStatement>().transaction_kind == planner::TransactionKind::kRollback ||
                       stmt.as<planner::TransactionStatement>().transaction_kind == planner::TransactionKind::kCommit);
    if (!ends_block) {
      throw SqlError(SqlState::kInFailedSqlTransaction,
                     "current transaction is aborted, commands ignored until end of transaction block");
    }
  }
  // The binder looks relations up in the transaction's snapshot: begin it first (also for
  // transaction control, whose COMMIT/ROLLBACK then ends it).
  ensure_transaction();
  if (takes_snapshot(stmt)) take_statement_snapshot();
  switch (stmt.kind) {
    // SQL PREPARE and DEALLOCATE run when bound; EXECUTE then binds the statement it names.
    case planner::StatementKind::kPrepare:
      prepared->properties_.command = CommandKind::kPrepare;
      return prepared;
    case planner::StatementKind::kDeallocate:
      prepared->properties_.command =
          stmt.as<planner::DeallocateStatement>().all ? CommandKind::kDeallocateAll : CommandKind::kDeallocate;
      return prepared;
    case planner::StatementKind::kCheckpoint:
      prepared->properties_.command = CommandKind::kCheckpoint;
      return prepared;
    case planner::StatementKind::kExecute: {
      const Prepared& named = named_statement(stmt.as<planner::ExecuteStatement>().name);
      prepared->properties_ = named.properties_;
      prepared->columns_ = named.columns_;
      return prepared;
    }
    default: break;
  }
  planner::Binder binder(db_.catalog(), db_.functions(), *transaction_, prepared->sql);
  binder.set_search_path(settings_.show("search_path"));
  binder.declare_parameter_types(declared);
  planner::BoundStatement bound = binder.bind(stmt);

  prepared->parameter_types_ = binder.parameter_types();
  prepared->properties_ = bound.properties;
  if (bound.properties.returns_rows) {
    auto types = bound.plan->output_types();
    for (size_t i = 0; i < types.size(); i++) {
      ResultColumn c;
      c.name = bound.names[i];
      c.type = planner::result_column_type(types[i]);
      prepared->columns_.push_back(std::move(c));
    }
  }
  prepared->bound = std::move(bound);
  return prepared;
}

std::unique_ptr<Session::ActivePortal> Session::bind_portal(const Prepared& prepared, std::vector<Value> values,
                                                            std::optional<planner::BoundStatement> bound) {
  auto portal = std::make_unique<ActivePortal>(*this, prepared);
  portal->open = true;
  portals_.insert(portal.get());
  if (portal->empty || prepared.properties_.transaction != TransactionControl::kNone) return portal;

  ensure_transaction();
  if (takes_snapshot(*prepared.statement)) take_statement_snapshot();
  // A new statement of the transaction: its reads see what earlier statements wrote, never what
  // it writes itself.
  transaction_->begin_statement();
  portal->write_version = transaction_->write_version();
  switch (prepared.statement->kind) {
    case planner::StatementKind::kPrepare:
      run_sql_prepare(*prepared.statement);
      portal->session_command = true;
      return portal;
    case planner::StatementKind::kDeallocate:
      run_sql_deallocate(*prepared.statement);
      portal->session_command = true;
      return portal;
    case planner::StatementKind::kVacuum:
      // Its rewrites commit on their own, as PostgreSQL's VACUUM does (ANALYZE may run in one).
      if ((in_block_ || in_implicit_block_) && prepared.statement->as<planner::VacuumStatement>().vacuum) {
        throw SqlError(SqlState::kActiveSqlTransaction, "VACUUM cannot run inside a transaction block");
      }
      break;
    case planner::StatementKind::kCheckpoint:
      db_.checkpoint();
      portal->session_command = true;
      return portal;
    case planner::StatementKind::kExecute: {
      // The arguments, evaluated and coerced to the parameter types, bind the statement named;
      // its portal takes this one's place.
      const auto& execute = prepared.statement->as<planner::ExecuteStatement>();
      const Prepared& named = named_statement(execute.name);
      std::vector<Value> arguments;
      {
        planner::Binder binder(db_.catalog(), db_.functions(), *transaction_, prepared.sql);
        binder.set_search_path(settings_.show("search_path"));
        std::vector<planner::BoundExprPtr> bound_arguments = binder.bind_execute_arguments(execute, named.parameter_types_);
        executor::PhysicalPlanner physical_planner(&db_.catalog(), transaction_.get());
        for (const auto& argument : bound_arguments) arguments.push_back(physical_planner.evaluate_constant(*argument));
      }
      portal.reset();
      return bind_portal(named, std::move(arguments), std::nullopt);
    }
    default: break;
  }
  if (!bound) {
    planner::Binder binder(db_.catalog(), db_.functions(), *transaction_, prepared.sql);
    binder.set_search_path(settings_.show("search_path"));
    binder.set_parameter_values(std::move(values));
    bound = binder.bind(*prepared.statement);
    // Bound again (an EXECUTE of an SQL prepared statement, a Bind): the tables may have
    // changed since the columns were described.
    if (prepared.properties_.returns_rows) {
      const auto types = bound->plan->output_types();
      bool same = types.size() == prepared.columns_.size();
      for (size_t i = 0; same && i < types.size(); i++) {
        same = planner::result_column_type(types[i]) == prepared.columns_[i].type;
      }
      if (!same) throw SqlError(SqlState::kFeatureNotSupported, "cached plan must not change result type");
    }
  }
  portal->copy = bound->copy;
  portal->plan = planner::Optimizer(&db_.functions(), bound->table_indexes).optimize(std::move(bound->plan));
  executor::PhysicalPlanner physical_planner(&db_.catalog(), transaction_.get());
  const bool is_call = prepared.properties_.command == CommandKind::kCall;
  if (is_call) portal->call_name = prepared.statement->as<planner::CallStatement>().name;
  const bool copy_to = portal->copy && !portal->copy->is_from;
  portal->root = physical_planner.create_rooted_plan(*portal->plan, prepared.properties_.returns_rows || is_call || copy_to);

  init_query_context(*portal);
  return portal;
}

pgwire::ExecuteResult Session::run_portal(ActivePortal& portal, size_t max_rows, ResultReceiver& receiver) {
  if (portal.released) {
    throw SqlError(SqlState::kInvalidCursorState, "portal cannot run: its transaction has ended");
  }
  if (portal.empty) {
    portal.complete = true;
    receiver.on_empty_query();
    return pgwire::ExecuteResult::kComplete;
  }
  const StatementProperties& properties = portal.properties_;
  if (portal.complete) {
    // A finished portal runs again as an empty one (PostgreSQL reports zero rows).
    receiver.on_complete(command_tag(properties.command, 0));
    return pgwire::ExecuteResult::kComplete;
  }
  if (!portal.outside_block_warning.empty() && !in_block_ && !in_implicit_block_) {
    receiver.on_notice("25P01", portal.outside_block_warning + " can only be used in transaction blocks", "");
  }
  if (portal.session_command) {
    portal.complete = true;
    receiver.on_complete(command_tag(properties.command, 0));
    return pgwire::ExecuteResult::kComplete;
  }
  if (properties.transaction != TransactionControl::kNone) {
    CommandKind command = run_transaction_control(properties.transaction, portal.isolation_level, receiver);
    portal.complete = true;
    receiver.on_complete(command_tag(command, 0));
    return pgwire::ExecuteResult::kComplete;
  }
  if (portal.copy && !portal.copy_started) {
    portal.copy_started = true;
    return run_copy(portal, receiver);
  }
  if (properties.command == CommandKind::kCall && !portal.computing_call_arguments) {
    portal.computing_call_arguments = true;
    CallArgumentsReceiver arguments(receiver);
    run_portal(portal, 0, arguments);
    run_call(portal.call_name, std::move(arguments.first_row), receiver);
    receiver.on_complete(command_tag(CommandKind::kCall, 0));
    return pgwire::ExecuteResult::kComplete;
  }
  // READ COMMITTED: a statement that met a row changed by a commit after its snapshot runs
  // again on a new snapshot (see restart_statement), unless it already delivered rows.
  for (;;) {
    try {
      return run_query(portal, max_rows, receiver);
    } catch (const SqlError& error) {
      if (!can_restart(portal, error)) throw;
    }
    restart_statement(portal);
  }
}

pgwire::ExecuteResult Session::run_query(ActivePortal& portal, size_t max_rows, ResultReceiver& receiver) {
  const StatementProperties& properties = portal.properties_;
  // What this thread allocates for the query (finalization, hand-off) counts as the query's.
  MemoryTracker::Scope memory(portal.context->memory.get());
  if (!portal.executor) {
    portal.executor = std::make_unique<executor::QueryExecutor>(*portal.root, *portal.context);
    portal.executor->start();
  }
  // Take chunks from the query's hand-off on this thread and pass them on. A full hand-off
  // parks the query's producers, so a receiver that is slow to write stalls only this query.
  uint64_t sent = 0;
  for (;;) {
    if (max_rows > 0 && sent == max_rows) {
      portal.resumed = true;
      return pgwire::ExecuteResult::kSuspended;
    }
    if (portal.pending) {
      const DataChunk& chunk = *portal.pending;
      const size_t available = chunk.size() - portal.pending_offset;
      const size_t take = max_rows > 0 ? std::min<uint64_t>(available, max_rows - sent) : available;
      portal.delivered = true;
      if (portal.pending_offset == 0 && take == chunk.size()) {
        receiver.on_chunk(chunk);
      } else {
        receiver.on_chunk(slice_rows(chunk, portal.pending_offset, take));
      }
      sent += take;
      portal.pending_offset += take;
      if (portal.pending_offset == chunk.size()) portal.pending.reset();
      continue;
    }
    executor::ResultQueue::Item item;
    if (!portal.results->pop(item)) break;
    if (item.is_notice) {
      receiver.on_notice(item.notice.sqlstate, item.notice.message, item.notice.detail);
      continue;
    }
    if (item.chunk.size() == 0) continue;
    portal.pending = std::move(item.chunk);
    portal.pending_offset = 0;
  }
  portal.executor->wait();  // rethrows the first error of any task
  portal.complete = true;
  // Rows counted by the sink that did the work (collector, insert, CREATE TABLE AS). A portal
  // run in several steps reports the rows of its last step, as PostgreSQL does.
  uint64_t rows = portal.context->processed_rows.load();
  if (portal.resumed) rows = sent;
  receiver.on_complete(command_tag(properties.command, rows));
  return pgwire::ExecuteResult::kComplete;
}

// ---- COPY ----------------------------------------------------------------------------------

pgwire::ExecuteResult Session::run_copy(ActivePortal& portal, ResultReceiver& receiver) {
  const planner::BoundCopy& copy = *portal.copy;
  if (copy.is_from) {
    // The whole input is read before the rows are parsed (by the plan's workers), so a COPY
    // that fails, is cancelled with CopyFail or loses its client inserts nothing.
    if (copy.filename.empty()) {
      receiver.copy_in(copy.names.size(), copy.input->data);
    } else {
      read_copy_file(copy.filename, copy.input->data);
    }
    return run_portal(portal, 0, receiver);
  }
  std::FILE* file = nullptr;
  if (!copy.filename.empty()) {
    file = std::fopen(copy.filename.c_str(), "wb");
    if (!file) throw_file_error(copy.filename, false, errno);
  } else {
    receiver.on_copy_out(copy.names.size());
  }
  struct CloseFile {
    std::FILE*& file;
    ~CloseFile() {
      if (file) std::fclose(file);
    }
  } close_file{file};
  CopyToReceiver rows(copy, receiver, file);
  run_portal(portal, 0, rows);
  rows.emit();
  if (file) {
    const int closed = std::fclose(file);
    file = nullptr;
    if (closed != 0) throw SqlError(SqlState::kIoError, "could not close file \"" + copy.filename + "\": " + std::strerror(errno));
  }
  receiver.on_complete(rows.tag);
  return pgwire::ExecuteResult::kComplete;
}

// ---- SQL PREPARE / EXECUTE / DEALLOCATE ----------------------------------------------------

const Session::Prepared& Session::named_statement(const std::string& name) const {
  auto it = named_statements_.find(name);
  if (it == named_statements_.end()) {
    throw SqlError(SqlState::kInvalidSqlStatementName, "prepared statement \"" + name + "\" does not exist");
  }
  return *it->second;
}

void Session::run_sql_prepare(const planner::Statement& statement) {
  const auto& prepare = statement.as<planner::PrepareStatement>();
  if (named_statements_.count(prepare.name)) {
    throw SqlError(SqlState::kDuplicatePreparedStatement, "prepared statement \"" + prepare.name + "\" already exists");
  }
  std::vector<LogicalType> declared;
  for (const auto& type : prepare.param_types) declared.push_back(planner::resolve_type_name(type));
  // The statement is parsed again from its own text (the prepared statement owns its syntax
  // tree), indented so that error positions still count from the start of the query string.
  const planner::Statement& inner = *prepare.statement;
  std::string sql = std::string(static_cast<size_t>(std::max(inner.location, 0)), ' ') + inner.text;
  std::vector<planner::StatementPtr> statements = planner::parse_sql(sql);
  TS_CHECK(statements.size() == 1, "a prepared statement's text is not one statement");
  std::unique_ptr<Prepared> named = prepare_statement(std::move(statements[0]), std::move(sql), declared);
  named->bound.reset();  // every EXECUTE binds it with its arguments
  named_statements_[prepare.name] = std::move(named);
}

void Session::run_sql_deallocate(const planner::Statement& statement) {
  const auto& deallocate = statement.as<planner::DeallocateStatement>();
  if (deallocate.all) {
    named_statements_.clear();
    return;
  }
  named_statement(deallocate.name);  // 26000 when unknown
  named_statements_.erase(deallocate.name);
}

// ---- Procedures ----------------------------------------------------------------------------

void Session::run_call(const std::vector<std::string>& name, std::vector<Value> args, ResultReceiver& receiver) {
  const Procedure* procedure = find_procedure(name.back(), args.size());
  if (procedure == nullptr || name.size() > 2 || (name.size() == 2 && name[0] != "public" && name[0] != "pg_catalog")) {
    std::string signature;
    for (size_t i = 0; i < args.size(); i++) signature += (i ? ", " : "") + args[i].type().name();
    throw SqlError(SqlState::kUndefinedFunction, "procedure " + name.back() + "(" + signature + ") does not exist")
        .with_hint("No procedure matches the given name and argument types. You might need to add explicit type casts.");
  }
  for (size_t i = 0; i < args.size(); i++) args[i] = cast_value(args[i], procedure->params[i]);
  for (const std::string& sql : procedure->statements(args)) {
    CallArgumentsReceiver discard(receiver);
    std::vector<planner::ParseNotice> notices;
    for (auto& statement : planner::parse_sql(sql, notices)) {
      std::unique_ptr<Prepared> prepared = prepare_statement(std::move(statement), sql);
      std::optional<planner::BoundStatement> bound;
      if (prepared->parameter_types_.empty()) bound = std::move(prepared->bound);
      std::unique_ptr<ActivePortal> portal = bind_portal(*prepared, {}, std::move(bound));
      run_portal(*portal, 0, discard);
    }
  }
}

}  // namespace tessera
