#include "executor/key_serializer.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "src/common/assert.h"

namespace tessera::executor {

namespace {

/// Writes the fixed-width values of one column at each row's cursor.
template <class T>
void write_fixed(const UnifiedVectorFormat& f, size_t count, uint8_t* bytes, uint32_t* cursors, uint8_t* has_null) {
  const T* values = f.values<T>();
  const bool all_valid = f.validity->all_valid();
  for (size_t i = 0; i < count; i++) {
    const sel_t idx = f.sel.get_index(i);
    uint8_t* p = bytes + cursors[i];
    if (!all_valid && !f.validity->row_is_valid(idx)) {
      *p = 0;
      cursors[i] += 1;
      has_null[i] = 1;
      continue;
    }
    *p = 1;
    T v = values[idx];
    if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
      // One representation per group: -0.0 as 0.0 and every NaN as the canonical NaN.
      if (v == 0) v = 0;
      if (std::isnan(v)) v = std::numeric_limits<T>::quiet_NaN();
    }
    if constexpr (std::is_same_v<T, Numeric>) {
      // Equal numerics (1.0, 1.00) get one key: the value without trailing fractional zeros.
      v = numeric::normalize(v);
    }
    if constexpr (std::is_same_v<T, Interval>) {
      // Equal intervals ('1 mon', '30 days') get one key: their normalized microseconds.
      const __int128 n = v.normalized();
      std::memcpy(p + 1, &n, sizeof(n));
    } else {
      std::memcpy(p + 1, &v, sizeof(T));
    }
    cursors[i] += 1 + sizeof(T);
  }
}

void write_strings(const UnifiedVectorFormat& f, size_t count, uint8_t* bytes, uint32_t* cursors, uint8_t* has_null) {
  const string_t* values = f.values<string_t>();
  const bool all_valid = f.validity->all_valid();
  for (size_t i = 0; i < count; i++) {
    const sel_t idx = f.sel.get_index(i);
    uint8_t* p = bytes + cursors[i];
    if (!all_valid && !f.validity->row_is_valid(idx)) {
      *p = 0;
      cursors[i] += 1;
      has_null[i] = 1;
      continue;
    }
    *p = 1;
    const string_t& s = values[idx];
    const uint32_t len = s.size();
    std::memcpy(p + 1, &len, 4);
    if (len > 0) std::memcpy(p + 5, s.data(), len);
    cursors[i] += 5 + len;
  }
}

/// The interval a normalized key stands for, in justified form (months, days below 30,
/// microseconds below a day, one sign), as groups of equal intervals are shown.
Interval interval_from_key(__int128 n) {
  constexpr __int128 kMonth = static_cast<__int128>(30) * datetime::kUsecsPerDay;
  __int128 months = n / kMonth;
  if (months > std::numeric_limits<int32_t>::max()) months = std::numeric_limits<int32_t>::max();
  if (months < std::numeric_limits<int32_t>::min()) months = std::numeric_limits<int32_t>::min();
  __int128 rest = n - months * kMonth;
  __int128 days = rest / datetime::kUsecsPerDay;
  if (days > std::numeric_limits<int32_t>::max()) days = std::numeric_limits<int32_t>::max();
  if (days < std::numeric_limits<int32_t>::min()) days = std::numeric_limits<int32_t>::min();
  rest -= days * datetime::kUsecsPerDay;
  return Interval{static_cast<int64_t>(rest), static_cast<int32_t>(days), static_cast<int32_t>(months)};
}

}  // namespace

void KeySerializer::serialize(const std::vector<const Vector*>& columns, size_t count) {
  count_ = count;
  offsets_.resize(count + 1);
  cursors_.resize(count);
  hashes_.resize(count);
  has_null_.assign(count, 0);

  std::vector<UnifiedVectorFormat> formats(columns.size());
  size_t fixed = 0;
  for (size_t c = 0; c < columns.size(); c++) {
    columns[c]->to_unified(count, formats[c]);
    const PhysicalType pt = columns[c]->type().physical_type();
    fixed += 1 + (pt == PhysicalType::kString ? 4 : columns[c]->type().physical_size());
  }
  // Row lengths: the fixed part plus string bytes (NULL strings take only their flag, so the
  // bound is generous for them; the offsets use exact lengths below).
  std::vector<uint32_t>& lengths = cursors_;
  for (size_t i = 0; i < count; i++) lengths[i] = static_cast<uint32_t>(fixed);
  for (size_t c = 0; c < columns.size(); c++) {
    const PhysicalType pt = columns[c]->type().physical_type();
    const UnifiedVectorFormat& f = formats[c];
    const bool all_valid = f.validity->all_valid();
    const uint32_t width = pt == PhysicalType::kString ? 4 : static_cast<uint32_t>(columns[c]->type().physical_size());
    for (size_t i = 0; i < count; i++) {
      const sel_t idx = f.sel.get_index(i);
      if (!all_valid && !f.validity->row_is_valid(idx)) {
        lengths[i] -= width;
      } else if (pt == PhysicalType::kString) {
        lengths[i] += f.values<string_t>()[idx].size();
      }
    }
  }
  size_t total = 0;
  for (size_t i = 0; i < count; i++) {
    offsets_[i] = static_cast<uint32_t>(total);
    total += lengths[i];
  }
  TS_CHECK(total <= std::numeric_limits<uint32_t>::max(), "serialized keys exceed 4 GiB");
  offsets_[count] = static_cast<uint32_t>(total);
  bytes_.resize(total + 1);
  for (size_t i = 0; i < count; i++) cursors_[i] = offsets_[i];

  for (size_t c = 0; c < columns.size(); c++) {
    const UnifiedVectorFormat& f = formats[c];
    switch (columns[c]->type().physical_type()) {
      case PhysicalType::kBool: write_fixed<uint8_t>(f, count, bytes_.data(), cursors_.data(), has_null_.data()); break;
      case PhysicalType::kInt16: write_fixed<int16_t>(f, count, bytes_.data(), cursors_.data(), has_null_.data()); break;
      case PhysicalType::kInt32: write_fixed<int32_t>(f, count, bytes_.data(), cursors_.data(), has_null_.data()); break;
      case PhysicalType::kInt64: write_fixed<int64_t>(f, count, bytes_.data(), cursors_.data(), has_null_.data()); break;
      case PhysicalType::kDouble: write_fixed<double>(f, count, bytes_.data(), cursors_.data(), has_null_.data()); break;
      case PhysicalType::kFloat: write_fixed<float>(f, count, bytes_.data(), cursors_.data(), has_null_.data()); break;
      case PhysicalType::kString: write_strings(f, count, bytes_.data(), cursors_.data(), has_null_.data()); break;
      case PhysicalType::kInterval: write_fixed<Interval>(f, count, bytes_.data(), cursors_.data(), has_null_.data()); break;
      case PhysicalType::kNumeric: write_fixed<Numeric>(f, count, bytes_.data(), cursors_.data(), has_null_.data()); break;
      case PhysicalType::kInvalid: TS_CHECK(false, "key column of invalid type");
    }
  }
  for (size_t i = 0; i < count; i++) hashes_[i] = hash_bytes(bytes_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
}

void KeySerializer::deserialize(const uint8_t*& cursor, Vector& out, size_t row) {
  if (*cursor++ == 0) {
    out.mutable_validity().set_invalid(row);
    return;
  }
  switch (out.type().physical_type()) {
    case PhysicalType::kBool: std::memcpy(out.mutable_data() + row, cursor, 1); cursor += 1; return;
    case PhysicalType::kInt16: std::memcpy(out.mutable_data() + row * 2, cursor, 2); cursor += 2; return;
    case PhysicalType::kInt32:
    case PhysicalType::kFloat: std::memcpy(out.mutable_data() + row * 4, cursor, 4); cursor += 4; return;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble: std::memcpy(out.mutable_data() + row * 8, cursor, 8); cursor += 8; return;
    case PhysicalType::kString: {
      uint32_t len;
      std::memcpy(&len, cursor, 4);
      out.mutable_values<string_t>()[row] = string_t(reinterpret_cast<const char*>(cursor + 4), len);
      cursor += 4 + len;
      return;
    }
    case PhysicalType::kInterval: {
      __int128 n;
      std::memcpy(&n, cursor, sizeof(n));
      out.mutable_values<Interval>()[row] = interval_from_key(n);
      cursor += sizeof(n);
      return;
    }
    case PhysicalType::kNumeric: {
      Numeric n;
      std::memcpy(&n, cursor, sizeof(n));
      // The key holds the normalized value; a numeric(p,s) column shows it at scale s.
      const int32_t typmod = out.type().modifier();
      if (typmod >= 4 && !n.is_nan() && numeric::typmod_scale(typmod) > n.scale()) {
        n = numeric::round(n, numeric::typmod_scale(typmod));
      }
      out.mutable_values<Numeric>()[row] = n;
      cursor += sizeof(n);
      return;
    }
    case PhysicalType::kInvalid: break;
  }
  TS_CHECK(false, "key column of invalid type");
}

}  // namespace tessera::executor
