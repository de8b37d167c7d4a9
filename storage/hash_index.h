#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "src/common/memory_tracker.h"

namespace tessera::storage {

/// The serialized key of one row for an index (the caller serializes the key columns, e.g. with
/// executor::KeySerializer: equal bytes exactly when the keys are equal). A key with a NULL
/// column never conflicts (NULLS DISTINCT) and is not stored.
struct IndexKey {
  std::string_view bytes;
  bool has_null = false;
};

/// A hash index of one table: serialized key -> the row ids holding it. Kept with its table
/// (DataTable::add_index) and maintained by DataTable::append_indexed, which checks a unique
/// index before the rows go in. Entries are never versioned themselves: each lookup checks the
/// rows' insert and delete versions, so a key held by a rolled-back insert or a committed delete
/// is free, and such entries are dropped when a lookup meets them.
///
/// Thread-safety: none of its own; the owning DataTable guards every index with its index lock.
class HashIndex {
 public:
  /// `columns` are table column indexes and `column_names` their names, for messages;
  /// `name` is the constraint or index name.
  HashIndex(std::string name, std::vector<size_t> columns, std::vector<std::string> column_names, bool unique);
  HashIndex(const HashIndex&) = delete;
  HashIndex& operator=(const HashIndex&) = delete;

  const std::string& name() const { return name_; }
  const std::vector<size_t>& columns() const { return columns_; }
  const std::vector<std::string>& column_names() const { return column_names_; }
  bool unique() const { return unique_; }

  /// Number of keys and entries held (tests, monitoring).
  size_t key_count() const { return map_.size(); }
  size_t entry_count() const { return entries_; }
  /// Bytes charged to the memory tracker.
  size_t memory_bytes() const { return charge_.bytes(); }

 private:
  friend class DataTable;

  /// The row ids holding `key` (null when none).
  std::vector<int64_t>* find(std::string_view key);
  /// Adds `row_id` under `key`; the caller reserved the memory (reserve_for).
  void insert(std::string_view key, int64_t row_id);
  /// Removes `row_id` from `key`'s list (and the key when its list empties).
  void erase(std::string_view key, int64_t row_id);
  /// Charges the tracker for `count` more entries of `key_bytes` key bytes in all (53200 when
  /// it is over its limit; nothing is charged then).
  void reserve_for(size_t count, size_t key_bytes);

  static constexpr size_t kEntryOverhead = 64;  // node, bucket and row-id vector per key

  const std::string name_;
  const std::vector<size_t> columns_;
  const std::vector<std::string> column_names_;
  const bool unique_;
  std::unordered_map<std::string, std::vector<int64_t>> map_;
  size_t entries_ = 0;
  size_t bytes_ = 0;
  MemoryCharge charge_;
};

}  // namespace tessera::storage
