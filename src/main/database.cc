#include "src/main/database.h"

#include <unistd.h>

#include "catalog/catalog.h"
#include "catalog/function_registry.h"
#include "executor/functions/builtin_functions.h"
#include "executor/scheduler.h"
#include "src/common/memory_tracker.h"
#include "src/common/sql_error.h"
#include "src/main/session.h"
#include "src/main/write_ahead_log.h"
#include "storage/buffer_pool.h"
#include "storage/transaction_manager.h"

namespace tessera {

namespace {

/// 80% of the machine's physical memory (1 GiB when it cannot be read).
int64_t default_memory_limit() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return int64_t{1} << 30;
  return static_cast<int64_t>(static_cast<double>(pages) * static_cast<double>(page_size) * 0.8);
}

}  // namespace

Database::Database(DatabaseConfig config)
    : config_(std::move(config)),
      memory_(std::make_shared<MemoryTracker>(config_.memory_limit > 0 ? config_.memory_limit : default_memory_limit())),
      catalog_(std::make_unique<catalog::Catalog>()),
      functions_(std::make_unique<catalog::FunctionRegistry>()),
      transactions_(std::make_unique<storage::TransactionManager>()),
      scheduler_(std::make_unique<executor::Scheduler>(config_.threads)) {
  executor::register_builtin_functions(*functions_);
  if (config_.durable) {
    storage::BufferPool::instance().set_limit(config_.buffer_pool_bytes > 0
                                                  ? config_.buffer_pool_bytes
                                                  : static_cast<uint64_t>(memory_->limit()) / 2);
    auto log = recover(config_.data_directory, *catalog_, *transactions_, recovery_);
    wal_ = std::make_shared<WriteAheadLog>(*catalog_, *transactions_, std::move(log), config_.checkpoint_bytes,
                                           recovery_.data_file_keys);
    transactions_->add_global_hook(wal_);
  }
}

Database::~Database() {
  if (wal_) wal_->stop();
}

CheckpointReport Database::checkpoint() { return wal_ ? wal_->checkpoint() : CheckpointReport{}; }

size_t Database::scheduler_threads() const { return scheduler_->thread_count(); }

std::unique_ptr<pgwire::BackendSession> Database::open_session(const pgwire::StartupParameters& params) {
  std::string database = params.database.empty() ? params.user : params.database;
  if (database != kDatabaseName) {
    throw SqlError(SqlState::kInvalidCatalogName, "database \"" + database + "\" does not exist");
  }
  if (params.user != kRoleName) {
    throw SqlError(SqlState::kInvalidAuthorizationSpecification, "role \"" + params.user + "\" does not exist");
  }
  return std::make_unique<Session>(*this, params);
}

}  // namespace tessera
