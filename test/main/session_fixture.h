#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pgwire/backend.h"
#include "src/common/data_chunk.h"
#include "src/common/result_receiver.h"
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

}  // namespace tessera::test_support
