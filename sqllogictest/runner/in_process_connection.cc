#include "sqllogictest/runner/in_process_connection.h"

#include <cerrno>
#include <cstdlib>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "pgwire/backend.h"
#include "planner/parser/parser.h"
#include "src/common/data_chunk.h"
#include "src/common/result_receiver.h"
#include "src/common/sql_error.h"
#include "src/common/value.h"
#include "src/main/database.h"

namespace tessera {

namespace {

/// Collects what a session reports into a QueryResult, keeping the last result set of the
/// query string (as the simple query protocol's PQexec does).
class CollectingReceiver : public ResultReceiver {
 public:
  void on_columns(const std::vector<ResultColumn>& columns) override {
    result_.has_result_set = true;
    result_.num_columns = columns.size();
    result_.values.clear();
  }

  void on_chunk(const DataChunk& chunk) override {
    const size_t num_columns = chunk.column_count();
    for (size_t row = 0; row < chunk.size(); ++row) {
      for (size_t column = 0; column < num_columns; ++column) {
        Value value = chunk.get_value(column, row);
        if (value.is_null()) {
          result_.values.emplace_back(std::nullopt);
        } else {
          result_.values.emplace_back(value.to_string());
        }
      }
    }
  }

  void on_complete(std::string_view /*command_tag*/) override {}

  void on_empty_query() override {}

  void on_error(const SqlError& error) override {
    result_.ok = false;
    result_.sqlstate = std::string(sqlstate_code(error.state()));
    result_.error_message = error.message();
  }

  QueryResult take() { return std::move(result_); }

 private:
  QueryResult result_;
};

/// A new, empty directory under the system's temporary directory.
std::filesystem::path make_temporary_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "tessera-slt-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  return std::filesystem::path(buffer.data());
}

}  // namespace

InProcessConnection::InProcessConnection(size_t threads) : data_directory_(make_temporary_directory()) {
  DatabaseConfig config;
  config.data_directory = data_directory_.string();
  config.threads = threads;
  database_ = std::make_unique<Database>(config);
  pgwire::StartupParameters params;
  params.user = "tessera";
  params.database = Database::kDatabaseName;
  params.application_name = "tessera-sqllogictest";
  params.all = {{"user", params.user}, {"database", params.database},
                {"application_name", params.application_name}};
  session_ = database_->open_session(params);
}

InProcessConnection::~InProcessConnection() {
  session_.reset();
  database_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(data_directory_, ignored);
}

QueryResult InProcessConnection::execute(std::string_view sql) {
  CollectingReceiver receiver;
  // A record holding one statement runs through the engine API (prepare, bind, execute);
  // several statements, or text that does not parse, go the simple-query way (which reports
  // the parse error as PostgreSQL does).
  bool single_statement = false;
  try {
    single_statement = planner::parse_sql(sql).size() == 1;
  } catch (const SqlError&) {
    // execute_simple parses again and reports the error.
  }
  try {
    if (single_statement) {
      try {
        auto prepared = session_->prepare(sql);
        if (!prepared->parameter_types().empty()) {
          // $n without values: what PQexec sends is a simple query, which reports 42P02.
          prepared.reset();
          session_->execute_simple(sql, receiver);
          return receiver.take();
        }
        auto portal = session_->bind(*prepared, {});
        if (portal->properties().returns_rows) receiver.on_columns(portal->result_columns());
        session_->execute(*portal, 0, receiver);
      } catch (const SqlError& error) {
        receiver.on_error(error);
      }
    } else {
      session_->execute_simple(sql, receiver);
    }
  } catch (const SqlError& error) {
    // execute_simple reports errors through the receiver; a thrown one is still reported.
    receiver.on_error(error);
  } catch (const std::exception& error) {
    return QueryResult::error("XX000", std::string("uncaught exception: ") + error.what());
  }
  return receiver.take();
}

std::unique_ptr<Connection> open_in_process_connection(size_t threads) {
  return std::make_unique<InProcessConnection>(threads);
}

}  // namespace tessera
