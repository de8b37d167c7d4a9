#pragma once

#include <atomic>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "pgwire/backend.h"
#include "src/common/data_chunk.h"
#include "src/common/result_receiver.h"
#include "src/common/sql_error.h"

namespace tessera::pgwire {

/// A Backend with canned statements, for protocol and server tests. Statements are separated
/// by ';' and recognised by name:
///   ints       columns of every type, 3 rows with NULLs       -> SELECT 3
///   rows N     N bigint rows 0..N-1 in chunks of 2048         -> SELECT N
///   fail       ERROR 22012 division by zero (position 8)
///   begin / commit / rollback   transaction status T / I; an error in a block makes it E
///   sleep      waits until cancelled                          -> ERROR 57014
///   notice     a WARNING notice                               -> DO
///   fatal      FATAL 57P01
///   throw      throws std::runtime_error (a broken contract)
///   anything else                                             -> ERROR 42601
/// The database and user must be "tessera".
class FakeBackend : public Backend {
 public:
  class Session : public BackendSession {
   public:
    Session(FakeBackend& backend, StartupParameters params) : backend_(backend), params_(std::move(params)) {
      backend_.live_sessions++;
    }
    ~Session() override { backend_.live_sessions--; }

    void execute_simple(std::string_view sql, ResultReceiver& receiver) override {
      std::vector<std::string> statements;
      size_t start = 0;
      bool any = false;
      while (start <= sql.size()) {
        size_t end = sql.find(';', start);
        if (end == std::string_view::npos) end = sql.size();
        std::string statement = trim(sql.substr(start, end - start));
        if (!statement.empty()) {
          statements.push_back(statement);
          any = true;
        }
        start = end + 1;
      }
      if (!any) {
        receiver.on_empty_query();
        return;
      }
      for (const std::string& statement : statements) {
        if (!run(statement, receiver)) {
          if (status_ == TransactionStatus::kInBlock) status_ = TransactionStatus::kFailed;
          return;
        }
      }
    }

    // The fake speaks only the simple protocol.
    std::unique_ptr<PreparedStatement> prepare(std::string_view) override {
      throw SqlError(SqlState::kFeatureNotSupported, "the fake backend has no prepared statements");
    }
    std::unique_ptr<Portal> bind(const PreparedStatement&, const std::vector<std::optional<std::string>>&) override {
      throw SqlError(SqlState::kFeatureNotSupported, "the fake backend has no portals");
    }
    ExecuteResult execute(Portal&, size_t, ResultReceiver&) override {
      throw SqlError(SqlState::kFeatureNotSupported, "the fake backend has no portals");
    }

    TransactionStatus transaction_status() const override { return status_; }

    std::vector<std::pair<std::string, std::string>> reported_settings() const override {
      return {{"application_name", params_.application_name},
              {"client_encoding", "UTF8"},
              {"DateStyle", "ISO, MDY"},
              {"default_transaction_read_only", "off"},
              {"in_hot_standby", "off"},
              {"integer_datetimes", "on"},
              {"IntervalStyle", "postgres"},
              {"is_superuser", "on"},
              {"server_encoding", "UTF8"},
              {"server_version", "15.6"},
              {"session_authorization", params_.user},
              {"standard_conforming_strings", "on"},
              {"TimeZone", "UTC"}};
    }

    void cancel() override {
      backend_.cancel_calls++;
      std::lock_guard<std::mutex> lock(mutex_);
      cancelled_ = true;
      cancelled_cv_.notify_all();
    }

   private:
    static std::string trim(std::string_view s) {
      size_t b = s.find_first_not_of(" \t\n");
      if (b == std::string_view::npos) return "";
      size_t e = s.find_last_not_of(" \t\n");
      return std::string(s.substr(b, e - b + 1));
    }

    /// Returns false when the statement failed.
    bool run(const std::string& statement, ResultReceiver& receiver) {
      if (statement == "ints") {
        receiver.on_columns({{"a", LogicalType::integer()},
                             {"b", LogicalType::varchar()},
                             {"c", LogicalType::boolean()},
                             {"d", LogicalType::double_precision()},
                             {"e", LogicalType::bigint()},
                             {"f", LogicalType::smallint()},
                             {"n", LogicalType::sql_null()},
                             {"v", LogicalType(LogicalTypeId::kVarchar, 10), 16384, 2}});
        DataChunk chunk;
        chunk.initialize({LogicalType::integer(), LogicalType::varchar(), LogicalType::boolean(),
                          LogicalType::double_precision(), LogicalType::bigint(), LogicalType::smallint(),
                          LogicalType::sql_null(), LogicalType(LogicalTypeId::kVarchar, 10)});
        chunk.set_value(0, 0, Value::integer(1));
        chunk.set_value(1, 0, Value::varchar("one"));
        chunk.set_value(2, 0, Value::boolean(true));
        chunk.set_value(3, 0, Value::double_precision(1.5));
        chunk.set_value(4, 0, Value::bigint(9000000000LL));
        chunk.set_value(5, 0, Value::smallint(-7));
        chunk.set_value(0, 1, Value::integer(-2147483647 - 1));
        chunk.set_value(1, 1, Value::varchar("a longer string than twelve bytes"));
        chunk.set_value(2, 1, Value::boolean(false));
        chunk.set_value(3, 1, Value::double_precision(0.1));
        chunk.set_value(4, 1, Value::bigint(-1));
        chunk.set_value(5, 1, Value::smallint(32767));
        for (size_t c = 0; c < 6; c++) chunk.set_value(c, 2, Value::null(chunk.column(c).type()));
        for (size_t r = 0; r < 3; r++) chunk.column(6).mutable_validity().set_invalid(r);
        chunk.set_value(7, 0, Value::varchar("x"));
        chunk.set_value(7, 1, Value::varchar(""));
        chunk.set_value(7, 2, Value::null(LogicalType::varchar()));
        chunk.set_size(3);
        receiver.on_chunk(chunk);
        receiver.on_complete("SELECT 3");
        return true;
      }
      if (statement.rfind("rows ", 0) == 0) {
        int64_t n = std::stoll(statement.substr(5));
        receiver.on_columns({{"i", LogicalType::bigint()}});
        for (int64_t base = 0; base < n; base += static_cast<int64_t>(kVectorSize)) {
          DataChunk chunk;
          chunk.initialize({LogicalType::bigint()});
          int64_t count = std::min<int64_t>(static_cast<int64_t>(kVectorSize), n - base);
          for (int64_t i = 0; i < count; i++) chunk.column(0).mutable_values<int64_t>()[i] = base + i;
          chunk.set_size(static_cast<size_t>(count));
          receiver.on_chunk(chunk);
          backend_.chunks_sent++;
        }
        receiver.on_complete("SELECT " + std::to_string(n));
        return true;
      }
      if (statement == "fail") {
        receiver.on_error(SqlError(SqlState::kDivisionByZero, "division by zero").with_position(8));
        return false;
      }
      if (statement == "begin") {
        status_ = TransactionStatus::kInBlock;
        receiver.on_complete("BEGIN");
        return true;
      }
      if (statement == "commit" || statement == "rollback") {
        status_ = TransactionStatus::kIdle;
        receiver.on_complete(statement == "commit" ? "COMMIT" : "ROLLBACK");
        return true;
      }
      if (statement == "sleep") {
        backend_.sleeping++;
        std::unique_lock<std::mutex> lock(mutex_);
        bool cancelled = cancelled_cv_.wait_for(lock, std::chrono::seconds(30), [this] { return cancelled_; });
        cancelled_ = false;
        lock.unlock();
        backend_.sleeping--;
        if (cancelled) {
          receiver.on_error(SqlError(SqlState::kQueryCanceled, "canceling statement due to user request"));
          return false;
        }
        receiver.on_complete("SELECT 0");
        return true;
      }
      if (statement == "notice") {
        receiver.on_notice("01000", "careful", "");
        receiver.on_complete("DO");
        return true;
      }
      if (statement == "fatal") {
        receiver.on_error(SqlError(SqlState::kAdminShutdown, "terminating connection due to administrator command")
                              .with_severity(Severity::kFatal));
        return false;
      }
      if (statement == "throw") throw std::runtime_error("backend bug");
      receiver.on_error(SqlError(SqlState::kSyntaxError, "syntax error at or near \"" + statement + "\""));
      return false;
    }

    FakeBackend& backend_;
    StartupParameters params_;
    TransactionStatus status_ = TransactionStatus::kIdle;
    std::mutex mutex_;
    std::condition_variable cancelled_cv_;
    bool cancelled_ = false;
  };

  std::unique_ptr<BackendSession> open_session(const StartupParameters& params) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      last_params_ = params;
    }
    if (params.database != "tessera") {
      throw SqlError(SqlState::kInvalidCatalogName, "database \"" + params.database + "\" does not exist");
    }
    if (params.user != "tessera") {
      throw SqlError(SqlState::kInvalidAuthorizationSpecification, "role \"" + params.user + "\" does not exist");
    }
    return std::make_unique<Session>(*this, params);
  }

  StartupParameters params() {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_params_;
  }

  std::atomic<int> live_sessions{0};
  std::atomic<int> sleeping{0};
  std::atomic<int> cancel_calls{0};
  std::atomic<int64_t> chunks_sent{0};

 private:
  std::mutex mutex_;
  StartupParameters last_params_;
};

}  // namespace tessera::pgwire
