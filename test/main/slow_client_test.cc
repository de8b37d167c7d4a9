// A client that stops reading a large result, served over real sockets by the real engine:
// it must stall only its own query.

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "pgwire/server.h"
#include "src/common/result_receiver.h"
#include "src/main/database.h"
#include "test/support/wire_server.h"

namespace tessera {
namespace {

using Conn = test_support::PgConn;

/// Hang detector only: the other query takes milliseconds; nothing here measures time.
constexpr auto kDeadline = std::chrono::seconds(60);

class NullReceiver : public ResultReceiver {
 public:
  void on_columns(const std::vector<ResultColumn>&) override {}
  void on_chunk(const DataChunk&) override {}
  void on_complete(std::string_view) override {}
  void on_empty_query() override {}
  void on_error(const SqlError& error) override { errors++; }
  int errors = 0;
};

class SlowClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One scheduler worker: if the stalled query's producer held it, nothing else could run.
    db_ = std::make_unique<Database>(DatabaseConfig{"./unused", 1});
    pgwire::StartupParameters params;
    params.user = params.database = "tessera";
    auto session = db_->open_session(params);
    NullReceiver receiver;
    session->execute_simple("CREATE TABLE t(a int); INSERT INTO t VALUES (0)", receiver);
    for (int i = 0; i < 12; i++) {
      session->execute_simple("INSERT INTO t SELECT a + " + std::to_string(1 << i) + " FROM t", receiver);
    }
    ASSERT_EQ(receiver.errors, 0);
    server_ = std::make_unique<test_support::WireServer>(pgwire::ServerConfig{.backend = *db_, .max_pending_output = 64 * 1024});
  }
  void TearDown() override { server_.reset(); }
  Conn connect() { return server_->connect(); }

  std::unique_ptr<Database> db_;
  std::unique_ptr<test_support::WireServer> server_;
};

TEST_F(SlowClientTest, ClientThatStopsReadingDoesNotBlockAnotherConnectionsQuery) {
  Conn slow = connect();
  Conn other = connect();
  // 16 million rows, far more than the socket buffers and the connection's pending output
  // hold: the server soon waits for this client, which never reads.
  ASSERT_EQ(PQsendQuery(slow.get(), "SELECT x.a, y.a FROM t x, t y"), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let it fill every buffer

  auto answer = std::async(std::launch::async, [&] {
    std::string out;
    for (int i = 0; i < 3; i++) {
      PGresult* result = PQexec(other.get(), "SELECT count(*), sum(a) FROM t WHERE a % 2 = 0");
      if (PQresultStatus(result) == PGRES_TUPLES_OK) {
        out = std::string(PQgetvalue(result, 0, 0)) + "|" + PQgetvalue(result, 0, 1);
      } else {
        out = PQresultErrorMessage(result);
      }
      PQclear(result);
    }
    return out;
  });
  ASSERT_EQ(answer.wait_for(kDeadline), std::future_status::ready)
      << "a query waited behind a client that does not read";
  EXPECT_EQ(answer.get(), "2048|4192256");
  // The slow client goes away; the server ends its statement and stops cleanly.
  slow.reset();
}

}  // namespace
}  // namespace tessera
