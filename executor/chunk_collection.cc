#include "executor/chunk_collection.h"

#include <cstring>

#include "src/common/assert.h"

namespace tessera::executor {

void ChunkCollection::append(const DataChunk& chunk) { append(chunk, SelectionVector(), chunk.size()); }

void ChunkCollection::append(const DataChunk& chunk, const SelectionVector& sel, size_t count) {
  if (count == 0) return;
  TS_DCHECK(chunk.column_count() == types_.size(), "chunk collection: column count mismatch");
  DataChunk copy;
  copy.initialize(types_, count);
  for (size_t c = 0; c < types_.size(); c++) copy.column(c).copy_from(chunk.column(c), sel, count, 0);
  copy.set_size(count);
  chunks_.push_back(std::move(copy));
  num_rows_ += count;
}

void ChunkCollection::absorb(ChunkCollection& other) {
  if (chunks_.empty()) {
    chunks_ = std::move(other.chunks_);
  } else {
    chunks_.reserve(chunks_.size() + other.chunks_.size());
    for (auto& c : other.chunks_) chunks_.push_back(std::move(c));
  }
  num_rows_ += other.num_rows_;
  other.chunks_.clear();
  other.num_rows_ = 0;
}

void ChunkCollection::clear() {
  chunks_.clear();
  num_rows_ = 0;
}

DataChunk ChunkCollection::consolidate() const {
  DataChunk result;
  result.initialize(types_, num_rows_ == 0 ? 1 : num_rows_);
  for (size_t c = 0; c < types_.size(); c++) {
    Vector& target = result.column(c);
    const size_t width = types_[c].physical_size();
    const bool is_string = types_[c].physical_type() == PhysicalType::kString;
    size_t offset = 0;
    for (const DataChunk& chunk : chunks_) {
      // The chunks are flat copies made by append(), so their buffers can be copied wholesale.
      const Vector& source = chunk.column(c);
      const size_t n = chunk.size();
      std::memcpy(target.mutable_data() + offset * width, source.data(), n * width);
      if (!source.validity().all_valid()) {
        ValidityMask& target_validity = target.mutable_validity();
        for (size_t i = 0; i < n; i++) {
          if (!source.validity().row_is_valid(i)) target_validity.set_invalid(offset + i);
        }
      }
      if (is_string) target.keep_heaps_of(source);
      offset += n;
    }
  }
  result.set_size(num_rows_);
  return result;
}

}  // namespace tessera::executor
