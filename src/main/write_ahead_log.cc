#include "src/main/write_ahead_log.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <type_traits>
#include <variant>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/catalog_serializer.h"
#include "src/common/sql_error.h"
#include "src/common/data_chunk.h"
#include "storage/durable/binary_io.h"
#include "storage/durable/block_codec.h"
#include "storage/durable/row_group_file.h"
#include "storage/durable/vector_serializer.h"
#include "storage/data_table.h"
#include "storage/row_group.h"
#include "storage/delete_versions.h"
#include "storage/insert_versions.h"
#include "storage/storage_constants.h"
#include "storage/transaction_manager.h"

namespace tessera {

namespace {

/// Buffered log bytes of one transaction are written out (not yet synced) beyond this.
constexpr size_t kWriteOutBytes = size_t{8} << 20;

/// Rows records smaller than this are stored uncompressed.
constexpr size_t kCompressBytes = 512;

/// Buffers one rows record: `chunk`'s rows at row ids [first_row_id, ...) of table `storage_id`,
/// compressed with `codec`.
void put_rows_record(storage::LogWriter& log, uint64_t txn_id, uint64_t storage_id, uint64_t first_row_id,
                     const DataChunk& chunk, storage::BlockCodec codec) {
  storage::BinaryWriter rows;
  storage::write_chunk(rows, chunk);
  if (rows.size() < kCompressBytes) codec = storage::BlockCodec::kNone;
  const std::string block = storage::compress_block(codec, rows.data());
  storage::BinaryWriter out;
  out.put_u64(txn_id);
  out.put_varint(storage_id);
  out.put_varint(first_row_id);
  out.put_u8(static_cast<uint8_t>(codec));
  out.put_varint(rows.size());
  out.put_bytes(block.data(), block.size());
  log.append(static_cast<uint8_t>(WalRecordType::kRows), out.data());
  if (log.buffered_bytes() > kWriteOutBytes) log.write_out();
}

void put_rows(storage::LogWriter& log, uint64_t txn_id, const storage::AppendedRows& appended) {
  const storage::RowGroup& group = *appended.row_group;
  std::vector<LogicalType> types;
  types.reserve(group.column_count());
  for (size_t c = 0; c < group.column_count(); c++) types.push_back(group.column(c).type());
  DataChunk chunk;
  chunk.initialize(types);
  // One record per vector window: read_rows reads within one.
  for (size_t start = appended.start; start < appended.start + appended.count;) {
    const size_t window_end = (start / kVectorSize + 1) * kVectorSize;
    const size_t count = std::min(appended.start + appended.count, window_end) - start;
    group.read_rows(start, count, chunk);
    put_rows_record(log, txn_id, group.storage_id(), group.start_row() + start, chunk, storage::BlockCodec::kLz4);
    start += count;
  }
}

/// Buffers a deletes record: rows `rows` (offsets) of `group`, deleted by transaction `txn_id`.
void put_deletes_record(storage::LogWriter& log, uint64_t txn_id, const storage::RowGroup& group,
                        const std::vector<uint32_t>& rows) {
  storage::BinaryWriter out;
  out.put_u64(txn_id);
  out.put_varint(group.storage_id());
  out.put_varint(rows.size());
  for (const uint32_t row : rows) out.put_varint(group.start_row() + row);
  log.append(static_cast<uint8_t>(WalRecordType::kDeletes), out.data());
  if (log.buffered_bytes() > kWriteOutBytes) log.write_out();
}

void put_deletes(storage::LogWriter& log, uint64_t txn_id, const storage::DeletedRows& deleted) {
  put_deletes_record(log, txn_id, *deleted.row_group, deleted.rows);
}

/// The catalog changes of one commit record, as they are appended.
struct CatalogChanges {
  storage::BinaryWriter out;
  size_t count = 0;
  Oid max_oid = 0;  ///< the largest OID a change names (the record's next OID is above it)

  /// Appends the change that makes `object` exist (put) or not (drop).
  void add(const storage::VersionedObject& object, bool exists) {
    if (const auto* schema = dynamic_cast<const catalog::SchemaEntry*>(&object)) {
      if (exists) {
        out.put_u8(static_cast<uint8_t>(WalCatalogChange::kPutSchema));
        catalog::write_schema(out, *schema);
      } else {
        out.put_u8(static_cast<uint8_t>(WalCatalogChange::kDropSchema));
        out.put_varint(schema->oid());
      }
      max_oid = std::max(max_oid, schema->oid());
    } else if (const auto* entry = dynamic_cast<const catalog::CatalogEntry*>(&object)) {
      if (exists) {
        out.put_u8(static_cast<uint8_t>(WalCatalogChange::kPutRelation));
        catalog::write_entry(out, *entry);
      } else {
        out.put_u8(static_cast<uint8_t>(WalCatalogChange::kDropRelation));
        out.put_varint(entry->oid());
      }
      max_oid = std::max(max_oid, entry->oid());
    } else {
      return;  // not a catalog object: nothing durable
    }
    count++;
  }
};

/// Buffers a commit record of transaction `txn_id`.
void put_commit_record(storage::LogWriter& log, uint64_t txn_id, uint64_t commit_ts, Oid next_oid,
                       const CatalogChanges& changes, const std::vector<catalog::Catalog::SequenceState>& sequences) {
  storage::BinaryWriter commit;
  commit.put_u64(txn_id);
  commit.put_u64(commit_ts);
  commit.put_varint(next_oid);
  commit.put_varint(changes.count);
  commit.put_bytes(changes.out.data().data(), changes.out.size());
  commit.put_varint(sequences.size());
  for (const auto& sequence : sequences) {
    commit.put_varint(sequence.oid);
    commit.put_i64(sequence.last_value);
    commit.put_u8(sequence.is_called ? 1 : 0);
  }
  log.append(static_cast<uint8_t>(WalRecordType::kCommit), commit.data());
}

/// What a checkpoint's snapshot makes of a row: seen (live), never to be seen (dead: rolled
/// back, or deleted at or before the snapshot), or not settled yet (inserted after the
/// snapshot or in flight: the log after the cut has it).
enum class RowState : uint8_t { kLive, kDead, kUnsettled };

/// The state of each of the `n` published rows of vector window `v` of `group` for a snapshot
/// at `start_ts`, into `state`.
void classify_window(const storage::RowGroup& group, size_t v, size_t n, uint64_t start_ts, RowState* state) {
  const storage::InsertVersions& inserts = group.versions();
  const storage::DeleteVersions& deletes = group.deletes();
  const bool all_inserted = n == kVectorSize && inserts.all_visible(v, start_ts);
  const bool deleted_some = deletes.has_deletes(v);
  for (size_t i = 0; i < n; i++) {
    const size_t row = v * kVectorSize + i;
    state[i] = RowState::kLive;
    if (!all_inserted) {
      const uint64_t version = inserts.version(row);
      if (version == storage::kRolledBackVersion) {
        state[i] = RowState::kDead;
        continue;
      }
      if (version > start_ts) {
        state[i] = RowState::kUnsettled;
        continue;
      }
    }
    if (deleted_some && deletes.version(row) <= start_ts) state[i] = RowState::kDead;
  }
}

/// Whether every row of the full row group `group` is settled for a snapshot at `start_ts`
/// (classify_window: no later commit can add rows to the group). Then `dead` holds the
/// offsets of its dead rows; rows deleted later stay live (the log after the snapshot deletes
/// them).
bool settled_rows(const storage::RowGroup& group, uint64_t start_ts, std::vector<uint32_t>& dead) {
  dead.clear();
  if (group.count() != storage::kRowGroupSize) return false;
  RowState state[kVectorSize];
  for (size_t v = 0; v < storage::kVectorsPerRowGroup; v++) {
    if (group.versions().all_visible(v, start_ts) && !group.deletes().has_deletes(v)) continue;  // all live
    classify_window(group, v, kVectorSize, start_ts, state);
    for (size_t i = 0; i < kVectorSize; i++) {
      if (state[i] == RowState::kUnsettled) return false;
      if (state[i] == RowState::kDead) dead.push_back(static_cast<uint32_t>(v * kVectorSize + i));
    }
  }
  return true;
}

/// Buffers a data file record naming row group `index` of table `storage_id` and its `dead` rows.
void put_row_group_file_record(storage::LogWriter& log, uint64_t storage_id, uint64_t index,
                               const std::vector<uint32_t>& dead) {
  storage::BinaryWriter out;
  out.put_u64(kCheckpointTransactionId);
  out.put_varint(storage_id);
  out.put_varint(index);
  out.put_varint(dead.size());
  uint32_t previous = 0;
  for (const uint32_t row : dead) {
    out.put_varint(row - previous);
    previous = row;
  }
  log.append(static_cast<uint8_t>(WalRecordType::kRowGroupFile), out.data());
  if (log.buffered_bytes() > kWriteOutBytes) log.write_out();
}

/// Rows of a gap of at least this many dead rows are not written (the run ends before it).
constexpr size_t kDeadGapRows = 64;

/// Buffers the rows of `group` (not in a data file) a snapshot at `start_ts` settles: rows
/// records for runs of consecutive rows whose insert committed at or before it or rolled back
/// — rows inserted later or in flight end a run; the log after the snapshot has them — and a
/// deletes record for the rows of those runs the snapshot does not see (rolled back or
/// deleted at or before it). A long gap of such rows is skipped instead. Returns the number of
/// live rows written.
uint64_t put_checkpoint_rows(storage::LogWriter& out, const storage::RowGroup& group, uint64_t start_ts) {
  const size_t rows = group.count();
  std::vector<LogicalType> types;
  for (size_t c = 0; c < group.column_count(); c++) types.push_back(group.column(c).type());
  DataChunk chunk;
  chunk.initialize(types);
  std::vector<uint32_t> dead;
  uint64_t live = 0;
  RowState state[kVectorSize];
  for (size_t window = 0; window < rows; window += kVectorSize) {
    const size_t n = std::min(kVectorSize, rows - window);
    classify_window(group, window / kVectorSize, n, start_ts, state);
    for (size_t begin = 0; begin < n;) {
      if (state[begin] != RowState::kLive) {
        begin++;
        continue;
      }
      // A run from a live row to the last live row before an unsettled row, a long dead gap
      // or the window's end.
      size_t end = begin + 1, last_live = begin;
      while (end < n && state[end] != RowState::kUnsettled) {
        if (state[end] == RowState::kLive) {
          last_live = end;
        } else if (end - last_live >= kDeadGapRows) {
          break;
        }
        end++;
      }
      end = last_live + 1;
      group.read_rows(window + begin, end - begin, chunk);
      put_rows_record(out, kCheckpointTransactionId, group.storage_id(), group.start_row() + window + begin, chunk,
                      storage::BlockCodec::kZstd);
      for (size_t i = begin; i < end; i++) {
        if (state[i] == RowState::kDead) {
          dead.push_back(static_cast<uint32_t>(window + i));
        } else {
          live++;
        }
      }
      begin = end;
    }
  }
  if (!dead.empty()) put_deletes_record(out, kCheckpointTransactionId, group, dead);
  return live;
}

/// The first checkpoint runs once the log passes the limit; later ones once it has also
/// doubled since the last.
uint64_t next_checkpoint_size(uint64_t limit, uint64_t size_after_checkpoint) {
  return std::max(limit, 2 * size_after_checkpoint);
}

}  // namespace

std::string describe(const CheckpointReport& report) {
  return "log " + std::to_string(report.log_bytes_before) + " -> " + std::to_string(report.log_bytes_after) +
         " bytes (" + std::to_string(report.tables) + " tables, " + std::to_string(report.rows) + " rows, " +
         std::to_string(report.data_files) + " row groups in data files, " + std::to_string(report.data_files_written) +
         " new: " + std::to_string(report.data_file_bytes) + " bytes, " + std::to_string(report.data_files_removed) +
         " removed) in " + std::to_string(report.seconds) + " s";
}

WriteAheadLog::WriteAheadLog(catalog::Catalog& catalog, storage::TransactionManager& transactions,
                             std::unique_ptr<storage::LogWriter> log, uint64_t checkpoint_bytes,
                             std::set<std::pair<uint64_t, uint64_t>> data_files)
    : catalog_(catalog),
      transactions_(transactions),
      checkpoint_bytes_(checkpoint_bytes),
      log_(std::move(log)),
      next_checkpoint_at_(next_checkpoint_size(checkpoint_bytes, 0)),
      log_bytes_(log_->end_lsn()),
      data_files_(std::move(data_files)) {
  background_ = std::thread([this] { background_loop(); });
  flusher_ = std::thread([this] { flush_loop(); });
}

WriteAheadLog::~WriteAheadLog() { stop(); }

void WriteAheadLog::stop() {
  {
    std::lock_guard<std::mutex> lock(background_mutex_);
    stopping_ = true;
  }
  background_wake_.notify_all();
  if (background_.joinable()) background_.join();
  {
    std::lock_guard<std::mutex> lock(sync_mutex_);
    flush_stopping_ = true;
  }
  flush_wake_.notify_all();
  if (flusher_.joinable()) flusher_.join();
}

void WriteAheadLog::flush_loop() {
  std::unique_lock<std::mutex> lock(sync_mutex_);
  while (true) {
    flush_wake_.wait(lock, [this] { return async_unsynced_ || flush_stopping_; });
    if (!flush_stopping_) {
      flush_wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return flush_stopping_; });
    }
    const bool stopping = flush_stopping_;
    if (async_unsynced_) {
      async_unsynced_ = false;
      lock.unlock();
      const uint64_t written = commits_written();
      lock.lock();
      try {
        wait_durable(written, lock);
      } catch (const SqlError& e) {
        std::cerr << "tessera: write-ahead log flush failed: " << e.what() << std::endl;
      }
    }
    if (stopping) return;
  }
}

uint64_t WriteAheadLog::commits_written() {
  std::lock_guard<std::mutex> lock(mutex_);
  return commits_written_;
}

void WriteAheadLog::wait_durable(uint64_t commits, std::unique_lock<std::mutex>& lock) {
  while (commits_durable_ < commits) {
    if (sync_error_) throw *sync_error_;
    if (syncing_) {
      synced_.wait(lock);
      continue;
    }
    // Lead: sync everything written so far, for every commit waiting.
    syncing_ = true;
    lock.unlock();
    std::shared_ptr<storage::LogWriter> log;
    uint64_t target = 0;
    {
      std::lock_guard<std::mutex> log_lock(mutex_);
      log = log_;
      target = commits_written_;
    }
    std::optional<SqlError> error;
    try {
      // A checkpoint may replace the log meanwhile; it synced the old one first, so what
      // `target` counts is durable either way.
      log->sync();
    } catch (const SqlError& e) {
      error = e;
    }
    lock.lock();
    syncing_ = false;
    if (error) {
      sync_error_ = error;
    } else {
      commits_durable_ = std::max(commits_durable_, target);
    }
    synced_.notify_all();
  }
}

void WriteAheadLog::background_loop() {
  std::unique_lock<std::mutex> lock(background_mutex_);
  while (true) {
    background_wake_.wait(lock, [this] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    // Commits keep asking while a checkpoint runs; the one that just ended may have made the
    // log small enough.
    if (log_bytes_.load(std::memory_order_relaxed) < next_checkpoint_at_.load(std::memory_order_relaxed)) continue;
    lock.unlock();
    try {
      const CheckpointReport report = checkpoint();
      std::cout << "tessera: checkpoint: " << describe(report) << std::endl;
    } catch (const std::exception& e) {
      std::cerr << "tessera: checkpoint failed: " << e.what() << std::endl;
    }
    lock.lock();
  }
}

void WriteAheadLog::check_usable() const {
  if (failed_) throw *failed_;
}

void WriteAheadLog::after_commit(storage::Transaction&, uint64_t) noexcept {
  if (log_bytes_.load(std::memory_order_relaxed) < next_checkpoint_at_) return;  // under the publication lock
  std::lock_guard<std::mutex> lock(background_mutex_);
  requested_ = true;
  background_wake_.notify_all();
}

void WriteAheadLog::after_rollback(storage::Transaction& txn) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  pending_.erase(txn.id());
}

bool WriteAheadLog::has_commit_work(const storage::Transaction& txn) const {
  return !txn.is_read_only() || catalog_.has_changed_sequences();
}

void WriteAheadLog::before_commit(storage::Transaction& txn, uint64_t commit_ts) {
  std::lock_guard<std::mutex> lock(mutex_);
  check_usable();
  const auto sequences = catalog_.take_changed_sequences();
  if (txn.is_read_only() && sequences.empty()) return;
  CatalogChanges changes;
  for (const auto& undo : txn.undo_log()) {
    std::visit(
        [&](const auto& entry) {
          using T = std::decay_t<decltype(entry)>;
          if constexpr (std::is_same_v<T, storage::AppendedRows>) {
            put_rows(*log_, txn.id(), entry);
          } else if constexpr (std::is_same_v<T, storage::DeletedRows>) {
            put_deletes(*log_, txn.id(), entry);
          } else if constexpr (std::is_same_v<T, storage::CreatedObject>) {
            changes.add(*entry.object, true);
          } else if constexpr (std::is_same_v<T, storage::DroppedObject>) {
            changes.add(*entry.object, false);
          } else {
            static_assert(std::is_same_v<T, storage::ReplacedObject>);
            const auto* old_entry = dynamic_cast<const catalog::CatalogEntry*>(entry.old_version.get());
            const auto* new_entry = dynamic_cast<const catalog::CatalogEntry*>(entry.new_version.get());
            if (old_entry && new_entry && old_entry->oid() != new_entry->oid()) {
              changes.add(*entry.old_version, false);
            }
            changes.add(*entry.new_version, true);
          }
        },
        undo);
  }
  // The next OID is above every OID the record names (not Catalog::next_oid: the catalog's
  // lock must not be taken under the transaction's, which DDL takes in the other order).
  put_commit_record(*log_, txn.id(), commit_ts, changes.max_oid + 1, changes, sequences);
  // Written, not synced: await_commit syncs (for this commit and the ones written meanwhile).
  log_->write_out();
  log_bytes_.store(log_->end_lsn(), std::memory_order_relaxed);
  pending_[txn.id()] = ++commits_written_;
}

void WriteAheadLog::await_commit(storage::Transaction& txn, uint64_t) {
  uint64_t commits = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = pending_.find(txn.id());
    if (it == pending_.end()) return;  // wrote nothing
    commits = it->second;
    pending_.erase(it);
  }
  std::unique_lock<std::mutex> lock(sync_mutex_);
  if (txn.synchronous_commit()) {
    wait_durable(commits, lock);
  } else if (commits_durable_ < commits && !async_unsynced_) {
    async_unsynced_ = true;
    flush_wake_.notify_all();
  }
}

void WriteAheadLog::write_snapshot(storage::LogWriter& out, const storage::Transaction& txn,
                                   const std::string& data_directory, std::set<std::pair<uint64_t, uint64_t>>& named,
                                   CheckpointReport& report) {
  CatalogChanges changes;
  bool has_public = false;
  for (const auto& schema : catalog_.schemas(txn)) {
    if (schema->name() == catalog::kCatalogSchema || schema->name() == catalog::kInformationSchema) continue;
    has_public |= schema->oid() == catalog::kPublicSchemaOid;
    changes.add(*schema, true);
  }
  if (!has_public) {  // recovery starts from a catalog that has it
    changes.out.put_u8(static_cast<uint8_t>(WalCatalogChange::kDropSchema));
    changes.out.put_varint(catalog::kPublicSchemaOid);
    changes.count++;
  }
  std::vector<uint32_t> dead;
  bool directory_made = false;
  for (const auto& entry : catalog_.entries(txn)) {
    changes.add(*entry, true);
    const auto* table = dynamic_cast<const catalog::TableEntry*>(entry.get());
    if (table == nullptr) continue;
    const storage::DataTable& storage = table->storage();
    // Settled full row groups go to data files (once: a data file never changes).
    std::vector<bool> in_file;
    const auto groups = storage.row_groups();
    for (size_t g = 0; g < groups.size(); g++) {
      in_file.push_back(settled_rows(*groups[g], txn.start_ts(), dead));
      if (!in_file.back()) continue;
      const auto key = std::make_pair(storage.storage_id(), uint64_t{g});
      if (!data_files_.count(key) && !named.count(key)) {
        if (!directory_made) {
          std::filesystem::create_directories(data_directory);
          directory_made = true;
        }
        const std::string file =
            (std::filesystem::path(data_directory) / storage::row_group_file_name(key.first, key.second)).string();
        const auto written = storage::write_row_group_file(file, *groups[g], storage::BlockCodec::kLz4);
        report.data_files_written++;
        report.data_file_bytes += written.file_bytes;
        // The group's columns may now leave memory (the buffer pool reads them back). A
        // group restored from its file has one already; an in-memory group gets this one.
        if (!groups[g]->column(0).file_backed()) {
          storage::attach_row_group_file(file, *groups[g], "table \"" + table->name() + "\"");
        }
      }
      named.insert(key);
      put_row_group_file_record(out, storage.storage_id(), g, dead);
      report.data_files++;
      report.rows += storage::kRowGroupSize - dead.size();
    }
    {
      storage::BinaryWriter sketches;
      sketches.put_u64(kCheckpointTransactionId);
      sketches.put_varint(storage.storage_id());
      storage.write_sketches(sketches);
      out.append(static_cast<uint8_t>(WalRecordType::kTableSketches), sketches.data());
    }
    // The other row groups: their settled rows (see checkpoint_rows).
    for (size_t g = 0; g < groups.size(); g++) {
      if (!in_file[g]) report.rows += put_checkpoint_rows(out, *groups[g], txn.start_ts());
    }
    report.tables++;
  }
  // The new data files are durable before the log that names them.
  if (directory_made) storage::sync_parent_directory((std::filesystem::path(data_directory) / "x").string());
  put_commit_record(out, kCheckpointTransactionId, txn.start_ts(), catalog_.next_oid(), changes, {});
}

CheckpointReport WriteAheadLog::checkpoint() {
  std::lock_guard<std::mutex> one_at_a_time(checkpoint_mutex_);
  const auto started = std::chrono::steady_clock::now();
  CheckpointReport report;
  std::string path;
  uint64_t cut = 0;
  std::unique_ptr<storage::Transaction> txn;
  // The snapshot and the log position agree: no commit is between them.
  transactions_.run_between_commits([&] {
    std::lock_guard<std::mutex> lock(mutex_);
    check_usable();
    log_->flush();  // throws when a failed write broke it: its log cannot be trusted for a copy
    path = log_->path();
    cut = log_->end_lsn();
    txn = transactions_.begin();
  });
  report.log_bytes_before = cut;
  const std::string temporary = (std::filesystem::path(path).parent_path() / kCheckpointFileName).string();
  std::error_code ignored;
  std::filesystem::remove(temporary, ignored);
  bool replaced = false;
  const std::string data_directory = (std::filesystem::path(path).parent_path() / kDataDirectoryName).string();
  std::set<std::pair<uint64_t, uint64_t>> named;
  try {
    auto out = storage::LogWriter::create(temporary);
    write_snapshot(*out, *txn, data_directory, named, report);
    out->write_out();
    transactions_.rollback(*txn);
    txn.reset();
    std::lock_guard<std::mutex> lock(mutex_);
    check_usable();
    log_->flush();
    const uint64_t end = log_->end_lsn();
    report.log_bytes_before = end;
    if (end > cut) out->append_framed(storage::read_file_range(path, cut, end));
    out->flush();
    storage::LogContents written;
    written.valid_end = out->end_lsn();
    out.reset();
    storage::rename_file(temporary, path);
    replaced = true;
    try {
      storage::sync_parent_directory(path);
      log_ = storage::LogWriter::open_for_append(path, written);
    } catch (const SqlError& e) {
      // The old log is gone and the new one may not be durable: no commit can be logged safely.
      failed_ = e;
      throw;
    }
    // Data files only the old log named (dropped or rewritten tables) are garbage now.
    data_files_ = std::move(named);
    report.data_files_removed = storage::remove_unnamed_row_group_files(data_directory, data_files_);
    report.log_bytes_after = written.valid_end;
    log_bytes_.store(written.valid_end, std::memory_order_relaxed);
    next_checkpoint_at_ = next_checkpoint_size(checkpoint_bytes_, written.valid_end);
  } catch (...) {
    if (txn) transactions_.rollback(*txn);
    if (!replaced) std::filesystem::remove(temporary, ignored);
    throw;
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace tessera
