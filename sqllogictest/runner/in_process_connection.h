#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string_view>

#include "sqllogictest/runner/connection.h"

namespace tessera {

class Database;
namespace pgwire { class BackendSession; }

/// A Connection to a Tessera engine living in this process: owns a fresh Database (in a new
/// temporary data directory, deleted again on destruction) and one session on it. This is the
/// only file of the runner that depends on the engine. Not thread-safe.
class InProcessConnection : public Connection {
 public:
  /// Creates the database with `threads` scheduler threads (0 = one per core) and opens a
  /// session as user `tessera` on database `tessera`. Throws what the engine throws.
  explicit InProcessConnection(size_t threads);
  ~InProcessConnection() override;

  InProcessConnection(const InProcessConnection&) = delete;
  InProcessConnection& operator=(const InProcessConnection&) = delete;

  QueryResult execute(std::string_view sql) override;

 private:
  std::filesystem::path data_directory_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<pgwire::BackendSession> session_;
};

/// Opens an in-process connection on a fresh database. Declared weak so that the runner also
/// links without the engine (a wire-only build for testing against PostgreSQL): there the
/// function's address is null and main() requires --connect.
[[gnu::weak]] std::unique_ptr<Connection> open_in_process_connection(size_t threads);

}  // namespace tessera
