#pragma once

#include <atomic>

namespace tessera {

/// Raises `target` to `value` when it is smaller, atomically (a running maximum several
/// threads update: peaks, id counters that must pass the ids already used).
template <typename T>
void atomic_raise(std::atomic<T>& target, T value) {
  T current = target.load(std::memory_order_relaxed);
  while (current < value && !target.compare_exchange_weak(current, value, std::memory_order_relaxed)) {
  }
}

}  // namespace tessera
