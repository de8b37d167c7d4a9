// tessera-crash-test: kills a tessera server with SIGKILL at random moments of a random write
// workload, restarts it on the same data directory and checks that it recovered exactly the
// acknowledged commits (docs/durability.md, "Testing").
//
// Usage: tessera-crash-test [--server PATH] [--iterations N] [--seed S] [--data DIR] [--keep]
//                           [--writers 1|2] [--self-check]
// --self-check stops the writers between transactions before each kill and first compares
// the running server with the model (a check of the harness itself, which needs no recovery).
// Exit status 0 when every iteration verified, 1 on a mismatch or failure, 2 on bad usage.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "test/durability/pg_client.h"
#include "test/durability/server_process.h"
#include "test/durability/state_check.h"
#include "test/durability/workload.h"

namespace tessera::durability {
namespace {

namespace fs = std::filesystem;

/// How long a server may take to start (and recover) before the harness gives up.
constexpr double kStartTimeoutSeconds = 120;

struct Options {
  std::string server;
  int64_t iterations = 20;
  uint64_t seed = 1;
  std::string data;
  bool keep = false;
  int writers = 2;
  bool self_check = false;
};

int usage(const char* message) {
  std::cerr << "tessera-crash-test: " << message << "\n"
            << "usage: tessera-crash-test [--server PATH] [--iterations N] [--seed S] [--data DIR] [--keep] "
               "[--writers 1|2] [--self-check]\n";
  return 2;
}

class Harness {
 public:
  explicit Harness(Options options) : options_(std::move(options)), rng_(options_.seed) {}

  int run();

 private:
  bool set_up_directories();
  /// A server process for the next start, logging to its own file.
  void new_server();
  bool start_server();
  bool probe_checkpoint();
  bool run_workload(int64_t iteration, int64_t kill_after_ms);
  bool verify(int64_t iteration);
  /// Compares the running server with every writer's model (no transaction is in flight).
  bool check_live(int64_t iteration);
  bool observe_writer(PgClient& client, const Writer& writer, int64_t iteration, ObservedState& observed);
  bool check_keys_and_indexes(PgClient& client, const Writer& writer, int64_t iteration);
  /// Fails when the current server's log shows a crash or an internal error.
  bool check_log(int64_t iteration);
  int fail(int64_t iteration, const std::string& what);
  /// The last lines of the current server's log, for a message.
  std::string last_log_lines() const;
  void clean_up(bool success);

  Options options_;
  std::mt19937_64 rng_;
  std::string work_directory_;
  std::string data_directory_;
  bool remove_data_ = false;
  int64_t server_starts_ = 0;
  std::unique_ptr<ServerProcess> server_;
  std::vector<std::unique_ptr<Writer>> writers_;
  std::vector<std::string> old_logs_;
  double total_recovery_seconds_ = 0;
  double max_recovery_seconds_ = 0;
  int64_t recoveries_interrupted_ = 0;
};

bool Harness::set_up_directories() {
  std::string pattern = (fs::temp_directory_path() / "tessera-crash-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "tessera-crash-test: cannot create a temporary directory\n";
    return false;
  }
  work_directory_ = pattern;
  if (options_.data.empty()) {
    data_directory_ = work_directory_ + "/data";
    remove_data_ = true;
  } else {
    data_directory_ = options_.data;
    std::error_code error;
    if (fs::exists(data_directory_) && !fs::is_empty(data_directory_, error)) {
      std::cerr << "tessera-crash-test: " << data_directory_ << " is not empty (the model starts from an empty database)\n";
      return false;
    }
  }
  fs::create_directories(data_directory_);
  return true;
}

void Harness::new_server() {
  ++server_starts_;
  const std::string log = work_directory_ + "/server-" + std::to_string(server_starts_) + ".log";
  server_ = std::make_unique<ServerProcess>(options_.server, data_directory_, log);
}

bool Harness::start_server() {
  new_server();
  return server_->start(kStartTimeoutSeconds);
}

bool Harness::probe_checkpoint() {
  PgClient client("127.0.0.1", server_->port());
  if (!client.connected()) return false;
  const StatementResult result = client.execute("CHECKPOINT");
  if (!result.ok && result.sqlstate != "0A000") {
    std::cerr << "tessera-crash-test: CHECKPOINT failed with " << result.sqlstate << " " << result.message
              << "; not issued\n";
  }
  std::cout << "CHECKPOINT " << (result.ok ? "is accepted: the workload issues it" : "is not supported: not issued")
            << "\n";
  return result.ok;
}

bool Harness::run_workload(int64_t iteration, int64_t kill_after_ms) {
  std::atomic<bool> killed{false};
  std::atomic<bool> stop{false};
  std::vector<std::unique_ptr<PgClient>> clients;
  for (size_t i = 0; i < writers_.size(); ++i) {
    clients.push_back(std::make_unique<PgClient>("127.0.0.1", server_->port()));
    if (!clients.back()->connected()) {
      fail(iteration, "cannot connect: " + clients.back()->connection_error());
      return false;
    }
  }
  std::vector<std::thread> threads;
  for (size_t i = 0; i < writers_.size(); ++i) {
    threads.emplace_back([&, i] { writers_[i]->run(*clients[i], killed, stop); });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
  if (options_.self_check) {
    stop.store(true);
    for (std::thread& thread : threads) thread.join();
    threads.clear();
    if (!check_live(iteration)) return false;
  }
  killed.store(true);
  server_->kill_now();
  for (std::thread& thread : threads) thread.join();
  for (const auto& writer : writers_) {
    if (!writer->failure().empty()) {
      fail(iteration, "writer " + writer->prefix() + " (before the kill): " + writer->failure());
      return false;
    }
  }
  if (!check_log(iteration)) return false;
  return true;
}

bool Harness::observe_writer(PgClient& client, const Writer& writer, int64_t iteration, ObservedState& observed) {
  std::string error;
  if (observe(client, writer.table_names(), writer.schema_names(), observed, error)) return true;
  fail(iteration, "reading the state of writer " + writer.prefix() + "'s tables: " + error);
  return false;
}

bool Harness::check_keys_and_indexes(PgClient& client, const Writer& writer, int64_t iteration) {
  const std::string checks = check_constraints_and_indexes(client, writer.committed());
  if (checks.empty()) return true;
  fail(iteration, "writer " + writer.prefix() + "'s tables:\n" + checks);
  return false;
}

bool Harness::check_log(int64_t iteration) {
  const std::string crashes = crash_lines(server_->log_path());
  if (crashes.empty()) return true;
  fail(iteration, "the server log " + server_->log_path() + " shows a crash:\n" + crashes);
  return false;
}

bool Harness::check_live(int64_t iteration) {
  PgClient client("127.0.0.1", server_->port());
  for (const auto& writer : writers_) {
    if (!writer->failure().empty()) {
      fail(iteration, "writer " + writer->prefix() + ": " + writer->failure());
      return false;
    }
    ObservedState observed;
    if (!observe_writer(client, *writer, iteration, observed)) return false;
    const std::string differences = compare(writer->committed(), observed);
    if (!differences.empty()) {
      fail(iteration, "the running server (no crash yet) differs from writer " + writer->prefix() +
                          "'s model:\n" + differences);
      return false;
    }
    if (!check_keys_and_indexes(client, *writer, iteration)) return false;
  }
  return true;
}

bool Harness::verify(int64_t iteration) {
  PgClient client("127.0.0.1", server_->port());
  if (!client.connected()) {
    fail(iteration, "cannot connect after the restart: " + client.connection_error());
    return false;
  }
  std::string in_doubt_notes;
  for (const auto& writer : writers_) {
    ObservedState observed;
    if (!observe_writer(client, *writer, iteration, observed)) return false;
    const std::string without = compare(writer->committed(), observed);
    if (without.empty()) {
      if (writer->in_doubt()) in_doubt_notes += " " + writer->prefix() + ":not-applied";
      writer->resolve_in_doubt(false);
    } else {
      const std::string with = writer->in_doubt() ? compare(*writer->in_doubt(), observed) : without;
      if (!with.empty()) {
        std::string message = "the recovered state of writer " + writer->prefix() +
                              "'s tables differs from the acknowledged commits:\n" + without;
        if (writer->in_doubt()) {
          message += "  and from them with the transaction whose COMMIT was in flight:\n" + with;
        }
        fail(iteration, message);
        return false;
      }
      in_doubt_notes += " " + writer->prefix() + ":applied";
      writer->resolve_in_doubt(true);
    }
    if (!check_keys_and_indexes(client, *writer, iteration)) return false;
  }
  if (!check_log(iteration)) return false;
  size_t tables = 0;
  size_t rows = 0;
  for (const auto& writer : writers_) {
    tables += writer->committed().tables().size();
    for (const auto& [name, table] : writer->committed().tables()) rows += table->rows.size();
  }
  std::printf("iteration %lld: recovered in %.3f s; %zu tables, %zu rows; in doubt:%s\n",
              static_cast<long long>(iteration), server_->startup_seconds(), tables, rows,
              in_doubt_notes.empty() ? " none" : in_doubt_notes.c_str());
  std::fflush(stdout);
  return true;
}

std::string Harness::last_log_lines() const {
  std::ifstream in(server_->log_path());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
  std::string out = "the end of its log:\n";
  for (size_t i = lines.size() > 10 ? lines.size() - 10 : 0; i < lines.size(); ++i) out += "  " + lines[i] + "\n";
  return out;
}

int Harness::fail(int64_t iteration, const std::string& what) {
  std::cerr << "\ntessera-crash-test: FAILED at iteration " << iteration << " (seed " << options_.seed << ")\n"
            << what << "\n"
            << "data directory (kept): " << data_directory_ << "\n";
  if (server_) std::cerr << "server log: " << server_->log_path() << "\n";
  std::cerr << "logs of every server start: " << work_directory_ << "/server-*.log\n";
  return 1;
}

void Harness::clean_up(bool success) {
  if (server_) server_->kill_now();
  if (!success || options_.keep) {
    if (options_.keep) std::cout << "kept " << data_directory_ << " and the logs in " << work_directory_ << "\n";
    return;
  }
  std::error_code error;
  if (!remove_data_) {
    std::cout << "the data directory " << data_directory_ << " is left in place\n";
  }
  fs::remove_all(work_directory_, error);
}

int Harness::run() {
  if (!set_up_directories()) return 1;
  std::cout << "tessera-crash-test: seed " << options_.seed << ", " << options_.iterations << " iterations, "
            << options_.writers << " writers, data in " << data_directory_ << "\n";
  if (!start_server()) {
    const int status = fail(0, "the server did not start: " + server_->error() + "\n" + last_log_lines());
    clean_up(false);
    return status;
  }
  const bool checkpoint = probe_checkpoint();
  for (int i = 0; i < options_.writers; ++i) {
    writers_.push_back(std::make_unique<Writer>(std::string(1, static_cast<char>('a' + i)),
                                                options_.seed * 1000003 + static_cast<uint64_t>(i), i == 0));
    writers_.back()->set_checkpoint_supported(checkpoint);
  }
  for (int64_t iteration = 1; iteration <= options_.iterations; ++iteration) {
    const int64_t kill_after_ms = std::uniform_int_distribution<int64_t>(50, 800)(rng_);
    if (!run_workload(iteration, kill_after_ms)) {
      clean_up(false);
      return 1;
    }
    std::uniform_real_distribution<double> unit(0, 1);
    if (unit(rng_) < 0.15) {
      // A crash during recovery: the next start must recover from whatever this one left.
      const int64_t kill_recovery_after_ms = std::uniform_int_distribution<int64_t>(0, 40)(rng_);
      new_server();
      server_->spawn();
      std::this_thread::sleep_for(std::chrono::milliseconds(kill_recovery_after_ms));
      server_->kill_now();
      ++recoveries_interrupted_;
      if (!check_log(iteration)) {
        clean_up(false);
        return 1;
      }
    }
    if (!start_server()) {
      const int status =
          fail(iteration, "the server did not restart after SIGKILL: " + server_->error() + "\n" + last_log_lines());
      clean_up(false);
      return status;
    }
    total_recovery_seconds_ += server_->startup_seconds();
    max_recovery_seconds_ = std::max(max_recovery_seconds_, server_->startup_seconds());
    if (!verify(iteration)) {
      clean_up(false);
      return 1;
    }
  }
  WriterStats total;
  for (const auto& writer : writers_) {
    const WriterStats& s = writer->stats();
    total.transactions_committed += s.transactions_committed;
    total.transactions_rolled_back += s.transactions_rolled_back;
    total.autocommit_statements += s.autocommit_statements;
    total.statements += s.statements;
    total.copy_rows += s.copy_rows;
    total.in_doubt_applied += s.in_doubt_applied;
    total.in_doubt_lost += s.in_doubt_lost;
  }
  std::printf(
      "tessera-crash-test: %lld iterations verified (seed %llu): %lld statements, %lld transactions committed, "
      "%lld rolled back, %lld autocommit statements, %lld rows copied; commits in flight at the kill: %lld found "
      "applied, %lld not; %lld recoveries killed early; recovery %.3f s on average, %.3f s at most\n",
      static_cast<long long>(options_.iterations), static_cast<unsigned long long>(options_.seed),
      static_cast<long long>(total.statements), static_cast<long long>(total.transactions_committed),
      static_cast<long long>(total.transactions_rolled_back), static_cast<long long>(total.autocommit_statements),
      static_cast<long long>(total.copy_rows), static_cast<long long>(total.in_doubt_applied),
      static_cast<long long>(total.in_doubt_lost), static_cast<long long>(recoveries_interrupted_),
      options_.iterations > 0 ? total_recovery_seconds_ / static_cast<double>(options_.iterations) : 0.0,
      max_recovery_seconds_);
  clean_up(true);
  return 0;
}

}  // namespace
}  // namespace tessera::durability

int main(int argc, char** argv) {
  using tessera::durability::usage;
  tessera::durability::Options options;
  options.server = (std::filesystem::path(argv[0]).parent_path() / "tessera").string();
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    try {
      if (arg == "--server" && has_value) {
        options.server = argv[++i];
      } else if (arg == "--iterations" && has_value) {
        options.iterations = std::stoll(argv[++i]);
      } else if (arg == "--seed" && has_value) {
        options.seed = std::stoull(argv[++i]);
      } else if (arg == "--data" && has_value) {
        options.data = argv[++i];
      } else if (arg == "--writers" && has_value) {
        options.writers = std::stoi(argv[++i]);
      } else if (arg == "--self-check") {
        options.self_check = true;
      } else if (arg == "--keep") {
        options.keep = true;
      } else {
        return usage(("unknown or incomplete option " + arg).c_str());
      }
    } catch (const std::exception&) {
      return usage(("bad value for " + arg).c_str());
    }
  }
  if (options.iterations < 1) return usage("--iterations must be at least 1");
  if (options.writers < 1 || options.writers > 2) return usage("--writers must be 1 or 2");
  if (access(options.server.c_str(), X_OK) != 0) return usage(("no server binary at " + options.server).c_str());
  tessera::durability::Harness harness(std::move(options));
  return harness.run();
}
