#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <unordered_map>

namespace tessera::storage {

class ColumnData;

/// What the buffer pool holds and has done (the tessera_buffer_pool figures, tests).
struct BufferPoolStats {
  uint64_t limit = 0;          ///< bytes of loaded columns the pool keeps at most
  uint64_t loaded_bytes = 0;   ///< bytes of the loaded columns it tracks now
  size_t loaded_columns = 0;
  uint64_t loads = 0;          ///< columns read from data files so far
  uint64_t evictions = 0;      ///< columns dropped so far
};

/// Keeps the memory of columns read from data files (ColumnData::restore_unloaded) within a
/// limit: every load is reported here with its bytes; when the loaded columns take more than
/// the limit, columns are dropped (ColumnData::evict) in clock order — the oldest loaded first,
/// except that one used since the hand last passed it gets a second chance — until they fit
/// again. A dropped column is read again from its data file on its next use. Columns a scan
/// has pinned stay in memory until the scan lets go, so the memory in use may pass the limit
/// by what running scans hold. Columns that live only in memory (appended since the last
/// checkpoint) are not the pool's: they are the table's until a checkpoint writes them.
///
/// One pool per process (the data files of one server). Thread-safety: all methods.
class BufferPool {
 public:
  static BufferPool& instance();

  /// Sets the limit (0: no limit) and drops columns until the loaded ones fit it.
  void set_limit(uint64_t bytes);
  BufferPoolStats stats() const;

  /// ColumnData: `column` loaded `bytes` of segments (again, perhaps).
  void loaded(const ColumnData* column, size_t bytes);
  /// ColumnData's destructor: forget `column`.
  void forget(const ColumnData* column);

 private:
  struct Entry {
    const ColumnData* column;
    size_t bytes;
  };
  /// Drops columns other than `keep` until the loaded bytes fit the limit; mutex_ held.
  void shrink(const ColumnData* keep);

  mutable std::mutex mutex_;
  uint64_t limit_ = 0;
  uint64_t bytes_ = 0;
  uint64_t loads_ = 0;
  uint64_t evictions_ = 0;
  std::list<Entry> clock_;  // front: the next the hand looks at
  std::unordered_map<const ColumnData*, std::list<Entry>::iterator> entries_;
};

}  // namespace tessera::storage
