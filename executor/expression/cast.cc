#include "executor/expression/cast.h"

#include <cmath>
#include <limits>
#include <string>

#include "executor/functions/vector_loops.h"
#include "src/common/assert.h"
#include "src/common/bpchar.h"
#include "src/common/datetime.h"
#include "src/common/numeric.h"
#include "src/common/utf8.h"
#include "src/common/value_cast.h"

namespace tessera::executor {

namespace {

/// result[r] = op(source[r]); NULL in, NULL out.
template <class A, class R, class OP>
void unary_loop(const Vector& a, const sel_t* sel, size_t count, Vector& result, OP&& op) {
  UnifiedVectorFormat ua;
  a.to_unified(count, ua);
  const A* av = ua.values<A>();
  R* out = result.mutable_values<R>();
  ValidityMask& rv = result.mutable_validity();
  const bool all_valid = ua.validity->all_valid();
  for_each_row(sel, count, [&](sel_t r) {
    sel_t ia = ua.sel.get_index(r);
    if (!all_valid && !ua.validity->row_is_valid(ia)) {
      rv.set_invalid(r);
      return;
    }
    out[r] = op(av[ia]);
  });
}

}  // namespace

namespace {

template <class From>
void cast_numeric_to_text(const Vector& source, const sel_t* sel, size_t count, Vector& result) {
  StringHeap& heap = result.string_heap();
  unary_loop<From, string_t>(source, sel, count, result, [&](From v) {
    std::string s;
    if constexpr (std::is_same_v<From, double>) {
      s = format_double(v);
    } else if constexpr (std::is_same_v<From, float>) {
      s = format_real(v);
    } else {
      s = std::to_string(static_cast<int64_t>(v));
    }
    return heap.add(s);
  });
}

template <class From, class To>
void cast_int_to_int(const Vector& source, const sel_t* sel, size_t count, Vector& result) {
  const LogicalType type = result.type();
  unary_loop<From, To>(source, sel, count, result, [&](From v) {
    if (v < static_cast<int64_t>(std::numeric_limits<To>::min()) || v > static_cast<int64_t>(std::numeric_limits<To>::max())) {
      throw_out_of_range(type);
    }
    return static_cast<To>(v);
  });
}

template <class To, class From = double>
void cast_double_to_int(const Vector& source, const sel_t* sel, size_t count, Vector& result) {
  const LogicalType type = result.type();
  unary_loop<From, To>(source, sel, count, result, [&](From v) {
    double r = round_half_even(static_cast<double>(v));
    if (std::isnan(r) || r < static_cast<double>(std::numeric_limits<To>::min()) ||
        r >= -static_cast<double>(std::numeric_limits<To>::min())) {
      throw_out_of_range(type);
    }
    return static_cast<To>(r);
  });
}

template <class To>
void cast_int_any(const Vector& source, const sel_t* sel, size_t count, Vector& result) {
  switch (source.type().physical_type()) {
    case PhysicalType::kInt16: return cast_int_to_int<int16_t, To>(source, sel, count, result);
    case PhysicalType::kInt32: return cast_int_to_int<int32_t, To>(source, sel, count, result);
    case PhysicalType::kInt64: return cast_int_to_int<int64_t, To>(source, sel, count, result);
    case PhysicalType::kDouble: return cast_double_to_int<To>(source, sel, count, result);
    case PhysicalType::kFloat: return cast_double_to_int<To, float>(source, sel, count, result);
    case PhysicalType::kBool:
      return unary_loop<uint8_t, To>(source, sel, count, result, [](uint8_t b) { return static_cast<To>(b ? 1 : 0); });
    default: break;
  }
  TS_CHECK(false, "bad integer cast");
}

// ---- real (float4) ----

/// Casts to real from the integer types and double precision (dtof's overflow/underflow checks).
bool cast_to_real(const Vector& source, const sel_t* sel, size_t count, Vector& result) {
  switch (source.type().physical_type()) {
    case PhysicalType::kInt16:
      unary_loop<int16_t, float>(source, sel, count, result, [](int16_t v) { return static_cast<float>(v); });
      return true;
    case PhysicalType::kInt32:
      unary_loop<int32_t, float>(source, sel, count, result, [](int32_t v) { return static_cast<float>(v); });
      return true;
    case PhysicalType::kInt64:
      unary_loop<int64_t, float>(source, sel, count, result, [](int64_t v) { return static_cast<float>(v); });
      return true;
    case PhysicalType::kDouble:
      unary_loop<double, float>(source, sel, count, result, [](double v) { return double_to_real(v); });
      return true;
    default: return false;
  }
}

/// The numeric conversions that need no text: numeric to numeric(p,s) (unconstrained: the
/// values as they are), integers to numeric, numeric to double precision. Returns false for
/// the others.
bool cast_numeric_vectorized(const Vector& source, const sel_t* sel, size_t count, Vector& result) {
  const LogicalType& from = source.type();
  const LogicalType& to = result.type();
  if (to.id() == LogicalTypeId::kNumeric) {
    const int32_t typmod = to.modifier();
    auto apply = [typmod](const Numeric& n) { return typmod < 0 ? n : numeric::apply_typmod(n, typmod); };
    switch (from.id()) {
      case LogicalTypeId::kNumeric:
        if (typmod < 0 || typmod == from.modifier()) {
          // Unconstrained numeric holds any numeric(p,s) value as it is.
          result.reference_as(source, to);
          return true;
        }
        unary_loop<Numeric, Numeric>(source, sel, count, result, apply);
        return true;
      case LogicalTypeId::kSmallint:
        unary_loop<int16_t, Numeric>(source, sel, count, result, [&](int16_t v) { return apply(numeric::from_int64(v)); });
        return true;
      case LogicalTypeId::kInteger:
        unary_loop<int32_t, Numeric>(source, sel, count, result, [&](int32_t v) { return apply(numeric::from_int64(v)); });
        return true;
      case LogicalTypeId::kBigint:
        unary_loop<int64_t, Numeric>(source, sel, count, result, [&](int64_t v) { return apply(numeric::from_int64(v)); });
        return true;
      default: return false;
    }
  }
  if (from.id() == LogicalTypeId::kNumeric && to.id() == LogicalTypeId::kDouble) {
    unary_loop<Numeric, double>(source, sel, count, result, [](const Numeric& n) { return numeric::to_double(n); });
    return true;
  }
  return false;
}

/// Casts through Value for the rare conversions that parse text.
void cast_generic(const Vector& source, const sel_t* sel, size_t count, Vector& result) {
  for_each_row(sel, count, [&](sel_t r) { result.set_value(r, cast_value(source.get_value(r), result.type())); });
}

}  // namespace

void execute_cast(const Vector& source, const sel_t* sel, size_t count, Vector& result) {
  const LogicalType& from = source.type();
  const LogicalType& to = result.type();
  if (from.id() == LogicalTypeId::kSqlNull) {
    ValidityMask& validity = result.mutable_validity();
    for_each_row(sel, count, [&](sel_t r) { validity.set_invalid(r); });
    return;
  }
  // Array input, output and element conversions go through Value.
  if (from.is_array() || to.is_array()) return cast_generic(source, sel, count, result);
  // Text input of numeric and date values (COPY FROM parses every value this way): a value at a
  // time, without going through Value.
  if (from.is_string() && to.id() == LogicalTypeId::kNumeric) {
    const int32_t typmod = to.modifier();
    unary_loop<string_t, Numeric>(source, sel, count, result, [typmod](const string_t& s) {
      return numeric::apply_typmod(numeric::parse_or_throw(s.view()), typmod);
    });
    return;
  }
  if (from.is_string() && to.id() == LogicalTypeId::kDate) {
    unary_loop<string_t, int32_t>(source, sel, count, result,
                                  [](const string_t& s) { return datetime::parse_date(s.view()); });
    return;
  }
  // The numeric conversions go through Value (numeric::* does the work per value).
  if (from.id() == LogicalTypeId::kNumeric || to.id() == LogicalTypeId::kNumeric) {
    if (cast_numeric_vectorized(source, sel, count, result)) return;
    return cast_generic(source, sel, count, result);
  }
  // bytea and uuid convert through their text I/O, by Value.
  if (from.id() == LogicalTypeId::kBytea || to.id() == LogicalTypeId::kBytea || from.id() == LogicalTypeId::kUuid ||
      to.id() == LogicalTypeId::kUuid) {
    return cast_generic(source, sel, count, result);
  }
  // The date/time conversions go through Value.
  if (from.is_datetime() || to.is_datetime()) return cast_generic(source, sel, count, result);
  // Text to character(n): without trailing blanks, the first n characters (an explicit cast's
  // truncation; assignments cast to unconstrained bpchar and check the length on write).
  if (from.is_string() && to.id() == LogicalTypeId::kChar) {
    result.keep_heaps_of(source);
    const size_t limit = to.modifier() < 0 ? SIZE_MAX : static_cast<size_t>(to.modifier());
    return unary_loop<string_t, string_t>(source, sel, count, result, [limit](const string_t& s) {
      std::string_view v = bpchar_strip(s.view());
      if (v.size() > limit) v = bpchar_strip(v.substr(0, utf8_prefix_bytes(v.data(), v.size(), limit)));
      return string_t(v.data(), static_cast<uint32_t>(v.size()));
    });
  }
  // Text to varchar(n): the first n characters, sharing the source's bytes. A bpchar's stored
  // form is already its text (no trailing blanks).
  if (from.is_string() && to.id() == LogicalTypeId::kVarchar) {
    result.keep_heaps_of(source);
    const size_t limit = to.modifier() < 0 ? SIZE_MAX : static_cast<size_t>(to.modifier());
    return unary_loop<string_t, string_t>(source, sel, count, result, [limit](const string_t& s) {
      if (s.size() <= limit) return s;
      return string_t(s.data(), static_cast<uint32_t>(utf8_prefix_bytes(s.data(), s.size(), limit)));
    });
  }
  // Text input and the boolean conversions are rare: they go through Value.
  if (from.is_string() || from.id() == LogicalTypeId::kBoolean || to.id() == LogicalTypeId::kBoolean) {
    return cast_generic(source, sel, count, result);
  }
  switch (to.id()) {
    case LogicalTypeId::kSmallint: return cast_int_any<int16_t>(source, sel, count, result);
    case LogicalTypeId::kInteger: return cast_int_any<int32_t>(source, sel, count, result);
    case LogicalTypeId::kBigint: return cast_int_any<int64_t>(source, sel, count, result);
    case LogicalTypeId::kDouble:
      switch (from.physical_type()) {
        case PhysicalType::kInt16:
          return unary_loop<int16_t, double>(source, sel, count, result, [](int16_t v) { return static_cast<double>(v); });
        case PhysicalType::kInt32:
          return unary_loop<int32_t, double>(source, sel, count, result, [](int32_t v) { return static_cast<double>(v); });
        case PhysicalType::kInt64:
          return unary_loop<int64_t, double>(source, sel, count, result, [](int64_t v) { return static_cast<double>(v); });
        case PhysicalType::kDouble:
          return unary_loop<double, double>(source, sel, count, result, [](double v) { return v; });
        case PhysicalType::kFloat:
          return unary_loop<float, double>(source, sel, count, result, [](float v) { return static_cast<double>(v); });
        default: break;
      }
      break;
    case LogicalTypeId::kReal:
      if (cast_to_real(source, sel, count, result)) return;
      break;
    case LogicalTypeId::kVarchar:
      if (to.modifier() < 0) {
        switch (from.physical_type()) {
          case PhysicalType::kInt16: return cast_numeric_to_text<int16_t>(source, sel, count, result);
          case PhysicalType::kInt32: return cast_numeric_to_text<int32_t>(source, sel, count, result);
          case PhysicalType::kInt64: return cast_numeric_to_text<int64_t>(source, sel, count, result);
          case PhysicalType::kDouble: return cast_numeric_to_text<double>(source, sel, count, result);
          case PhysicalType::kFloat: return cast_numeric_to_text<float>(source, sel, count, result);
          case PhysicalType::kString:
            result.keep_heaps_of(source);
            return unary_loop<string_t, string_t>(source, sel, count, result, [](const string_t& s) { return s; });
          default: break;
        }
      }
      break;
    default: break;
  }
  cast_generic(source, sel, count, result);
}

}  // namespace tessera::executor
