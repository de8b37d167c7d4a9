#include "src/main/session.h"

#include <new>

#include "catalog/catalog.h"
#include "executor/operator/result/physical_result_collector.h"
#include "executor/physical_planner.h"
#include "executor/query_executor.h"
#include "executor/scheduler.h"
#include "planner/binder/binder.h"
#include "planner/binder/type_rules.h"
#include "planner/optimizer/optimizer.h"
#include "planner/parser/parser.h"
#include "src/common/sql_error.h"
#include "src/common/stack_guard.h"
#include "src/main/database.h"
#include "storage/transaction.h"
#include "storage/transaction_manager.h"

namespace tessera {

namespace {

/// Settings a client may SET and SHOW, with their defaults.
const std::map<std::string, std::string>& default_settings() {
  static const std::map<std::string, std::string> defaults = {
      {"application_name", ""},
      {"client_encoding", "UTF8"},
      {"datestyle", "ISO, MDY"},
      {"timezone", "UTC"},
      {"intervalstyle", "postgres"},
      {"search_path", "\"$user\", public"},
      {"extra_float_digits", "1"},
      {"standard_conforming_strings", "on"},
      {"integer_datetimes", "on"},
      {"server_version", "15.6"},
      {"server_version_num", "150006"},
      {"server_encoding", "UTF8"},
      {"statement_timeout", "0"},
      {"lock_timeout", "0"},
      {"idle_in_transaction_session_timeout", "0"},
      {"transaction_isolation", "repeatable read"},
      {"default_transaction_isolation", "repeatable read"},
      {"transaction_read_only", "off"},
      {"is_superuser", "on"},
      {"max_identifier_length", "63"},
      {"lc_messages", "C"},
      {"lc_monetary", "C"},
      {"lc_numeric", "C"},
      {"lc_time", "C"},
      {"bytea_output", "hex"},
      {"client_min_messages", "notice"},
      {"row_security", "on"},
      {"jit", "off"},
  };
  return defaults;
}

const std::map<std::string, std::string>& read_only_settings() {
  static const std::map<std::string, std::string> names = {
      {"server_version", ""}, {"server_version_num", ""}, {"server_encoding", ""},
      {"integer_datetimes", ""}, {"is_superuser", ""}, {"max_identifier_length", ""}};
  return names;
}

std::string to_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Session::Session(Database& db, std::string user, std::string application_name) : db_(db), settings_(default_settings()) {
  settings_["application_name"] = std::move(application_name);
  settings_["session_authorization"] = std::move(user);
}

Session::~Session() {
  if (transaction_) end_transaction(false);
}

pgwire::TransactionStatus Session::transaction_status() const {
  if (!in_block_) return pgwire::TransactionStatus::kIdle;
  return failed_ ? pgwire::TransactionStatus::kFailed : pgwire::TransactionStatus::kInBlock;
}

void Session::cancel() { cancel_requested_.store(true); }

void Session::ensure_transaction() {
  if (!transaction_) transaction_ = db_.transactions().begin();
}

void Session::end_transaction(bool commit) {
  if (!transaction_) return;
  if (commit) {
    db_.transactions().commit(*transaction_);
  } else {
    db_.transactions().rollback(*transaction_);
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) (*it)();
  }
  undo_.clear();
  transaction_.reset();
}

void Session::begin_transaction() {
  if (in_block_) {
    if (receiver_) receiver_->on_notice("25001", "there is already a transaction in progress", "");
    return;
  }
  ensure_transaction();
  in_block_ = true;
}

void Session::commit_transaction() {
  if (!in_block_) {
    if (receiver_) receiver_->on_notice("25P01", "there is no transaction in progress", "");
    return;
  }
  end_transaction(!failed_);
  in_block_ = false;
  failed_ = false;
}

void Session::rollback_transaction() {
  if (!in_block_) {
    if (receiver_) receiver_->on_notice("25P01", "there is no transaction in progress", "");
    return;
  }
  end_transaction(false);
  in_block_ = false;
  failed_ = false;
}

void Session::set_setting(const std::string& raw_name, const std::string* value) {
  std::string name = to_lower(raw_name);
  auto it = default_settings().find(name);
  if (it == default_settings().end() && name != "session_authorization") {
    throw SqlError(SqlState::kUndefinedObject, "unrecognized configuration parameter \"" + raw_name + "\"");
  }
  if (read_only_settings().count(name)) {
    throw SqlError(SqlState::kCantChangeRuntimeParam, "parameter \"" + raw_name + "\" cannot be changed");
  }
  std::string v = value ? *value : it->second;
  if (name == "client_encoding") {
    std::string upper = v;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper != "UTF8" && upper != "UTF-8" && upper != "UNICODE") {
      throw SqlError(SqlState::kFeatureNotSupported, "client encodings other than UTF8 are not supported yet");
    }
    v = "UTF8";
  }
  settings_[name] = v;
}

std::string Session::show_setting(const std::string& raw_name) const {
  auto it = settings_.find(to_lower(raw_name));
  if (it == settings_.end()) {
    throw SqlError(SqlState::kUndefinedObject, "unrecognized configuration parameter \"" + raw_name + "\"");
  }
  return it->second;
}

void Session::on_rollback(std::function<void()> undo) { undo_.push_back(std::move(undo)); }

void Session::execute_simple(std::string_view sql, ResultReceiver& receiver) {
  StackBase stack_base;
  receiver_ = &receiver;
  std::vector<planner::StatementPtr> statements;
  try {
    statements = planner::parse_sql(sql);
  } catch (const SqlError& e) {
    if (in_block_) failed_ = true;
    receiver.on_error(e);
    receiver_ = nullptr;
    return;
  }
  if (statements.empty()) {
    receiver.on_empty_query();
    receiver_ = nullptr;
    return;
  }
  // Several statements in one query string run as one implicit transaction, unless they
  // manage transactions themselves (PostgreSQL's rule).
  const bool implicit_block = statements.size() > 1 && !in_block_;
  for (const auto& statement : statements) {
    try {
      execute_statement(*statement, sql, receiver);
      // Outside a block each statement commits on its own; an implicit block commits at the end.
      if (!in_block_ && !implicit_block) end_transaction(true);
    } catch (const SqlError& e) {
      if (in_block_) {
        failed_ = true;
      } else {
        end_transaction(false);
      }
      receiver.on_error(e);
      receiver_ = nullptr;
      return;
    } catch (const std::bad_alloc&) {
      if (in_block_) failed_ = true; else end_transaction(false);
      receiver.on_error(SqlError(SqlState::kOutOfMemory, "out of memory"));
      receiver_ = nullptr;
      return;
    }
  }
  if (implicit_block && !in_block_) end_transaction(true);
  receiver_ = nullptr;
}

void Session::execute_statement(const planner::Statement& statement, std::string_view sql, ResultReceiver& receiver) {
  cancel_requested_.store(false);
  const bool is_transaction_control = statement.kind == planner::StatementKind::kTransaction;
  if (failed_) {
    bool ends_block = is_transaction_control &&
                      (statement.as<planner::TransactionStatement>().transaction_kind == planner::TransactionKind::kRollback ||
                       statement.as<planner::TransactionStatement>().transaction_kind == planner::TransactionKind::kCommit);
    if (!ends_block) {
      throw SqlError(SqlState::kInFailedSqlTransaction,
                     "current transaction is aborted, commands ignored until end of transaction block");
    }
  }
  planner::Binder binder(db_.catalog(), db_.functions(), sql);
  planner::BoundStatement bound = binder.bind(statement);
  if (!is_transaction_control) ensure_transaction();
  planner::LogicalPtr plan = planner::Optimizer().optimize(std::move(bound.plan));

  const bool returns_rows = !bound.names.empty() && bound.tag != "INSERT";
  const bool rows_to_client = bound.tag == "SELECT" && statement.kind == planner::StatementKind::kSelect;
  executor::PhysicalPlanner physical_planner(&db_.catalog(), transaction_.get());
  auto root = physical_planner.create_rooted_plan(*plan, rows_to_client || bound.tag == "EXPLAIN" || bound.tag == "SHOW");

  if (returns_rows) {
    std::vector<ResultColumn> columns;
    auto types = plan->output_types();
    for (size_t i = 0; i < types.size(); i++) {
      ResultColumn c;
      c.name = bound.names[i];
      c.type = planner::result_column_type(types[i]);
      columns.push_back(std::move(c));
    }
    receiver.on_columns(columns);
  }

  executor::QueryContext context;
  context.scheduler = &db_.scheduler();
  context.catalog = &db_.catalog();
  context.transaction = transaction_.get();
  context.session = this;
  context.cancelled = &cancel_requested_;
  context.max_threads = db_.scheduler().thread_count();
  context.receiver = &receiver;
  bool was_failed = failed_;
  executor::QueryExecutor query(*root, context);
  query.execute();
  auto& result = static_cast<executor::PhysicalResultCollector::State&>(query.sink_state(*root));

  std::string tag = bound.tag;
  if (bound.tag == "SELECT") {
    int64_t rows = static_cast<int64_t>(result.row_count);
    if (!result.chunks.empty() && statement.kind == planner::StatementKind::kCreateTable) {
      rows = result.chunks[0].get_value(0, 0).get_int64();
    }
    tag = "SELECT " + std::to_string(rows);
  } else if (bound.tag == "INSERT") {
    tag = "INSERT 0 " + std::to_string(result.chunks.empty() ? 0 : result.chunks[0].get_value(0, 0).get_int64());
  } else if (bound.tag == "COMMIT" && was_failed) {
    tag = "ROLLBACK";
  }
  receiver.on_complete(tag);
}

}  // namespace tessera
