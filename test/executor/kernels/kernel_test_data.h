#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <type_traits>
#include <vector>

namespace tessera::executor::test {

/// Random values of T with a heavy share of edge cases: extremes, small values (so equality
/// and ties occur), and for doubles NaN, ±0.0, ±Infinity and subnormals.
template <class T>
T random_value(std::mt19937_64& rng) {
  const uint64_t pick = rng() % 16;
  if constexpr (std::is_floating_point_v<T>) {
    switch (pick) {
      case 0: return std::numeric_limits<T>::quiet_NaN();
      case 1: return 0.0;
      case 2: return -0.0;
      case 3: return std::numeric_limits<T>::infinity();
      case 4: return -std::numeric_limits<T>::infinity();
      case 5: return std::numeric_limits<T>::max();
      case 6: return std::numeric_limits<T>::lowest();
      case 7: return std::numeric_limits<T>::denorm_min();
      case 8: case 9: case 10: return static_cast<T>(static_cast<int>(rng() % 7) - 3);
      default: return std::uniform_real_distribution<T>(-1e6, 1e6)(rng);
    }
  } else {
    switch (pick) {
      case 0: return std::numeric_limits<T>::min();
      case 1: return std::numeric_limits<T>::max();
      case 2: return static_cast<T>(std::numeric_limits<T>::min() + 1);
      case 3: return static_cast<T>(std::numeric_limits<T>::max() - 1);
      case 4: return static_cast<T>(-1);
      case 5: case 6: case 7: case 8: return static_cast<T>(static_cast<int>(rng() % 7) - 3);
      case 9: return static_cast<T>(std::numeric_limits<T>::max() / 2 + static_cast<T>(rng() % 3));
      case 10: {
        // Around sqrt(max): products land near the overflow boundary.
        const T root = static_cast<T>(std::sqrt(static_cast<double>(std::numeric_limits<T>::max())));
        return static_cast<T>(rng() % 2 ? root + static_cast<T>(rng() % 3) : -root - static_cast<T>(rng() % 3));
      }
      default: return static_cast<T>(rng());
    }
  }
}

template <class T>
std::vector<T> random_values(std::mt19937_64& rng, size_t count) {
  std::vector<T> v(count);
  for (auto& x : v) x = random_value<T>(rng);
  return v;
}

/// A validity bitmap for `count` rows: all valid, all NULL, or random with the given density.
inline std::vector<uint64_t> random_validity(std::mt19937_64& rng, size_t count, int kind) {
  std::vector<uint64_t> bits((count + 63) / 64 + 1, 0);
  for (size_t i = 0; i < count; i++) {
    bool valid = kind == 0 ? true : kind == 1 ? false : kind == 2 ? (rng() % 8 != 0) : (rng() % 4 == 0);
    if (valid) bits[i / 64] |= uint64_t{1} << (i % 64);
  }
  // Garbage past `count` must be ignored.
  if (count % 64 != 0) bits[count / 64] |= ~uint64_t{0} << (count % 64);
  return bits;
}

inline bool bit_is_set(const uint64_t* bits, size_t row) {
  return bits == nullptr || ((bits[row / 64] >> (row % 64)) & 1) != 0;
}

/// A random, increasing subset of [0, count) as a selection vector.
inline std::vector<uint32_t> random_selection(std::mt19937_64& rng, size_t count) {
  std::vector<uint32_t> sel;
  for (size_t i = 0; i < count; i++) {
    if (rng() % 3 != 0) sel.push_back(static_cast<uint32_t>(i));
  }
  return sel;
}

}  // namespace tessera::executor::test
