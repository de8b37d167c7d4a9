#include "src/main/write_ahead_log.h"

#include <algorithm>
#include <type_traits>
#include <variant>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/catalog_serializer.h"
#include "src/common/data_chunk.h"
#include "storage/durable/binary_io.h"
#include "storage/durable/vector_serializer.h"
#include "storage/row_group.h"
#include "storage/storage_constants.h"

namespace tessera {

namespace {

/// Buffered log bytes of one transaction are written out (not yet synced) beyond this.
constexpr size_t kWriteOutBytes = size_t{8} << 20;

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
    storage::BinaryWriter out;
    out.put_u64(txn_id);
    out.put_varint(group.storage_id());
    out.put_varint(group.start_row() + start);
    storage::write_chunk(out, chunk);
    log.append(static_cast<uint8_t>(WalRecordType::kRows), out.data());
    if (log.buffered_bytes() > kWriteOutBytes) log.write_out();
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

/// Appends the catalog change that makes `object` exist (put) or not (drop); counts it.
void put_catalog_change(storage::BinaryWriter& out, size_t& count, const storage::VersionedObject& object,
                        bool exists) {
  if (const auto* schema = dynamic_cast<const catalog::SchemaEntry*>(&object)) {
    if (exists) {
      out.put_u8(static_cast<uint8_t>(WalCatalogChange::kPutSchema));
      catalog::write_schema(out, *schema);
    } else {
      out.put_u8(static_cast<uint8_t>(WalCatalogChange::kDropSchema));
      out.put_varint(schema->oid());
    }
  } else if (const auto* entry = dynamic_cast<const catalog::CatalogEntry*>(&object)) {
    if (exists) {
      out.put_u8(static_cast<uint8_t>(WalCatalogChange::kPutRelation));
      catalog::write_entry(out, *entry);
    } else {
      out.put_u8(static_cast<uint8_t>(WalCatalogChange::kDropRelation));
      out.put_varint(entry->oid());
    }
  } else {
    return;  // not a catalog object: nothing durable
  }
  count++;
}

}  // namespace

WriteAheadLog::WriteAheadLog(catalog::Catalog& catalog, std::unique_ptr<storage::LogWriter> log)
    : catalog_(catalog), log_(std::move(log)) {}

WriteAheadLog::~WriteAheadLog() = default;

void WriteAheadLog::before_commit(storage::Transaction& txn, uint64_t commit_ts) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto sequences = catalog_.take_changed_sequences();
  if (txn.is_read_only() && sequences.empty()) return;
  storage::BinaryWriter changes;
  size_t change_count = 0;
  for (const auto& undo : txn.undo_log()) {
    std::visit(
        [&](const auto& entry) {
          using T = std::decay_t<decltype(entry)>;
          if constexpr (std::is_same_v<T, storage::AppendedRows>) {
            put_rows(*log_, txn.id(), entry);
          } else if constexpr (std::is_same_v<T, storage::DeletedRows>) {
            put_deletes(*log_, txn.id(), entry);
          } else if constexpr (std::is_same_v<T, storage::CreatedObject>) {
            put_catalog_change(changes, change_count, *entry.object, true);
          } else if constexpr (std::is_same_v<T, storage::DroppedObject>) {
            put_catalog_change(changes, change_count, *entry.object, false);
          } else {
            static_assert(std::is_same_v<T, storage::ReplacedObject>);
            const auto* old_entry = dynamic_cast<const catalog::CatalogEntry*>(entry.old_version.get());
            const auto* new_entry = dynamic_cast<const catalog::CatalogEntry*>(entry.new_version.get());
            if (old_entry && new_entry && old_entry->oid() != new_entry->oid()) {
              put_catalog_change(changes, change_count, *entry.old_version, false);
            }
            put_catalog_change(changes, change_count, *entry.new_version, true);
          }
        },
        undo);
  }
  storage::BinaryWriter commit;
  commit.put_u64(txn.id());
  commit.put_u64(commit_ts);
  commit.put_varint(catalog_.next_oid());
  commit.put_varint(change_count);
  commit.put_bytes(changes.data().data(), changes.size());
  commit.put_varint(sequences.size());
  for (const auto& sequence : sequences) {
    commit.put_varint(sequence.oid);
    commit.put_i64(sequence.last_value);
    commit.put_u8(sequence.is_called ? 1 : 0);
  }
  log_->append(static_cast<uint8_t>(WalRecordType::kCommit), commit.data());
  log_->flush();
}

}  // namespace tessera
