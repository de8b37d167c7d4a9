#include "executor/operator/sort/row_sorter.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
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

template <class T = double>
inline int compare_doubles(const uint8_t* data, sel_t a, sel_t b) {
  const T x = reinterpret_cast<const T*>(data)[a];
  const T y = reinterpret_cast<const T*>(data)[b];
  const bool nx = std::isnan(x), ny = std::isnan(y);
  if (nx || ny) return nx == ny ? 0 : (nx ? 1 : -1);
  return x < y ? -1 : (y < x ? 1 : 0);
}

inline int compare_interval_rows(const uint8_t* data, sel_t a, sel_t b) {
  const auto* v = reinterpret_cast<const Interval*>(data);
  return compare_intervals(v[a], v[b]);
}

inline int compare_numeric_rows(const uint8_t* data, sel_t a, sel_t b) {
  const auto* v = reinterpret_cast<const Numeric*>(data);
  return numeric::compare(v[a], v[b]);
}

inline int compare_strings(const uint8_t* data, sel_t a, sel_t b) {
  const auto* s = reinterpret_cast<const string_t*>(data);
  return compare(s[a], s[b]);
}

}  // namespace

RowSorter::RowSorter(const ColumnarRows& rows, const std::vector<Key>& keys) : count_(rows.size()) {
  for (const Key& k : keys) {
    const Vector& v = rows.column(k.column);
    TS_CHECK(v.vector_type() == VectorType::kFlat, "row sorter needs flat vectors");
    keys_.push_back(KeyColumn{v.type().physical_type(), v.data(), &v.validity(), v.validity().all_valid(), k.descending,
                              k.nulls_first});
  }
}

int RowSorter::compare_from(size_t first_key, sel_t a, sel_t b) const {
  for (size_t i = first_key; i < keys_.size(); i++) {
    const KeyColumn& k = keys_[i];
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
      case PhysicalType::kFloat: c = compare_doubles<float>(k.data, a, b); break;
      case PhysicalType::kString: c = compare_strings(k.data, a, b); break;
      case PhysicalType::kInterval: c = compare_interval_rows(k.data, a, b); break;
      case PhysicalType::kNumeric: c = compare_numeric_rows(k.data, a, b); break;
      case PhysicalType::kInvalid: TS_CHECK(false, "sort key of invalid type");
    }
    if (c != 0) return k.descending ? -c : c;
  }
  return 0;
}

uint64_t RowSorter::normalized_first_key(sel_t row) const {
  const KeyColumn& k = keys_[0];
  constexpr uint64_t kSign = uint64_t{1} << 63;
  uint64_t v = 0;
  switch (k.type) {
    case PhysicalType::kBool: v = k.data[row]; break;
    case PhysicalType::kInt16: v = static_cast<uint64_t>(static_cast<int64_t>(reinterpret_cast<const int16_t*>(k.data)[row])) ^ kSign; break;
    case PhysicalType::kInt32: v = static_cast<uint64_t>(static_cast<int64_t>(reinterpret_cast<const int32_t*>(k.data)[row])) ^ kSign; break;
    case PhysicalType::kInt64: v = static_cast<uint64_t>(reinterpret_cast<const int64_t*>(k.data)[row]) ^ kSign; break;
    case PhysicalType::kDouble:
    case PhysicalType::kFloat: {
      // A real widens exactly to double, so both share the double's order-preserving bits.
      double d = k.type == PhysicalType::kFloat ? static_cast<double>(reinterpret_cast<const float*>(k.data)[row])
                                                : reinterpret_cast<const double*>(k.data)[row];
      if (d == 0) d = 0;
      if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      // Negative numbers reverse their order; the canonical NaN lands above +Infinity.
      v = (bits & kSign) ? ~bits : (bits | kSign);
      break;
    }
    case PhysicalType::kString: {
      const string_t& str = reinterpret_cast<const string_t*>(k.data)[row];
      uint8_t prefix[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      std::memcpy(prefix, str.data(), std::min<size_t>(8, str.size()));
      for (int i = 0; i < 8; i++) v = (v << 8) | prefix[i];
      break;
    }
    case PhysicalType::kInterval: {
      // The high half of the normalized value with its sign flipped: a prefix, like strings'.
      const __int128 n = reinterpret_cast<const Interval*>(k.data)[row].normalized();
      const unsigned __int128 u = static_cast<unsigned __int128>(n) ^ (static_cast<unsigned __int128>(1) << 127);
      v = static_cast<uint64_t>(u >> 64);
      break;
    }
    case PhysicalType::kNumeric: {
      // Order-preserving but coarse: NaN highest, then sign, then the leading digit's position.
      const Numeric& n = reinterpret_cast<const Numeric*>(k.data)[row];
      if (n.is_nan()) {
        v = ~uint64_t{0};
      } else {
        const __int128 c = n.coefficient();
        const uint64_t mag = static_cast<uint64_t>(numeric::digit_count(c) - n.scale() + 1024);
        if (c == 0) v = kSign;
        else if (c > 0) v = kSign | (uint64_t{1} << 62) | mag;
        else v = (uint64_t{1} << 62) - 1 - mag;
      }
      break;
    }
    case PhysicalType::kInvalid: TS_CHECK(false, "sort key of invalid type");
  }
  return k.descending ? ~v : v;
}

void RowSorter::sort_rows(std::vector<sel_t>& rows, size_t first_key, size_t limit) const {
  auto less = [this, first_key](sel_t a, sel_t b) {
    const int c = compare_from(first_key, a, b);
    return c != 0 ? c < 0 : a < b;
  };
  if (limit < rows.size()) {
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(limit), rows.end(), less);
    rows.resize(limit);
  } else {
    std::sort(rows.begin(), rows.end(), less);
  }
}

std::vector<sel_t> RowSorter::sort(size_t limit) const {
  std::vector<sel_t> order;
  if (keys_.empty()) {
    order.resize(std::min(limit, count_));
    std::iota(order.begin(), order.end(), 0);
    return order;
  }
  // Rows whose first key is NULL sort as a block before or after all others, ordered by the
  // remaining keys.
  const KeyColumn& first = keys_[0];
  std::vector<sel_t> nulls;
  struct Entry {
    uint64_t key;
    sel_t row;
  };
  std::vector<Entry> entries;
  entries.reserve(count_);
  for (sel_t r = 0; r < count_; r++) {
    if (!first.all_valid && !first.validity->row_is_valid(r)) {
      nulls.push_back(r);
    } else {
      entries.push_back(Entry{normalized_first_key(r), r});
    }
  }
  // Equal normalized keys are equal first keys, except for strings and intervals (a prefix only).
  const size_t tie_key = first.type == PhysicalType::kString || first.type == PhysicalType::kInterval ||
                                 first.type == PhysicalType::kNumeric
                             ? 0
                             : 1;
  auto entry_less = [this, tie_key](const Entry& a, const Entry& b) {
    if (a.key != b.key) return a.key < b.key;
    const int c = compare_from(tie_key, a.row, b.row);
    return c != 0 ? c < 0 : a.row < b.row;
  };
  const size_t total = std::min(limit, count_);
  order.reserve(total);
  auto take_values = [&](size_t wanted) {
    if (wanted == 0) return;
    if (wanted < entries.size()) {
      std::partial_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(wanted), entries.end(), entry_less);
    } else {
      std::sort(entries.begin(), entries.end(), entry_less);
    }
    for (size_t i = 0; i < wanted && i < entries.size(); i++) order.push_back(entries[i].row);
  };
  auto take_nulls = [&](size_t wanted) {
    if (wanted == 0) return;
    sort_rows(nulls, 1, wanted);
    for (size_t i = 0; i < wanted && i < nulls.size(); i++) order.push_back(nulls[i]);
  };
  if (first.nulls_first) {
    const size_t n = std::min(total, nulls.size());
    take_nulls(n);
    take_values(total - n);
  } else {
    const size_t n = std::min(total, entries.size());
    take_values(n);
    take_nulls(total - n);
  }
  return order;
}

}  // namespace tessera::executor
