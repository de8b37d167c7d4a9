#include "storage/data_table.h"

#include "storage/durable/binary_io.h"
#include "src/common/atomic_max.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "src/common/assert.h"
#include "src/common/memory_tracker.h"
#include "src/common/sql_error.h"
#include "storage/durable/binary_io.h"

namespace tessera::storage {

size_t ParallelTableScanState::snapshot_row_count() const {
  size_t n = 0;
  for (const auto& morsel : morsels_) n += morsel.row_limit;
  return n;
}

void ScanStatistics::merge(const ScanStatistics& other) {
  row_groups_read += other.row_groups_read;
  row_groups_skipped += other.row_groups_skipped;
  segments_read += other.segments_read;
  segments_skipped += other.segments_skipped;
  if (column_bytes.size() < other.column_bytes.size()) column_bytes.resize(other.column_bytes.size(), 0);
  for (size_t i = 0; i < other.column_bytes.size(); i++) column_bytes[i] += other.column_bytes[i];
}

void LocalTableScanState::enable_statistics(size_t column_count) {
  statistics_ = std::make_unique<ScanStatistics>();
  statistics_->column_bytes.assign(column_count, 0);
  last_read_segment_.assign(column_count, kNoSegment);
}

ScanSkipCounts ParallelTableScanState::skip_counts() const {
  ScanSkipCounts counts;
  counts.row_groups_scanned = row_groups_scanned_.load(std::memory_order_relaxed);
  counts.row_groups_skipped = row_groups_skipped_.load(std::memory_order_relaxed);
  counts.segments_skipped = segments_skipped_.load(std::memory_order_relaxed);
  return counts;
}

namespace {
std::atomic<uint64_t> next_storage_id{1};
}  // namespace

void DataTable::reserve_storage_ids(uint64_t used) { atomic_raise(next_storage_id, used + 1); }

DataTable::DataTable(std::vector<LogicalType> types, uint64_t storage_id)
    : types_(std::move(types)),
      storage_id_(storage_id != 0 ? storage_id : next_storage_id.fetch_add(1, std::memory_order_relaxed)) {
  if (storage_id != 0) reserve_storage_ids(storage_id);
  for (const auto& type : types_) {
    TS_CHECK(type.physical_type() != PhysicalType::kInvalid, "table column of a type without storage");
    sketches_.push_back(std::make_unique<DistinctSketch>());
  }
}

void DataTable::append(Transaction& txn, const DataChunk& chunk) { append_rows(txn, chunk); }

template <class Record>
void DataTable::append_locked(const std::vector<UnifiedVectorFormat>& columns, size_t count, uint64_t version,
                              Record&& record) {
  size_t offset = 0;
  while (offset < count) {
    std::shared_ptr<RowGroup> row_group;
    {
      std::lock_guard<std::mutex> lock(row_groups_mutex_);
      if (row_groups_.empty() || row_groups_.back()->count() == kRowGroupSize) {
        const uint64_t start_row = row_groups_.empty() ? 0 : row_groups_.back()->start_row() + kRowGroupSize;
        row_groups_.push_back(std::make_shared<RowGroup>(types_, start_row, storage_id_));
      }
      row_group = row_groups_.back();
    }
    const size_t n = std::min(count - offset, kRowGroupSize - row_group->count());
    const size_t start = row_group->append(columns, offset, n, version);
    record(row_group, start, n);
    row_count_.fetch_add(n, std::memory_order_relaxed);
    offset += n;
  }
}

uint64_t DataTable::row_id_end() const {
  std::lock_guard<std::mutex> lock(row_groups_mutex_);
  return row_groups_.empty() ? 0 : row_groups_.back()->start_row() + row_groups_.back()->count();
}

void DataTable::fill_to_locked(uint64_t position) {
  uint64_t end = row_id_end();
  TS_CHECK(position >= end, "restore of rows before the table's end");
  if (position == end) return;
  // Filler rows: all NULL, never visible (their insert is stamped rolled back).
  std::vector<Vector> nulls;
  std::vector<UnifiedVectorFormat> columns(types_.size());
  nulls.reserve(types_.size());
  for (size_t c = 0; c < types_.size(); c++) {
    nulls.emplace_back(Value::null(types_[c]));
    nulls.back().to_unified(kVectorSize, columns[c]);
  }
  while (end < position) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(position - end, kVectorSize));
    append_locked(columns, n, kRolledBackVersion, [](const std::shared_ptr<RowGroup>&, size_t, size_t) {});
    end += n;
  }
}

void DataTable::restore_rows(uint64_t position, const DataChunk& chunk) {
  TS_CHECK(chunk.column_count() == types_.size(), "restore with the wrong number of columns");
  MemoryTracker::NoFailScope no_fail;
  std::lock_guard<std::mutex> append_lock(append_mutex_);
  fill_to_locked(position);
  const size_t count = chunk.size();
  if (count == 0) return;
  std::vector<UnifiedVectorFormat> columns(types_.size());
  for (size_t c = 0; c < types_.size(); c++) chunk.column(c).to_unified(count, columns[c]);
  for (size_t c = 0; c < types_.size(); c++) sketches_[c]->add(types_[c], columns[c], 0, count);
  append_locked(columns, count, 0, [](const std::shared_ptr<RowGroup>& group, size_t start, size_t n) {
    group->commit_rows(start, n, 0);
  });
}

void DataTable::restore_row_group(std::shared_ptr<RowGroup> group) {
  TS_CHECK(group->column_count() == types_.size() && group->start_row() % kRowGroupSize == 0,
           "restore of a row group of another shape");
  MemoryTracker::NoFailScope no_fail;
  std::lock_guard<std::mutex> append_lock(append_mutex_);
  fill_to_locked(group->start_row());
  const size_t rows = group->count();
  {
    std::lock_guard<std::mutex> lock(row_groups_mutex_);
    TS_CHECK(row_groups_.empty() || row_groups_.back()->count() == kRowGroupSize,
             "restore of a row group after a partial one");
    row_groups_.push_back(std::move(group));
  }
  row_count_.fetch_add(rows, std::memory_order_relaxed);
}

void DataTable::write_sketches(BinaryWriter& out) const {
  out.put_varint(sketches_.size());
  for (const auto& sketch : sketches_) sketch->write(out);
}

void DataTable::merge_sketches(BinaryReader& in) {
  if (in.get_varint() != sketches_.size()) in.corrupt("sketches of another number of columns");
  for (const auto& sketch : sketches_) sketch->merge(in);
}

std::vector<std::shared_ptr<const RowGroup>> DataTable::row_groups() const {
  std::lock_guard<std::mutex> lock(row_groups_mutex_);
  return {row_groups_.begin(), row_groups_.end()};
}

void DataTable::restore_deletes(const int64_t* row_ids, size_t count) {
  for (size_t i = 0; i < count;) {
    const auto group = row_group_at(static_cast<size_t>(row_ids[i]) / kRowGroupSize);
    TS_CHECK(group != nullptr, "restore of a delete of a row that does not exist");
    std::vector<uint32_t> offsets;
    while (i < count && static_cast<uint64_t>(row_ids[i]) - group->start_row() < kRowGroupSize) {
      const auto offset = static_cast<uint32_t>(static_cast<uint64_t>(row_ids[i]) - group->start_row());
      TS_CHECK(offset < group->count(), "restore of a delete of a row that does not exist");
      if (group->try_delete(offset, 0) == kNotDeleted) offsets.push_back(offset);
      i++;
    }
    group->commit_deletes(offsets, 0);
  }
}

int64_t DataTable::append_rows(Transaction& txn, const DataChunk& chunk) {
  TS_CHECK(chunk.column_count() == types_.size(), "append with the wrong number of columns");
  TS_CHECK(txn.state() == Transaction::State::kActive, "append by a transaction that is not active");
  const size_t count = chunk.size();
  if (count == 0) return -1;
  // An append never stops half-way for the memory limit: its bytes count, and the next
  // allocation that needs room fails instead.
  MemoryTracker::NoFailScope no_fail;
  std::vector<UnifiedVectorFormat> columns(types_.size());
  std::vector<Vector> null_columns;  // stand-ins for untyped NULL columns
  null_columns.reserve(types_.size());
  for (size_t c = 0; c < types_.size(); c++) {
    const Vector& source = chunk.column(c);
    if (source.type().id() == LogicalTypeId::kSqlNull && types_[c].id() != LogicalTypeId::kSqlNull) {
      // An untyped NULL column (e.g. VALUES (NULL)) is all NULL whatever its buffer says.
      null_columns.emplace_back(Value::null(types_[c]));
      null_columns.back().to_unified(count, columns[c]);
      continue;
    }
    TS_CHECK(source.type().physical_type() == types_[c].physical_type(), "append with a mismatched type");
    source.to_unified(count, columns[c]);
  }
  // The sketches take concurrent adds, so parallel appenders hash outside the append lock.
  for (size_t c = 0; c < types_.size(); c++) sketches_[c]->add(types_[c], columns[c], 0, count);
  std::lock_guard<std::mutex> append_lock(append_mutex_);
  int64_t first_row_id = -1;
  append_locked(columns, count, txn.write_version(), [&](const std::shared_ptr<RowGroup>& group, size_t start, size_t n) {
    txn.record_append(group, start, n);
    if (first_row_id < 0) first_row_id = static_cast<int64_t>(group->start_row() + start);
  });
  return first_row_id;
}

namespace {

constexpr uint64_t kKeyFreeForever = 0;  // rolled-back insert or committed delete: drop the entry
constexpr uint64_t kKeyHeld = 1;
constexpr uint64_t kKeyFree = 2;  // deleted by this transaction (back if it rolls back)

}  // namespace

void DataTable::add_index(std::shared_ptr<HashIndex> index) {
  TS_CHECK(index != nullptr, "null index");
  for (size_t c : index->columns()) TS_CHECK(c < types_.size(), "index on a column that does not exist");
  std::lock_guard<std::mutex> lock(index_mutex_);
  indexes_.push_back(std::move(index));
}

void DataTable::remove_index(const HashIndex& index) {
  std::lock_guard<std::mutex> lock(index_mutex_);
  std::erase_if(indexes_, [&](const auto& held) { return held.get() == &index; });
}

std::vector<std::shared_ptr<HashIndex>> DataTable::indexes() const {
  std::lock_guard<std::mutex> lock(index_mutex_);
  return indexes_;
}

uint64_t DataTable::key_holder_state(const Transaction& txn, int64_t row_id, bool replaced_later) const {
  const auto group = row_group_at(static_cast<size_t>(row_id) / kRowGroupSize);
  TS_CHECK(group != nullptr, "index entry for a row that does not exist");
  const size_t offset = static_cast<size_t>(row_id) - group->start_row();
  const uint64_t inserted = group->versions().version(offset);
  if (inserted == kRolledBackVersion) return kKeyFreeForever;
  if (inserted >= kTransactionIdStart && !txn.owns(inserted)) return Transaction::owner_of(inserted);
  const uint64_t deleted = group->deletes().version(offset);
  if (deleted == kNotDeleted) return kKeyHeld;
  // A committed delete frees the key; its entry may go only once no snapshot sees the row
  // any more (index scans of older snapshots still find it).
  if (deleted < kTransactionIdStart) return deleted <= txn.oldest_active_start_ts() ? kKeyFreeForever : kKeyFree;
  if (txn.owns(deleted)) return replaced_later ? kKeyHeld : kKeyFree;
  return Transaction::owner_of(deleted);
}

std::string DataTable::key_text(const HashIndex& index, const DataChunk& chunk, size_t row) const {
  std::string names;
  std::string values;
  for (size_t k = 0; k < index.columns().size(); k++) {
    if (k > 0) {
      names += ", ";
      values += ", ";
    }
    names += index.column_names()[k];
    const Value value = chunk.column(index.columns()[k]).get_value(row);
    values += value.is_null() ? "null" : value.to_string();
  }
  return "Key (" + names + ")=(" + values + ")";
}

void DataTable::append_indexed(Transaction& txn, const DataChunk& chunk,
                               const std::vector<std::shared_ptr<HashIndex>>& indexes,
                               const std::vector<std::vector<IndexKey>>& keys, const int64_t* replaced) {
  TS_CHECK(keys.size() == indexes.size(), "index keys for the wrong number of indexes");
  const size_t count = chunk.size();
  if (count == 0) return;
  if (indexes.empty()) {
    append_rows(txn, chunk);
    return;
  }
  for (const auto& index_keys : keys) TS_CHECK(index_keys.size() == count, "index keys for the wrong number of rows");
  // Other inserters of a key this transaction holds wait for its end: take the lock they wait on.
  txn.begin_row_writes();
  // For UPDATE: where each replaced row stands in the chunk.
  std::unordered_map<int64_t, size_t> replaced_position;
  if (replaced != nullptr) {
    for (size_t r = 0; r < count; r++) replaced_position.emplace(replaced[r], r);
  }
  for (;;) {
    uint64_t wait_for = 0;
    {
      std::unique_lock<std::mutex> lock(index_mutex_);
      for (const auto& index : indexes) {
        TS_CHECK(std::find(indexes_.begin(), indexes_.end(), index) != indexes_.end(), "append with a stale index list");
      }
      for (size_t i = 0; i < indexes.size() && wait_for == 0; i++) {
        HashIndex& index = *indexes[i];
        if (!index.unique()) continue;
        std::unordered_map<std::string_view, size_t> chunk_keys;
        for (size_t r = 0; r < count && wait_for == 0; r++) {
          const IndexKey& key = keys[i][r];
          if (key.has_null) continue;
          bool held = !chunk_keys.emplace(key.bytes, r).second;
          if (!held) {
            if (auto* rows = index.find(key.bytes)) {
              for (size_t e = 0; e < rows->size();) {
                const int64_t row_id = (*rows)[e];
                bool replaced_later = false;
                if (replaced != nullptr) {
                  auto it = replaced_position.find(row_id);
                  replaced_later = it != replaced_position.end() && it->second > r;
                }
                const uint64_t state = key_holder_state(txn, row_id, replaced_later);
                if (state == kKeyFreeForever) {
                  const bool last = rows->size() == 1;
                  index.erase(key.bytes, row_id);
                  if (last) break;  // the list is gone with its key
                  continue;
                }
                e++;
                if (state == kKeyFree) continue;
                if (state == kKeyHeld) {
                  held = true;
                  break;
                }
                wait_for = state;
                break;
              }
            }
          }
          if (held) {
            throw SqlError(SqlState::kUniqueViolation,
                           "duplicate key value violates unique constraint \"" + index.name() + "\"")
                .with_detail(key_text(index, chunk, r) + " already exists.");
          }
        }
      }
      if (wait_for == 0) {
        size_t key_bytes = 0;
        size_t entries = 0;
        for (size_t i = 0; i < indexes.size(); i++) {
          key_bytes = 0;
          entries = 0;
          for (const IndexKey& key : keys[i]) {
            if (key.has_null) continue;
            key_bytes += key.bytes.size();
            entries++;
          }
          indexes[i]->reserve_for(entries, key_bytes);
        }
        const int64_t first = append_rows(txn, chunk);
        for (size_t i = 0; i < indexes.size(); i++) {
          for (size_t r = 0; r < count; r++) {
            if (!keys[i][r].has_null) indexes[i]->insert(keys[i][r].bytes, first + static_cast<int64_t>(r));
          }
        }
        return;
      }
    }
    // Another transaction's insert or delete of the key is in flight: wait for it to end (out
    // of the index lock), then check again.
    txn.wait_for(wait_for);
  }
}

std::vector<uint8_t> DataTable::find_keys(Transaction& txn, const HashIndex& index, const std::vector<IndexKey>& keys) {
  const std::vector<int64_t> rows = find_key_rows(txn, index, keys);
  std::vector<uint8_t> found(keys.size(), 0);
  for (size_t i = 0; i < rows.size(); i++) found[i] = rows[i] >= 0 ? 1 : 0;
  return found;
}

std::vector<std::pair<size_t, int64_t>> DataTable::find_all_key_rows(Transaction& txn, const HashIndex& index,
                                                                     const std::vector<IndexKey>& keys) {
  std::vector<std::pair<size_t, int64_t>> found;
  size_t next = 0;  // keys before it are decided
  while (next < keys.size()) {
    uint64_t wait_for = 0;
    {
      std::unique_lock<std::mutex> lock(index_mutex_);
      auto& map = index.map_;
      for (; next < keys.size(); next++) {
        if (keys[next].has_null) continue;
        auto it = map.find(std::string(keys[next].bytes));
        if (it == map.end()) continue;
        std::vector<int64_t> held;
        for (int64_t row_id : it->second) {
          const uint64_t state = key_holder_state(txn, row_id, false);
          if (state == kKeyHeld) {
            held.push_back(row_id);
            continue;
          }
          if (state == kKeyFree || state == kKeyFreeForever) continue;
          wait_for = state;
          break;
        }
        if (wait_for != 0) break;  // this key is looked at again after the wait
        for (int64_t row_id : held) found.emplace_back(next, row_id);
      }
    }
    if (wait_for != 0) txn.wait_for(wait_for);
  }
  return found;
}

bool DataTable::row_in_snapshot(const Transaction& txn, int64_t row_id) const {
  const auto group = row_group_at(static_cast<size_t>(row_id) / kRowGroupSize);
  TS_CHECK(group != nullptr, "snapshot check of a row that does not exist");
  const uint64_t inserted = group->versions().version(static_cast<size_t>(row_id) - group->start_row());
  if (inserted >= kTransactionIdStart) return txn.owns(inserted);
  return inserted <= txn.start_ts();
}

void DataTable::fetch_rows(const int64_t* row_ids, size_t count, DataChunk& out) const {
  TS_CHECK(count <= kVectorSize, "fetch of more rows than a chunk holds");
  // The rows in row id order, read a vector window of a row group at a time.
  std::vector<uint32_t> order(count);
  for (size_t i = 0; i < count; i++) order[i] = static_cast<uint32_t>(i);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return row_ids[a] < row_ids[b]; });
  sel_t sel[kVectorSize];
  for (size_t i = 0; i < count;) {
    const auto first = static_cast<size_t>(row_ids[order[i]]);
    const auto group = row_group_at(first / kRowGroupSize);
    TS_CHECK(group != nullptr, "fetch of a row that does not exist");
    const size_t window_start = (first - group->start_row()) / kVectorSize * kVectorSize;
    const size_t window_rows = std::min(kVectorSize, group->count() - window_start);
    size_t n = 0;
    while (i + n < count) {
      const auto row = static_cast<size_t>(row_ids[order[i + n]]);
      if (row < group->start_row() + window_start || row >= group->start_row() + window_start + window_rows) break;
      sel[n++] = static_cast<sel_t>(row - group->start_row() - window_start);
    }
    TS_CHECK(n > 0, "fetch of a row that is not published");
    for (size_t c = 0; c < types_.size(); c++) {
      Vector values(types_[c]);
      group->column(c).scan(window_start, window_rows, sel, n, values);
      for (size_t k = 0; k < n; k++) out.set_value(c, order[i + k], values.get_value(k));
    }
    i += n;
  }
  out.set_size(count);
}

void DataTable::lookup_rows(const RowVisibility& visibility, const HashIndex& index, const std::vector<IndexKey>& keys,
                            std::vector<std::pair<uint32_t, int64_t>>& found) const {
  std::shared_ptr<RowGroup> group;
  std::string probe;
  std::lock_guard<std::mutex> lock(index_mutex_);
  for (size_t k = 0; k < keys.size(); k++) {
    if (keys[k].has_null) continue;
    probe.assign(keys[k].bytes);
    auto it = index.map_.find(probe);
    if (it == index.map_.end()) continue;
    const size_t first = found.size();
    for (int64_t row_id : it->second) {
      const auto row = static_cast<size_t>(row_id);
      if (group == nullptr || row < group->start_row() || row >= group->start_row() + kRowGroupSize) {
        group = row_group_at(row / kRowGroupSize);
        TS_CHECK(group != nullptr, "index entry for a row that does not exist");
      }
      const size_t offset = row - group->start_row();
      if (!visibility.sees(group->versions().version(offset))) continue;
      if (visibility.sees(group->deletes().version(offset))) continue;
      found.emplace_back(static_cast<uint32_t>(k), row_id);
    }
    // Entries are kept in insertion order; an UPDATE's new row may sit before an older one.
    std::sort(found.begin() + static_cast<std::ptrdiff_t>(first), found.end());
  }
}

void DataTable::fetch_columns(const int64_t* row_ids, size_t count, const std::vector<size_t>& column_ids,
                              DataChunk& out) const {
  TS_CHECK(count <= kVectorSize, "fetch of more rows than a chunk holds");
  TS_CHECK(out.column_count() == column_ids.size(), "fetch into a chunk with the wrong number of columns");
  for (size_t j = 0; j < column_ids.size(); j++) out.column(j).reset(kVectorSize);
  sel_t sel[kVectorSize];
  Vector values;
  for (size_t i = 0; i < count;) {
    const auto first = static_cast<size_t>(row_ids[i]);
    const auto group = row_group_at(first / kRowGroupSize);
    TS_CHECK(group != nullptr, "fetch of a row that does not exist");
    // The rows of one vector window of the row group, read with one selection.
    const size_t window_start = (first - group->start_row()) / kVectorSize * kVectorSize;
    const size_t window_rows = std::min(kVectorSize, group->count() - window_start);
    const size_t window_end = group->start_row() + window_start + window_rows;
    size_t n = 0;
    while (i + n < count && static_cast<size_t>(row_ids[i + n]) < window_end) {
      TS_CHECK(n == 0 || row_ids[i + n] > row_ids[i + n - 1], "fetch of row ids out of order");
      sel[n] = static_cast<sel_t>(static_cast<size_t>(row_ids[i + n]) - group->start_row() - window_start);
      n++;
    }
    TS_CHECK(n > 0, "fetch of a row that is not published");
    for (size_t j = 0; j < column_ids.size(); j++) {
      Vector& target = out.column(j);
      if (column_ids[j] == kRowIdColumn) {
        int64_t* ids = target.mutable_values<int64_t>();
        for (size_t k = 0; k < n; k++) ids[i + k] = row_ids[i + k];
        continue;
      }
      values = Vector(types_[column_ids[j]]);
      group->column(column_ids[j]).scan(window_start, window_rows, sel, n, values);
      target.copy_from(values, SelectionVector(), n, i);
    }
    i += n;
  }
  out.set_size(count);
}

std::vector<int64_t> DataTable::find_key_rows(Transaction& txn, const HashIndex& index, const std::vector<IndexKey>& keys) {
  std::vector<int64_t> found(keys.size(), -1);
  size_t next = 0;  // keys before it are decided
  while (next < keys.size()) {
    uint64_t wait_for = 0;
    {
      std::unique_lock<std::mutex> lock(index_mutex_);
      // The index entries are only read here (lookups never drop them), so a const view does.
      auto& map = index.map_;
      for (; next < keys.size() && wait_for == 0; next++) {
        if (keys[next].has_null) continue;
        auto it = map.find(std::string(keys[next].bytes));
        if (it == map.end()) continue;
        for (int64_t row_id : it->second) {
          const uint64_t state = key_holder_state(txn, row_id, false);
          if (state == kKeyHeld) {
            found[next] = row_id;
            break;
          }
          if (state == kKeyFree || state == kKeyFreeForever) continue;
          wait_for = state;
          break;
        }
        if (wait_for != 0) break;
      }
    }
    // The key's holder is in flight: wait for its end (out of the index lock), then look again.
    if (wait_for != 0) txn.wait_for(wait_for);
  }
  return found;
}

void DataTable::build_index_entries(HashIndex& index, const DataChunk& chunk, const int64_t* row_ids,
                                    const std::vector<IndexKey>& keys) {
  TS_CHECK(keys.size() == chunk.size(), "index keys for the wrong number of rows");
  std::lock_guard<std::mutex> lock(index_mutex_);
  size_t key_bytes = 0;
  size_t entries = 0;
  for (const IndexKey& key : keys) {
    if (key.has_null) continue;
    key_bytes += key.bytes.size();
    entries++;
  }
  index.reserve_for(entries, key_bytes);
  for (size_t r = 0; r < chunk.size(); r++) {
    if (keys[r].has_null) continue;
    if (index.unique() && index.find(keys[r].bytes) != nullptr) {
      throw SqlError(SqlState::kUniqueViolation, "could not create unique index \"" + index.name() + "\"")
          .with_detail(key_text(index, chunk, r) + " is duplicated.");
    }
    index.insert(keys[r].bytes, row_ids[r]);
  }
}

std::unique_ptr<ParallelTableScanState> DataTable::begin_scan_latest(const Transaction& txn,
                                                                     std::vector<size_t> column_ids) const {
  auto state = begin_scan(txn, std::move(column_ids));
  // Every committed version, and every version of `txn` (all its statements).
  state->visibility_ = RowVisibility{kTransactionIdStart - 1, txn.id(), txn.id() + kVersionsPerTransaction};
  return state;
}

size_t DataTable::delete_rows(Transaction& txn, const int64_t* row_ids, size_t count, uint32_t* deleted_positions) {
  return delete_rows_impl(txn, row_ids, count, deleted_positions, nullptr, nullptr);
}

size_t DataTable::delete_rows_without_waiting(Transaction& txn, const int64_t* row_ids, size_t count,
                                              uint32_t* deleted_positions, uint32_t* blocked_positions,
                                              size_t& blocked_count) {
  blocked_count = 0;
  return delete_rows_impl(txn, row_ids, count, deleted_positions, blocked_positions, &blocked_count);
}

size_t DataTable::delete_rows_impl(Transaction& txn, const int64_t* row_ids, size_t count, uint32_t* deleted_positions,
                                   uint32_t* blocked_positions, size_t* blocked_count) {
  TS_CHECK(txn.state() == Transaction::State::kActive, "delete by a transaction that is not active");
  if (count == 0) return 0;
  txn.begin_row_writes();
  size_t deleted = 0;
  std::shared_ptr<RowGroup> group;
  size_t group_index = ~size_t{0};
  std::vector<uint32_t> batch;  // rows of `group` deleted and not yet recorded in the undo log
  auto flush = [&] {
    txn.record_delete(group, batch.data(), batch.size());
    batch.clear();
  };
  for (size_t i = 0; i < count; i++) {
    TS_CHECK(row_ids[i] >= 0, "delete of a negative row id");
    const auto row_id = static_cast<size_t>(row_ids[i]);
    if (row_id / kRowGroupSize != group_index) {
      flush();
      group_index = row_id / kRowGroupSize;
      group = row_group_at(group_index);
      TS_CHECK(group != nullptr, "delete of a row that does not exist");
    }
    const auto offset = static_cast<uint32_t>(row_id - group->start_row());
    TS_CHECK(offset < group->count(), "delete of a row that does not exist");
    for (;;) {
      const uint64_t version = group->try_delete(offset, txn.write_version());
      if (version == kNotDeleted) {
        batch.push_back(offset);
        if (deleted_positions != nullptr) deleted_positions[deleted] = static_cast<uint32_t>(i);
        deleted++;
        break;
      }
      if (txn.owns(version)) break;  // deleted by this transaction already (by this statement)
      if (version < kTransactionIdStart) {
        if (version <= txn.start_ts()) break;  // deleted before the snapshot: not a row it saw
        flush();
        throw SqlError(SqlState::kSerializationFailure, "could not serialize access due to concurrent update");
      }
      // Another transaction's delete in flight: wait for it to end, then look again (or leave
      // the row to the caller).
      if (blocked_count != nullptr) {
        blocked_positions[(*blocked_count)++] = static_cast<uint32_t>(i);
        break;
      }
      flush();
      txn.wait_for(Transaction::owner_of(version));
    }
  }
  flush();
  return deleted;
}

size_t DataTable::delete_all(Transaction& txn) {
  TS_CHECK(txn.state() == Transaction::State::kActive, "delete by a transaction that is not active");
  std::vector<std::shared_ptr<RowGroup>> groups;
  {
    std::lock_guard<std::mutex> lock(row_groups_mutex_);
    groups = row_groups_;
  }
  txn.begin_row_writes();
  size_t deleted = 0;
  std::vector<uint32_t> batch;
  for (const auto& group : groups) {
    const size_t rows = group->count();
    batch.clear();
    for (size_t r = 0; r < rows; r++) {
      const uint64_t inserted = group->versions().version(r);
      if (inserted >= kTransactionIdStart && !txn.owns(inserted)) continue;  // rolled back (or not ours)
      if (group->try_delete(r, txn.write_version()) == kNotDeleted) batch.push_back(static_cast<uint32_t>(r));
    }
    txn.record_delete(group, batch.data(), batch.size());
    deleted += batch.size();
  }
  return deleted;
}

size_t DataTable::committed_delete_count() const {
  size_t deleted = 0;
  std::lock_guard<std::mutex> lock(row_groups_mutex_);
  for (const auto& group : row_groups_) deleted += group->committed_delete_count();
  return deleted;
}

size_t DataTable::estimated_row_count() const {
  const size_t deleted = committed_delete_count();
  const size_t appended = row_count_.load(std::memory_order_relaxed);
  return appended > deleted ? appended - deleted : 0;
}

std::unique_ptr<ParallelTableScanState> DataTable::begin_scan(const Transaction& txn, std::vector<size_t> column_ids,
                                                              TableFilterSet filters) const {
  for (size_t id : column_ids) TS_CHECK(id < types_.size() || id == kRowIdColumn, "scan of a column that does not exist");
  for (const auto& [column, filter] : filters.filters()) {
    TS_CHECK(column < types_.size(), "filter on a column that does not exist");
  }
  auto state = std::make_unique<ParallelTableScanState>();
  state->column_ids_ = std::move(column_ids);
  state->filters_ = std::move(filters);
  state->visibility_ = txn.row_visibility();
  std::lock_guard<std::mutex> lock(row_groups_mutex_);
  state->morsels_.reserve(row_groups_.size());
  for (const auto& row_group : row_groups_) {
    const size_t rows = row_group->count();
    if (rows > 0) state->morsels_.push_back({row_group, rows});
  }
  return state;
}

bool DataTable::next_morsel(ParallelTableScanState& global, LocalTableScanState& local) const {
  if (local.global_ != nullptr && local.segments_skipped_ > 0) {
    local.global_->segments_skipped_.fetch_add(local.segments_skipped_, std::memory_order_relaxed);
  }
  local.segments_skipped_ = 0;
  local.global_ = &global;
  for (;;) {
    const size_t index = global.next_morsel_.fetch_add(1, std::memory_order_relaxed);
    if (index >= global.morsels_.size()) {
      local.row_group_ = nullptr;
      return false;
    }
    const RowGroup& row_group = *global.morsels_[index].row_group;
    // The row group's zone maps cover every row written to it, a superset of the snapshot's:
    // a filter they exclude excludes every snapshot row; one they satisfy in full needs no
    // evaluation in this row group.
    local.filters_.clear();
    bool skip = false;
    for (const auto& [column, filter] : global.filters_.filters()) {
      const ZoneCheck check = filter->check_zone(row_group.column(column).zone_map());
      if (check == ZoneCheck::kNever) {
        skip = true;
        break;
      }
      if (check == ZoneCheck::kMaybe) local.filters_.push_back({column, filter.get()});
    }
    if (skip) {
      global.row_groups_skipped_.fetch_add(1, std::memory_order_relaxed);
      if (local.statistics_) local.statistics_->row_groups_skipped++;
      continue;
    }
    global.row_groups_scanned_.fetch_add(1, std::memory_order_relaxed);
    if (local.statistics_) {
      local.statistics_->row_groups_read++;
      std::fill(local.last_read_segment_.begin(), local.last_read_segment_.end(), LocalTableScanState::kNoSegment);
    }
    local.row_group_ = &row_group;
    local.row_limit_ = global.morsels_[index].row_limit;
    local.vector_index_ = 0;
    if (!local.sel_) local.sel_ = std::make_unique<uint32_t[]>(kVectorSize);
    return true;
  }
}

bool DataTable::scan(LocalTableScanState& local, DataChunk& out) const {
  out.set_size(0);
  if (local.row_group_ == nullptr) return false;
  const ParallelTableScanState& global = *local.global_;
  while (local.vector_index_ * kVectorSize < local.row_limit_) {
    const size_t vector_index = local.vector_index_++;
    const size_t produced =
        local.row_group_->scan_vector(vector_index, local.row_limit_, global.visibility_, global.column_ids_, local, out);
    if (produced > 0) return true;
  }
  local.row_group_ = nullptr;
  return false;
}

TableStatistics DataTable::statistics() const {
  TableStatistics stats;
  std::vector<std::shared_ptr<RowGroup>> groups;
  {
    std::lock_guard<std::mutex> lock(row_groups_mutex_);
    groups = row_groups_;
  }
  std::optional<TableAnalysis> analysis;
  {
    std::lock_guard<std::mutex> lock(analysis_mutex_);
    analysis = analysis_;
  }
  const size_t appended = row_count_.load(std::memory_order_relaxed);
  const size_t deleted = committed_delete_count();
  if (analysis) {
    const double rows = analysis->live_rows + static_cast<double>(appended - analysis->appended) -
                        static_cast<double>(deleted - std::min<size_t>(deleted, analysis->deleted));
    stats.row_count = std::max(rows, 0.0);
  } else {
    stats.row_count = static_cast<double>(appended > deleted ? appended - deleted : 0);
  }
  for (size_t c = 0; c < types_.size(); c++) {
    ZoneMap zone(types_[c]);
    const AnalyzedColumn* analyzed = analysis && analysis->columns[c] ? &*analysis->columns[c] : nullptr;
    if (analyzed == nullptr) {
      for (const auto& group : groups) zone.merge(group->column(c).zone_map());
    } else {
      // ANALYZE's figures plus the zone maps of the rows appended since: whole row groups past
      // its end, and the segments reaching past it in the row group it ended in.
      zone = analyzed->zone;
      for (const auto& group : groups) {
        const uint64_t end = group->start_row() + group->count();
        if (end <= analyzed->row_end) continue;
        const ColumnData& data = group->column(c);
        if (group->start_row() >= analyzed->row_end) {
          zone.merge(data.zone_map());
          continue;
        }
        const uint64_t first = analyzed->row_end - group->start_row();
        // Segment infos: the zone maps without loading a segment restored from a data file.
        const std::vector<SegmentInfo> infos = data.segment_infos();
        for (size_t i = 0; i < infos.size(); i++) {
          if (data.segment_start(i) + infos[i].count > first) zone.merge(infos[i].zone_map);
        }
      }
    }
    ColumnStatistics column;
    const double rows = static_cast<double>(zone.value_count() + zone.null_count());
    column.null_fraction = rows > 0 ? static_cast<double>(zone.null_count()) / rows : 0;
    column.min = zone.min();
    column.max = zone.max();
    // A sketch cannot count more distinct values than there are values.
    column.distinct_count = std::min(sketches_[c]->estimate(), static_cast<double>(zone.value_count()));
    stats.columns.push_back(std::move(column));
  }
  return stats;
}

size_t DataTable::count_current_rows(const Transaction& txn, const std::function<void()>& check_cancelled) const {
  auto scan = begin_scan_latest(txn, {kRowIdColumn});
  LocalTableScanState local;
  DataChunk ids;
  ids.initialize({LogicalType::bigint()});
  size_t count = 0;
  while (next_morsel(*scan, local)) {
    while (this->scan(local, ids)) {
      if (check_cancelled) check_cancelled();
      count += ids.size();
    }
  }
  return count;
}

size_t DataTable::analyze(const Transaction& txn, const std::vector<size_t>& column_ids) {
  TableAnalysis analysis;
  analysis.appended = row_count_.load(std::memory_order_relaxed);
  analysis.deleted = committed_delete_count();
  const uint64_t row_end = row_id_end();
  std::vector<ZoneMap> zones;
  std::vector<std::unique_ptr<DistinctSketch>> sketches;
  std::vector<LogicalType> scan_types;
  for (size_t c : column_ids) {
    TS_CHECK(c < types_.size(), "analyze of a column that does not exist");
    zones.emplace_back(types_[c]);
    sketches.push_back(std::make_unique<DistinctSketch>());
    scan_types.push_back(types_[c]);
  }
  // A table without columns to measure still has rows to count: scan the row ids.
  std::vector<size_t> scan_columns = column_ids;
  if (scan_columns.empty()) {
    scan_columns.push_back(kRowIdColumn);
    scan_types.push_back(LogicalType::bigint());
  }
  auto scan = begin_scan(txn, scan_columns);
  LocalTableScanState local;
  DataChunk chunk;
  chunk.initialize(scan_types);
  size_t live = 0;
  while (next_morsel(*scan, local)) {
    while (this->scan(local, chunk)) {
      live += chunk.size();
      for (size_t i = 0; i < column_ids.size(); i++) {
        UnifiedVectorFormat format;
        chunk.column(i).to_unified(chunk.size(), format);
        add_to_zone_map(zones[i], types_[column_ids[i]], format, chunk.size());
        sketches[i]->add(types_[column_ids[i]], format, 0, chunk.size());
      }
    }
  }
  // The row count starts from the rows current now (committed, or the transaction's own, and
  // deleted by neither): rows other transactions committed after the snapshot are changes
  // since ANALYZE as much as those committed after it, and the counters above were read
  // before them.
  analysis.live_rows = static_cast<double>(count_current_rows(txn));
  std::lock_guard<std::mutex> lock(analysis_mutex_);
  analysis.columns = analysis_ ? analysis_->columns : std::vector<std::optional<AnalyzedColumn>>(types_.size());
  for (size_t i = 0; i < column_ids.size(); i++) {
    analysis.columns[column_ids[i]] = AnalyzedColumn{row_end, std::move(zones[i])};
    sketches_[column_ids[i]]->assign(*sketches[i]);
  }
  analysis_ = std::move(analysis);
  return live;
}

size_t DataTable::row_group_count() const {
  std::lock_guard<std::mutex> lock(row_groups_mutex_);
  return row_groups_.size();
}

std::shared_ptr<RowGroup> DataTable::row_group_at(size_t index) const {
  std::lock_guard<std::mutex> lock(row_groups_mutex_);
  return index < row_groups_.size() ? row_groups_[index] : nullptr;
}

ZoneMap DataTable::zone_map(size_t column, size_t segment_index) const {
  TS_CHECK(column < types_.size(), "zone map of a column that does not exist");
  const size_t group_index = segment_index / kVectorsPerRowGroup;
  const size_t row = (segment_index % kVectorsPerRowGroup) * kVectorSize;
  const auto row_group = row_group_at(group_index);
  if (!row_group || row_group->count() <= row) return ZoneMap(types_[column]);
  const ColumnData& data = row_group->column(column);
  return data.segment_zone_map(data.segment_index(row));
}

ZoneMap DataTable::row_group_zone_map(size_t column, size_t row_group_index) const {
  TS_CHECK(column < types_.size(), "zone map of a column that does not exist");
  const auto row_group = row_group_at(row_group_index);
  if (!row_group) return ZoneMap(types_[column]);
  return row_group->column(column).zone_map();
}

std::vector<SegmentStats> DataTable::segment_stats() const {
  std::vector<SegmentStats> out;
  for (size_t g = 0; g < row_group_count(); g++) {
    const auto row_group = row_group_at(g);
    if (!row_group) continue;
    for (size_t c = 0; c < types_.size(); c++) {
      // Segments of data files are described without being loaded.
      const ColumnData& column = row_group->column(c);
      for (auto& info : column.segment_infos()) {
        SegmentStats s;
        s.row_group = g;
        s.column = c;
        s.rows = info.count;
        s.encoding = info.encoding;
        s.codec = column.codec_name();
        s.compressed_bytes = info.memory_bytes;
        s.uncompressed_bytes = info.uncompressed_bytes;
        s.zone_map = std::move(info.zone_map);
        out.push_back(std::move(s));
      }
    }
  }
  return out;
}

}  // namespace tessera::storage
