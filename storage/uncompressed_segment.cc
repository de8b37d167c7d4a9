#include "storage/uncompressed_segment.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "src/common/assert.h"

namespace tessera::storage {

UncompressedSegment::UncompressedSegment(LogicalType type)
    : ColumnSegment(type),
      width_(type.physical_size()),
      vector_(type, kCapacity),
      data_(vector_.mutable_data()),
      zone_map_(type) {
  if (type.physical_type() == PhysicalType::kString) {
    heap_ = std::make_shared<StringHeap>();
    vector_.add_heap_reference(heap_);
  }
}

void UncompressedSegment::set_valid_bits(size_t offset, size_t count, const uint64_t* valid_words) {
  // valid_words holds one bit per appended row (bit i = row offset + i). Single writer: plain
  // load/store of each atomic word is enough.
  for (size_t i = 0; i < count;) {
    const size_t row = offset + i;
    const size_t word = row / 64, bit = row % 64;
    const size_t n = std::min<size_t>(64 - bit, count - i);
    uint64_t bits = 0;
    for (size_t k = 0; k < n; k++) bits |= ((valid_words[(i + k) / 64] >> ((i + k) % 64)) & 1) << (bit + k);
    const uint64_t mask = n == 64 ? ~uint64_t{0} : ((uint64_t{1} << n) - 1) << bit;
    const uint64_t old = validity_[word].load(std::memory_order_relaxed);
    validity_[word].store((old & ~mask) | bits, std::memory_order_relaxed);
    i += n;
  }
}

template <class T>
void UncompressedSegment::append_fixed(const UnifiedVectorFormat& source, size_t source_offset, size_t offset,
                                       size_t count, ZoneMap& zone) {
  const T* src = source.values<T>();
  T* dst = reinterpret_cast<T*>(data_) + offset;
  std::array<uint64_t, kCapacity / 64> valid{};
  const bool all_valid = source.validity->all_valid();
  for (size_t i = 0; i < count; i++) {
    const sel_t s = source.sel.get_index(source_offset + i);
    if (!all_valid && !source.validity->row_is_valid(s)) {
      dst[i] = T{};
      zone.add_null();
      continue;
    }
    valid[i / 64] |= uint64_t{1} << (i % 64);
    dst[i] = src[s];
    if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
      zone.add_double(src[s]);  // a real widens exactly
    } else if constexpr (std::is_same_v<T, Interval>) {
      zone.add_interval(src[s]);
    } else if constexpr (std::is_same_v<T, Numeric>) {
      zone.add_unbounded();
    } else {
      zone.add_integer(static_cast<int64_t>(src[s]));
    }
  }
  set_valid_bits(offset, count, valid.data());
}

void UncompressedSegment::append_strings(const UnifiedVectorFormat& source, size_t source_offset, size_t offset,
                                         size_t count, ZoneMap& zone) {
  const string_t* src = source.values<string_t>();
  string_t* dst = reinterpret_cast<string_t*>(data_) + offset;
  std::array<uint64_t, kCapacity / 64> valid{};
  const bool all_valid = source.validity->all_valid();
  size_t heap_bytes = 0;
  for (size_t i = 0; i < count; i++) {
    const sel_t s = source.sel.get_index(source_offset + i);
    if (!all_valid && !source.validity->row_is_valid(s)) {
      dst[i] = string_t();
      zone.add_null();
      continue;
    }
    valid[i / 64] |= uint64_t{1} << (i % 64);
    dst[i] = heap_->add(src[s]);
    heap_bytes += src[s].is_inlined() ? 0 : src[s].size();
    zone.add_string(src[s].view());
  }
  string_bytes_.fetch_add(heap_bytes, std::memory_order_relaxed);
  set_valid_bits(offset, count, valid.data());
}

ZoneMap UncompressedSegment::append(const UnifiedVectorFormat& source, size_t source_offset, size_t offset,
                                    size_t count) {
  TS_CHECK(offset + count <= kCapacity, "segment overflow");
  TS_CHECK(offset == count_.load(std::memory_order_relaxed), "segment rows are appended in order");
  ZoneMap zone(type());
  switch (type().physical_type()) {
    case PhysicalType::kBool: append_fixed<uint8_t>(source, source_offset, offset, count, zone); break;
    case PhysicalType::kInt16: append_fixed<int16_t>(source, source_offset, offset, count, zone); break;
    case PhysicalType::kInt32: append_fixed<int32_t>(source, source_offset, offset, count, zone); break;
    case PhysicalType::kInt64: append_fixed<int64_t>(source, source_offset, offset, count, zone); break;
    case PhysicalType::kDouble: append_fixed<double>(source, source_offset, offset, count, zone); break;
    case PhysicalType::kFloat: append_fixed<float>(source, source_offset, offset, count, zone); break;
    case PhysicalType::kString: append_strings(source, source_offset, offset, count, zone); break;
    case PhysicalType::kInterval: append_fixed<Interval>(source, source_offset, offset, count, zone); break;
    case PhysicalType::kNumeric: append_fixed<Numeric>(source, source_offset, offset, count, zone); break;
    case PhysicalType::kInvalid: TS_CHECK(false, "append of an invalid type");
  }
  has_nulls_ |= zone.null_count() > 0;
  {
    std::lock_guard<std::mutex> lock(zone_mutex_);
    zone_map_.merge(zone);
  }
  count_.store(offset + count, std::memory_order_release);
  return zone;
}

void UncompressedSegment::seal() {
  TS_CHECK(count_.load(std::memory_order_relaxed) == kCapacity, "sealing a segment that is not full");
  if (has_nulls_) {
    ValidityMask& mask = vector_.mutable_validity();
    mask.ensure_writable();
    for (size_t w = 0; w < validity_.size(); w++) mask.data()[w] = validity_[w].load(std::memory_order_relaxed);
  }
  sealed_.store(true, std::memory_order_release);
}

void UncompressedSegment::scan(size_t offset, const sel_t* sel, size_t count, Vector& out, size_t out_offset) const {
  TS_DCHECK(out.vector_type() == VectorType::kFlat && out.capacity() >= out_offset + count,
            "segment scan needs a flat vector");
  uint8_t* dst = out.mutable_data() + out_offset * width_;
  const uint8_t* src = data_ + offset * width_;
  bool any_null = false;
  if (sel == nullptr) {
    std::memcpy(dst, src, count * width_);
    for (size_t i = 0; i < count; i++) any_null |= !row_is_valid(offset + i);
  } else {
    for (size_t i = 0; i < count; i++) {
      std::memcpy(dst + i * width_, src + sel[i] * width_, width_);
      any_null |= !row_is_valid(offset + sel[i]);
    }
  }
  if (any_null) {
    ValidityMask& out_validity = out.mutable_validity();
    for (size_t i = 0; i < count; i++) {
      if (!row_is_valid(offset + (sel ? sel[i] : i))) out_validity.set_invalid(out_offset + i);
    }
  }
  if (heap_) out.add_heap_reference(heap_);
}

const Vector* UncompressedSegment::reference(size_t offset, size_t count) const {
  if (offset != 0 || count != kCapacity || !sealed()) return nullptr;
  return &vector_;
}

size_t UncompressedSegment::select(const TableFilter& filter, size_t offset, const sel_t* sel_in, size_t count,
                                   sel_t* sel_out) const {
  FilterInput input;
  input.values = data_;
  input.base = offset;
  std::array<uint64_t, kCapacity / 64> validity_copy;
  if (sealed()) {
    input.validity = vector_.validity().data();  // nullptr when the segment has no NULLs
  } else {
    for (size_t w = 0; w < validity_.size(); w++) validity_copy[w] = validity_[w].load(std::memory_order_relaxed);
    input.validity = validity_copy.data();
  }
  return filter.select(type(), input, sel_in, count, sel_out);
}

ZoneCheck UncompressedSegment::check_zone(const TableFilter& filter) const {
  // A sealed segment's zone map no longer changes (seal() happened after the last merge).
  if (sealed()) return filter.check_zone(zone_map_);
  std::lock_guard<std::mutex> lock(zone_mutex_);
  return filter.check_zone(zone_map_);
}

size_t UncompressedSegment::memory_bytes() const {
  // The flat array, the string bytes and (once sealed with NULLs) the vector's validity.
  return count() * width_ + string_bytes_.load(std::memory_order_relaxed) +
         (zone_map().null_count() > 0 ? kCapacity / 8 : 0);
}

ZoneMap UncompressedSegment::zone_map() const {
  std::lock_guard<std::mutex> lock(zone_mutex_);
  return zone_map_;
}

}  // namespace tessera::storage
