#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "storage/durable/log_file.h"
#include "storage/transaction.h"

namespace tessera::catalog { class Catalog; }

namespace tessera {

/// The records of the write-ahead log (storage/durable/log_file.h frames them). Every record
/// starts with the id of the transaction that wrote it (u64). A transaction's rows and deletes
/// come first, its commit record last; replay applies a transaction's records only when its
/// commit record is in the log, so a transaction cut off by a crash leaves nothing.
enum class WalRecordType : uint8_t {
  /// varint storage id, varint row id of the first row, then the rows (a chunk, see
  /// storage/durable/vector_serializer.h), at most one vector of one row group.
  kRows = 1,
  /// varint storage id, varint count, the deleted row ids (varints).
  kDeletes = 2,
  /// u64 commit timestamp (informational), varint next OID, varint count of catalog changes,
  /// each a WalCatalogChange byte and its object (catalog/catalog_serializer.h) or OID, then
  /// varint count of sequence counters: varint OID, i64 last value, u8 is_called.
  kCommit = 3,
};

enum class WalCatalogChange : uint8_t {
  kPutSchema = 1,     ///< the full state of a schema version
  kDropSchema = 2,    ///< varint OID
  kPutRelation = 3,   ///< the full state of a relation version (table, view, index, sequence)
  kDropRelation = 4,  ///< varint OID
};

/// The name of the log file in the data directory.
inline constexpr char kWalFileName[] = "wal.log";

/// Writes every committing transaction's changes to the log and makes them durable before the
/// commit becomes visible (a TransactionHook every transaction runs, under the commit lock,
/// so the log's order is the commit order). A transaction that changed nothing writes nothing,
/// unless a sequence moved since the last commit record (nextval is not transactional; its
/// counter is logged with the next commit).
///
/// Errors: a failed write or sync fails the commit (58030, 53100 for a full disk): the
/// transaction rolls back, and every later commit fails the same way until the server
/// restarts, since what reached the disk is unknown.
class WriteAheadLog : public storage::TransactionHook {
 public:
  WriteAheadLog(catalog::Catalog& catalog, std::unique_ptr<storage::LogWriter> log);
  ~WriteAheadLog() override;

  void before_commit(storage::Transaction& txn, uint64_t commit_ts) override;

 private:
  catalog::Catalog& catalog_;
  std::mutex mutex_;  // guards log_ (commits are serialized already; kept for checkpoints)
  std::unique_ptr<storage::LogWriter> log_;
};

}  // namespace tessera
