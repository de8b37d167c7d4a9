#include "src/main/database.h"

#include "catalog/catalog.h"
#include "catalog/function_registry.h"
#include "executor/functions/builtin_functions.h"
#include "executor/scheduler.h"
#include "src/common/sql_error.h"
#include "src/main/session.h"
#include "storage/transaction_manager.h"

namespace tessera {

Database::Database(DatabaseConfig config)
    : config_(std::move(config)),
      catalog_(std::make_unique<catalog::Catalog>()),
      functions_(std::make_unique<catalog::FunctionRegistry>()),
      transactions_(std::make_unique<storage::TransactionManager>()),
      scheduler_(std::make_unique<executor::Scheduler>(config_.threads)) {
  executor::register_builtin_functions(*functions_);
}

Database::~Database() = default;

size_t Database::scheduler_threads() const { return scheduler_->thread_count(); }

std::unique_ptr<pgwire::BackendSession> Database::open_session(const pgwire::StartupParameters& params) {
  std::string database = params.database.empty() ? params.user : params.database;
  if (database != kDatabaseName) {
    throw SqlError(SqlState::kInvalidCatalogName, "database \"" + database + "\" does not exist");
  }
  if (params.user != kRoleName) {
    throw SqlError(SqlState::kInvalidAuthorizationSpecification, "role \"" + params.user + "\" does not exist");
  }
  return std::make_unique<Session>(*this, params.user, params.application_name);
}

}  // namespace tessera
