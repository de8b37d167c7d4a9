#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>

#include "src/common/vector.h"
#include "storage/storage_constants.h"
#include "storage/versioned_object.h"

namespace tessera::storage {

/// The delete version of every row of one row group: kNotDeleted, the deleting statement's write
/// version (Transaction::write_version) until its transaction ends, then the commit timestamp (back to kNotDeleted if it rolls back). Kept per
/// 2048-row vector and allocated only when a row of the vector is first deleted, so scans of
/// vectors nobody deleted from pay one pointer load (DuckDB's per-vector version info).
///
/// A row is visible to a read when its insert is visible and its delete version is not
/// (RowVisibility::sees): a delete committed after a reader's snapshot
/// leaves the row visible to that reader.
///
/// Thread-safety: all methods are thread-safe. A row's version changes by compare-and-swap
/// (`try_delete`), so two transactions never both delete one row; commit and rollback stamp
/// under the TransactionManager's publication lock; readers load versions atomically and see either
/// the id or the timestamp, both invisible to a snapshot that began before the commit.
class DeleteVersions {
 public:
  DeleteVersions() = default;
  DeleteVersions(const DeleteVersions&) = delete;
  DeleteVersions& operator=(const DeleteVersions&) = delete;

  /// Atomically sets row `row`'s version to `txn_id` if it is kNotDeleted. Returns the version
  /// the row carried: kNotDeleted when this call deleted it, else the version that stopped it.
  uint64_t try_delete(size_t row, uint64_t txn_id);
  /// Stamps `rows` (row group offsets deleted by one transaction) with `commit_ts`.
  void commit(const uint32_t* rows, size_t count, uint64_t commit_ts);
  /// Makes `rows` not deleted again.
  void rollback(const uint32_t* rows, size_t count);

  /// Row `row`'s delete version (kNotDeleted when never deleted).
  uint64_t version(size_t row) const;
  /// Whether any row of vector `vector_index` was ever the target of a delete.
  bool has_deletes(size_t vector_index) const {
    return vectors_[vector_index].load(std::memory_order_acquire) != nullptr;
  }
  /// Keeps the rows sel[0..count) (offsets within vector `vector_index`) whose delete
  /// `visibility` does not see, compacting `sel` in place; returns how many remain.
  size_t filter_visible(size_t vector_index, const RowVisibility& visibility, uint32_t* sel, size_t count) const;

 private:
  struct VectorDeletes {
    VectorDeletes();
    std::atomic<uint64_t> rows[kVectorSize];
  };
  VectorDeletes& vector_for_write(size_t vector_index);

  /// Published pointers (readers); the storage they point to is owned by owned_.
  std::array<std::atomic<VectorDeletes*>, kVectorsPerRowGroup> vectors_{};
  std::mutex allocate_mutex_;  // guards owned_ (allocation of a vector's versions)
  std::array<std::unique_ptr<VectorDeletes>, kVectorsPerRowGroup> owned_;
};

}  // namespace tessera::storage
