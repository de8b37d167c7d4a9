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
#include "storage/durable/vector_serializer.h"
#include "storage/data_table.h"
#include "storage/row_group.h"
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

void put_deletes(storage::LogWriter& log, uint64_t txn_id, const storage::DeletedRows& deleted) {
  storage::BinaryWriter out;
  out.put_u64(txn_id);
  out.put_varint(deleted.row_group->storage_id());
  out.put_varint(deleted.rows.size());
  for (const uint32_t row : deleted.rows) out.put_varint(deleted.row_group->start_row() + row);
  log.append(static_cast<uint8_t>(WalRecordType::kDeletes), out.data());
  if (log.buffered_bytes() > kWriteOutBytes) log.write_out();
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

/// The first checkpoint runs once the log passes the limit; later ones once it has also
/// doubled since the last.
uint64_t next_checkpoint_size(uint64_t limit, uint64_t size_after_checkpoint) {
  return std::max(limit, 2 * size_after_checkpoint);
}

}  // namespace

WriteAheadLog::WriteAheadLog(catalog::Catalog& catalog, storage::TransactionManager& transactions,
                             std::unique_ptr<storage::LogWriter> log, uint64_t checkpoint_bytes)
    : catalog_(catalog),
      transactions_(transactions),
      checkpoint_bytes_(checkpoint_bytes),
      log_(std::move(log)),
      next_checkpoint_at_(next_checkpoint_size(checkpoint_bytes, 0)),
      log_bytes_(log_->end_lsn()) {
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
      std::cout << "tessera: checkpoint: log " << report.log_bytes_before << " -> " << report.log_bytes_after
                << " bytes (" << report.tables << " tables, " << report.rows << " rows) in " << report.seconds << " s"
                << std::endl;
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
  DataChunk run;
  for (const auto& entry : catalog_.entries(txn)) {
    changes.add(*entry, true);
    const auto* table = dynamic_cast<const catalog::TableEntry*>(entry.get());
    if (table == nullptr) continue;
    // The live rows, each run of consecutive row ids as one record (rows deleted or never
    // committed leave gaps, which recovery fills with rows no snapshot sees).
    const storage::DataTable& storage = table->storage();
    const size_t width = storage.types().size();
    std::vector<size_t> column_ids(width);
    for (size_t c = 0; c < width; c++) column_ids[c] = c;
    column_ids.push_back(storage::kRowIdColumn);
    std::vector<LogicalType> types = storage.types();
    types.push_back(LogicalType::bigint());
    auto scan = storage.begin_scan(txn, column_ids);
    storage::LocalTableScanState local;
    DataChunk chunk;
    chunk.initialize(types);
    DataChunk columns;
    sel_t positions[kVectorSize];
    while (storage.next_morsel(*scan, local)) {
      while (storage.scan(local, chunk)) {
        UnifiedVectorFormat ids;
        chunk.column(width).to_unified(chunk.size(), ids);
        const auto* id_values = ids.values<int64_t>();
        columns.initialize_empty(storage.types());
        for (size_t c = 0; c < width; c++) columns.column(c).reference(chunk.column(c));
        columns.set_size(chunk.size());
        for (size_t begin = 0; begin < chunk.size();) {
          const int64_t first = id_values[ids.sel.get_index(begin)];
          size_t end = begin + 1;
          while (end < chunk.size() && id_values[ids.sel.get_index(end)] == first + int64_t(end - begin)) end++;
          for (size_t r = begin; r < end; r++) positions[r - begin] = static_cast<sel_t>(r);
          run.slice(columns, SelectionVector(positions), end - begin);
          put_rows_record(out, kCheckpointTransactionId, storage.storage_id(), static_cast<uint64_t>(first), run,
                          storage::BlockCodec::kZstd);
          report.rows += end - begin;
          begin = end;
        }
      }
    }
    report.tables++;
  }
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
  try {
    auto out = storage::LogWriter::create(temporary);
    write_snapshot(*out, *txn, report);
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
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
      throw SqlError(SqlState::kIoError, "could not rename file \"" + temporary + "\" to \"" + path + "\": " +
                                             std::strerror(errno));
    }
    replaced = true;
    try {
      storage::sync_parent_directory(path);
      log_ = storage::LogWriter::open_for_append(path, written);
    } catch (const SqlError& e) {
      // The old log is gone and the new one may not be durable: no commit can be logged safely.
      failed_ = e;
      throw;
    }
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
