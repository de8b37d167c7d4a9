#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "executor/execution_context.h"
#include "pgwire/backend.h"
#include "src/common/result_receiver.h"

namespace tessera {

class Database;
namespace storage { class Transaction; }
namespace planner { struct Statement; }

/// Per-connection state: the current transaction and settings. Runs one statement at a time;
/// not thread-safe except cancel(). Every statement takes one road: parse, bind, optimize,
/// physical plan, execute on the scheduler.
class Session : public pgwire::BackendSession, private executor::SessionServices {
 public:
  Session(Database& db, std::string user, std::string application_name);
  ~Session() override;

  /// Parses `sql` (one or more statements separated by ';') and runs each statement through
  /// the planner and executor, reporting to `receiver`. On the first error the statement is
  /// rolled back, receiver.on_error is called and the rest of the string is skipped.
  void execute_simple(std::string_view sql, ResultReceiver& receiver) override;
  pgwire::TransactionStatus transaction_status() const override;
  void cancel() override;

 private:
  /// Runs one statement; throws SqlError.
  void execute_statement(const planner::Statement& statement, std::string_view sql, ResultReceiver& receiver);
  /// Ends the current transaction (commit or rollback); the session has none afterwards, also
  /// when the commit throws (a failing commit hook rolls the transaction back).
  void end_transaction(bool commit);
  /// Reports `error` for the failed statement: outside a block the transaction is rolled back;
  /// inside one it is rolled back too (releasing its locks, as PostgreSQL aborts it at once)
  /// and the block is marked failed, so later statements get 25P02 until it ends.
  void fail_statement(const SqlError& error, ResultReceiver& receiver);
  void ensure_transaction();

  // SessionServices
  void begin_transaction() override;
  void commit_transaction() override;
  void rollback_transaction() override;
  void set_setting(const std::string& name, const std::string* value) override;
  std::string show_setting(const std::string& name) const override;

  Database& db_;
  std::unique_ptr<storage::Transaction> transaction_;  ///< the open transaction, if any
  bool in_block_ = false;                              ///< inside BEGIN ... COMMIT
  bool failed_ = false;                                ///< the block hit an error (25P02)
  std::map<std::string, std::string> settings_;
  ResultReceiver* receiver_ = nullptr;                 ///< of the running statement
  std::atomic<bool> cancel_requested_{false};
};

}  // namespace tessera
