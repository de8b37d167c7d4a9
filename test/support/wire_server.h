#pragma once

#include <libpq-fe.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

#include "pgwire/server.h"

namespace tessera::test_support {

using PgConn = std::unique_ptr<PGconn, decltype(&PQfinish)>;

/// A wire-protocol server in the test process, on a free port of 127.0.0.1, run on a thread of
/// its own until destroyed; and libpq connections to it.
class WireServer {
 public:
  /// Serves `config.backend` with `config`'s settings (host and port are replaced).
  explicit WireServer(pgwire::ServerConfig config) {
    config.host = "127.0.0.1";
    config.port = 0;
    server_ = std::make_unique<pgwire::Server>(std::move(config));
    server_->listen();
    thread_ = std::thread([this] { server_->run(); });
  }
  ~WireServer() {
    server_->stop();
    thread_.join();
  }
  WireServer(const WireServer&) = delete;
  WireServer& operator=(const WireServer&) = delete;

  uint16_t port() const { return server_->port(); }

  /// A new connection as user tessera to database tessera; a failed connection fails the test.
  PgConn connect() const {
    std::string conninfo = "host=127.0.0.1 port=" + std::to_string(port()) +
                           " dbname=tessera user=tessera connect_timeout=20 sslmode=disable";
    PgConn conn(PQconnectdb(conninfo.c_str()), &PQfinish);
    EXPECT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
    return conn;
  }

 private:
  std::unique_ptr<pgwire::Server> server_;
  std::thread thread_;
};

}  // namespace tessera::test_support
