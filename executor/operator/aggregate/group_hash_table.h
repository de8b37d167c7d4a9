#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "executor/key_serializer.h"
#include "src/common/arena.h"
#include "src/common/hash.h"
#include "src/common/logical_type.h"
#include "src/common/memory_tracker.h"

namespace tessera::executor {

/// Maps keys to dense group ids 0, 1, 2, ... in order of first appearance. Every group keeps
/// its serialized key (see KeySerializer) in a StringHeap the table shares with the vectors
/// that read group keys back (strings deserialize by pointer). Two index modes:
/// - generic: open addressing with linear probing over 8-byte slots (32 hash bits + group id),
///   probed with serialized keys, so a probe touches the key bytes only on a hash match;
/// - integer: for a single integer (or boolean) key column, slots hold the value itself and
///   the group id, probed straight from the vector (no serialization, one memory access).
///   While every key seen lies in a window of at most kDenseMaxRange values, a dense directory
///   (value - base -> group) answers a probe with one load and no hashing; the first key
///   outside any such window turns the directory off for good (the slots are always kept).
/// The serialized-key interface works in both modes, so tables of one mode merge. Also serves
/// as a plain set (DISTINCT aggregates). Not thread-safe.
class GroupHashTable {
 public:
  /// A generic table.
  GroupHashTable();
  /// An integer-keyed table for one key column of physical type `key_type` (kBool, kInt16,
  /// kInt32 or kInt64).
  explicit GroupHashTable(PhysicalType key_type);
  /// The physical type of the single integer key column, kInvalid for a generic table.
  PhysicalType integer_key_type() const { return int_type_; }
  /// Whether a single key column of `type` can use the integer mode.
  static bool supports_integer_key(PhysicalType type);

  size_t size() const { return key_data_.size(); }
  const uint8_t* key(uint32_t group) const { return key_data_[group]; }
  uint32_t key_length(uint32_t group) const { return key_lengths_[group]; }
  /// The heap holding the key bytes; vectors whose strings point into keys keep it alive.
  const std::shared_ptr<StringHeap>& heap() const { return heap_; }

  /// Generic mode: finds or inserts the key of every row of `keys`; writes each row's group id
  /// to `groups`.
  void find_or_create(const KeySerializer& keys, uint32_t* groups);
  /// Integer mode: finds or inserts the value of each of the rows [0, count) of `column`.
  void find_or_create(const Vector& column, size_t count, uint32_t* groups);
  /// Either mode: finds or inserts one serialized key (`hash` = its KeySerializer hash); sets
  /// `*inserted` when it was new.
  uint32_t find_or_create(hash_t hash, const uint8_t* key, uint32_t length, bool* inserted);
  /// The KeySerializer hash of group `group`'s key.
  hash_t hash(uint32_t group) const;

 private:
  struct IntSlot {
    int64_t key;
    uint32_t group_plus_one;  // 0 = empty
  };

  /// Widest key window the dense directory covers (entries of 4 bytes: 64 KiB).
  static constexpr int64_t kDenseMaxRange = int64_t{1} << 14;

  uint32_t add_group(const uint8_t* key, uint32_t length, hash_t hash);
  /// Widens the dense directory to cover [lo, hi] (geometrically, so a slowly growing key range
  /// re-indexes O(log range) times); false, and the directory is off for good, when the keys no
  /// longer fit in kDenseMaxRange values.
  bool dense_cover(int64_t lo, int64_t hi);
  /// Whether the chunk's valid keys [lo, hi] can be probed through the dense directory.
  template <class T>
  bool dense_chunk(const UnifiedVectorFormat& f, size_t count);
  uint32_t find_or_create_int(int64_t value, bool* inserted);
  uint32_t null_group(bool* inserted);
  template <class T>
  void find_or_create_typed(const UnifiedVectorFormat& f, size_t count, uint32_t* groups);
  void grow();
  void grow_int();
  /// Charges the index and key arrays' capacity to the memory tracker (may raise 53200).
  void update_charge();

  PhysicalType int_type_ = PhysicalType::kInvalid;
  // Generic index.
  std::vector<uint64_t> slots_;  // 0 = empty, else (hash >> 32) << 32 | (group + 1)
  std::vector<hash_t> group_hashes_;
  // Integer index.
  std::vector<IntSlot> int_slots_;
  uint32_t null_group_ = UINT32_MAX;
  // Dense directory (integer mode): dense_[value - dense_base_] = group + 1, 0 = no group.
  bool dense_enabled_ = true;
  int64_t dense_base_ = 0;
  std::vector<uint32_t> dense_;
  size_t mask_ = 0;
  // Keys of all groups.
  std::vector<const uint8_t*> key_data_;
  std::vector<uint32_t> key_lengths_;
  std::shared_ptr<StringHeap> heap_;
  MemoryCharge charge_;
};

}  // namespace tessera::executor
