#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "src/common/hash.h"
#include "src/common/vector.h"

namespace tessera::executor {

/// Turns the values of one row of several key columns into a byte string such that two rows
/// have equal bytes exactly when their keys are equal under GROUP BY / join-key semantics
/// (NULLs equal each other, -0.0 equals 0.0, NaN equals NaN, strings compare by bytes,
/// intervals by their normalized value: a key holds it, and reads back in justified form), and
/// hashes those bytes. Layout per column: a 1-byte NULL flag, then for a non-NULL value its
/// fixed-width bytes, or for a string a 4-byte length and the bytes. Used by hash aggregates
/// (group keys, DISTINCT sets) and hash joins.
/// Not thread-safe: one per worker; results are valid until the next serialize().
class KeySerializer {
 public:
  /// Serializes rows [0, count) of `columns` (any representation, equal row counts).
  void serialize(const std::vector<const Vector*>& columns, size_t count);

  size_t count() const { return count_; }
  const uint8_t* key(size_t row) const { return bytes_.data() + offsets_[row]; }
  uint32_t length(size_t row) const { return offsets_[row + 1] - offsets_[row]; }
  hash_t hash(size_t row) const { return hashes_[row]; }
  const hash_t* hashes() const { return hashes_.data(); }
  /// Whether any key column of `row` is NULL.
  bool has_null(size_t row) const { return has_null_[row] != 0; }

  /// Whether two serialized keys of `length` bytes are equal (inlined: keys are short).
  static bool equal_keys(const uint8_t* a, const uint8_t* b, uint32_t length) {
    while (length >= 8) {
      uint64_t x, y;
      std::memcpy(&x, a, 8);
      std::memcpy(&y, b, 8);
      if (x != y) return false;
      a += 8;
      b += 8;
      length -= 8;
    }
    for (uint32_t i = 0; i < length; i++) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

  /// Bytes the serializer's buffers hold (their capacity).
  size_t memory_bytes() const {
    return bytes_.capacity() + offsets_.capacity() * sizeof(uint32_t) + cursors_.capacity() * sizeof(uint32_t) +
           hashes_.capacity() * sizeof(hash_t) + has_null_.capacity();
  }

  /// Reads the value of column `type` at `*cursor` (a position inside a serialized key) into row
  /// `row` of the flat vector `out`, and advances the cursor. Strings point into the key bytes.
  static void deserialize(const uint8_t*& cursor, Vector& out, size_t row);

 private:
  std::vector<uint8_t> bytes_;
  std::vector<uint32_t> offsets_;
  std::vector<uint32_t> cursors_;
  std::vector<hash_t> hashes_;
  std::vector<uint8_t> has_null_;
  size_t count_ = 0;
};

}  // namespace tessera::executor
