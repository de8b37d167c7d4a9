#include "executor/operator/aggregate/group_representatives.h"

#include <cstring>

namespace tessera::executor {

GroupRepresentatives::GroupRepresentatives(std::span<const LogicalType> key_types) {
  for (size_t c = 0; c < key_types.size(); c++) {
    const PhysicalType pt = key_types[c].physical_type();
    if (pt != PhysicalType::kNumeric && pt != PhysicalType::kInterval) continue;
    columns_.push_back(Column{c, key_types[c].physical_size(), {}, {}});
  }
}

void GroupRepresentatives::resize(size_t num_groups) {
  for (Column& column : columns_) {
    if (column.valid.size() >= num_groups) continue;
    column.values.resize(num_groups * column.width, 0);
    column.valid.resize(num_groups, 0);
  }
}

void GroupRepresentatives::record_new(const std::vector<const Vector*>& keys, size_t count, const uint32_t* groups,
                                      uint32_t first_new, size_t num_groups) {
  if (columns_.empty() || num_groups <= first_new) return;
  const size_t old = columns_[0].valid.size();
  resize(num_groups);
  std::vector<uint8_t> seen(num_groups - first_new, 0);
  std::vector<UnifiedVectorFormat> formats(columns_.size());
  for (size_t k = 0; k < columns_.size(); k++) keys[columns_[k].index]->to_unified(count, formats[k]);
  for (size_t i = 0; i < count; i++) {
    const uint32_t g = groups[i];
    if (g < first_new || g < old || seen[g - first_new]) continue;
    seen[g - first_new] = 1;
    for (size_t k = 0; k < columns_.size(); k++) {
      Column& column = columns_[k];
      const UnifiedVectorFormat& f = formats[k];
      const sel_t idx = f.sel.get_index(i);
      if (!f.validity->row_is_valid(idx)) continue;
      std::memcpy(column.values.data() + g * column.width, f.data + idx * column.width, column.width);
      column.valid[g] = 1;
    }
  }
}

void GroupRepresentatives::copy(const GroupRepresentatives& source, uint32_t from, uint32_t to) {
  if (columns_.empty()) return;
  resize(size_t{to} + 1);
  for (size_t k = 0; k < columns_.size(); k++) {
    Column& column = columns_[k];
    const Column& s = source.columns_[k];
    if (from >= s.valid.size() || !s.valid[from]) continue;
    std::memcpy(column.values.data() + size_t{to} * column.width, s.values.data() + size_t{from} * s.width, column.width);
    column.valid[to] = 1;
  }
}

void GroupRepresentatives::restore(std::span<Vector> out, const uint32_t* groups, size_t n) const {
  for (const Column& column : columns_) {
    Vector& v = out[column.index];
    uint8_t* data = v.mutable_data();
    for (size_t i = 0; i < n; i++) {
      const uint32_t g = groups[i];
      if (g >= column.valid.size() || !column.valid[g]) continue;
      std::memcpy(data + i * column.width, column.values.data() + size_t{g} * column.width, column.width);
    }
  }
}

}  // namespace tessera::executor
