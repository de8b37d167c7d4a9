#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "src/common/logical_type.h"
#include "src/common/vector.h"

namespace tessera::executor {

/// Group keys compare numeric and interval values by value (1.0 = 1.00, '1 day' = '24 hours'),
/// so a key read back from its serialized bytes has lost the form the data had. PostgreSQL shows
/// a group's key as the first value of the group it met; this keeps that value, per group, for
/// every key column of those types (the other columns read back exactly). With several workers
/// each keeps its first value and the merge keeps the first group merged, so only a group whose
/// equal values differ in form can show either form.
/// Not thread-safe.
class GroupRepresentatives {
 public:
  explicit GroupRepresentatives(std::span<const LogicalType> key_types);

  /// Whether no key column needs representatives.
  bool empty() const { return columns_.empty(); }

  /// Records, for each group id in [first_new, num_groups) (groups created by this chunk), the
  /// key values of the first row i < count with groups[i] equal to it.
  void record_new(const std::vector<const Vector*>& keys, size_t count, const uint32_t* groups, uint32_t first_new,
                  size_t num_groups);
  /// Gives the new group `to` the representatives of group `from` of `source`.
  void copy(const GroupRepresentatives& source, uint32_t from, uint32_t to);
  /// Writes the representatives of groups[0..n) into rows [0, n) of the key columns `out`
  /// (already read back from the keys; NULL keys stay NULL).
  void restore(std::span<Vector> out, const uint32_t* groups, size_t n) const;

 private:
  struct Column {
    size_t index;  ///< position among the key columns
    size_t width;  ///< bytes per value
    std::vector<uint8_t> values;  ///< width bytes per group
    std::vector<uint8_t> valid;   ///< per group: 1 when the group's key value is not NULL
  };
  void resize(size_t num_groups);

  std::vector<Column> columns_;
};

}  // namespace tessera::executor
