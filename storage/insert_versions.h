#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "src/common/vector.h"
#include "storage/storage_constants.h"
#include "storage/versioned_object.h"

namespace tessera::storage {

/// The insert version of every row of one row group, kept per 2048-row vector: the appending
/// statement's write version (Transaction::write_version) until commit, then the commit timestamp (kRolledBackVersion after rollback).
/// A vector whose 2048 rows are all committed also records the newest of their commit
/// timestamps, so scans of old data skip the per-row check (the fast path).
///
/// Thread-safety: one writer appends (the owning table's append lock), commit/rollback run under
/// the TransactionManager's publication lock, and any number of readers may check visibility of rows
/// whose count was published to them (RowGroup::count(), acquire) at the same time. Versions are
/// atomics, so readers racing with a commit see either the id or the timestamp, both invisible
/// to a reader that began before the commit.
class InsertVersions {
 public:
  InsertVersions() = default;
  InsertVersions(const InsertVersions&) = delete;
  InsertVersions& operator=(const InsertVersions&) = delete;

  /// Writer: rows [start, start + count) (row group offsets) now carry `txn_id`.
  void append(size_t start, size_t count, uint64_t txn_id);
  /// Stamps rows [start, start + count) with `commit_ts`; `rows_written` is the row group's
  /// current row count, used to detect vectors that became fully committed.
  void commit(size_t start, size_t count, uint64_t commit_ts, size_t rows_written);
  /// Stamps rows [start, start + count) as rolled back.
  void rollback(size_t start, size_t count);

  /// Whether every row of vector `vector_index` is committed at or before `start_ts`
  /// (only ever true for a full vector).
  bool all_visible(size_t vector_index, uint64_t start_ts) const;
  /// Writes the offsets (within the vector) of the first `count` rows of vector `vector_index`
  /// whose insert `visibility` sees into `sel`; returns how many.
  size_t select_visible(size_t vector_index, size_t count, const RowVisibility& visibility, uint32_t* sel) const;
  /// The version of one row (tests, debugging).
  uint64_t version(size_t row) const;

 private:
  static constexpr uint64_t kNotAllCommitted = ~uint64_t{0};
  struct VectorVersions {
    std::atomic<uint64_t> rows[kVectorSize];
    /// The newest commit timestamp of the vector once all its rows are committed, else
    /// kNotAllCommitted.
    std::atomic<uint64_t> all_committed_ts{kNotAllCommitted};
  };
  template <class F>
  void for_each_vector(size_t start, size_t count, F&& f);

  std::array<std::unique_ptr<VectorVersions>, kVectorsPerRowGroup> vectors_;
};

}  // namespace tessera::storage
