#include "storage/table_statistics.h"

#include <cmath>

#include "src/common/vector.h"

namespace tessera::storage {

DistinctSketch::DistinctSketch() : registers_(std::make_unique<std::atomic<uint8_t>[]>(kRegisters)) {
  for (uint32_t i = 0; i < kRegisters; i++) registers_[i].store(0, std::memory_order_relaxed);
}

void DistinctSketch::add(const LogicalType& type, const UnifiedVectorFormat& values, size_t offset, size_t count) {
  const bool all_valid = values.validity == nullptr || values.validity->all_valid();
  auto each = [&](auto&& hash_row) {
    if (all_valid && !values.sel.is_set()) {
      // The common case (a flat, NULL-free vector): a plain loop over the values.
      for (size_t i = offset; i < offset + count; i++) add_hash(hash_row(static_cast<sel_t>(i)));
      return;
    }
    for (size_t i = 0; i < count; i++) {
      const sel_t s = values.sel.get_index(offset + i);
      if (!all_valid && !values.validity->row_is_valid(s)) continue;
      add_hash(hash_row(s));
    }
  };
  switch (type.physical_type()) {
    case PhysicalType::kBool: each([&](sel_t s) { return hash_int(values.values<uint8_t>()[s] != 0); }); break;
    case PhysicalType::kInt16:
      each([&](sel_t s) { return hash_int(static_cast<uint64_t>(values.values<int16_t>()[s])); });
      break;
    case PhysicalType::kInt32:
      each([&](sel_t s) { return hash_int(static_cast<uint64_t>(values.values<int32_t>()[s])); });
      break;
    case PhysicalType::kInt64:
      each([&](sel_t s) { return hash_int(static_cast<uint64_t>(values.values<int64_t>()[s])); });
      break;
    case PhysicalType::kDouble: each([&](sel_t s) { return hash_double(values.values<double>()[s]); }); break;
    case PhysicalType::kFloat: each([&](sel_t s) { return hash_double(values.values<float>()[s]); }); break;
    case PhysicalType::kString: each([&](sel_t s) { return hash_string(values.values<string_t>()[s]); }); break;
    case PhysicalType::kInterval: each([&](sel_t s) { return hash_interval(values.values<Interval>()[s]); }); break;
    case PhysicalType::kNumeric: each([&](sel_t s) { return numeric::hash(values.values<Numeric>()[s]); }); break;
    case PhysicalType::kInvalid: break;
  }
}

double DistinctSketch::estimate() const {
  const double m = kRegisters;
  double sum = 0;
  size_t zeros = 0;
  for (uint32_t i = 0; i < kRegisters; i++) {
    const uint8_t r = registers_[i].load(std::memory_order_relaxed);
    if (r == 0) zeros++;
    sum += std::ldexp(1.0, -static_cast<int>(r));
  }
  if (zeros == kRegisters) return 0;
  const double alpha = 0.7213 / (1 + 1.079 / m);
  const double raw = alpha * m * m / sum;
  // Small cardinalities: linear counting over the empty registers is far more accurate.
  if (raw <= 2.5 * m && zeros > 0) return m * std::log(m / static_cast<double>(zeros));
  return raw;
}

void DistinctSketch::assign(const DistinctSketch& other) {
  for (uint32_t i = 0; i < kRegisters; i++) {
    registers_[i].store(other.registers_[i].load(std::memory_order_relaxed), std::memory_order_relaxed);
  }
}

void add_to_zone_map(ZoneMap& zone, const LogicalType& type, const UnifiedVectorFormat& values, size_t count) {
  const bool all_valid = values.validity == nullptr || values.validity->all_valid();
  auto each = [&](auto&& add_row) {
    for (size_t i = 0; i < count; i++) {
      const sel_t s = values.sel.get_index(i);
      if (!all_valid && !values.validity->row_is_valid(s)) {
        zone.add_null();
        continue;
      }
      add_row(s);
    }
  };
  switch (type.physical_type()) {
    case PhysicalType::kBool: each([&](sel_t s) { zone.add_integer(values.values<uint8_t>()[s] != 0); }); break;
    case PhysicalType::kInt16: each([&](sel_t s) { zone.add_integer(values.values<int16_t>()[s]); }); break;
    case PhysicalType::kInt32: each([&](sel_t s) { zone.add_integer(values.values<int32_t>()[s]); }); break;
    case PhysicalType::kInt64: each([&](sel_t s) { zone.add_integer(values.values<int64_t>()[s]); }); break;
    case PhysicalType::kDouble: each([&](sel_t s) { zone.add_double(values.values<double>()[s]); }); break;
    case PhysicalType::kFloat: each([&](sel_t s) { zone.add_double(values.values<float>()[s]); }); break;
    case PhysicalType::kString: each([&](sel_t s) { zone.add_string(values.values<string_t>()[s].view()); }); break;
    case PhysicalType::kInterval: each([&](sel_t s) { zone.add_interval(values.values<Interval>()[s]); }); break;
    case PhysicalType::kNumeric: each([&](sel_t) { zone.add_unbounded(); }); break;
    case PhysicalType::kInvalid: break;
  }
}

}  // namespace tessera::storage
