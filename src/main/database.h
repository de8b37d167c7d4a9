#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "pgwire/backend.h"
#include "src/main/recovery.h"
#include "src/main/write_ahead_log.h"

namespace tessera {

class MemoryTracker;
namespace catalog {
class Catalog;
class FunctionRegistry;
}  // namespace catalog
namespace storage { class TransactionManager; }
namespace executor { class Scheduler; }

/// Settings of one database instance.
struct DatabaseConfig {
  std::string data_directory = "./data";
  /// Worker threads of the scheduler; 0 = one per core.
  size_t threads = 0;
  /// Server-wide limit on the memory queries' hash tables, sorts, collections and vectors (and
  /// the table data they write) may hold, in bytes; 0 = 80% of the machine's memory.
  int64_t memory_limit = 0;
  /// Whether committed transactions are written to the write-ahead log in data_directory (and
  /// recovered from it at start). Off: everything lives in memory (tests that need no disk).
  bool durable = false;
  /// The write-ahead log's size that starts a background checkpoint (and twice its size after
  /// the last checkpoint).
  uint64_t checkpoint_bytes = uint64_t{256} << 20;
  /// Most bytes of table data read from data files kept in memory (storage::BufferPool); 0 =
  /// half the memory limit. Applies to the process (one pool serves every database in it).
  uint64_t buffer_pool_bytes = 0;
};

/// Owns everything one Tessera instance has: catalog, storage, transactions and the scheduler.
/// Thread-safe: many sessions use one Database concurrently.
class Database : public pgwire::Backend {
 public:
  explicit Database(DatabaseConfig config);
  ~Database() override;

  catalog::Catalog& catalog() { return *catalog_; }
  /// The built-in functions, operators and aggregates (read-only once built).
  const catalog::FunctionRegistry& functions() const { return *functions_; }
  storage::TransactionManager& transactions() { return *transactions_; }
  executor::Scheduler& scheduler() { return *scheduler_; }
  const DatabaseConfig& config() const { return config_; }
  /// The server-wide memory tracker every query's tracker reports to.
  const std::shared_ptr<MemoryTracker>& memory() const { return memory_; }
  /// CHECKPOINT: rewrites the write-ahead log as the committed state plus what committed since
  /// (see WriteAheadLog). Does nothing when the database is not durable.
  CheckpointReport checkpoint();
  /// What recovery found at start (zeros when not durable).
  const RecoveryReport& recovery() const { return recovery_; }
  /// Worker threads the scheduler runs queries on.
  size_t scheduler_threads() const;

  /// The only database served, and its superuser role.
  static constexpr const char* kDatabaseName = catalog::kDatabaseName;
  static constexpr const char* kRoleName = "tessera";

  std::unique_ptr<pgwire::BackendSession> open_session(const pgwire::StartupParameters& params) override;

 private:
  DatabaseConfig config_;
  std::shared_ptr<MemoryTracker> memory_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<catalog::FunctionRegistry> functions_;
  std::unique_ptr<storage::TransactionManager> transactions_;
  std::unique_ptr<executor::Scheduler> scheduler_;
  RecoveryReport recovery_;
  std::shared_ptr<WriteAheadLog> wal_;  ///< null when not durable
};

}  // namespace tessera
