#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "sqllogictest/runner/connection.h"

struct pg_conn;

namespace tessera {

/// Where and as whom to connect over the PostgreSQL wire protocol.
struct WireEndpoint {
  std::string host = "127.0.0.1";
  std::string port = "5432";
  std::string dbname = "tessera";
  std::string user = "tessera";
};

/// A Connection to a server over the wire (a Tessera server or PostgreSQL itself) through
/// libpq, using the simple query protocol (PQexec). Notices are discarded. Not thread-safe.
class LibpqConnection : public Connection {
 public:
  /// Connects; throws std::runtime_error with libpq's message when the connection fails.
  explicit LibpqConnection(const WireEndpoint& endpoint);
  ~LibpqConnection() override;

  LibpqConnection(const LibpqConnection&) = delete;
  LibpqConnection& operator=(const LibpqConnection&) = delete;

  QueryResult execute(std::string_view sql) override;

 private:
  pg_conn* conn_ = nullptr;
};

}  // namespace tessera
