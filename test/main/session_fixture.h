#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pgwire/backend.h"
#include "src/common/data_chunk.h"
#include "src/common/result_receiver.h"
#include "test/support/temp_directory.h"
#include "src/common/sql_error.h"
#include "src/main/database.h"

namespace tessera::test_support {

/// Collects what a session reports, one entry per statement.
class Collector : public ResultReceiver {
 public:
  void on_columns(const std::vector<ResultColumn>& columns) override { columns_ = columns; }
  void on_chunk(const DataChunk& chunk) override {
    for (size_t r = 0; r < chunk.size(); r++) {
      std::string row;
      for (size_t c = 0; c < chunk.column_count(); c++) {
        if (c) row += "|";
        row += chunk.get_value(c, r).to_string();
      }
      rows.push_back(row);
    }
  }
  void on_complete(std::string_view tag) override { tags.emplace_back(tag); }
  void on_empty_query() override { tags.emplace_back("EMPTY"); }
  void on_error(const SqlError& error) override {
    errors.emplace_back(sqlstate_code(error.state()));
    messages.push_back(error.message());
  }
  void on_notice(std::string_view sqlstate, std::string_view message, std::string_view detail) override {
    notices.emplace_back(message);
  }
  void on_parameter_status(std::string_view name, std::string_view value) override {
    statuses.push_back(std::string(name) + "=" + std::string(value));
  }

  std::vector<ResultColumn> columns_;
  std::vector<std::string> rows, tags, errors, messages, notices, statuses;
};

/// A database with two worker threads, and sessions on it that run SQL into Collectors.
class SessionFixture : public ::testing::Test {
 protected:
  std::unique_ptr<pgwire::BackendSession> open() {
    pgwire::StartupParameters params;
    params.user = "tessera";
    params.database = "tessera";
    return db_.open_session(params);
  }

  static Collector run(pgwire::BackendSession& session, const std::string& sql) {
    Collector c;
    session.execute_simple(sql, c);
    return c;
  }

  Database db_{DatabaseConfig{"./unused", 2}};
};

/// A database on a temporary data directory that a test opens, and opens again (a restart:
/// nothing is written at shutdown, as after `kill -9`), with sessions opened on first use that
/// run SQL into Collectors.
class ReopenableDatabaseTest : public ::testing::Test {
 protected:
  explicit ReopenableDatabaseTest(const std::string& prefix) : dir_(prefix) {}

  /// (Re)opens the database on the data directory with `config` (its data_directory is set).
  void reopen(DatabaseConfig config) {
    sessions_.clear();
    db_.reset();
    config.data_directory = dir_.path();
    db_ = std::make_unique<Database>(std::move(config));
  }
  /// Session `n` (opened on first use).
  pgwire::BackendSession& session(size_t n = 0) {
    while (sessions_.size() <= n) {
      pgwire::StartupParameters params;
      params.user = "tessera";
      params.database = "tessera";
      sessions_.push_back(db_->open_session(params));
    }
    return *sessions_[n];
  }
  Collector run(const std::string& sql, size_t n = 0) {
    Collector c;
    session(n).execute_simple(sql, c);
    return c;
  }
  void ok(const std::string& sql, size_t n = 0) {
    const auto c = run(sql, n);
    ASSERT_TRUE(c.errors.empty()) << sql << ": " << c.messages.front();
  }
  std::vector<std::string> rows(const std::string& sql, size_t n = 0) {
    auto c = run(sql, n);
    EXPECT_TRUE(c.errors.empty()) << sql << ": " << (c.messages.empty() ? "" : c.messages.front());
    return c.rows;
  }
  /// The SQLSTATE of the first error `sql` reports, or "none".
  std::string error(const std::string& sql, size_t n = 0) {
    const auto c = run(sql, n);
    return c.errors.empty() ? "none" : c.errors.front();
  }

  TempDirectory dir_;
  std::unique_ptr<Database> db_;
  std::vector<std::unique_ptr<pgwire::BackendSession>> sessions_;
};

}  // namespace tessera::test_support
