#include "sqllogictest/runner/libpq_connection.h"

#include <libpq-fe.h>

#include <stdexcept>

namespace tessera {

namespace {

/// libpq prints notices on stderr by default; DROP ... IF EXISTS would flood the output.
void discard_notice(void* /*arg*/, const char* /*message*/) {}

/// The message of a failed result without libpq's "ERROR:  " prefix and trailing newline.
std::string primary_message(const PGresult* result) {
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  if (primary != nullptr) return primary;
  std::string text = PQresultErrorMessage(result);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

LibpqConnection::LibpqConnection(const WireEndpoint& endpoint) {
  const char* keywords[] = {"host", "port", "dbname", "user", "application_name", nullptr};
  const char* values[] = {endpoint.host.c_str(), endpoint.port.c_str(), endpoint.dbname.c_str(),
                          endpoint.user.c_str(), "tessera-sqllogictest", nullptr};
  conn_ = PQconnectdbParams(keywords, values, 0);
  if (conn_ == nullptr) throw std::runtime_error("out of memory creating a libpq connection");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw std::runtime_error("cannot connect to " + endpoint.host + ":" + endpoint.port + ": " + message);
  }
  PQsetNoticeProcessor(conn_, discard_notice, nullptr);
}

LibpqConnection::~LibpqConnection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

QueryResult LibpqConnection::execute(std::string_view sql) {
  if (PQstatus(conn_) != CONNECTION_OK) {
    // A previous statement lost the connection (for instance the server crashed); try once
    // to get a new one so the rest of the file is not blamed on this record.
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      return QueryResult::error("08006", std::string("connection lost: ") + PQerrorMessage(conn_));
    }
    PQsetNoticeProcessor(conn_, discard_notice, nullptr);
  }
  std::string text(sql);
  PGresult* result = PQexec(conn_, text.c_str());
  if (result == nullptr) {
    return QueryResult::error("08006", std::string("no result: ") + PQerrorMessage(conn_));
  }
  QueryResult out;
  switch (PQresultStatus(result)) {
    case PGRES_TUPLES_OK: {
      out.has_result_set = true;
      const int num_rows = PQntuples(result);
      const int num_columns = PQnfields(result);
      out.num_columns = static_cast<size_t>(num_columns);
      out.values.reserve(static_cast<size_t>(num_rows) * out.num_columns);
      for (int row = 0; row < num_rows; ++row) {
        for (int column = 0; column < num_columns; ++column) {
          if (PQgetisnull(result, row, column)) {
            out.values.emplace_back(std::nullopt);
          } else {
            out.values.emplace_back(std::string(PQgetvalue(result, row, column),
                                                static_cast<size_t>(PQgetlength(result, row, column))));
          }
        }
      }
      break;
    }
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY:
      break;
    default: {
      const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
      out = QueryResult::error(state != nullptr ? state : "", primary_message(result));
      if (out.error_message.empty()) out.error_message = PQresStatus(PQresultStatus(result));
      break;
    }
  }
  PQclear(result);
  return out;
}

}  // namespace tessera
