// The tessera server: parses the command line, opens the database and serves the
// PostgreSQL protocol until SIGINT/SIGTERM.

#include <hwy/targets.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "pgwire/server.h"
#include "src/common/memory_tracker.h"
#include "src/common/sql_error.h"
#include "src/main/database.h"
#include "storage/durable/directory_lock.h"

namespace {

void usage(std::ostream& out) {
  out << "usage: tessera [--host ADDRESS] [--port PORT] [--data DIR] [--threads N] [--memory-limit SIZE] [--buffer-pool SIZE]\n"
         "               [--simd=scalar]\n"
         "  --host     address to listen on (default 127.0.0.1)\n"
         "  --port     TCP port (default 5433)\n"
         "  --data     data directory (default ./data)\n"
         "  --threads  worker threads (default: one per core)\n"
         "  --memory-limit SIZE  memory all queries may hold together, e.g. 4GB (default: 80% of RAM);\n"
         "             a query that would exceed it fails with 53200\n"
         "  --buffer-pool SIZE  table data read from data files kept in memory, e.g. 2GB (default: half\n"
         "             the memory limit); beyond it the least recently used columns are dropped and read\n"
         "             again when needed\n"
         "  --simd=scalar  run SIMD kernels on the baseline target only\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 5433;
  tessera::DatabaseConfig config;
  bool scalar = false;
  for (int i = 1; i < argc; i++) {
    std::string arg = argv[i];
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "tessera: " << name << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    try {
      if (arg == "--host") {
        host = value("--host");
      } else if (arg == "--port") {
        port = std::stoi(value("--port"));
      } else if (arg == "--data") {
        config.data_directory = value("--data");
      } else if (arg == "--threads") {
        config.threads = static_cast<size_t>(std::stoul(value("--threads")));
      } else if (arg == "--memory-limit") {
        const std::string text = value("--memory-limit");
        config.memory_limit = tessera::parse_memory_size(text);
        if (config.memory_limit <= 0) {
          std::cerr << "tessera: bad --memory-limit " << text << " (examples: 4GB, 512MB)\n";
          return 2;
        }
      } else if (arg == "--buffer-pool") {
        const std::string text = value("--buffer-pool");
        const int64_t bytes = tessera::parse_memory_size(text);
        if (bytes <= 0) {
          std::cerr << "tessera: bad --buffer-pool " << text << " (examples: 4GB, 512MB)\n";
          return 2;
        }
        config.buffer_pool_bytes = static_cast<uint64_t>(bytes);
      } else if (arg == "--simd=scalar") {
        scalar = true;
      } else if (arg == "--help" || arg == "-h") {
        usage(std::cout);
        return 0;
      } else {
        std::cerr << "tessera: unknown option " << arg << "\n";
        usage(std::cerr);
        return 2;
      }
    } catch (const std::exception&) {
      std::cerr << "tessera: bad value for " << arg << "\n";
      return 2;
    }
  }
  if (port <= 0 || port > 65535) {
    std::cerr << "tessera: port must be between 1 and 65535\n";
    return 2;
  }
  hwy::GetChosenTarget().Update(hwy::SupportedTargets());
  if (scalar) hwy::DisableTargets(~static_cast<uint32_t>(HWY_STATIC_TARGET));

  std::error_code ec;
  std::filesystem::create_directories(config.data_directory, ec);
  if (ec) {
    std::cerr << "tessera: cannot create data directory " << config.data_directory << ": " << ec.message() << "\n";
    return 1;
  }
  try {
    const auto lock = tessera::storage::DataDirectoryLock::acquire(config.data_directory);
    config.durable = true;
    tessera::Database db(config);
    if (const auto& r = db.recovery(); r.records > 0) {
      std::cout << "tessera: recovered " << r.transactions << " committed transactions (" << r.tables << " tables, "
                << r.rows << " rows, " << r.data_files << " row groups from data files) from the write-ahead log in "
                << r.seconds << " s";
      if (r.removed_files > 0) std::cout << "; removed " << r.removed_files << " data files no checkpoint names";
      if (r.torn_bytes > 0) std::cout << "; cut off a torn tail of " << r.torn_bytes << " bytes";
      std::cout << std::endl;
    }
    tessera::pgwire::Server server(tessera::pgwire::ServerConfig{
        .host = host, .port = static_cast<uint16_t>(port), .backend = db, .handle_signals = true});
    server.listen();
    std::cout << "tessera: listening on " << host << ":" << server.port() << " (data in " << config.data_directory
              << ", " << db.scheduler_threads() << " worker threads)" << std::endl;
    server.run();
    // A clean shutdown leaves a compact log, so the next start replays little.
    try {
      const auto report = db.checkpoint();
      std::cout << "tessera: shutdown checkpoint: " << tessera::describe(report) << std::endl;
    } catch (const tessera::SqlError& e) {
      std::cerr << "tessera: shutdown checkpoint failed: " << e.message() << "\n";
    }
    std::cout << "tessera: shut down" << std::endl;
  } catch (const tessera::SqlError& e) {
    std::cerr << "tessera: " << e.message() << "\n";
    if (e.hint()) std::cerr << "HINT:  " << *e.hint() << "\n";
    return 1;
  }
  return 0;
}
