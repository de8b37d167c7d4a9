#include "test/durability/pg_client.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace tessera::durability {

namespace {

void discard_notice(void* /*arg*/, const char* /*message*/) {}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

PgClient::PgClient(const std::string& host, int port) {
  const std::string port_text = std::to_string(port);
  const char* keywords[] = {"host", "port", "dbname", "user", "application_name", "connect_timeout", nullptr};
  const char* values[] = {host.c_str(), port_text.c_str(), "tessera", "tessera", "tessera-crash-test", "10", nullptr};
  conn_ = PQconnectdbParams(keywords, values, 0);
  if (conn_ == nullptr) throw std::runtime_error("out of memory creating a libpq connection");
  if (PQstatus(conn_) == CONNECTION_OK) PQsetNoticeProcessor(conn_, discard_notice, nullptr);
}

PgClient::~PgClient() { PQfinish(conn_); }

bool PgClient::connected() const { return PQstatus(conn_) == CONNECTION_OK; }

std::string PgClient::connection_error() const { return trimmed(PQerrorMessage(conn_)); }

StatementResult PgClient::lost(std::string message) {
  StatementResult out;
  out.connection_lost = true;
  out.sqlstate = "08006";
  out.message = std::move(message);
  return out;
}

StatementResult PgClient::execute(std::string_view sql) {
  if (!connected()) return lost("not connected: " + connection_error());
  const std::string text(sql);
  return finish(PQexec(conn_, text.c_str()));
}

StatementResult PgClient::copy_in(std::string_view sql, std::string_view data) {
  if (!connected()) return lost("not connected: " + connection_error());
  const std::string text(sql);
  PGresult* start = PQexec(conn_, text.c_str());
  if (start == nullptr || PQresultStatus(start) != PGRES_COPY_IN) return finish(start);
  PQclear(start);
  constexpr size_t kPiece = 64 * 1024;
  for (size_t offset = 0; offset < data.size(); offset += kPiece) {
    const size_t length = std::min(kPiece, data.size() - offset);
    if (PQputCopyData(conn_, data.data() + offset, static_cast<int>(length)) != 1) break;
  }
  PQputCopyEnd(conn_, nullptr);
  // The last result is the COPY's outcome; libpq returns the pieces one by one.
  StatementResult out;
  bool have = false;
  while (PGresult* result = PQgetResult(conn_)) {
    if (PQresultStatus(result) == PGRES_COPY_IN) {
      // The end of the data could not be sent: libpq would answer COPY_IN forever.
      PQclear(result);
      return lost("connection lost during COPY: " + connection_error());
    }
    out = finish(result);
    have = true;
  }
  if (!have || (!connected() && !out.ok)) return lost("connection lost during COPY: " + connection_error());
  return out;
}

StatementResult PgClient::finish(PGresult* result) {
  if (result == nullptr) return lost("no result: " + connection_error());
  StatementResult out;
  switch (PQresultStatus(result)) {
    case PGRES_TUPLES_OK: {
      out.ok = true;
      const int num_rows = PQntuples(result);
      const int num_columns = PQnfields(result);
      for (int column = 0; column < num_columns; ++column) {
        out.column_names.emplace_back(PQfname(result, column));
        out.column_types.push_back(PQftype(result, column));
      }
      out.rows.reserve(static_cast<size_t>(num_rows));
      for (int row = 0; row < num_rows; ++row) {
        Row values;
        values.reserve(static_cast<size_t>(num_columns));
        for (int column = 0; column < num_columns; ++column) {
          if (PQgetisnull(result, row, column)) {
            values.emplace_back(std::nullopt);
          } else {
            values.emplace_back(std::string(PQgetvalue(result, row, column),
                                            static_cast<size_t>(PQgetlength(result, row, column))));
          }
        }
        out.rows.push_back(std::move(values));
      }
      break;
    }
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY:
      out.ok = true;
      break;
    default: {
      const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
      const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
      out.sqlstate = state != nullptr ? state : "";
      out.message = primary != nullptr ? primary : trimmed(PQresultErrorMessage(result));
      // An error libpq made up itself (no SQLSTATE from the server) after the socket broke.
      out.connection_lost = !connected() || out.sqlstate.empty();
      break;
    }
  }
  if (out.ok) {
    const char* tuples = PQcmdTuples(result);
    if (tuples != nullptr && *tuples != '\0') out.affected_rows = std::strtoll(tuples, nullptr, 10);
    out.command_tag = PQcmdStatus(result);
  }
  PQclear(result);
  if (out.ok && !connected()) out.connection_lost = true;
  return out;
}

}  // namespace tessera::durability
