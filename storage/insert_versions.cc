#include "storage/insert_versions.h"

#include <algorithm>

#include "src/common/assert.h"
#include "storage/transaction.h"

namespace tessera::storage {

template <class F>
void InsertVersions::for_each_vector(size_t start, size_t count, F&& f) {
  size_t row = start;
  const size_t end = start + count;
  while (row < end) {
    const size_t vector_index = row / kVectorSize;
    const size_t begin_in_vector = row % kVectorSize;
    const size_t n = std::min(end - row, kVectorSize - begin_in_vector);
    f(vector_index, begin_in_vector, n);
    row += n;
  }
}

void InsertVersions::append(size_t start, size_t count, uint64_t txn_id) {
  TS_CHECK(start + count <= kRowGroupSize, "append past the end of a row group");
  for_each_vector(start, count, [&](size_t v, size_t begin, size_t n) {
    if (!vectors_[v]) vectors_[v] = std::make_unique<VectorVersions>();
    for (size_t i = begin; i < begin + n; i++) vectors_[v]->rows[i].store(txn_id, std::memory_order_relaxed);
  });
}

void InsertVersions::commit(size_t start, size_t count, uint64_t commit_ts, size_t rows_written) {
  for_each_vector(start, count, [&](size_t v, size_t begin, size_t n) {
    VectorVersions& vv = *vectors_[v];
    for (size_t i = begin; i < begin + n; i++) vv.rows[i].store(commit_ts, std::memory_order_relaxed);
    if (rows_written < (v + 1) * kVectorSize) return;  // not full yet: a later commit checks
    uint64_t newest = 0;
    for (size_t i = 0; i < kVectorSize; i++) {
      const uint64_t version = vv.rows[i].load(std::memory_order_relaxed);
      if (version >= kTransactionIdStart) return;  // uncommitted or rolled back rows remain
      newest = std::max(newest, version);
    }
    vv.all_committed_ts.store(newest, std::memory_order_release);
  });
}

void InsertVersions::rollback(size_t start, size_t count) {
  for_each_vector(start, count, [&](size_t v, size_t begin, size_t n) {
    for (size_t i = begin; i < begin + n; i++) vectors_[v]->rows[i].store(kRolledBackVersion, std::memory_order_relaxed);
  });
}

bool InsertVersions::all_visible(size_t vector_index, uint64_t start_ts) const {
  return vectors_[vector_index]->all_committed_ts.load(std::memory_order_acquire) <= start_ts;
}

size_t InsertVersions::select_visible(size_t vector_index, size_t count, const RowVisibility& visibility,
                                      uint32_t* sel) const {
  const VectorVersions& vv = *vectors_[vector_index];
  size_t n = 0;
  for (size_t i = 0; i < count; i++) {
    const uint64_t version = vv.rows[i].load(std::memory_order_relaxed);
    sel[n] = static_cast<uint32_t>(i);
    n += visibility.sees(version) ? 1 : 0;
  }
  return n;
}

uint64_t InsertVersions::version(size_t row) const {
  return vectors_[row / kVectorSize]->rows[row % kVectorSize].load(std::memory_order_relaxed);
}

}  // namespace tessera::storage
