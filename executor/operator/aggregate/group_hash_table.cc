#include "executor/operator/aggregate/group_hash_table.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>

#include "executor/kernels/aggregate.h"
#include "src/common/assert.h"

namespace tessera::executor {

namespace {

constexpr size_t kInitialCapacity = 1024;
constexpr uint64_t kTagMask = 0xFFFFFFFF00000000ULL;

inline uint64_t slot_tag(hash_t hash) { return hash & kTagMask; }

}  // namespace

GroupHashTable::GroupHashTable()
    : slots_(kInitialCapacity, 0), mask_(kInitialCapacity - 1), heap_(std::make_shared<StringHeap>()) {}

GroupHashTable::GroupHashTable(PhysicalType key_type)
    : int_type_(key_type), int_slots_(kInitialCapacity, IntSlot{0, 0}), mask_(kInitialCapacity - 1),
      heap_(std::make_shared<StringHeap>()) {
  TS_CHECK(supports_integer_key(key_type), "integer group table over a non-integer key");
}

bool GroupHashTable::supports_integer_key(PhysicalType type) {
  return type == PhysicalType::kBool || type == PhysicalType::kInt16 || type == PhysicalType::kInt32 ||
         type == PhysicalType::kInt64;
}

hash_t GroupHashTable::hash(uint32_t group) const {
  if (int_type_ == PhysicalType::kInvalid) return group_hashes_[group];
  return hash_bytes(key_data_[group], key_lengths_[group]);
}

void GroupHashTable::update_charge() {
  charge_.set(slots_.capacity() * sizeof(uint64_t) + group_hashes_.capacity() * sizeof(hash_t) +
              int_slots_.capacity() * sizeof(IntSlot) + dense_.capacity() * sizeof(uint32_t) +
              key_data_.capacity() * sizeof(const uint8_t*) + key_lengths_.capacity() * sizeof(uint32_t));
}

uint32_t GroupHashTable::add_group(const uint8_t* key, uint32_t length, hash_t hash) {
  const size_t g = key_data_.size();
  if (g == key_data_.capacity()) {
    // The key arrays are about to grow: charge their next size first.
    key_data_.reserve(std::max<size_t>(16, 2 * g));
    key_lengths_.reserve(key_data_.capacity());
    if (int_type_ == PhysicalType::kInvalid) group_hashes_.reserve(key_data_.capacity());
    update_charge();
  }
  TS_CHECK(g < 0xFFFFFFFEULL, "too many groups");
  uint8_t* copy = reinterpret_cast<uint8_t*>(heap_->allocate(length == 0 ? 1 : length));
  if (length > 0) std::memcpy(copy, key, length);
  key_data_.push_back(copy);
  key_lengths_.push_back(length);
  if (int_type_ == PhysicalType::kInvalid) group_hashes_.push_back(hash);
  return static_cast<uint32_t>(g);
}

// ---- Generic index.

void GroupHashTable::grow() {
  const size_t capacity = slots_.size() * 2;
  std::vector<uint64_t> slots(capacity, 0);
  const size_t mask = capacity - 1;
  for (size_t g = 0; g < group_hashes_.size(); g++) {
    size_t pos = group_hashes_[g] & mask;
    while (slots[pos] != 0) pos = (pos + 1) & mask;
    slots[pos] = slot_tag(group_hashes_[g]) | (g + 1);
  }
  slots_ = std::move(slots);
  mask_ = mask;
  update_charge();
}

uint32_t GroupHashTable::find_or_create(hash_t hash, const uint8_t* key, uint32_t length, bool* inserted) {
  if (int_type_ != PhysicalType::kInvalid) {
    // A serialized single integer key: the NULL flag, then the value's bytes.
    if (key[0] == 0) return null_group(inserted);
    int64_t value = 0;
    switch (int_type_) {
      case PhysicalType::kBool: value = key[1]; break;
      case PhysicalType::kInt16: { int16_t v; std::memcpy(&v, key + 1, 2); value = v; break; }
      case PhysicalType::kInt32: { int32_t v; std::memcpy(&v, key + 1, 4); value = v; break; }
      default: std::memcpy(&value, key + 1, 8); break;
    }
    return find_or_create_int(value, inserted);
  }
  const uint64_t tag = slot_tag(hash);
  size_t pos = hash & mask_;
  for (;;) {
    const uint64_t slot = slots_[pos];
    if (slot == 0) break;
    if ((slot & kTagMask) == tag) {
      const uint32_t g = static_cast<uint32_t>(slot & 0xFFFFFFFFULL) - 1;
      if (key_lengths_[g] == length && KeySerializer::equal_keys(key_data_[g], key, length)) {
        *inserted = false;
        return g;
      }
    }
    pos = (pos + 1) & mask_;
  }
  const uint32_t g = add_group(key, length, hash);
  slots_[pos] = tag | (uint64_t{g} + 1);
  *inserted = true;
  // Keep the load factor at most 1/2 so probe sequences stay short.
  if (key_data_.size() * 2 > slots_.size()) grow();
  return g;
}

void GroupHashTable::find_or_create(const KeySerializer& keys, uint32_t* groups) {
  const size_t count = keys.count();
  for (size_t i = 0; i < count; i++) {
    bool inserted;
    groups[i] = find_or_create(keys.hash(i), keys.key(i), keys.length(i), &inserted);
  }
}

// ---- Integer index.

void GroupHashTable::grow_int() {
  const size_t capacity = int_slots_.size() * 2;
  std::vector<IntSlot> slots(capacity, IntSlot{0, 0});
  const size_t mask = capacity - 1;
  for (const IntSlot& s : int_slots_) {
    if (s.group_plus_one == 0) continue;
    size_t pos = hash_int(static_cast<uint64_t>(s.key)) & mask;
    while (slots[pos].group_plus_one != 0) pos = (pos + 1) & mask;
    slots[pos] = s;
  }
  int_slots_ = std::move(slots);
  mask_ = mask;
  update_charge();
}

uint32_t GroupHashTable::null_group(bool* inserted) {
  *inserted = null_group_ == UINT32_MAX;
  if (*inserted) {
    const uint8_t flag = 0;
    null_group_ = add_group(&flag, 1, 0);
  }
  return null_group_;
}

uint32_t GroupHashTable::find_or_create_int(int64_t value, bool* inserted) {
  size_t pos = hash_int(static_cast<uint64_t>(value)) & mask_;
  for (;;) {
    const IntSlot& s = int_slots_[pos];
    if (s.group_plus_one == 0) break;
    if (s.key == value) {
      *inserted = false;
      return s.group_plus_one - 1;
    }
    pos = (pos + 1) & mask_;
  }
  // The same bytes KeySerializer writes for this value.
  uint8_t key[9];
  key[0] = 1;
  uint32_t length = 1;
  switch (int_type_) {
    case PhysicalType::kBool: key[1] = static_cast<uint8_t>(value); length = 2; break;
    case PhysicalType::kInt16: { const auto v = static_cast<int16_t>(value); std::memcpy(key + 1, &v, 2); length = 3; break; }
    case PhysicalType::kInt32: { const auto v = static_cast<int32_t>(value); std::memcpy(key + 1, &v, 4); length = 5; break; }
    default: std::memcpy(key + 1, &value, 8); length = 9; break;
  }
  const uint32_t g = add_group(key, length, 0);
  int_slots_[pos] = IntSlot{value, g + 1};
  *inserted = true;
  if (dense_enabled_ && dense_cover(value, value)) dense_[static_cast<size_t>(value - dense_base_)] = g + 1;
  if (key_data_.size() * 2 > int_slots_.size()) grow_int();
  return g;
}

bool GroupHashTable::dense_cover(int64_t lo, int64_t hi) {
  if (!dense_enabled_) return false;
  const bool empty = dense_.empty();
  const int64_t old_lo = dense_base_;
  // The window never passes INT64_MAX, but base + size may: compute its end in 128 bits.
  const auto old_hi = static_cast<int64_t>(empty ? 0 : static_cast<__int128>(dense_base_) + static_cast<__int128>(dense_.size()) - 1);
  if (!empty && lo >= old_lo && hi <= old_hi) return true;
  __int128 new_lo = empty ? lo : std::min(lo, old_lo);
  __int128 new_hi = empty ? hi : std::max(hi, old_hi);
  if (new_hi - new_lo + 1 > kDenseMaxRange) {
    dense_enabled_ = false;
    std::vector<uint32_t>().swap(dense_);
    return false;
  }
  // Grow to at least twice the old width, on the side the new keys are.
  const __int128 want = std::min<__int128>(kDenseMaxRange, std::max<__int128>(64, 2 * static_cast<__int128>(dense_.size())));
  if (new_hi - new_lo + 1 < want) {
    if (!empty && lo < old_lo) {
      new_lo = std::max<__int128>(new_hi - want + 1, std::numeric_limits<int64_t>::min());
    } else {
      new_hi = std::min<__int128>(new_lo + want - 1, std::numeric_limits<int64_t>::max());
    }
  }
  std::vector<uint32_t> dense(static_cast<size_t>(new_hi - new_lo + 1), 0);
  dense_base_ = static_cast<int64_t>(new_lo);
  for (const IntSlot& s : int_slots_) {
    if (s.group_plus_one != 0) dense[static_cast<size_t>(s.key - dense_base_)] = s.group_plus_one;
  }
  dense_ = std::move(dense);
  update_charge();
  return true;
}

template <class T>
bool GroupHashTable::dense_chunk(const UnifiedVectorFormat& f, size_t count) {
  if (!dense_enabled_ || f.sel.is_set() || count == 0) return false;
  const uint64_t* validity = f.validity->all_valid() ? nullptr : f.validity->data();
  const T* values = f.values<T>();
  T lo = std::numeric_limits<T>::max();
  T hi = std::numeric_limits<T>::min();
  bool any;
  if constexpr (std::is_same_v<T, int16_t>) {
    any = min_i16(values, count, validity, &lo);
    max_i16(values, count, validity, &hi);
  } else if constexpr (std::is_same_v<T, int32_t>) {
    any = min_i32(values, count, validity, &lo);
    max_i32(values, count, validity, &hi);
  } else if constexpr (std::is_same_v<T, int64_t>) {
    any = min_i64(values, count, validity, &lo);
    max_i64(values, count, validity, &hi);
  } else {
    return false;  // booleans: the hash slots are already one probe
  }
  return any && dense_cover(lo, hi);
}

template <class T>
void GroupHashTable::find_or_create_typed(const UnifiedVectorFormat& f, size_t count, uint32_t* groups) {
  const T* values = f.values<T>();
  const bool all_valid = f.validity->all_valid();
  if (dense_chunk<T>(f, count)) {
    // Every valid key of the chunk lies in the directory's window (flat vector: row i at i).
    for (size_t i = 0; i < count; i++) {
      bool inserted;
      if (!all_valid && !f.validity->row_is_valid(static_cast<sel_t>(i))) {
        groups[i] = null_group(&inserted);
        continue;
      }
      const auto value = static_cast<int64_t>(values[i]);
      const uint32_t entry = dense_[static_cast<size_t>(value - dense_base_)];
      groups[i] = entry != 0 ? entry - 1 : find_or_create_int(value, &inserted);
    }
    return;
  }
  for (size_t i = 0; i < count; i++) {
    const sel_t idx = f.sel.get_index(i);
    bool inserted;
    if (!all_valid && !f.validity->row_is_valid(idx)) {
      groups[i] = null_group(&inserted);
      continue;
    }
    const auto value = static_cast<int64_t>(values[idx]);
    // Inline probe for the common hit; find_or_create_int handles misses and inserts.
    size_t pos = hash_int(static_cast<uint64_t>(value)) & mask_;
    const IntSlot* s = &int_slots_[pos];
    while (s->group_plus_one != 0 && s->key != value) {
      pos = (pos + 1) & mask_;
      s = &int_slots_[pos];
    }
    groups[i] = s->group_plus_one != 0 ? s->group_plus_one - 1 : find_or_create_int(value, &inserted);
  }
}

void GroupHashTable::find_or_create(const Vector& column, size_t count, uint32_t* groups) {
  TS_CHECK(column.type().physical_type() == int_type_, "integer group table probed with another type");
  UnifiedVectorFormat f;
  column.to_unified(count, f);
  switch (int_type_) {
    case PhysicalType::kBool: find_or_create_typed<uint8_t>(f, count, groups); return;
    case PhysicalType::kInt16: find_or_create_typed<int16_t>(f, count, groups); return;
    case PhysicalType::kInt32: find_or_create_typed<int32_t>(f, count, groups); return;
    case PhysicalType::kInt64: find_or_create_typed<int64_t>(f, count, groups); return;
    default: TS_CHECK(false, "integer group table over a non-integer key");
  }
}

}  // namespace tessera::executor
