#include "storage/table_filter.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "src/common/assert.h"
#include "src/common/string_t.h"
#include "storage/internal/filter_kernels.h"

namespace tessera::storage {

namespace {

// The SQL order of each physical representation: `less` is a strict total order and `equal` its
// equivalence. Doubles follow PostgreSQL's float8 order (NaN equal to itself and above every
// other value; -0.0 equal to 0.0); strings compare byte-wise.
template <class T>
struct SqlOrder {
  static bool less(const T& a, const T& b) { return a < b; }
  static bool equal(const T& a, const T& b) { return a == b; }
};

template <>
struct SqlOrder<double> {
  static bool less(double a, double b) { return std::isnan(a) ? false : (std::isnan(b) || a < b); }
  static bool equal(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }
};

template <>
struct SqlOrder<float> {
  static bool less(float a, float b) { return std::isnan(a) ? false : (std::isnan(b) || a < b); }
  static bool equal(float a, float b) { return a == b || (std::isnan(a) && std::isnan(b)); }
};

template <>
struct SqlOrder<string_t> {
  static bool less(const string_t& a, const string_t& b) { return compare(a, b) < 0; }
  static bool equal(const string_t& a, const string_t& b) { return a == b; }
};

template <>
struct SqlOrder<Interval> {
  static bool less(const Interval& a, const Interval& b) { return compare_intervals(a, b) < 0; }
  static bool equal(const Interval& a, const Interval& b) { return compare_intervals(a, b) == 0; }
};

template <>
struct SqlOrder<Numeric> {
  static bool less(const Numeric& a, const Numeric& b) { return numeric::compare(a, b) < 0; }
  static bool equal(const Numeric& a, const Numeric& b) { return numeric::compare(a, b) == 0; }
};

template <class T, CompareOp kOp>
inline bool compare_holds(const T& value, const T& constant) {
  using O = SqlOrder<T>;
  if constexpr (kOp == CompareOp::kEqual) return O::equal(value, constant);
  if constexpr (kOp == CompareOp::kNotEqual) return !O::equal(value, constant);
  if constexpr (kOp == CompareOp::kLess) return O::less(value, constant);
  if constexpr (kOp == CompareOp::kLessEqual) return !O::less(constant, value);
  if constexpr (kOp == CompareOp::kGreater) return O::less(constant, value);
  if constexpr (kOp == CompareOp::kGreaterEqual) return !O::less(value, constant);
  return false;
}

bool row_valid(const uint64_t* validity, size_t row) { return (validity[row >> 6] >> (row & 63)) & 1; }

// Writes the rows among sel_in[0..count) (nullptr: 0..count-1) whose value satisfies `holds` to
// sel_out (which may be sel_in: each entry is written at or before where it was read).
template <class T, class Holds>
size_t select_rows(const FilterInput& input, const sel_t* sel_in, size_t count, sel_t* sel_out, Holds&& holds) {
  const T* values = static_cast<const T*>(input.values) + input.base;
  size_t n = 0;
  if (input.validity == nullptr) {
    for (size_t i = 0; i < count; i++) {
      const sel_t row = sel_in ? sel_in[i] : static_cast<sel_t>(i);
      sel_out[n] = row;
      n += holds(values[row]) ? 1 : 0;
    }
    return n;
  }
  for (size_t i = 0; i < count; i++) {
    const sel_t row = sel_in ? sel_in[i] : static_cast<sel_t>(i);
    sel_out[n] = row;
    n += (row_valid(input.validity, input.base + row) && holds(values[row])) ? 1 : 0;
  }
  return n;
}

// Drops the NULL rows from sel[0..count) in place.
size_t drop_nulls(const FilterInput& input, sel_t* sel, size_t count) {
  if (input.validity == nullptr) return count;
  size_t n = 0;
  for (size_t i = 0; i < count; i++) {
    const sel_t row = sel[i];
    sel[n] = row;
    n += row_valid(input.validity, input.base + row) ? 1 : 0;
  }
  return n;
}

template <class T, CompareOp kOp>
size_t select_compare_op(const FilterInput& input, T constant, const sel_t* sel_in, size_t count, sel_t* sel_out) {
  return select_rows<T>(input, sel_in, count, sel_out,
                        [constant](const T& v) { return compare_holds<T, kOp>(v, constant); });
}

template <class T>
size_t select_compare(CompareOp op, const FilterInput& input, T constant, const sel_t* sel_in, size_t count,
                      sel_t* sel_out) {
  if constexpr (std::is_same_v<T, int16_t> || std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
                std::is_same_v<T, double>) {
    if (sel_in == nullptr) {
      // Every row of a run: the SIMD kernel, then NULL rows (arbitrary bits) are dropped.
      const size_t n = select_dense(op, static_cast<const T*>(input.values) + input.base, constant, count, sel_out);
      return drop_nulls(input, sel_out, n);
    }
  }
  switch (op) {
    case CompareOp::kEqual: return select_compare_op<T, CompareOp::kEqual>(input, constant, sel_in, count, sel_out);
    case CompareOp::kNotEqual: return select_compare_op<T, CompareOp::kNotEqual>(input, constant, sel_in, count, sel_out);
    case CompareOp::kLess: return select_compare_op<T, CompareOp::kLess>(input, constant, sel_in, count, sel_out);
    case CompareOp::kLessEqual: return select_compare_op<T, CompareOp::kLessEqual>(input, constant, sel_in, count, sel_out);
    case CompareOp::kGreater: return select_compare_op<T, CompareOp::kGreater>(input, constant, sel_in, count, sel_out);
    case CompareOp::kGreaterEqual:
      return select_compare_op<T, CompareOp::kGreaterEqual>(input, constant, sel_in, count, sel_out);
  }
  return 0;
}

// A Value as the physical representation `T` (string_t references the Value's bytes).
template <class T>
T physical_value(const Value& v) {
  if constexpr (std::is_same_v<T, double>) {
    return v.get_double();
  } else if constexpr (std::is_same_v<T, float>) {
    return v.get_float();
  } else if constexpr (std::is_same_v<T, string_t>) {
    return string_t(std::string_view(v.get_string()));
  } else if constexpr (std::is_same_v<T, uint8_t>) {
    return v.get_bool() ? 1 : 0;
  } else if constexpr (std::is_same_v<T, Interval>) {
    return v.get_interval();
  } else if constexpr (std::is_same_v<T, Numeric>) {
    return v.get_numeric();
  } else {
    return static_cast<T>(v.get_int64());
  }
}

// Calls f(T{}) with the C++ type of the physical representation of `type`.
template <class F>
auto dispatch_physical(const LogicalType& type, F&& f) {
  switch (type.physical_type()) {
    case PhysicalType::kBool: return f(uint8_t{});
    case PhysicalType::kInt16: return f(int16_t{});
    case PhysicalType::kInt32: return f(int32_t{});
    case PhysicalType::kInt64: return f(int64_t{});
    case PhysicalType::kDouble: return f(double{});
    case PhysicalType::kFloat: return f(float{});
    case PhysicalType::kString: return f(string_t{});
    case PhysicalType::kInterval: return f(Interval{});
    case PhysicalType::kNumeric: return f(Numeric{});
    case PhysicalType::kInvalid: break;
  }
  TS_CHECK(false, "filter on a column without storage");
  return f(int64_t{});
}

// Zone maps keep integral types widened to int64, reals widened to double, doubles and strings
// as themselves.
template <class F>
auto dispatch_zone(const LogicalType& type, F&& f) {
  switch (type.physical_type()) {
    case PhysicalType::kDouble:
    case PhysicalType::kFloat: return f(double{});
    case PhysicalType::kString: return f(std::string_view{});
    case PhysicalType::kInterval: return f(Interval{});
    default: return f(int64_t{});
  }
}

template <class K>
struct ZoneOrder {
  static bool less(const K& a, const K& b) { return a < b; }  // string_view: byte-wise (char_traits)
  static bool equal(const K& a, const K& b) { return a == b; }
};
template <>
struct ZoneOrder<double> : SqlOrder<double> {};
template <>
struct ZoneOrder<Interval> : SqlOrder<Interval> {};

template <class K>
K zone_key(const Value& v) {
  if constexpr (std::is_same_v<K, double>) {
    return v.get_double();
  } else if constexpr (std::is_same_v<K, std::string_view>) {
    return std::string_view(v.get_string());
  } else if constexpr (std::is_same_v<K, Interval>) {
    return v.get_interval();
  } else {
    return v.get_int64();
  }
}

template <class K>
K zone_min(const ZoneMap& z) {
  if constexpr (std::is_same_v<K, double>) {
    return z.min_double();
  } else if constexpr (std::is_same_v<K, std::string_view>) {
    return z.min_string();
  } else if constexpr (std::is_same_v<K, Interval>) {
    return z.min_interval();
  } else {
    return z.min_integer();
  }
}

template <class K>
K zone_max(const ZoneMap& z) {
  if constexpr (std::is_same_v<K, double>) {
    return z.max_double();
  } else if constexpr (std::is_same_v<K, std::string_view>) {
    return z.max_string();
  } else if constexpr (std::is_same_v<K, Interval>) {
    return z.max_interval();
  } else {
    return z.max_integer();
  }
}

template <class K>
ZoneCheck check_compare_zone(CompareOp op, const K& min, const K& max, const K& c, bool has_nulls) {
  using O = ZoneOrder<K>;
  bool never = false, all = false;
  switch (op) {
    case CompareOp::kEqual:
      never = O::less(c, min) || O::less(max, c);
      all = O::equal(min, c) && O::equal(max, c);
      break;
    case CompareOp::kNotEqual:
      never = O::equal(min, c) && O::equal(max, c);
      all = O::less(c, min) || O::less(max, c);
      break;
    case CompareOp::kLess:
      never = !O::less(min, c);
      all = O::less(max, c);
      break;
    case CompareOp::kLessEqual:
      never = O::less(c, min);
      all = !O::less(c, max);
      break;
    case CompareOp::kGreater:
      never = !O::less(c, max);
      all = O::less(c, min);
      break;
    case CompareOp::kGreaterEqual:
      never = O::less(max, c);
      all = !O::less(min, c);
      break;
  }
  if (never) return ZoneCheck::kNever;
  return all && !has_nulls ? ZoneCheck::kAlways : ZoneCheck::kMaybe;
}

const char* op_text(CompareOp op) {
  switch (op) {
    case CompareOp::kEqual: return "=";
    case CompareOp::kNotEqual: return "<>";
    case CompareOp::kLess: return "<";
    case CompareOp::kLessEqual: return "<=";
    case CompareOp::kGreater: return ">";
    case CompareOp::kGreaterEqual: return ">=";
  }
  return "?";
}

}  // namespace

std::string sql_literal(const Value& v) {
  const std::string text = v.to_string();
  const bool quote = v.type().physical_type() == PhysicalType::kString || v.type().is_datetime() ||
                     ((v.type().physical_type() == PhysicalType::kDouble || v.type().physical_type() == PhysicalType::kFloat) &&
                      !std::isfinite(v.get_double()));
  if (!quote) return text;
  std::string out = "'";
  for (char ch : text) {
    if (ch == '\'') out += '\'';
    out += ch;
  }
  return out + "'";
}

namespace {

// Sorts and deduplicates constants in the SQL order of their type.
std::vector<Value> sorted_unique(std::vector<Value> values) {
  TS_CHECK(!values.empty(), "IN filter without constants");
  const LogicalType type = values[0].type();
  for (const auto& v : values) {
    TS_CHECK(!v.is_null() && v.type().physical_type() == type.physical_type(), "IN filter constant of another type");
  }
  dispatch_zone(type, [&](auto key) {
    using K = decltype(key);
    std::sort(values.begin(), values.end(),
              [](const Value& a, const Value& b) { return ZoneOrder<K>::less(zone_key<K>(a), zone_key<K>(b)); });
    values.erase(std::unique(values.begin(), values.end(),
                             [](const Value& a, const Value& b) { return ZoneOrder<K>::equal(zone_key<K>(a), zone_key<K>(b)); }),
                 values.end());
    return 0;
  });
  return values;
}

}  // namespace

// --- CompareFilter ---

CompareFilter::CompareFilter(CompareOp op, Value constant)
    : TableFilter(TableFilterKind::kCompare), op_(op), constant_(std::move(constant)) {
  TS_CHECK(!constant_.is_null(), "comparison filter with a NULL constant");
}

ZoneCheck CompareFilter::check_zone(const ZoneMap& zone) const {
  if (zone.value_count() == 0) return ZoneCheck::kNever;  // only NULLs (or no rows)
  return dispatch_zone(zone.type(), [&](auto key) {
    using K = decltype(key);
    return check_compare_zone<K>(op_, zone_min<K>(zone), zone_max<K>(zone), zone_key<K>(constant_), zone.null_count() > 0);
  });
}

size_t CompareFilter::select(const LogicalType& type, const FilterInput& input, const sel_t* sel_in, size_t count,
                             sel_t* sel_out) const {
  return dispatch_physical(type, [&](auto tag) {
    using T = decltype(tag);
    return select_compare<T>(op_, input, physical_value<T>(constant_), sel_in, count, sel_out);
  });
}

std::string CompareFilter::to_string(const std::string& column) const {
  return column + " " + op_text(op_) + " " + sql_literal(constant_);
}

TableFilterPtr CompareFilter::copy() const { return std::make_unique<CompareFilter>(op_, constant_); }

// --- InFilter ---

InFilter::InFilter(std::vector<Value> constants)
    : TableFilter(TableFilterKind::kIn), constants_(sorted_unique(std::move(constants))) {}

ZoneCheck InFilter::check_zone(const ZoneMap& zone) const {
  if (zone.value_count() == 0) return ZoneCheck::kNever;
  return dispatch_zone(zone.type(), [&](auto key) {
    using K = decltype(key);
    using O = ZoneOrder<K>;
    const K min = zone_min<K>(zone), max = zone_max<K>(zone);
    bool any = false;
    for (const auto& v : constants_) {
      const K c = zone_key<K>(v);
      if (!O::less(c, min) && !O::less(max, c)) any = true;
    }
    if (!any) return ZoneCheck::kNever;
    // A single distinct value that is in the list, and no NULLs: every row matches.
    if (O::equal(min, max) && zone.null_count() == 0) return ZoneCheck::kAlways;
    return ZoneCheck::kMaybe;
  });
}

size_t InFilter::select(const LogicalType& type, const FilterInput& input, const sel_t* sel_in, size_t count,
                        sel_t* sel_out) const {
  return dispatch_physical(type, [&](auto tag) {
    using T = decltype(tag);
    using O = SqlOrder<T>;
    std::vector<T> list;
    list.reserve(constants_.size());
    for (const auto& v : constants_) list.push_back(physical_value<T>(v));
    if (list.size() <= 8) {
      return select_rows<T>(input, sel_in, count, sel_out, [&list](const T& v) {
        bool found = false;
        for (const T& c : list) found |= O::equal(v, c);
        return found;
      });
    }
    return select_rows<T>(input, sel_in, count, sel_out, [&list](const T& v) {
      auto it = std::lower_bound(list.begin(), list.end(), v, [](const T& a, const T& b) { return O::less(a, b); });
      return it != list.end() && O::equal(*it, v);
    });
  });
}

std::string InFilter::to_string(const std::string& column) const {
  std::string out = column + " IN (";
  for (size_t i = 0; i < constants_.size(); i++) {
    if (i) out += ", ";
    out += sql_literal(constants_[i]);
  }
  return out + ")";
}

TableFilterPtr InFilter::copy() const { return std::make_unique<InFilter>(constants_); }

// --- NullFilter ---

ZoneCheck NullFilter::check_zone(const ZoneMap& zone) const {
  const bool is_null = kind() == TableFilterKind::kIsNull;
  if (is_null) {
    if (zone.null_count() == 0) return ZoneCheck::kNever;
    return zone.value_count() == 0 ? ZoneCheck::kAlways : ZoneCheck::kMaybe;
  }
  if (zone.value_count() == 0) return ZoneCheck::kNever;
  return zone.null_count() == 0 ? ZoneCheck::kAlways : ZoneCheck::kMaybe;
}

size_t NullFilter::select(const LogicalType&, const FilterInput& input, const sel_t* sel_in, size_t count,
                          sel_t* sel_out) const {
  const bool want_null = kind() == TableFilterKind::kIsNull;
  if (input.validity == nullptr && want_null) return 0;
  size_t n = 0;
  if (input.validity == nullptr) {
    for (size_t i = 0; i < count; i++) sel_out[i] = sel_in ? sel_in[i] : static_cast<sel_t>(i);
    return count;
  }
  for (size_t i = 0; i < count; i++) {
    const sel_t row = sel_in ? sel_in[i] : static_cast<sel_t>(i);
    sel_out[n] = row;
    n += row_valid(input.validity, input.base + row) != want_null ? 1 : 0;
  }
  return n;
}

std::string NullFilter::to_string(const std::string& column) const {
  return column + (kind() == TableFilterKind::kIsNull ? " IS NULL" : " IS NOT NULL");
}

TableFilterPtr NullFilter::copy() const { return std::make_unique<NullFilter>(kind() == TableFilterKind::kIsNull); }

// --- AndFilter ---

ZoneCheck AndFilter::check_zone(const ZoneMap& zone) const {
  ZoneCheck result = ZoneCheck::kAlways;
  for (const auto& child : children_) {
    const ZoneCheck c = child->check_zone(zone);
    if (c == ZoneCheck::kNever) return ZoneCheck::kNever;
    if (c == ZoneCheck::kMaybe) result = ZoneCheck::kMaybe;
  }
  return result;
}

size_t AndFilter::select(const LogicalType& type, const FilterInput& input, const sel_t* sel_in, size_t count,
                         sel_t* sel_out) const {
  for (const auto& child : children_) {
    if (count == 0) break;
    count = child->select(type, input, sel_in, count, sel_out);
    sel_in = sel_out;  // later children refine the first one's output
  }
  if (children_.empty()) {
    for (size_t i = 0; i < count; i++) sel_out[i] = sel_in ? sel_in[i] : static_cast<sel_t>(i);
  }
  return count;
}

std::string AndFilter::to_string(const std::string& column) const {
  std::string out;
  for (size_t i = 0; i < children_.size(); i++) {
    if (i) out += " AND ";
    out += children_[i]->to_string(column);
  }
  return out;
}

TableFilterPtr AndFilter::copy() const {
  auto result = std::make_unique<AndFilter>();
  for (const auto& child : children_) result->add(child->copy());
  return result;
}

// --- TableFilterSet ---

TableFilterSet::TableFilterSet(const TableFilterSet& other) {
  for (const auto& [column, filter] : other.filters_) filters_.emplace(column, filter->copy());
}

TableFilterSet& TableFilterSet::operator=(const TableFilterSet& other) {
  if (this != &other) {
    TableFilterSet copy(other);
    filters_ = std::move(copy.filters_);
  }
  return *this;
}

void TableFilterSet::add(size_t column, TableFilterPtr filter) {
  auto it = filters_.find(column);
  if (it == filters_.end()) {
    filters_.emplace(column, std::move(filter));
    return;
  }
  if (it->second->kind() != TableFilterKind::kAnd) {
    auto conjunction = std::make_unique<AndFilter>();
    conjunction->add(std::move(it->second));
    it->second = std::move(conjunction);
  }
  static_cast<AndFilter&>(*it->second).add(std::move(filter));
}

std::string TableFilterSet::to_string(const std::vector<std::string>& column_names) const {
  std::string out;
  for (const auto& [column, filter] : filters_) {
    if (!out.empty()) out += " AND ";
    out += filter->to_string(column < column_names.size() ? column_names[column] : "#" + std::to_string(column));
  }
  return out;
}

}  // namespace tessera::storage
