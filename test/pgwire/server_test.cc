#include "pgwire/server.h"

#include <arpa/inet.h>
#include <signal.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "test/pgwire/backend_stream.h"
#include "test/pgwire/fake_backend.h"
#include "test/pgwire/frontend_bytes.h"

namespace tessera::pgwire {
namespace {

using B = FrontendBytes;

/// Waits up to 20 s for `condition`; returns whether it became true.
bool eventually(const std::function<bool()>& condition) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return condition();
}

/// A PGconn that finishes itself.
using Conn = std::unique_ptr<PGconn, decltype(&PQfinish)>;
/// A PGresult that clears itself.
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

Result exec(PGconn* conn, const char* sql) { return Result(PQexec(conn, sql), &PQclear); }

/// A plain blocking TCP client for sending bytes no driver would.
class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    timeval timeout{20, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~RawClient() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  void send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      ASSERT_GT(n, 0);
      sent += static_cast<size_t>(n);
    }
  }
  /// Reads until the server closes the connection (or the timeout).
  std::string read_to_end() {
    std::string out;
    char buf[4096];
    for (;;) {
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  int fd_ = -1;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(
        ServerConfig{.host = "127.0.0.1", .port = 0, .backend = backend_, .max_pending_output = 64 * 1024});
    server_->listen();
    ASSERT_NE(server_->port(), 0);
    thread_ = std::thread([this] { server_->run(); });
  }

  void TearDown() override { stop(); }

  void stop() {
    if (!thread_.joinable()) return;
    server_->stop();
    thread_.join();
  }

  Conn connect(const std::string& options = "sslmode=prefer", const std::string& dbname = "tessera") {
    std::string conninfo = "host=127.0.0.1 port=" + std::to_string(server_->port()) + " dbname=" + dbname +
                           " user=tessera connect_timeout=20 " + options;
    Conn conn(PQconnectdb(conninfo.c_str()), &PQfinish);
    PQsetNoticeReceiver(conn.get(), &ServerTest::collect_notice, &notices_);
    return conn;
  }

  static void collect_notice(void* arg, const PGresult* res) {
    auto* notices = static_cast<std::vector<std::string>*>(arg);
    notices->push_back(std::string(PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED)) + " " +
                       PQresultErrorField(res, PG_DIAG_SQLSTATE) + " " + PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
  }

  std::vector<std::string> notices_;  ///< only for tests on one connection at a time

  FakeBackend backend_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(ServerTest, LibpqConnectsWithSslPreferAndQueries) {
  Conn conn = connect("sslmode=prefer application_name=server_test");
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQsslInUse(conn.get()), 0);
  EXPECT_STREQ(PQparameterStatus(conn.get(), "server_version"), "15.6");
  EXPECT_EQ(PQserverVersion(conn.get()), 150006);
  EXPECT_STREQ(PQparameterStatus(conn.get(), "application_name"), "server_test");
  EXPECT_STREQ(PQparameterStatus(conn.get(), "integer_datetimes"), "on");
  EXPECT_GT(PQbackendPID(conn.get()), 0);
  EXPECT_EQ(backend_.params().application_name, "server_test");

  Result res = exec(conn.get(), "ints");
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK) << PQresultErrorMessage(res.get());
  ASSERT_EQ(PQntuples(res.get()), 3);
  ASSERT_EQ(PQnfields(res.get()), 8);
  EXPECT_STREQ(PQfname(res.get(), 0), "a");
  const Oid types[] = {23, 25, 16, 701, 20, 21, 25, 1043};
  for (int i = 0; i < 8; i++) EXPECT_EQ(PQftype(res.get(), i), types[i]) << i;
  EXPECT_EQ(PQfmod(res.get(), 7), 14);
  EXPECT_EQ(PQfsize(res.get(), 0), 4);
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 0), "1");
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 1), "one");
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 2), "t");
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 3), "1.5");
  EXPECT_STREQ(PQgetvalue(res.get(), 1, 0), "-2147483648");
  EXPECT_STREQ(PQgetvalue(res.get(), 1, 3), "0.1");
  EXPECT_TRUE(PQgetisnull(res.get(), 0, 6));
  EXPECT_TRUE(PQgetisnull(res.get(), 2, 0));
  EXPECT_FALSE(PQgetisnull(res.get(), 1, 7));
  EXPECT_STREQ(PQcmdTuples(res.get()), "3");

  res = exec(conn.get(), "fail");
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_FATAL_ERROR);
  EXPECT_STREQ(PQresultErrorField(res.get(), PG_DIAG_SQLSTATE), "22012");
  EXPECT_STREQ(PQresultErrorField(res.get(), PG_DIAG_SEVERITY_NONLOCALIZED), "ERROR");
  EXPECT_STREQ(PQresultErrorField(res.get(), PG_DIAG_MESSAGE_PRIMARY), "division by zero");
  EXPECT_STREQ(PQresultErrorField(res.get(), PG_DIAG_STATEMENT_POSITION), "8");

  res = exec(conn.get(), "begin");
  EXPECT_EQ(PQresultStatus(res.get()), PGRES_COMMAND_OK);
  EXPECT_EQ(PQtransactionStatus(conn.get()), PQTRANS_INTRANS);
  res = exec(conn.get(), "fail");
  EXPECT_EQ(PQtransactionStatus(conn.get()), PQTRANS_INERROR);
  res = exec(conn.get(), "rollback");
  EXPECT_EQ(PQtransactionStatus(conn.get()), PQTRANS_IDLE);

  res = exec(conn.get(), "");
  EXPECT_EQ(PQresultStatus(res.get()), PGRES_EMPTY_QUERY);
}

TEST_F(ServerTest, LibpqConnectsWithSslDisable) {
  Conn conn = connect("sslmode=disable");
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  Result res = exec(conn.get(), "rows 5");
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK);
  EXPECT_EQ(PQntuples(res.get()), 5);
  EXPECT_STREQ(PQgetvalue(res.get(), 4, 0), "4");
}

TEST_F(ServerTest, MultiStatementQueryGivesEveryResult) {
  Conn conn = connect();
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  ASSERT_TRUE(PQsendQuery(conn.get(), "rows 2; notice; fail; rows 3"));
  std::vector<ExecStatusType> statuses;
  while (PGresult* r = PQgetResult(conn.get())) {
    statuses.push_back(PQresultStatus(r));
    PQclear(r);
  }
  EXPECT_EQ(statuses, (std::vector<ExecStatusType>{PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_FATAL_ERROR}));
  EXPECT_EQ(notices_, std::vector<std::string>{"WARNING 01000 careful"});
  Result res = exec(conn.get(), "rows 1");
  EXPECT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK);
}

TEST_F(ServerTest, UnknownDatabaseIsRefused) {
  Conn conn = connect("sslmode=disable", "nope");
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(conn.get())).find("database \"nope\" does not exist"), std::string::npos)
      << PQerrorMessage(conn.get());
  // The server keeps serving.
  Conn ok = connect();
  EXPECT_EQ(PQstatus(ok.get()), CONNECTION_OK);
}

TEST_F(ServerTest, LongStatementDoesNotDelayOtherConnectionsAndCanBeCancelled) {
  Conn slow = connect();
  Conn fast = connect("sslmode=disable");
  ASSERT_EQ(PQstatus(slow.get()), CONNECTION_OK);
  ASSERT_EQ(PQstatus(fast.get()), CONNECTION_OK);
  ASSERT_TRUE(PQsendQuery(slow.get(), "sleep"));
  ASSERT_TRUE(eventually([&] { return backend_.sleeping == 1; }));

  // The sleeping statement would last 30 s; this one answers meanwhile.
  Result res = exec(fast.get(), "ints");
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK);
  EXPECT_EQ(backend_.sleeping, 1);

  // A cancel request with the wrong key is ignored; with the right one the statement ends.
  RawClient forged(server_->port());
  forged.send(B::cancel_request(PQbackendPID(slow.get()), 12345));
  EXPECT_EQ(forged.read_to_end(), "");
  PGcancel* cancel = PQgetCancel(slow.get());
  char errbuf[256];
  ASSERT_TRUE(PQcancel(cancel, errbuf, sizeof(errbuf))) << errbuf;
  PQfreeCancel(cancel);
  Result cancelled(PQgetResult(slow.get()), &PQclear);
  ASSERT_EQ(PQresultStatus(cancelled.get()), PGRES_FATAL_ERROR);
  EXPECT_STREQ(PQresultErrorField(cancelled.get(), PG_DIAG_SQLSTATE), "57014");
  EXPECT_EQ(PQgetResult(slow.get()), nullptr);

  res = exec(slow.get(), "rows 1");
  EXPECT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK);
}

TEST_F(ServerTest, ManyConcurrentConnections) {
  constexpr int kClients = 16;
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < kClients; i++) {
    clients.emplace_back([&, i] {
      Conn conn = connect(i % 2 ? "sslmode=disable" : "sslmode=prefer");
      if (PQstatus(conn.get()) != CONNECTION_OK) return;
      for (int q = 0; q < 5; q++) {
        std::string sql = "rows " + std::to_string(1000 * (i + 1));
        Result res = exec(conn.get(), sql.c_str());
        if (PQresultStatus(res.get()) != PGRES_TUPLES_OK || PQntuples(res.get()) != 1000 * (i + 1)) return;
      }
      ok++;
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok, kClients);
  EXPECT_TRUE(eventually([&] { return backend_.live_sessions == 0; }));
}

TEST_F(ServerTest, LargeResultThroughBoundedBuffer) {
  Conn conn = connect();
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  Result res = exec(conn.get(), "rows 300000");
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK);
  ASSERT_EQ(PQntuples(res.get()), 300000);
  EXPECT_STREQ(PQgetvalue(res.get(), 299999, 0), "299999");
}

TEST_F(ServerTest, SlowReaderHoldsBackTheStatement) {
  constexpr int64_t kRows = 4000000;
  RawClient client(server_->port());
  client.send(B::startup_tessera() + B::query("rows " + std::to_string(kRows)));
  // Without reading, the statement stops producing once the socket and the pending-output
  // bound are full.
  int64_t last = -1;
  ASSERT_TRUE(eventually([&] {
    int64_t now = backend_.chunks_sent;
    bool still = now > 0 && now == last;
    last = now;
    if (!still) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return still;
  }));
  int64_t total_chunks = (kRows + static_cast<int64_t>(kVectorSize) - 1) / static_cast<int64_t>(kVectorSize);
  EXPECT_LT(backend_.chunks_sent, total_chunks);
  // Going away mid-statement ends the statement and the session; the server carries on.
  client.close();
  EXPECT_TRUE(eventually([&] { return backend_.live_sessions == 0; }));
  Conn conn = connect();
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_OK);
}

TEST_F(ServerTest, DisconnectMidStatementCancelsIt) {
  Conn conn = connect();
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  ASSERT_TRUE(PQsendQuery(conn.get(), "sleep"));
  ASSERT_TRUE(eventually([&] { return backend_.sleeping == 1; }));
  conn.reset();
  EXPECT_TRUE(eventually([&] { return backend_.sleeping == 0 && backend_.live_sessions == 0; }));
  EXPECT_TRUE(eventually([&] { return server_->connection_count() == 0; }));
}

TEST_F(ServerTest, MalformedInputClosesOnlyThatConnection) {
  Conn other = connect();
  ASSERT_EQ(PQstatus(other.get()), CONNECTION_OK);

  RawClient client(server_->port());
  client.send(B::startup_tessera() + B::frame('?', "garbage"));
  std::string reply = client.read_to_end();
  auto messages = BackendStream::split(reply);
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages.back().type, 'E');
  auto fields = BackendStream::error_fields(messages.back());
  EXPECT_EQ(fields['S'], "FATAL");
  EXPECT_EQ(fields['C'], "08P01");

  RawClient bad_length(server_->port());
  bad_length.send(B::hex("7fffffff 00030000"));
  messages = BackendStream::split(bad_length.read_to_end());
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(BackendStream::error_fields(messages[0])['C'], "08P01");

  Result res = exec(other.get(), "rows 1");
  EXPECT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK);
}

TEST_F(ServerTest, ExtendedProtocolGetsFeatureNotSupported) {
  Conn conn = connect();
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  Result res(PQexecParams(conn.get(), "select $1", 1, nullptr, nullptr, nullptr, nullptr, 0), &PQclear);
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_FATAL_ERROR);
  EXPECT_STREQ(PQresultErrorField(res.get(), PG_DIAG_SQLSTATE), "0A000");
  res = exec(conn.get(), "rows 1");
  EXPECT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK);
}

TEST_F(ServerTest, StopEndsRunningStatements) {
  Conn conn = connect();
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  ASSERT_TRUE(PQsendQuery(conn.get(), "sleep"));
  ASSERT_TRUE(eventually([&] { return backend_.sleeping == 1; }));
  stop();
  EXPECT_EQ(backend_.sleeping, 0);
}

TEST(ServerListenTest, PortInUseIsAnIoError) {
  FakeBackend backend;
  Server first(ServerConfig{.host = "127.0.0.1", .port = 0, .backend = backend});
  first.listen();
  Server second(ServerConfig{.host = "127.0.0.1", .port = first.port(), .backend = backend});
  try {
    second.listen();
    FAIL() << "listen succeeded on a port in use";
  } catch (const SqlError& error) {
    EXPECT_EQ(error.state(), SqlState::kIoError);
  }
}

TEST(ServerListenTest, SigtermStopsAServerThatHandlesSignals) {
  FakeBackend backend;
  Server server(ServerConfig{.host = "127.0.0.1", .port = 0, .backend = backend, .handle_signals = true});
  server.listen();
  std::thread runner([&] { server.run(); });
  // Once a query has been answered, run() is serving and its signal handlers are installed.
  std::string conninfo = "host=127.0.0.1 port=" + std::to_string(server.port()) + " dbname=tessera user=tessera";
  Conn conn(PQconnectdb(conninfo.c_str()), &PQfinish);
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  Result res = exec(conn.get(), "rows 1");
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK);
  ::kill(::getpid(), SIGTERM);
  runner.join();
  EXPECT_TRUE(eventually([&] { return backend.live_sessions == 0; }));
}

TEST(ServerListenTest, StopBeforeRunReturnsAtOnce) {
  FakeBackend backend;
  Server server(ServerConfig{.host = "localhost", .port = 0, .backend = backend});
  server.stop();
  server.run();
  SUCCEED();
}

}  // namespace
}  // namespace tessera::pgwire
