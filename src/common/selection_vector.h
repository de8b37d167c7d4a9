#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace tessera {

/// Index type of selection vectors.
using sel_t = uint32_t;

/// A list of row indexes into a vector. Either owns its buffer (shared between copies) or
/// points at an external one; an unset selection vector is the identity.
class SelectionVector {
 public:
  SelectionVector() = default;
  /// An owned buffer of `capacity` entries (uninitialised).
  explicit SelectionVector(size_t capacity)
      : buffer_(new sel_t[capacity]), data_(buffer_.get()) {}  // NOLINT: owned by shared_ptr
  /// A non-owning view; `data` must outlive this selection.
  explicit SelectionVector(sel_t* data) : data_(data) {}

  bool is_set() const { return data_ != nullptr; }
  sel_t get_index(size_t i) const { return data_ ? data_[i] : static_cast<sel_t>(i); }
  void set_index(size_t i, sel_t index) { data_[i] = index; }
  sel_t* data() { return data_; }
  const sel_t* data() const { return data_; }

  /// Selection `this[other[i]]`: applying `other` after this one.
  SelectionVector compose(const SelectionVector& other, size_t count) const {
    SelectionVector result(count);
    for (size_t i = 0; i < count; i++) result.data_[i] = get_index(other.get_index(i));
    return result;
  }

 private:
  std::shared_ptr<sel_t[]> buffer_;
  sel_t* data_ = nullptr;
};

}  // namespace tessera
