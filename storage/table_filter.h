#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "src/common/logical_type.h"
#include "src/common/selection_vector.h"
#include "src/common/value.h"
#include "storage/zone_map.h"

namespace tessera::storage {

/// What a zone map (min, max, NULL count of some rows) says about a filter over those rows.
enum class ZoneCheck : uint8_t {
  kNever = 0,   ///< no row can satisfy the filter: skip the rows
  kMaybe = 1,   ///< some rows may satisfy it: evaluate the filter
  kAlways = 2,  ///< every row satisfies it: no need to evaluate
};

enum class TableFilterKind : uint8_t {
  kCompare = 0,    ///< column <op> constant
  kIn = 1,         ///< column IN (constants)
  kIsNull = 2,
  kIsNotNull = 3,
  kAnd = 4,        ///< every child holds
};

enum class CompareOp : uint8_t { kEqual = 0, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

/// The values of some rows of one column as a segment stores them uncompressed: `values` is an
/// array of the column's physical type (uint8_t, int16_t, int32_t, int64_t, double, string_t),
/// `validity` one bit per row (1 = not NULL), nullptr when every row is valid. Selected row r
/// is at index `base + r` of both.
struct FilterInput {
  const void* values = nullptr;
  const uint64_t* validity = nullptr;
  size_t base = 0;
};

/// A condition on the values of one table column that storage evaluates during a scan, with
/// PostgreSQL's semantics: NULL satisfies no comparison and no IN list; text compares byte-wise
/// (the C collation); double NaN equals itself and is greater than every other value, and
/// -0.0 = 0.0. A filter (a) tells from a zone map whether some rows can match and (b) refines a
/// selection of rows of a segment's own data.
///
/// Thread-safety: immutable after construction; shared by all workers of a scan.
class TableFilter {
 public:
  explicit TableFilter(TableFilterKind kind) : kind_(kind) {}
  virtual ~TableFilter() = default;
  TableFilter(const TableFilter&) = delete;
  TableFilter& operator=(const TableFilter&) = delete;

  TableFilterKind kind() const { return kind_; }

  /// Whether rows summarised by `zone` may, must or cannot satisfy the filter.
  virtual ZoneCheck check_zone(const ZoneMap& zone) const = 0;
  /// Writes to `sel_out`, in order, the rows among `sel_in[0 .. count)` (nullptr: rows
  /// 0 .. count - 1) that satisfy the filter, reading them from `input` (values of `type`'s
  /// physical type); returns how many. `sel_out` has room for `count` entries and may be
  /// `sel_in`.
  virtual size_t select(const LogicalType& type, const FilterInput& input, const sel_t* sel_in, size_t count,
                        sel_t* sel_out) const = 0;
  /// SQL text of the condition on `column` (for EXPLAIN), e.g. "a < 5".
  virtual std::string to_string(const std::string& column) const = 0;
  virtual std::unique_ptr<TableFilter> copy() const = 0;

 private:
  const TableFilterKind kind_;
};

using TableFilterPtr = std::unique_ptr<TableFilter>;

/// column <op> constant. The constant is not NULL and has the column's type.
class CompareFilter : public TableFilter {
 public:
  CompareFilter(CompareOp op, Value constant);

  CompareOp op() const { return op_; }
  const Value& constant() const { return constant_; }

  ZoneCheck check_zone(const ZoneMap& zone) const override;
  size_t select(const LogicalType& type, const FilterInput& input, const sel_t* sel_in, size_t count,
                sel_t* sel_out) const override;
  std::string to_string(const std::string& column) const override;
  TableFilterPtr copy() const override;

 private:
  const CompareOp op_;
  const Value constant_;
};

/// column IN (constants). The constants are not NULL (a NULL item can never make IN true) and
/// have the column's type; duplicates are allowed.
class InFilter : public TableFilter {
 public:
  explicit InFilter(std::vector<Value> constants);

  const std::vector<Value>& constants() const { return constants_; }

  ZoneCheck check_zone(const ZoneMap& zone) const override;
  size_t select(const LogicalType& type, const FilterInput& input, const sel_t* sel_in, size_t count,
                sel_t* sel_out) const override;
  std::string to_string(const std::string& column) const override;
  TableFilterPtr copy() const override;

 private:
  std::vector<Value> constants_;  // sorted in the type's order, duplicates removed
};

/// column IS NULL, or column IS NOT NULL.
class NullFilter : public TableFilter {
 public:
  explicit NullFilter(bool is_null) : TableFilter(is_null ? TableFilterKind::kIsNull : TableFilterKind::kIsNotNull) {}

  ZoneCheck check_zone(const ZoneMap& zone) const override;
  size_t select(const LogicalType& type, const FilterInput& input, const sel_t* sel_in, size_t count,
                sel_t* sel_out) const override;
  std::string to_string(const std::string& column) const override;
  TableFilterPtr copy() const override;
};

/// All children hold (a conjunction on one column, e.g. BETWEEN as two comparisons).
class AndFilter : public TableFilter {
 public:
  AndFilter() : TableFilter(TableFilterKind::kAnd) {}

  void add(TableFilterPtr child) { children_.push_back(std::move(child)); }
  const std::vector<TableFilterPtr>& children() const { return children_; }

  ZoneCheck check_zone(const ZoneMap& zone) const override;
  size_t select(const LogicalType& type, const FilterInput& input, const sel_t* sel_in, size_t count,
                sel_t* sel_out) const override;
  std::string to_string(const std::string& column) const override;
  TableFilterPtr copy() const override;

 private:
  std::vector<TableFilterPtr> children_;
};

/// The filters of one scan: at most one filter per table column (several conditions on a column
/// become an AndFilter); a row qualifies when every column's filter holds. Copies are deep.
class TableFilterSet {
 public:
  TableFilterSet() = default;
  TableFilterSet(const TableFilterSet& other);
  TableFilterSet& operator=(const TableFilterSet& other);
  TableFilterSet(TableFilterSet&&) = default;
  TableFilterSet& operator=(TableFilterSet&&) = default;

  /// Adds a condition on table column `column` (ANDed with the column's other conditions).
  void add(size_t column, TableFilterPtr filter);
  bool empty() const { return filters_.empty(); }
  size_t size() const { return filters_.size(); }
  /// Filters by table column index, ascending.
  const std::map<size_t, TableFilterPtr>& filters() const { return filters_; }

  /// "a < 5 AND b IS NOT NULL", naming columns by `column_names` (indexed by table column).
  std::string to_string(const std::vector<std::string>& column_names) const;

 private:
  std::map<size_t, TableFilterPtr> filters_;
};

/// A constant as SQL text (EXPLAIN): strings, date/time values and non-finite floats quoted.
std::string sql_literal(const Value& v);

}  // namespace tessera::storage
