#include "storage/delete_versions.h"

#include "src/common/assert.h"

namespace tessera::storage {

DeleteVersions::VectorDeletes::VectorDeletes() {
  for (auto& row : rows) row.store(kNotDeleted, std::memory_order_relaxed);
}

DeleteVersions::VectorDeletes& DeleteVersions::vector_for_write(size_t vector_index) {
  TS_CHECK(vector_index < kVectorsPerRowGroup, "delete past the end of a row group");
  VectorDeletes* existing = vectors_[vector_index].load(std::memory_order_acquire);
  if (existing != nullptr) return *existing;
  std::lock_guard<std::mutex> lock(allocate_mutex_);
  if (!owned_[vector_index]) {
    owned_[vector_index] = std::make_unique<VectorDeletes>();
    // Publish only the fully initialized versions.
    vectors_[vector_index].store(owned_[vector_index].get(), std::memory_order_release);
  }
  return *owned_[vector_index];
}

uint64_t DeleteVersions::try_delete(size_t row, uint64_t txn_id) {
  VectorDeletes& v = vector_for_write(row / kVectorSize);
  uint64_t expected = kNotDeleted;
  if (v.rows[row % kVectorSize].compare_exchange_strong(expected, txn_id, std::memory_order_acq_rel)) return kNotDeleted;
  return expected;
}

void DeleteVersions::commit(const uint32_t* rows, size_t count, uint64_t commit_ts) {
  for (size_t i = 0; i < count; i++) {
    VectorDeletes* v = vectors_[rows[i] / kVectorSize].load(std::memory_order_acquire);
    TS_CHECK(v != nullptr, "commit of a delete that was never recorded");
    v->rows[rows[i] % kVectorSize].store(commit_ts, std::memory_order_release);
  }
}

void DeleteVersions::rollback(const uint32_t* rows, size_t count) {
  for (size_t i = 0; i < count; i++) {
    VectorDeletes* v = vectors_[rows[i] / kVectorSize].load(std::memory_order_acquire);
    TS_CHECK(v != nullptr, "rollback of a delete that was never recorded");
    v->rows[rows[i] % kVectorSize].store(kNotDeleted, std::memory_order_release);
  }
}

uint64_t DeleteVersions::version(size_t row) const {
  const VectorDeletes* v = vectors_[row / kVectorSize].load(std::memory_order_acquire);
  return v == nullptr ? kNotDeleted : v->rows[row % kVectorSize].load(std::memory_order_acquire);
}

size_t DeleteVersions::filter_visible(size_t vector_index, const RowVisibility& visibility, uint32_t* sel,
                                      size_t count) const {
  const VectorDeletes* v = vectors_[vector_index].load(std::memory_order_acquire);
  if (v == nullptr) return count;
  size_t kept = 0;
  for (size_t i = 0; i < count; i++) {
    const uint64_t version = v->rows[sel[i]].load(std::memory_order_acquire);
    const bool deleted = visibility.sees(version);
    sel[kept] = sel[i];
    kept += deleted ? 0 : 1;
  }
  return kept;
}

}  // namespace tessera::storage
