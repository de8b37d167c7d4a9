#include "executor/operator/sort/sort_buffer.h"

#include <algorithm>

namespace tessera::executor {

namespace {

std::vector<LogicalType> buffer_types(const std::vector<LogicalType>& payload_types, const std::vector<SortKey>& keys) {
  std::vector<LogicalType> types = payload_types;
  for (const auto& k : keys) types.push_back(k.expression->type);
  return types;
}

}  // namespace

SortBuffer::SortBuffer(const std::vector<LogicalType>& payload_types, const std::vector<SortKey>& keys)
    : keys_(keys), payload_count_(payload_types.size()), rows_(buffer_types(payload_types, keys)) {}

std::vector<RowSorter::Key> SortBuffer::sorter_keys() const {
  std::vector<RowSorter::Key> keys;
  for (size_t k = 0; k < keys_.size(); k++) keys.push_back({payload_count_ + k, keys_[k].descending, keys_[k].nulls_first});
  return keys;
}

void SortBuffer::append(ExpressionExecutor& expressions, const DataChunk& in) {
  if (in.size() == 0) return;
  DataChunk combined;
  for (size_t c = 0; c < payload_count_; c++) combined.columns().push_back(in.column(c));
  for (const auto& k : keys_) {
    Vector v;
    expressions.execute(*k.expression, in, v);
    combined.columns().push_back(std::move(v));
  }
  combined.set_size(in.size());
  rows_.append(combined);
}

void SortBuffer::absorb(SortBuffer& other) { rows_.absorb(other.rows_); }

void SortBuffer::keep_best(size_t limit) {
  if (rows_.size() <= limit) return;
  ColumnarRows all = rows_.consolidate();
  const std::vector<sel_t> best = RowSorter(all, sorter_keys()).sort(limit);
  rows_.clear();
  SelectionVector sel(const_cast<sel_t*>(best.data()));
  rows_.append(all, sel, best.size());
}

void SortBuffer::sort(size_t limit) {
  sorted_ = rows_.consolidate();
  rows_.clear();
  order_ = RowSorter(sorted_, sorter_keys()).sort(limit);
}

void SortBuffer::scan(size_t* position, size_t end, DataChunk& out) const {
  end = std::min(end, order_.size());
  if (*position >= end) {
    out.set_size(0);
    return;
  }
  const size_t n = std::min(kVectorSize, end - *position);
  SelectionVector sel(const_cast<sel_t*>(order_.data() + *position));
  for (size_t c = 0; c < payload_count_; c++) out.column(c).slice(sorted_.column(c), sel, n);
  out.set_size(n);
  *position += n;
}

}  // namespace tessera::executor
