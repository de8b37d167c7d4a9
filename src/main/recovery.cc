#include "src/main/recovery.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/catalog_serializer.h"
#include "executor/operator/ddl/physical_utility.h"
#include "src/common/sql_error.h"
#include "src/main/write_ahead_log.h"
#include "storage/data_table.h"
#include "storage/row_group.h"
#include "storage/storage_constants.h"
#include "storage/durable/binary_io.h"
#include "storage/durable/block_codec.h"
#include "storage/durable/row_group_file.h"
#include "storage/durable/vector_serializer.h"
#include "storage/transaction_manager.h"

namespace tessera {

namespace {

using catalog::CatalogEntry;
using catalog::SchemaEntry;
using storage::BinaryReader;
using storage::DataTable;

/// The catalog and table state the log's committed transactions leave, built record by record.
class LogReplay {
 public:
  LogReplay(const storage::LogContents& contents, std::string path, std::string data_directory,
            catalog::Catalog& catalog, storage::TransactionManager& transactions)
      : contents_(contents),
        path_(std::move(path)),
        data_directory_(std::move(data_directory)),
        catalog_(catalog),
        transactions_(transactions) {}

  void run(RecoveryReport& report) {
    seed();
    for (size_t i = 0; i < contents_.records.size(); i++) read_record(i, report);
    restore_tables(report);
    install();
  }

 private:
  /// How messages name record `i`.
  std::string record_name(size_t i) const {
    return path_ + " (record at offset " + std::to_string(contents_.records[i].lsn) + ")";
  }

  /// A reader of record `i`'s payload, positioned after the transaction id.
  BinaryReader reader(size_t i, uint64_t& txn_id) const {
    const auto& record = contents_.records[i];
    BinaryReader in(record.payload, record_name(i));
    txn_id = in.get_u64();
    return in;
  }

  /// Starts from the catalog as the server makes it: the built-in schemas and public.
  void seed() {
    auto txn = transactions_.begin();
    for (const auto& schema : catalog_.schemas(*txn)) schemas_[schema->oid()] = schema;
    transactions_.commit(*txn);
    next_oid_ = catalog_.next_oid();
  }

  void read_record(size_t i, RecoveryReport& report) {
    uint64_t txn_id = 0;
    BinaryReader in = reader(i, txn_id);
    max_txn_id_ = std::max(max_txn_id_, txn_id);
    switch (static_cast<WalRecordType>(contents_.records[i].type)) {
      case WalRecordType::kRows:
      case WalRecordType::kDeletes:
      case WalRecordType::kRowGroupFile:
      case WalRecordType::kTableSketches:
        pending_[txn_id].push_back(i);
        return;
      case WalRecordType::kCommit:
        read_commit(in);
        if (auto it = pending_.find(txn_id); it != pending_.end()) {
          committed_.insert(committed_.end(), it->second.begin(), it->second.end());
          pending_.erase(it);
        }
        report.transactions++;
        return;
    }
    in.corrupt("unknown record type " + std::to_string(contents_.records[i].type));
  }

  void read_commit(BinaryReader& in) {
    in.get_u64();  // commit timestamp
    next_oid_ = std::max<uint64_t>(next_oid_, in.get_varint());
    const uint64_t changes = in.get_varint();
    const catalog::StorageResolver resolve = [this](uint64_t id, const std::vector<LogicalType>& types) {
      auto& slot = storages_[id];
      if (!slot) slot = std::make_shared<DataTable>(types, id);
      return slot;
    };
    for (uint64_t c = 0; c < changes; c++) {
      switch (static_cast<WalCatalogChange>(in.get_u8())) {
        case WalCatalogChange::kPutSchema: {
          auto schema = catalog::read_schema(in);
          schemas_[schema->oid()] = std::move(schema);
          break;
        }
        case WalCatalogChange::kDropSchema:
          schemas_.erase(static_cast<Oid>(in.get_varint()));
          break;
        case WalCatalogChange::kPutRelation: {
          auto entry = catalog::read_entry(in, resolve);
          if (const auto* sequence = dynamic_cast<const catalog::SequenceEntry*>(entry.get())) {
            counters_[entry->oid()] = sequence->counter_state();
          }
          relations_[entry->oid()] = std::move(entry);
          break;
        }
        case WalCatalogChange::kDropRelation:
          relations_.erase(static_cast<Oid>(in.get_varint()));
          break;
        default:
          in.corrupt("unknown catalog change");
      }
    }
    const uint64_t sequences = in.get_varint();
    for (uint64_t s = 0; s < sequences; s++) {
      const auto oid = static_cast<Oid>(in.get_varint());
      const int64_t last_value = in.get_i64();
      const bool is_called = in.get_u8() != 0;
      counters_[oid] = catalog::SequenceEntry::CounterState{last_value, is_called};
    }
    if (!in.at_end()) in.corrupt("trailing bytes after a commit record");
  }

  /// Puts the committed rows, data files and deletes into the tables the final catalog has,
  /// each row at its row id.
  void restore_tables(RecoveryReport& report) {
    std::map<uint64_t, const catalog::TableEntry*> live;
    for (const auto& [oid, entry] : relations_) {
      if (const auto* table = dynamic_cast<const catalog::TableEntry*>(entry.get())) {
        live[table->storage().storage_id()] = table;
      }
    }
    struct Rows {
      uint64_t position;  // the first row id
      size_t record;
    };
    std::unordered_map<uint64_t, std::vector<Rows>> rows;
    std::unordered_map<uint64_t, std::vector<size_t>> deletes;
    for (const size_t i : committed_) {
      uint64_t txn_id = 0;
      BinaryReader in = reader(i, txn_id);
      const uint64_t storage_id = in.get_varint();
      if (!live.count(storage_id)) continue;  // a table dropped or rewritten later
      switch (static_cast<WalRecordType>(contents_.records[i].type)) {
        case WalRecordType::kRows:
          rows[storage_id].push_back({in.get_varint(), i});
          break;
        case WalRecordType::kRowGroupFile: {
          const uint64_t index = in.get_varint();
          if (index >= (uint64_t{1} << 40)) in.corrupt("row group index out of range");
          rows[storage_id].push_back({index * storage::kRowGroupSize, i});
          report.data_file_keys.emplace(storage_id, index);
          break;
        }
        case WalRecordType::kTableSketches:
          live.at(storage_id)->storage().merge_sketches(in);
          if (!in.at_end()) in.corrupt("trailing bytes after sketches");
          break;
        default:
          deletes[storage_id].push_back(i);
          break;
      }
    }
    DataChunk chunk;
    std::vector<int64_t> ids;
    for (auto& [storage_id, pieces] : rows) {
      const catalog::TableEntry& entry = *live.at(storage_id);
      DataTable& table = entry.storage();
      // Transactions commit in another order than their rows' ids: place the rows by id.
      std::sort(pieces.begin(), pieces.end(), [](const Rows& a, const Rows& b) { return a.position < b.position; });
      for (const auto& piece : pieces) {
        uint64_t txn_id = 0;
        BinaryReader in = reader(piece.record, txn_id);
        in.get_varint();
        in.get_varint();
        if (piece.position < table.row_id_end()) in.corrupt("rows overlap rows restored before");
        if (static_cast<WalRecordType>(contents_.records[piece.record].type) == WalRecordType::kRowGroupFile) {
          restore_data_file(in, entry, piece.position, ids);
          report.data_files++;
          continue;
        }
        const uint8_t codec = in.get_u8();
        const uint64_t raw_size = in.get_varint();
        if (raw_size > storage::kMaxLogRecordBytes) in.corrupt("rows larger than a record");
        const std::string what = record_name(piece.record);
        const std::string raw = storage::decompress_block(codec, in.get_bytes(in.remaining()), raw_size, what);
        BinaryReader rows_in(raw, what);
        storage::read_chunk(rows_in, table.types(), chunk);
        if (!rows_in.at_end()) rows_in.corrupt("trailing bytes after rows");
        table.restore_rows(piece.position, chunk);
      }
    }
    for (const auto& [storage_id, records] : deletes) {
      DataTable& table = live.at(storage_id)->storage();
      for (const size_t record : records) {
        uint64_t txn_id = 0;
        BinaryReader in = reader(record, txn_id);
        in.get_varint();
        const uint64_t count = in.get_varint();
        if (count > in.remaining()) in.corrupt("delete count beyond the record");
        ids.resize(count);
        const uint64_t end = table.row_id_end();
        for (auto& id : ids) {
          const uint64_t row = in.get_varint();
          if (row >= end) in.corrupt("delete of a row that was never inserted");
          id = static_cast<int64_t>(row);
        }
        table.restore_deletes(ids.data(), ids.size());
      }
    }
    for (const auto& [storage_id, table] : live) report.rows += table->storage().row_id_end();
    report.tables = live.size();
  }

  /// The data file a kRowGroupFile record names.
  std::string data_file_path(uint64_t storage_id, uint64_t index) const {
    return (std::filesystem::path(data_directory_) / storage::row_group_file_name(storage_id, index)).string();
  }

  /// Opens the data file a kRowGroupFile record (`in`, after the storage id and index) names
  /// as `entry`'s row group at row id `position` (its columns are read when first used), then
  /// deletes the rows the record lists.
  void restore_data_file(BinaryReader& in, const catalog::TableEntry& entry, uint64_t position,
                         std::vector<int64_t>& ids) {
    DataTable& table = entry.storage();
    const uint64_t count = in.get_varint();
    if (count > storage::kRowGroupSize || count > in.remaining()) in.corrupt("more dead rows than a row group has");
    ids.resize(count);
    uint64_t row = 0;
    for (auto& id : ids) {
      row += in.get_varint();
      if (row >= storage::kRowGroupSize) in.corrupt("a dead row outside the row group");
      id = static_cast<int64_t>(position + row);
    }
    if (!in.at_end()) in.corrupt("trailing bytes after dead rows");
    table.restore_row_group(storage::open_row_group_file(data_file_path(table.storage_id(), position / storage::kRowGroupSize),
                                                         table.types(), table.storage_id(), position,
                                                         "table \"" + entry.name() + "\""));
    if (!ids.empty()) table.restore_deletes(ids.data(), ids.size());
  }

  /// Sequences continue after their last logged counters; indexes are rebuilt from their
  /// tables' rows; then the catalog takes the recovered objects.
  void install() {
    for (const auto& [oid, entry] : relations_) {
      auto* sequence = dynamic_cast<catalog::SequenceEntry*>(entry.get());
      if (sequence == nullptr) continue;
      if (auto it = counters_.find(oid); it != counters_.end()) {
        sequence->set_value(it->second.last_value, it->second.is_called);
      }
    }
    // An index names its table by schema and name.
    std::map<std::pair<Oid, std::string>, const catalog::TableEntry*> tables;
    for (const auto& [oid, entry] : relations_) {
      if (const auto* table = dynamic_cast<const catalog::TableEntry*>(entry.get())) {
        tables.emplace(std::make_pair(table->schema_oid(), table->name()), table);
      }
    }
    auto txn = transactions_.begin();
    for (const auto& [oid, entry] : relations_) {
      const auto* index = dynamic_cast<const catalog::IndexEntry*>(entry.get());
      if (index == nullptr) continue;
      const auto found = tables.find(std::make_pair(index->schema_oid(), index->table_name()));
      const catalog::TableEntry* table = found == tables.end() ? nullptr : found->second;
      if (table == nullptr) {
        throw SqlError(SqlState::kDataCorrupted,
                       path_ + ": index \"" + index->name() + "\" of a table that does not exist");
      }
      executor::fill_index(*txn, *table, *index->index(), [] {});
      table->storage().add_index(index->index());
    }
    transactions_.commit(*txn);
    if (!storages_.empty()) DataTable::reserve_storage_ids(storages_.rbegin()->first);
    transactions_.reserve_transaction_ids(max_txn_id_);
    std::vector<std::shared_ptr<SchemaEntry>> schemas;
    for (auto& [oid, schema] : schemas_) schemas.push_back(std::move(schema));
    std::vector<std::shared_ptr<CatalogEntry>> relations;
    for (auto& [oid, entry] : relations_) relations.push_back(std::move(entry));
    catalog_.install_recovered(std::move(schemas), std::move(relations), static_cast<Oid>(next_oid_));
  }

  const storage::LogContents& contents_;
  const std::string path_;
  const std::string data_directory_;
  catalog::Catalog& catalog_;
  storage::TransactionManager& transactions_;
  std::map<Oid, std::shared_ptr<SchemaEntry>> schemas_;
  std::map<Oid, std::shared_ptr<CatalogEntry>> relations_;  // by OID: creation order
  std::map<uint64_t, std::shared_ptr<DataTable>> storages_;
  std::map<Oid, catalog::SequenceEntry::CounterState> counters_;
  uint64_t next_oid_ = 0;
  uint64_t max_txn_id_ = 0;
  std::unordered_map<uint64_t, std::vector<size_t>> pending_;  // txn id -> its data records
  std::vector<size_t> committed_;  // data records of committed transactions, in commit order
};

}  // namespace

std::unique_ptr<storage::LogWriter> recover(const std::string& data_directory, catalog::Catalog& catalog,
                                            storage::TransactionManager& transactions, RecoveryReport& report) {
  const auto started = std::chrono::steady_clock::now();
  const std::string path = (std::filesystem::path(data_directory) / kWalFileName).string();
  // A checkpoint cut off before it replaced the log: the log is whole, its new form is not.
  std::filesystem::remove(std::filesystem::path(data_directory) / kCheckpointFileName);
  if (!std::filesystem::exists(path)) return storage::LogWriter::create(path);
  std::unique_ptr<storage::LogWriter> writer;
  {
    storage::LogContents contents = storage::read_log_file(path);
    // A transaction's records end with its commit record, and commits are logged one at a
    // time: records after the last commit record belong to a commit a crash cut off. They
    // are cut off with the torn tail, so that they never meet a transaction of a later run
    // that gets the same id (transaction ids start again at every start).
    size_t kept = contents.records.size();
    while (kept > 0 && static_cast<WalRecordType>(contents.records[kept - 1].type) != WalRecordType::kCommit) kept--;
    if (kept < contents.records.size()) {
      const uint64_t cut = contents.records[kept].lsn;
      contents.torn_bytes += contents.valid_end - cut;
      contents.valid_end = cut;
      contents.records.resize(kept);
    }
    report.records = contents.records.size();
    report.torn_bytes = contents.torn_bytes;
    const std::string tables = (std::filesystem::path(data_directory) / kDataDirectoryName).string();
    LogReplay(contents, path, tables, catalog, transactions).run(report);
    report.removed_files = storage::remove_unnamed_row_group_files(tables, report.data_file_keys);
    writer = storage::LogWriter::open_for_append(path, contents);
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return writer;
}

}  // namespace tessera
