#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "src/common/vector.h"

namespace tessera::storage {

class RowGroup;

/// The shared state of one parallel scan of a DataTable: a snapshot of the table's row groups
/// and their row counts taken at DataTable::begin_scan, the projection, the reading transaction's
/// visibility (start timestamp and id), and the next morsel to hand out. Rows appended after
/// begin_scan are never returned (so INSERT INTO t SELECT ... FROM t terminates); rows committed
/// after the transaction began are invisible anyway.
///
/// Thread-safety: shared by all workers of the scan; DataTable::next_morsel claims morsels with
/// an atomic counter. Must outlive every LocalTableScanState that claimed from it.
class ParallelTableScanState {
 public:
  ParallelTableScanState() = default;
  ParallelTableScanState(const ParallelTableScanState&) = delete;
  ParallelTableScanState& operator=(const ParallelTableScanState&) = delete;

  /// Morsels (row groups) in the snapshot: an upper bound on useful worker threads.
  size_t morsel_count() const { return morsels_.size(); }
  /// Rows in the snapshot (including rows the transaction may not see).
  size_t snapshot_row_count() const;
  const std::vector<size_t>& column_ids() const { return column_ids_; }

 private:
  friend class DataTable;
  struct Morsel {
    std::shared_ptr<const RowGroup> row_group;
    size_t row_limit;  // the group's row count at begin_scan
  };
  std::vector<Morsel> morsels_;
  std::vector<size_t> column_ids_;
  uint64_t start_ts_ = 0;
  uint64_t txn_id_ = 0;
  std::atomic<size_t> next_morsel_{0};
};

/// One worker's position in the morsel it claimed. Thread-safety: owned by one worker.
class LocalTableScanState {
 public:
  LocalTableScanState() = default;

 private:
  friend class DataTable;
  const ParallelTableScanState* global_ = nullptr;
  const RowGroup* row_group_ = nullptr;  // kept alive by global_'s snapshot
  size_t row_limit_ = 0;
  size_t vector_index_ = 0;
  std::unique_ptr<uint32_t[]> sel_;  // kVectorSize entries
};

}  // namespace tessera::storage
