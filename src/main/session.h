#pragma once

#include <atomic>
#include <memory>
#include <string_view>

#include "pgwire/backend.h"
#include "src/common/result_receiver.h"

namespace tessera {

class Database;
namespace storage { class Transaction; }

/// Per-connection state: the current transaction and settings. Runs one statement at a time;
/// not thread-safe except cancel().
class Session : public pgwire::BackendSession {
 public:
  explicit Session(Database& db);
  ~Session() override;

  /// Parses `sql` (one or more statements separated by ';') and runs each statement through
  /// the planner and executor, reporting to `receiver`. On the first error the statement is
  /// rolled back, receiver.on_error is called and the rest of the string is skipped.
  void execute_simple(std::string_view sql, ResultReceiver& receiver) override;
  pgwire::TransactionStatus transaction_status() const override;
  void cancel() override;

 private:
  Database& db_;
  std::unique_ptr<storage::Transaction> transaction_;  ///< open explicit transaction block, if any
  bool failed_ = false;                                ///< the block hit an error (25P02)
  std::atomic<bool> cancel_requested_{false};
};

}  // namespace tessera
