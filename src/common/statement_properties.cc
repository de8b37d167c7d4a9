#include "src/common/statement_properties.h"

namespace tessera {

std::string command_tag(CommandKind command, uint64_t rows) {
  switch (command) {
    case CommandKind::kSelect:
    case CommandKind::kCreateTableAs: return "SELECT " + std::to_string(rows);
    case CommandKind::kInsert: return "INSERT 0 " + std::to_string(rows);
    case CommandKind::kUpdate: return "UPDATE " + std::to_string(rows);
    case CommandKind::kDelete: return "DELETE " + std::to_string(rows);
    case CommandKind::kTruncate: return "TRUNCATE TABLE";
    case CommandKind::kCreateTable: return "CREATE TABLE";
    case CommandKind::kCreateView: return "CREATE VIEW";
    case CommandKind::kCreateIndex: return "CREATE INDEX";
    case CommandKind::kDropIndex: return "DROP INDEX";
    case CommandKind::kCreateSequence: return "CREATE SEQUENCE";
    case CommandKind::kDropSequence: return "DROP SEQUENCE";
    case CommandKind::kDropTable: return "DROP TABLE";
    case CommandKind::kDropView: return "DROP VIEW";
    case CommandKind::kExplain: return "EXPLAIN";
    case CommandKind::kSet: return "SET";
    case CommandKind::kReset: return "RESET";
    case CommandKind::kShow: return "SHOW";
    case CommandKind::kBegin: return "BEGIN";
    case CommandKind::kCommit: return "COMMIT";
    case CommandKind::kRollback: return "ROLLBACK";
    case CommandKind::kCall: return "CALL";
    case CommandKind::kPrepare: return "PREPARE";
    case CommandKind::kDeallocate: return "DEALLOCATE";
    case CommandKind::kDeallocateAll: return "DEALLOCATE ALL";
    case CommandKind::kAlterTable: return "ALTER TABLE";
    case CommandKind::kAlterSequence: return "ALTER SEQUENCE";
    case CommandKind::kComment: return "COMMENT";
    case CommandKind::kCreateSchema: return "CREATE SCHEMA";
    case CommandKind::kDropSchema: return "DROP SCHEMA";
    case CommandKind::kAlterSchema: return "ALTER SCHEMA";
    case CommandKind::kCopy: return "COPY " + std::to_string(rows);
    case CommandKind::kCheckpoint: return "CHECKPOINT";
    case CommandKind::kVacuum: return "VACUUM";
    case CommandKind::kAnalyze: return "ANALYZE";
  }
  return "";
}

}  // namespace tessera
