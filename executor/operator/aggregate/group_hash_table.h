#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "executor/operator/aggregate/key_serializer.h"
#include "src/common/arena.h"
#include "src/common/hash.h"

namespace tessera::executor {

/// Maps serialized keys (see KeySerializer) to dense group ids 0, 1, 2, ... in order of first
/// appearance. Open addressing with linear probing over 8-byte slots (32 hash bits + group id),
/// so a probe touches the key bytes only on a hash match. Key bytes live in a StringHeap the
/// table shares with the vectors that read group keys back (strings deserialize by pointer).
/// Also serves as a plain set (DISTINCT aggregates). Not thread-safe.
class GroupHashTable {
 public:
  GroupHashTable();

  size_t size() const { return group_hashes_.size(); }
  const uint8_t* key(uint32_t group) const { return key_data_[group]; }
  uint32_t key_length(uint32_t group) const { return key_lengths_[group]; }
  hash_t hash(uint32_t group) const { return group_hashes_[group]; }
  /// The heap holding the key bytes; vectors whose strings point into keys keep it alive.
  const std::shared_ptr<StringHeap>& heap() const { return heap_; }

  /// Finds or inserts the key of every row of `keys`; writes each row's group id to `groups`.
  /// When `inserted` is not null, sets inserted[i] to whether row i created its group.
  void find_or_create(const KeySerializer& keys, uint32_t* groups, uint8_t* inserted = nullptr);
  /// Finds or inserts one key; sets `*inserted` when it was new.
  uint32_t find_or_create(hash_t hash, const uint8_t* key, uint32_t length, bool* inserted);

 private:
  void grow();

  std::vector<uint64_t> slots_;  // 0 = empty, else (hash >> 32) << 32 | (group + 1)
  size_t mask_ = 0;
  std::vector<const uint8_t*> key_data_;
  std::vector<uint32_t> key_lengths_;
  std::vector<hash_t> group_hashes_;
  std::shared_ptr<StringHeap> heap_;
};

}  // namespace tessera::executor
