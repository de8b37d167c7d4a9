#pragma once

#include <cstdint>
#include <functional>

namespace tessera {

/// A distinct integer type per kind of id, so a TableId cannot be passed as a ColumnId.
template <class Tag, class T = uint64_t>
class StrongId {
 public:
  using value_type = T;
  constexpr StrongId() = default;
  constexpr explicit StrongId(T v) : value_(v) {}
  constexpr T value() const { return value_; }
  friend constexpr bool operator==(StrongId a, StrongId b) { return a.value_ == b.value_; }
  friend constexpr bool operator!=(StrongId a, StrongId b) { return a.value_ != b.value_; }
  friend constexpr bool operator<(StrongId a, StrongId b) { return a.value_ < b.value_; }

 private:
  T value_{};
};

}  // namespace tessera

template <class Tag, class T>
struct std::hash<tessera::StrongId<Tag, T>> {
  size_t operator()(tessera::StrongId<Tag, T> id) const { return std::hash<T>()(id.value()); }
};
