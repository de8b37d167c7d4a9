#pragma once

#include <cstdint>
#include <string>

namespace tessera {

/// The command a statement runs, which names its command tag.
enum class CommandKind : uint8_t {
  kSelect,
  kInsert,
  kUpdate,
  kDelete,
  kTruncate,
  kCreateTable,
  kCreateTableAs,  ///< tagged "SELECT n", as PostgreSQL does
  kCreateView,
  kCreateIndex,
  kCreateSequence,
  kDropTable,
  kDropView,
  kDropIndex,
  kDropSequence,
  kExplain,
  kSet,
  kReset,
  kShow,
  kBegin,
  kCommit,
  kRollback,
  kAlterTable,
  kAlterSequence,
  kComment,
  kCall,  ///< the arguments are evaluated as a one-row query, then the procedure runs
  kPrepare,
  kDeallocate,
  kDeallocateAll,
  kCreateSchema,
  kDropSchema,
  kAlterSchema,
  kCopy,  ///< "COPY n"
  kCheckpoint,
  kVacuum,
  kAnalyze,
};

/// Which transaction control a statement is, if any; run by the session itself.
enum class TransactionControl : uint8_t { kNone, kBegin, kCommit, kRollback };

/// What the engine knows about a statement once it is prepared (bound), before it runs.
struct StatementProperties {
  CommandKind command = CommandKind::kSelect;
  TransactionControl transaction = TransactionControl::kNone;
  /// The statement changes neither data nor the catalog (SELECT, SHOW, EXPLAIN, transaction
  /// control, SET).
  bool read_only = true;
  /// The statement sends rows to the client (RowDescription + DataRow).
  bool returns_rows = false;
};

/// PostgreSQL's command tag for a statement that completed having processed `rows` rows
/// ("SELECT 3", "INSERT 0 1", "CREATE TABLE").
std::string command_tag(CommandKind command, uint64_t rows);

}  // namespace tessera
