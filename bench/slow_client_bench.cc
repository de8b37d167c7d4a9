// The slow-client benchmark: one session's query timed alone, then beside two connections
// whose clients sent a query with a large result and stopped reading it. A slow client should
// stall only its own query: the ratio (beside / alone) should stay near 1.
//
//   tessera-bench --slow-clients [--rows N] [--threads N] [--runs N]

#include "slow_client_bench.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "pgwire/backend.h"
#include "pgwire/server.h"
#include "src/common/result_receiver.h"
#include "src/common/sql_error.h"
#include "src/main/database.h"

namespace tessera {
namespace {

/// Fails on any error; keeps nothing.
class CheckingReceiver : public ResultReceiver {
 public:
  void on_columns(const std::vector<ResultColumn>&) override {}
  void on_chunk(const DataChunk& chunk) override { rows += chunk.size(); }
  void on_complete(std::string_view) override {}
  void on_empty_query() override {}
  void on_error(const SqlError& error) override { throw std::runtime_error(error.message()); }
  uint64_t rows = 0;
};

/// A client that connects, sends one query and never reads a byte of the answer.
class NonReadingClient {
 public:
  NonReadingClient(uint16_t port, const std::string& sql) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    // A small receive buffer, so the server soon has to wait for this client.
    int size = 16 * 1024;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) throw std::runtime_error("connect failed");
    // StartupMessage (protocol 3.0) then a simple Query, back to back.
    std::string startup;
    put_int32(startup, 0);
    put_int32(startup, 196608);
    for (const char* s : {"user", "tessera", "database", "tessera", ""}) startup.append(s, std::string_view(s).size() + 1);
    set_length(startup, 0);
    std::string query = "Q";
    put_int32(query, 0);
    query.append(sql.c_str(), sql.size() + 1);
    set_length(query, 1);
    send_all(startup + query);
  }
  ~NonReadingClient() { ::close(fd_); }

 private:
  static void put_int32(std::string& out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
  static void set_length(std::string& message, size_t start) {
    const auto length = static_cast<uint32_t>(message.size() - start);
    for (int i = 0; i < 4; i++) message[start + i] = static_cast<char>((length >> (24 - 8 * i)) & 0xff);
  }
  void send_all(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      sent += static_cast<size_t>(n);
    }
  }
  int fd_ = -1;
};

struct Options {
  uint64_t rows = 4000000;
  size_t threads = 0;  ///< 0 = one per core
  int runs = 7;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/// Times `runs` runs of `sql` on `session` (after one warm-up run); returns the times in ms.
std::vector<double> time_query(pgwire::BackendSession& session, const std::string& sql, int runs) {
  std::vector<double> times;
  for (int i = 0; i <= runs; i++) {
    CheckingReceiver receiver;
    const auto start = std::chrono::steady_clock::now();
    session.execute_simple(sql, receiver);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (i > 0) times.push_back(ms);
  }
  return times;
}

}  // namespace

int run_slow_client_bench(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  Options options;
  for (int i = 1; i < argc; i++) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> uint64_t {
      if (i + 1 >= argc) throw std::invalid_argument(std::string(arg) + " expects a value");
      return std::strtoull(argv[++i], nullptr, 10);
    };
    if (arg == "--slow-clients") continue;
    if (arg == "--rows") {
      options.rows = std::max<uint64_t>(value(), 1024);
    } else if (arg == "--threads") {
      options.threads = value();
    } else if (arg == "--runs") {
      options.runs = static_cast<int>(std::max<uint64_t>(value(), 1));
    } else {
      throw std::invalid_argument("unknown option " + std::string(arg) + " for --slow-clients");
    }
  }

  Database db(DatabaseConfig{.data_directory = "./unused", .threads = options.threads});
  pgwire::StartupParameters params;
  params.user = params.database = Database::kDatabaseName;
  auto session = db.open_session(params);
  CheckingReceiver load;
  // t is read by the measured query, and in full by each slow client (far more rows than the
  // socket buffers and the connection's pending output hold).
  session->execute_simple("CREATE TABLE t(a int, b int); INSERT INTO t VALUES (0, 0)", load);
  for (uint64_t n = 1; n < options.rows; n *= 2) {
    session->execute_simple("INSERT INTO t SELECT a + " + std::to_string(n) + ", (a % 1009) * 7 % 1000 FROM t", load);
  }
  const std::string query = "SELECT count(*), sum(b) FROM t WHERE a % 7 = 3";

  pgwire::Server server(pgwire::ServerConfig{.host = "127.0.0.1", .port = 0, .backend = db, .max_pending_output = 64 * 1024});
  server.listen();
  std::thread server_thread([&] { server.run(); });

  std::printf("slow-client benchmark: %llu rows, %zu scheduler threads, median of %d runs\n",
              static_cast<unsigned long long>(options.rows), db.scheduler_threads(), options.runs);
  std::printf("query: %s\n", query.c_str());
  // Alone before and after, so drift in the machine's load does not pass for an effect.
  const double alone_before = median(time_query(*session, query, options.runs));
  std::printf("  alone:                                  %9.1f ms\n", alone_before);
  double beside = 0;
  {
    NonReadingClient first(server.port(), "SELECT a, b, a + b FROM t");
    NonReadingClient second(server.port(), "SELECT a, b, a + b FROM t");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let their buffers fill
    beside = median(time_query(*session, query, options.runs));
    std::printf("  beside two clients that do not read:    %9.1f ms\n", beside);
  }
  const double alone_after = median(time_query(*session, query, options.runs));
  std::printf("  alone again:                            %9.1f ms\n", alone_after);
  const double alone = (alone_before + alone_after) / 2;
  std::printf("  ratio (beside / alone):                 %9.2f\n", alone > 0 ? beside / alone : 0);
  std::printf("bench,slow_client_ratio,%zu,%.3f\n", db.scheduler_threads(), alone > 0 ? beside / alone : 0);
  server.stop();
  server_thread.join();
  return 0;
}

}  // namespace tessera
