#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "src/common/arena.h"
#include "src/common/logical_type.h"
#include "src/common/memory_tracker.h"
#include "src/common/selection_vector.h"
#include "src/common/string_t.h"
#include "src/common/validity_mask.h"
#include "src/common/value.h"

namespace tessera {

/// Rows per vector and per DataChunk.
inline constexpr size_t kVectorSize = 2048;

/// How a Vector's values are represented.
enum class VectorType : uint8_t {
  kFlat = 0,        ///< one value per row in `data`
  kConstant = 1,    ///< one value (row 0) standing for every row
  kDictionary = 2,  ///< a selection over a flat child vector: row i is child[sel[i]]
};

/// A ref-counted, 64-byte aligned data buffer padded to a whole number of 64-byte blocks, so
/// SIMD loops may read (never write) past the last value.
class VectorBuffer {
 public:
  /// Counts its bytes against the thread's current MemoryTracker (may raise 53200).
  explicit VectorBuffer(size_t bytes);
  ~VectorBuffer();
  VectorBuffer(const VectorBuffer&) = delete;
  VectorBuffer& operator=(const VectorBuffer&) = delete;
  uint8_t* data() { return data_; }
  size_t size() const { return size_; }

 private:
  MemoryCharge charge_;
  uint8_t* data_;
  size_t size_;
};

/// Any vector seen as (selection, data, validity): row i lives at data[sel.get_index(i)] and is
/// NULL when !validity.row_is_valid(sel.get_index(i)). Valid while the source vector lives.
struct UnifiedVectorFormat {
  SelectionVector sel;  ///< unset = identity
  const uint8_t* data = nullptr;
  const ValidityMask* validity = nullptr;

  template <class T>
  const T* values() const { return reinterpret_cast<const T*>(data); }
};

/// A column of up to `capacity` values of one LogicalType with a validity bitmap. Copies are
/// cheap and share buffers (so slicing and referencing never copy data); mutate only a vector
/// whose buffers this code created. Not thread-safe.
class Vector {
 public:
  Vector() = default;
  /// A flat vector with an owned, uninitialised buffer of `capacity` values, all valid.
  explicit Vector(LogicalType type, size_t capacity = kVectorSize);
  /// A constant vector holding `value`.
  explicit Vector(const Value& value);

  const LogicalType& type() const { return type_; }
  VectorType vector_type() const { return vector_type_; }
  size_t capacity() const { return capacity_; }

  /// Read-only value buffer of a flat or constant vector.
  const uint8_t* data() const { return data_; }
  template <class T>
  const T* values() const { return reinterpret_cast<const T*>(data_); }
  /// Read-only validity of a flat or constant vector.
  const ValidityMask& validity() const { return validity_; }

  /// Write access to a flat or constant vector. Buffers may be shared with other vectors, storage
  /// segments, hash tables, collections or plan constants, which must never see the write: these
  /// first give this vector its own copy of any shared buffer (copy-on-write), so the write
  /// reaches only this vector. The pointer is valid until this vector is reset, grown or
  /// assigned. A dictionary vector cannot be written (flatten it first).
  uint8_t* mutable_data();
  template <class T>
  T* mutable_values() { return reinterpret_cast<T*>(mutable_data()); }
  ValidityMask& mutable_validity();
  /// Whether a write would need a copy first: the value buffer or the validity bitmap is shared.
  bool is_shared() const;
  /// Gives this vector unshared value and validity buffers, copying shared ones.
  void make_writable();

  /// The heap that owns this vector's non-inlined strings (created on first use).
  StringHeap& string_heap();
  /// Keeps every string heap of `other` alive as long as this vector (for string_t values copied
  /// by pointer from `other`).
  void keep_heaps_of(const Vector& other);
  /// Keeps `heap` alive as long as this vector (for strings pointing into another heap).
  void add_heap_reference(std::shared_ptr<StringHeap> heap);

  /// For a dictionary vector: the selection and the flat child.
  const SelectionVector& dictionary_selection() const { return sel_; }
  const Vector& dictionary_child() const { return *child_; }

  /// Becomes a reference to `other`, sharing all of its buffers.
  void reference(const Vector& other);
  /// Becomes a reference to `other` typed as `type`, which must have `other`'s physical type
  /// (a binary-compatible cast, such as numeric(p,s) to numeric).
  void reference_as(const Vector& other, const LogicalType& type);
  /// Becomes a dictionary over `source`: row i is source row sel[i], for `count` rows.
  /// A dictionary source is composed rather than nested; a constant stays constant.
  void slice(const Vector& source, const SelectionVector& sel, size_t count);
  /// Turns a constant or dictionary vector into a flat one with `count` rows.
  void flatten(size_t count);
  /// Presents any representation as a selection over flat data.
  void to_unified(size_t count, UnifiedVectorFormat& out) const;

  /// Turns this vector into an owned flat vector of `capacity` values (all valid), keeping its type.
  void reset(size_t capacity = kVectorSize);
  /// Turns this into a constant vector of the same type holding NULL.
  void set_constant_null();
  /// Marks this vector constant (row 0 stands for all rows).
  void set_vector_type(VectorType type) { vector_type_ = type; }

  /// Row-at-a-time access for tests and non-hot paths.
  Value get_value(size_t row) const;
  /// Writes `value` (cast-free: its physical type must match) into row `row` of a flat vector.
  void set_value(size_t row, const Value& value);

  /// Copies `count` rows selected by `sel` (rows sel[source_offset..]) from `source` into this
  /// flat vector starting at `target_offset`; strings are copied into this vector's heap.
  void copy_from(const Vector& source, const SelectionVector& sel, size_t count, size_t target_offset);

  /// Grows a flat vector to hold at least `capacity` values, keeping contents.
  void grow(size_t capacity);

 private:
  LogicalType type_;
  VectorType vector_type_ = VectorType::kFlat;
  size_t capacity_ = 0;
  uint8_t* data_ = nullptr;
  ValidityMask validity_;
  std::shared_ptr<VectorBuffer> buffer_;
  std::shared_ptr<StringHeap> heap_;
  std::shared_ptr<std::vector<std::shared_ptr<StringHeap>>> extra_heaps_;
  // dictionary
  SelectionVector sel_;
  std::shared_ptr<Vector> child_;
};

/// A selection of all zeros (kVectorSize entries), used to broadcast constants.
const SelectionVector& zero_selection();

}  // namespace tessera
