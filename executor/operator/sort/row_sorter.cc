#include "executor/operator/sort/row_sorter.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "src/common/assert.h"

namespace tessera::executor {

namespace {

template <class T>
inline int compare_values(const uint8_t* data, sel_t a, sel_t b) {
  const T x = reinterpret_cast<const T*>(data)[a];
  const T y = reinterpret_cast<const T*>(data)[b];
  return x < y ? -1 : (y < x ? 1 : 0);
}

inline int compare_doubles(const uint8_t* data, sel_t a, sel_t b) {
  const double x = reinterpret_cast<const double*>(data)[a];
  const double y = reinterpret_cast<const double*>(data)[b];
  const bool nx = std::isnan(x), ny = std::isnan(y);
  if (nx || ny) return nx == ny ? 0 : (nx ? 1 : -1);
  return x < y ? -1 : (y < x ? 1 : 0);
}

inline int compare_strings(const uint8_t* data, sel_t a, sel_t b) {
  const auto* s = reinterpret_cast<const string_t*>(data);
  return compare(s[a], s[b]);
}

}  // namespace

RowSorter::RowSorter(const DataChunk& rows, const std::vector<Key>& keys) : count_(rows.size()) {
  for (const Key& k : keys) {
    const Vector& v = rows.column(k.column);
    TS_CHECK(v.vector_type() == VectorType::kFlat, "row sorter needs flat vectors");
    keys_.push_back(KeyColumn{v.type().physical_type(), v.data(), &v.validity(), v.validity().all_valid(), k.descending,
                              k.nulls_first});
  }
}

int RowSorter::compare(sel_t a, sel_t b) const {
  for (const KeyColumn& k : keys_) {
    if (!k.all_valid) {
      const bool va = k.validity->row_is_valid(a), vb = k.validity->row_is_valid(b);
      if (!va || !vb) {
        if (va == vb) continue;
        // NULL placement is absolute: it does not flip with DESC.
        return (!va) == k.nulls_first ? -1 : 1;
      }
    }
    int c = 0;
    switch (k.type) {
      case PhysicalType::kBool: c = compare_values<uint8_t>(k.data, a, b); break;
      case PhysicalType::kInt16: c = compare_values<int16_t>(k.data, a, b); break;
      case PhysicalType::kInt32: c = compare_values<int32_t>(k.data, a, b); break;
      case PhysicalType::kInt64: c = compare_values<int64_t>(k.data, a, b); break;
      case PhysicalType::kDouble: c = compare_doubles(k.data, a, b); break;
      case PhysicalType::kString: c = compare_strings(k.data, a, b); break;
      case PhysicalType::kInvalid: TS_CHECK(false, "sort key of invalid type");
    }
    if (c != 0) return k.descending ? -c : c;
  }
  return 0;
}

std::vector<sel_t> RowSorter::sort(size_t limit) const {
  std::vector<sel_t> order(count_);
  std::iota(order.begin(), order.end(), 0);
  // Ties break on the row number, which makes the order total and deterministic.
  auto less = [this](sel_t a, sel_t b) {
    const int c = compare(a, b);
    return c != 0 ? c < 0 : a < b;
  };
  if (limit < count_) {
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(limit), order.end(), less);
    order.resize(limit);
  } else {
    std::sort(order.begin(), order.end(), less);
  }
  return order;
}

}  // namespace tessera::executor
