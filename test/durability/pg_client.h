#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::durability {

/// One cell of a result in PostgreSQL's text format; nullopt is SQL NULL.
using Cell = std::optional<std::string>;
using Row = std::vector<Cell>;

/// The outcome of one statement sent over libpq.
struct StatementResult {
  bool ok = false;
  /// The connection broke (the server died) before the answer arrived: the statement may or
  /// may not have taken effect.
  bool connection_lost = false;
  std::string sqlstate;
  std::string message;
  std::vector<std::string> column_names;
  std::vector<uint32_t> column_types;  // type OIDs
  std::vector<Row> rows;
  /// The row count of INSERT / UPDATE / DELETE / COPY (PQcmdTuples), -1 for other statements.
  int64_t affected_rows = -1;
  /// The command tag ("COMMIT", "ROLLBACK", "INSERT 0 3").
  std::string command_tag;
};

/// A blocking libpq connection. Not thread-safe: one thread uses one client.
class PgClient {
 public:
  /// Connects to host:port as user tessera; `connected()` says whether it worked.
  PgClient(const std::string& host, int port);
  ~PgClient();
  PgClient(const PgClient&) = delete;
  PgClient& operator=(const PgClient&) = delete;

  bool connected() const;
  /// libpq's message for a failed connection.
  std::string connection_error() const;

  /// Runs one statement (simple query protocol).
  StatementResult execute(std::string_view sql);
  /// Runs `COPY ... FROM STDIN` and sends `data` (text format rows) in pieces.
  StatementResult copy_in(std::string_view sql, std::string_view data);

 private:
  StatementResult finish(PGresult* result);
  StatementResult lost(std::string message);

  PGconn* conn_ = nullptr;
};

}  // namespace tessera::durability
