#include "storage/table_statistics.h"

#include <cmath>

#include "src/common/vector.h"
#include "storage/durable/binary_io.h"

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

void DistinctSketch::write(BinaryWriter& out) const {
  uint8_t bytes[kRegisters];
  for (uint32_t i = 0; i < kRegisters; i++) bytes[i] = registers_[i].load(std::memory_order_relaxed);
  out.put_bytes(bytes, kRegisters);
}

void DistinctSketch::merge(BinaryReader& in) {
  const std::string_view bytes = in.get_bytes(kRegisters);
  for (uint32_t i = 0; i < kRegisters; i++) {
    const auto rank = static_cast<uint8_t>(bytes[i]);
    if (rank > 64) in.corrupt("a distinct-value sketch register out of range");
    std::atomic<uint8_t>& reg = registers_[i];
    uint8_t current = reg.load(std::memory_order_relaxed);
    while (rank > current && !reg.compare_exchange_weak(current, rank, std::memory_order_relaxed)) {
    }
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
