#include "executor/chunk_collection.h"

#include <algorithm>
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

void ChunkCollection::append(const ColumnarRows& rows, const SelectionVector& sel, size_t count) {
  TS_DCHECK(rows.column_count() == types_.size(), "chunk collection: column count mismatch");
  for (size_t done = 0; done < count;) {
    const size_t n = std::min(kVectorSize, count - done);
    DataChunk copy;
    copy.initialize(types_, n);
    SelectionVector part(n);
    for (size_t i = 0; i < n; i++) part.set_index(i, sel.get_index(done + i));
    for (size_t c = 0; c < types_.size(); c++) copy.column(c).copy_from(rows.column(c), part, n, 0);
    copy.set_size(n);
    chunks_.push_back(std::move(copy));
    num_rows_ += n;
    done += n;
  }
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

ColumnarRows ChunkCollection::consolidate() const {
  ColumnarRows result;
  result.columns.reserve(types_.size());
  for (const auto& type : types_) result.columns.emplace_back(type, num_rows_ == 0 ? 1 : num_rows_);
  for (size_t c = 0; c < types_.size(); c++) {
    Vector& target = result.columns[c];
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
  result.num_rows = num_rows_;
  return result;
}

}  // namespace tessera::executor
