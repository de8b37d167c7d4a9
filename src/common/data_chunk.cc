#include "src/common/data_chunk.h"

#include "src/common/assert.h"

namespace tessera {

void DataChunk::initialize(const std::vector<LogicalType>& types, size_t capacity) {
  TS_CHECK(capacity <= kVectorSize, "a data chunk holds at most kVectorSize rows");
  data_.clear();
  data_.reserve(types.size());
  capacity_ = capacity;
  for (const auto& t : types) data_.emplace_back(t, capacity);
  count_ = 0;
}

void DataChunk::initialize_empty(const std::vector<LogicalType>& types) {
  data_.clear();
  for (const auto& t : types) {
    Vector v;
    v.reference(Vector(t, 1));
    data_.push_back(std::move(v));
  }
  count_ = 0;
}

std::vector<LogicalType> DataChunk::types() const {
  std::vector<LogicalType> result;
  result.reserve(data_.size());
  for (const auto& v : data_) result.push_back(v.type());
  return result;
}

void DataChunk::reset() {
  for (auto& v : data_) v.reset(capacity_);
  count_ = 0;
}

void DataChunk::reference(const DataChunk& other) {
  TS_CHECK(other.column_count() == column_count() || data_.empty(), "reference with different column count");
  data_.resize(other.column_count());
  for (size_t i = 0; i < other.column_count(); i++) data_[i].reference(other.data_[i]);
  count_ = other.count_;
}

void DataChunk::slice(const SelectionVector& sel, size_t count) {
  for (auto& v : data_) {
    Vector sliced;
    sliced.slice(v, sel, count);
    v = std::move(sliced);
  }
  count_ = count;
}

void DataChunk::slice(const DataChunk& other, const SelectionVector& sel, size_t count) {
  data_.resize(other.column_count());
  for (size_t i = 0; i < other.column_count(); i++) data_[i].slice(other.data_[i], sel, count);
  count_ = count;
}

void DataChunk::flatten() {
  for (auto& v : data_) v.flatten(count_);
}

void DataChunk::append(const DataChunk& other) {
  TS_CHECK(other.column_count() == column_count(), "append with different column count");
  size_t needed = count_ + other.size();
  TS_CHECK(needed <= kVectorSize, "a data chunk holds at most kVectorSize rows");
  if (needed > capacity_) capacity_ = needed;
  for (size_t i = 0; i < data_.size(); i++) {
    if (data_[i].vector_type() != VectorType::kFlat) data_[i].flatten(count_);
    data_[i].copy_from(other.data_[i], SelectionVector(), other.size(), count_);
  }
  count_ = needed;
}

std::string DataChunk::to_string() const {
  std::string out;
  for (size_t r = 0; r < count_; r++) {
    for (size_t c = 0; c < data_.size(); c++) {
      if (c) out += '|';
      out += get_value(c, r).to_string();
    }
    out += '\n';
  }
  return out;
}

}  // namespace tessera
