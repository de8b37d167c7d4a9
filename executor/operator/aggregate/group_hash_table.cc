#include "executor/operator/aggregate/group_hash_table.h"

#include <cstring>

#include "src/common/assert.h"

namespace tessera::executor {

namespace {

constexpr size_t kInitialCapacity = 1024;

inline uint64_t slot_tag(hash_t hash) { return hash & 0xFFFFFFFF00000000ULL; }

}  // namespace

GroupHashTable::GroupHashTable() : slots_(kInitialCapacity, 0), mask_(kInitialCapacity - 1), heap_(std::make_shared<StringHeap>()) {}

void GroupHashTable::grow() {
  const size_t capacity = slots_.size() * 2;
  TS_CHECK(capacity <= (size_t{1} << 40), "group hash table too large");
  std::vector<uint64_t> slots(capacity, 0);
  const size_t mask = capacity - 1;
  for (size_t g = 0; g < group_hashes_.size(); g++) {
    size_t pos = group_hashes_[g] & mask;
    while (slots[pos] != 0) pos = (pos + 1) & mask;
    slots[pos] = slot_tag(group_hashes_[g]) | (g + 1);
  }
  slots_ = std::move(slots);
  mask_ = mask;
}

uint32_t GroupHashTable::find_or_create(hash_t hash, const uint8_t* key, uint32_t length, bool* inserted) {
  const uint64_t tag = slot_tag(hash);
  size_t pos = hash & mask_;
  for (;;) {
    const uint64_t slot = slots_[pos];
    if (slot == 0) break;
    if ((slot & 0xFFFFFFFF00000000ULL) == tag) {
      const uint32_t g = static_cast<uint32_t>(slot & 0xFFFFFFFFULL) - 1;
      if (key_lengths_[g] == length && (length == 0 || std::memcmp(key_data_[g], key, length) == 0)) {
        *inserted = false;
        return g;
      }
    }
    pos = (pos + 1) & mask_;
  }
  const size_t g = group_hashes_.size();
  TS_CHECK(g < 0xFFFFFFFEULL, "too many groups");
  uint8_t* copy = nullptr;
  if (length > 0) {
    copy = reinterpret_cast<uint8_t*>(heap_->allocate(length));
    std::memcpy(copy, key, length);
  }
  key_data_.push_back(copy);
  key_lengths_.push_back(length);
  group_hashes_.push_back(hash);
  slots_[pos] = tag | (g + 1);
  *inserted = true;
  // Keep the load factor at most 1/2 so probe sequences stay short.
  if (group_hashes_.size() * 2 > slots_.size()) grow();
  return static_cast<uint32_t>(g);
}

void GroupHashTable::find_or_create(const KeySerializer& keys, uint32_t* groups, uint8_t* inserted) {
  const size_t count = keys.count();
  for (size_t i = 0; i < count; i++) {
    bool is_new;
    groups[i] = find_or_create(keys.hash(i), keys.key(i), keys.length(i), &is_new);
    if (inserted) inserted[i] = is_new ? 1 : 0;
  }
}

}  // namespace tessera::executor
