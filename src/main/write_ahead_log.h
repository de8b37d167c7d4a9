#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "storage/durable/log_file.h"
#include "storage/transaction.h"

namespace tessera::catalog { class Catalog; }
namespace tessera::storage { class TransactionManager; }

namespace tessera {

/// The records of the write-ahead log (storage/durable/log_file.h frames them). Every record
/// starts with the id of the transaction that wrote it (u64). A transaction's rows and deletes
/// come first, its commit record last; replay applies a transaction's records only when its
/// commit record is in the log, so a transaction cut off by a crash leaves nothing.
enum class WalRecordType : uint8_t {
  /// varint storage id, varint row id of the first row, u8 block codec, varint size of the
  /// rows uncompressed, then the rows (a chunk, see storage/durable/vector_serializer.h)
  /// compressed with the codec (LZ4 on the commit path, ZSTD in checkpoints, none for small
  /// records); at most one vector of one row group.
  kRows = 1,
  /// varint storage id, varint count, the deleted row ids (varints).
  kDeletes = 2,
  /// u64 commit timestamp (informational), varint next OID, varint count of catalog changes,
  /// each a WalCatalogChange byte and its object (catalog/catalog_serializer.h) or OID, then
  /// varint count of sequence counters: varint OID, i64 last value, u8 is_called.
  kCommit = 3,
  /// Written by checkpoints only: varint storage id, varint row group index, varint count of
  /// the group's rows no snapshot sees any more (deleted, or inserts rolled back), then their
  /// offsets in the group as ascending varint gaps. The group's rows are in the data file
  /// `kDataDirectoryName/row_group_file_name(storage id, index)`.
  kRowGroupFile = 4,
  /// Written by checkpoints only: varint storage id, the table's distinct-value sketches
  /// (DataTable::write_sketches), so recovery need not read data files to count their values.
  kTableSketches = 5,
};

enum class WalCatalogChange : uint8_t {
  kPutSchema = 1,     ///< the full state of a schema version
  kDropSchema = 2,    ///< varint OID
  kPutRelation = 3,   ///< the full state of a relation version (table, view, index, sequence)
  kDropRelation = 4,  ///< varint OID
};

/// The name of the log file in the data directory.
inline constexpr char kWalFileName[] = "wal.log";
/// A checkpoint writes the new log here, then renames it over the log; recovery removes a
/// leftover (a checkpoint cut off by a crash).
inline constexpr char kCheckpointFileName[] = "wal.log.checkpoint";
/// The directory of the data files (storage/durable/row_group_file.h) in the data directory.
inline constexpr char kDataDirectoryName[] = "tables";
/// The transaction id of a checkpoint's snapshot in the log (real ids are far larger).
inline constexpr uint64_t kCheckpointTransactionId = 1;

/// What a checkpoint did.
struct CheckpointReport {
  uint64_t log_bytes_before = 0;
  uint64_t log_bytes_after = 0;
  size_t tables = 0;
  uint64_t rows = 0;  ///< live rows written
  size_t data_files = 0;          ///< row groups the checkpoint names in data files
  size_t data_files_written = 0;  ///< of which new (the others were written before)
  uint64_t data_file_bytes = 0;   ///< bytes of the new data files
  size_t data_files_removed = 0;  ///< data files no longer named, removed
  double seconds = 0;
};

/// One line describing what a checkpoint did (the server log).
std::string describe(const CheckpointReport& report);

/// Writes every committing transaction's changes to the log and makes them durable before the
/// commit becomes visible (a TransactionHook every transaction runs, under the commit lock,
/// so the log's order is the commit order). A transaction that changed nothing writes nothing,
/// unless a sequence moved since the last commit record (nextval is not transactional; its
/// counter is logged with the next commit).
///
/// Checkpoints keep the log from growing without bound: a checkpoint writes a new log made of
/// the committed state at one moment (a snapshot taken between two commits: every schema and
/// relation; each full row group whose inserts all committed or rolled back before the
/// snapshot as a data file, written once and named again by later checkpoints with the rows
/// deleted by then; every other live row at its row id) followed by the records committed since, then
/// renames it over the old log (write, fsync, rename, fsync the directory), so the old log
/// stays whole until the new one is durable. Commits go on while the snapshot is written; they
/// wait only while the records after it are copied. A checkpoint runs on `checkpoint()`
/// (CHECKPOINT, clean shutdown) and in the background once the log has grown past
/// `checkpoint_bytes` and twice its size after the last checkpoint.
///
/// Errors: a failed write or sync fails the commit (58030, 53100 for a full disk): the
/// transaction rolls back, and every later commit fails the same way until the server
/// restarts, since what reached the disk is unknown. A failed checkpoint leaves the old log
/// in use and reports its error.
class WriteAheadLog : public storage::TransactionHook {
 public:
  /// `data_files`: the data files the log names (RecoveryReport::data_file_keys).
  WriteAheadLog(catalog::Catalog& catalog, storage::TransactionManager& transactions,
                std::unique_ptr<storage::LogWriter> log, uint64_t checkpoint_bytes,
                std::set<std::pair<uint64_t, uint64_t>> data_files = {});
  ~WriteAheadLog() override;

  void before_commit(storage::Transaction& txn, uint64_t commit_ts) override;
  void after_commit(storage::Transaction& txn, uint64_t commit_ts) noexcept override;

  /// Writes a checkpoint now (waits for one in progress first).
  CheckpointReport checkpoint();
  /// Stops the background checkpoints (before the catalog and transactions go).
  void stop();
  /// The log's size in bytes.
  uint64_t log_bytes() const { return log_bytes_.load(std::memory_order_relaxed); }

 private:
  /// Writes the snapshot `txn` sees to `out`: catalog objects, data files (written to
  /// `data_directory` when new; their keys go to `named`) and live rows.
  void write_snapshot(storage::LogWriter& out, const storage::Transaction& txn, const std::string& data_directory,
                      std::set<std::pair<uint64_t, uint64_t>>& named, CheckpointReport& report);
  void background_loop();
  /// Throws the error that left the log unusable, if any; mutex_ held.
  void check_usable() const;

  catalog::Catalog& catalog_;
  storage::TransactionManager& transactions_;
  const uint64_t checkpoint_bytes_;
  std::mutex checkpoint_mutex_;  // one checkpoint at a time
  std::mutex mutex_;             // guards log_, failed_ and next_checkpoint_at_
  std::unique_ptr<storage::LogWriter> log_;
  /// Set when a checkpoint failed after replacing the log file but before it could reopen it.
  std::optional<SqlError> failed_;
  std::atomic<uint64_t> next_checkpoint_at_{0};
  std::atomic<uint64_t> log_bytes_{0};
  /// The data files the current log names (checkpoint_mutex_).
  std::set<std::pair<uint64_t, uint64_t>> data_files_;

  std::mutex background_mutex_;  // guards requested_ and stopping_
  std::condition_variable background_wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread background_;
};

}  // namespace tessera
