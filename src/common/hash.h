#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "src/common/string_t.h"

namespace tessera {

/// 64-bit hash values used by hash joins and aggregates.
using hash_t = uint64_t;

/// A fast integer mixer (murmur3 finalizer).
inline hash_t hash_int(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

/// Hash of a byte string.
hash_t hash_bytes(const void* data, size_t len);

inline hash_t hash_string(const string_t& s) { return hash_bytes(s.data(), s.size()); }

inline hash_t hash_double(double d) {
  if (d == 0) d = 0;  // -0 == 0
  if (d != d) d = __builtin_nan("");  // every NaN is equal in SQL
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  return hash_int(bits);
}

/// Combines the hash of another column into `a`.
inline hash_t combine_hash(hash_t a, hash_t b) { return (a * 0xbf58476d1ce4e5b9ULL) ^ b; }

/// The hash of NULL.
inline constexpr hash_t kNullHash = 0xbf58476d1ce4e5b9ULL;

}  // namespace tessera
