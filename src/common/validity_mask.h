#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace tessera {

/// One bit per row, 1 = valid (not NULL). An unallocated mask means every row is valid, so
/// the common no-NULL case costs nothing. Copies share the bitmap until one of them writes:
/// every write (`set_invalid`, `set_valid`, the non-const `data()`) first gives the writer its
/// own copy of a shared bitmap (copy-on-write), so a write never reaches another mask.
class ValidityMask {
 public:
  ValidityMask() = default;
  explicit ValidityMask(size_t capacity) : capacity_(capacity) {}

  static size_t entry_count(size_t n) { return (n + 63) / 64; }

  bool all_valid() const { return !bits_; }
  bool row_is_valid(size_t row) const { return !bits_ || ((bits_[row >> 6] >> (row & 63)) & 1); }
  void set_invalid(size_t row) {
    ensure_writable();
    bits_[row >> 6] &= ~(uint64_t{1} << (row & 63));
  }
  void set_valid(size_t row) {
    if (!bits_) return;
    if (bits_.use_count() > 1) make_unique();
    bits_[row >> 6] |= (uint64_t{1} << (row & 63));
  }
  void set(size_t row, bool valid) {
    if (valid) set_valid(row); else set_invalid(row);
  }
  /// Marks every row valid and drops the bitmap.
  void reset() { bits_.reset(); }
  /// Allocates the bitmap (all valid) if absent, or copies it if shared, so it can be written.
  void ensure_writable() {
    if (!bits_) {
      size_t n = entry_count(capacity_);
      bits_ = std::shared_ptr<uint64_t[]>(new uint64_t[n]);  // NOLINT: owned by shared_ptr
      for (size_t i = 0; i < n; i++) bits_[i] = ~uint64_t{0};
    } else if (bits_.use_count() > 1) {
      make_unique();
    }
  }
  /// Gives this mask a private copy of its bitmap (copy-on-write before mutation of a shared mask).
  void make_unique() {
    if (!bits_) return;
    size_t n = entry_count(capacity_);
    std::shared_ptr<uint64_t[]> copy(new uint64_t[n]);  // NOLINT: owned by shared_ptr
    for (size_t i = 0; i < n; i++) copy[i] = bits_[i];
    bits_ = std::move(copy);
  }
  /// Whether another mask shares this mask's bitmap (then writing needs make_unique first).
  bool is_shared() const { return bits_ && bits_.use_count() > 1; }
  /// The bitmap for writing (nullptr when all valid and unallocated); unshared first.
  uint64_t* data() {
    if (bits_ && bits_.use_count() > 1) make_unique();
    return bits_.get();
  }
  const uint64_t* data() const { return bits_.get(); }
  size_t capacity() const { return capacity_; }
  void resize(size_t capacity) {
    if (capacity <= capacity_) { capacity_ = capacity_ < capacity ? capacity : capacity_; return; }
    if (bits_) {
      size_t old_n = entry_count(capacity_), n = entry_count(capacity);
      std::shared_ptr<uint64_t[]> grown(new uint64_t[n]);  // NOLINT
      for (size_t i = 0; i < n; i++) grown[i] = i < old_n ? bits_[i] : ~uint64_t{0};
      bits_ = std::move(grown);
    }
    capacity_ = capacity;
  }

 private:
  std::shared_ptr<uint64_t[]> bits_;
  size_t capacity_ = 0;
};

}  // namespace tessera
