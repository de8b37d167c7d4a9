#include "executor/expression/scalar_function.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "executor/expression/like_matcher.h"
#include "executor/kernels/arithmetic.h"
#include "src/common/assert.h"
#include "src/common/value_cast.h"

namespace tessera::executor {

using planner::FunctionId;

namespace {

template <class F>
inline void for_each_row(const sel_t* sel, size_t count, F&& f) {
  if (sel) {
    for (size_t i = 0; i < count; i++) f(sel[i]);
  } else {
    for (size_t i = 0; i < count; i++) f(static_cast<sel_t>(i));
  }
}

/// Applies `op(a, b)` to rows where both inputs are valid; NULL in, NULL out.
template <class A, class B, class R, class OP>
void binary_loop(const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result, OP&& op) {
  UnifiedVectorFormat ua, ub;
  a.to_unified(count, ua);
  b.to_unified(count, ub);
  const A* av = ua.values<A>();
  const B* bv = ub.values<B>();
  R* out = result.mutable_values<R>();
  ValidityMask& rv = result.mutable_validity();
  const bool all_valid = ua.validity->all_valid() && ub.validity->all_valid();
  for_each_row(sel, count, [&](sel_t r) {
    sel_t ia = ua.sel.get_index(r), ib = ub.sel.get_index(r);
    if (!all_valid && (!ua.validity->row_is_valid(ia) || !ub.validity->row_is_valid(ib))) {
      rv.set_invalid(r);
      return;
    }
    out[r] = op(av[ia], bv[ib]);
  });
}

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

// ---- comparisons -------------------------------------------------------------------------

template <class T>
inline int compare_values(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, double>) {
    // PostgreSQL orders NaN above every other value and equal to itself.
    bool an = std::isnan(a), bn = std::isnan(b);
    if (an || bn) return an && bn ? 0 : (an ? 1 : -1);
    return a < b ? -1 : (a > b ? 1 : 0);
  } else if constexpr (std::is_same_v<T, string_t>) {
    return compare(a, b);
  } else {
    return a < b ? -1 : (a > b ? 1 : 0);
  }
}

template <class T>
void compare_typed(FunctionId id, const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result) {
  switch (id) {
    case FunctionId::kEqual:
      return binary_loop<T, T, uint8_t>(a, b, sel, count, result, [](const T& x, const T& y) { return compare_values(x, y) == 0; });
    case FunctionId::kNotEqual:
      return binary_loop<T, T, uint8_t>(a, b, sel, count, result, [](const T& x, const T& y) { return compare_values(x, y) != 0; });
    case FunctionId::kLess:
      return binary_loop<T, T, uint8_t>(a, b, sel, count, result, [](const T& x, const T& y) { return compare_values(x, y) < 0; });
    case FunctionId::kLessEqual:
      return binary_loop<T, T, uint8_t>(a, b, sel, count, result, [](const T& x, const T& y) { return compare_values(x, y) <= 0; });
    case FunctionId::kGreater:
      return binary_loop<T, T, uint8_t>(a, b, sel, count, result, [](const T& x, const T& y) { return compare_values(x, y) > 0; });
    case FunctionId::kGreaterEqual:
      return binary_loop<T, T, uint8_t>(a, b, sel, count, result, [](const T& x, const T& y) { return compare_values(x, y) >= 0; });
    case FunctionId::kIsDistinctFrom:
    case FunctionId::kIsNotDistinctFrom: {
      UnifiedVectorFormat ua, ub;
      a.to_unified(count, ua);
      b.to_unified(count, ub);
      const T* av = ua.values<T>();
      const T* bv = ub.values<T>();
      uint8_t* out = result.mutable_values<uint8_t>();
      const bool distinct = id == FunctionId::kIsDistinctFrom;
      for_each_row(sel, count, [&](sel_t r) {
        sel_t ia = ua.sel.get_index(r), ib = ub.sel.get_index(r);
        bool va = ua.validity->row_is_valid(ia), vb = ub.validity->row_is_valid(ib);
        bool same = (!va && !vb) || (va && vb && compare_values(av[ia], bv[ib]) == 0);
        out[r] = distinct ? !same : same;
      });
      return;
    }
    default: TS_CHECK(false, "not a comparison");
  }
}

void execute_comparison(FunctionId id, const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result) {
  switch (a.type().physical_type()) {
    case PhysicalType::kBool: return compare_typed<uint8_t>(id, a, b, sel, count, result);
    case PhysicalType::kInt16: return compare_typed<int16_t>(id, a, b, sel, count, result);
    case PhysicalType::kInt32: return compare_typed<int32_t>(id, a, b, sel, count, result);
    case PhysicalType::kInt64: return compare_typed<int64_t>(id, a, b, sel, count, result);
    case PhysicalType::kDouble: return compare_typed<double>(id, a, b, sel, count, result);
    case PhysicalType::kString: return compare_typed<string_t>(id, a, b, sel, count, result);
    case PhysicalType::kInvalid: break;
  }
  TS_CHECK(false, "comparison on invalid type");
}

// ---- arithmetic --------------------------------------------------------------------------

[[noreturn]] void division_by_zero() { throw SqlError(SqlState::kDivisionByZero, "division by zero"); }

[[noreturn]] void float_overflow() {
  throw SqlError(SqlState::kNumericValueOutOfRange, "value out of range: overflow");
}

template <class T>
void integer_arithmetic(FunctionId id, const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result) {
  const LogicalType type = result.type();
  switch (id) {
    case FunctionId::kAdd:
      return binary_loop<T, T, T>(a, b, sel, count, result, [&](T x, T y) {
        T r;
        if (__builtin_add_overflow(x, y, &r)) throw_out_of_range(type);
        return r;
      });
    case FunctionId::kSubtract:
      return binary_loop<T, T, T>(a, b, sel, count, result, [&](T x, T y) {
        T r;
        if (__builtin_sub_overflow(x, y, &r)) throw_out_of_range(type);
        return r;
      });
    case FunctionId::kMultiply:
      return binary_loop<T, T, T>(a, b, sel, count, result, [&](T x, T y) {
        T r;
        if (__builtin_mul_overflow(x, y, &r)) throw_out_of_range(type);
        return r;
      });
    case FunctionId::kDivide:
      return binary_loop<T, T, T>(a, b, sel, count, result, [&](T x, T y) -> T {
        if (y == 0) division_by_zero();
        if (y == -1) {
          if (x == std::numeric_limits<T>::min()) throw_out_of_range(type);
          return static_cast<T>(-x);
        }
        return static_cast<T>(x / y);
      });
    case FunctionId::kModulo:
      return binary_loop<T, T, T>(a, b, sel, count, result, [&](T x, T y) -> T {
        if (y == 0) division_by_zero();
        if (y == -1) return 0;
        return static_cast<T>(x % y);
      });
    default: TS_CHECK(false, "not an integer arithmetic operator");
  }
}

void double_arithmetic(FunctionId id, const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result) {
  auto check = [](double x, double y, double r) {
    if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) float_overflow();
    return r;
  };
  switch (id) {
    case FunctionId::kAdd:
      return binary_loop<double, double, double>(a, b, sel, count, result, [&](double x, double y) { return check(x, y, x + y); });
    case FunctionId::kSubtract:
      return binary_loop<double, double, double>(a, b, sel, count, result, [&](double x, double y) { return check(x, y, x - y); });
    case FunctionId::kMultiply:
      return binary_loop<double, double, double>(a, b, sel, count, result, [&](double x, double y) { return check(x, y, x * y); });
    case FunctionId::kDivide:
      return binary_loop<double, double, double>(a, b, sel, count, result, [&](double x, double y) {
        if (y == 0) division_by_zero();
        return check(x, y, x / y);
      });
    case FunctionId::kModulo:
      return binary_loop<double, double, double>(a, b, sel, count, result, [&](double x, double y) {
        if (y == 0) division_by_zero();
        return std::fmod(x, y);
      });
    case FunctionId::kPower:
      return binary_loop<double, double, double>(a, b, sel, count, result, [&](double x, double y) {
        if (x == 0 && y < 0) {
          throw SqlError(SqlState::kInvalidArgumentForPowerFunction, "zero raised to a negative power is undefined");
        }
        if (x < 0 && std::floor(y) != y) {
          throw SqlError(SqlState::kInvalidArgumentForPowerFunction,
                         "a negative number raised to a non-integer power yields a complex result");
        }
        return check(x, y, std::pow(x, y));
      });
    default: TS_CHECK(false, "not a double arithmetic operator");
  }
}

/// A dense, flat-or-constant operand as the SIMD kernels take it.
template <class T>
Operand<T> operand_of(const Vector& v) {
  return v.vector_type() == VectorType::kConstant ? Operand<T>::constant(v.values<T>()) : Operand<T>::vector(v.values<T>());
}

/// Result validity = both inputs valid (constants broadcast). Returns the combined bitmap, or
/// null when every row is valid.
const uint64_t* combine_validity(const Vector& a, const Vector& b, size_t count, Vector& result) {
  auto source_valid = [&](const Vector& v, size_t row) {
    return v.vector_type() == VectorType::kConstant ? v.validity().row_is_valid(0) : v.validity().row_is_valid(row);
  };
  if (a.validity().all_valid() && b.validity().all_valid()) return nullptr;
  for (size_t r = 0; r < count; r++) {
    if (!source_valid(a, r) || !source_valid(b, r)) result.mutable_validity().set_invalid(r);
  }
  return result.validity().data();
}

template <class T>
bool integer_arithmetic_simd(FunctionId id, const Vector& a, const Vector& b, size_t count, Vector& result) {
  IntegerOp op;
  switch (id) {
    case FunctionId::kAdd: op = IntegerOp::kAdd; break;
    case FunctionId::kSubtract: op = IntegerOp::kSub; break;
    case FunctionId::kMultiply: op = IntegerOp::kMul; break;
    default: return false;
  }
  const uint64_t* validity = combine_validity(a, b, count, result);
  if (checked_arith(op, operand_of<T>(a), operand_of<T>(b), count, result.mutable_values<T>(), validity)) {
    throw_out_of_range(result.type());
  }
  return true;
}

bool double_arithmetic_simd(FunctionId id, const Vector& a, const Vector& b, size_t count, Vector& result) {
  FloatOp op;
  switch (id) {
    case FunctionId::kAdd: op = FloatOp::kAdd; break;
    case FunctionId::kSubtract: op = FloatOp::kSub; break;
    case FunctionId::kMultiply: op = FloatOp::kMul; break;
    default: return false;
  }
  const uint64_t* validity = combine_validity(a, b, count, result);
  double* out = result.mutable_values<double>();
  float_arith(op, operand_of<double>(a), operand_of<double>(b), count, out);
  // PostgreSQL raises on a finite computation that overflows to infinity.
  for (size_t r = 0; r < count; r++) {
    if (!std::isinf(out[r])) continue;
    if (validity && !((validity[r >> 6] >> (r & 63)) & 1)) continue;
    double x = a.vector_type() == VectorType::kConstant ? a.values<double>()[0] : a.values<double>()[r];
    double y = b.vector_type() == VectorType::kConstant ? b.values<double>()[0] : b.values<double>()[r];
    if (!std::isinf(x) && !std::isinf(y)) float_overflow();
  }
  return true;
}

/// The SIMD path: all rows, flat or constant operands.
bool arithmetic_simd(FunctionId id, const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result) {
  auto dense = [](const Vector& v) { return v.vector_type() == VectorType::kFlat || v.vector_type() == VectorType::kConstant; };
  if (sel || !dense(a) || !dense(b) || count == 0) return false;
  switch (result.type().physical_type()) {
    case PhysicalType::kInt16: return integer_arithmetic_simd<int16_t>(id, a, b, count, result);
    case PhysicalType::kInt32: return integer_arithmetic_simd<int32_t>(id, a, b, count, result);
    case PhysicalType::kInt64: return integer_arithmetic_simd<int64_t>(id, a, b, count, result);
    case PhysicalType::kDouble: return double_arithmetic_simd(id, a, b, count, result);
    default: return false;
  }
}

void execute_arithmetic(FunctionId id, const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result) {
  if (arithmetic_simd(id, a, b, sel, count, result)) return;
  switch (result.type().physical_type()) {
    case PhysicalType::kInt16: return integer_arithmetic<int16_t>(id, a, b, sel, count, result);
    case PhysicalType::kInt32: return integer_arithmetic<int32_t>(id, a, b, sel, count, result);
    case PhysicalType::kInt64: return integer_arithmetic<int64_t>(id, a, b, sel, count, result);
    case PhysicalType::kDouble: return double_arithmetic(id, a, b, sel, count, result);
    default: TS_CHECK(false, "arithmetic on non-numeric type");
  }
}

template <class T>
void negate_or_abs(bool is_abs, const Vector& a, const sel_t* sel, size_t count, Vector& result) {
  const LogicalType type = result.type();
  unary_loop<T, T>(a, sel, count, result, [&](T x) -> T {
    if constexpr (std::is_same_v<T, double>) {
      return is_abs ? std::fabs(x) : -x;
    } else {
      if (is_abs && x >= 0) return x;
      if (x == std::numeric_limits<T>::min()) throw_out_of_range(type);
      return static_cast<T>(-x);
    }
  });
}

void execute_negate_or_abs(bool is_abs, const Vector& a, const sel_t* sel, size_t count, Vector& result) {
  switch (result.type().physical_type()) {
    case PhysicalType::kInt16: return negate_or_abs<int16_t>(is_abs, a, sel, count, result);
    case PhysicalType::kInt32: return negate_or_abs<int32_t>(is_abs, a, sel, count, result);
    case PhysicalType::kInt64: return negate_or_abs<int64_t>(is_abs, a, sel, count, result);
    case PhysicalType::kDouble: return negate_or_abs<double>(is_abs, a, sel, count, result);
    default: TS_CHECK(false, "negation of non-numeric type");
  }
}

// ---- strings -----------------------------------------------------------------------------

/// The escape character of LIKE ... ESCAPE e: empty means none (NUL, which text never holds).
char like_escape(const string_t& e) {
  if (e.size() > 1) {
    throw SqlError(SqlState::kInvalidEscapeSequence, "invalid escape string")
        .with_hint("Escape string must be empty or one character.");
  }
  return e.size() == 0 ? '\0' : e.data()[0];
}

bool like_row(const string_t& s, const string_t& p, char escape, bool ci) {
  std::string_view pattern = p.view();
  if (escape != '\0' && !pattern.empty()) {
    // A pattern may not end in an unpaired escape character.
    size_t i = 0;
    while (i < pattern.size()) i += pattern[i] == escape ? 2 : 1;
    if (i > pattern.size()) {
      throw SqlError(SqlState::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
    }
  }
  return like_match(s.view(), pattern, escape, ci);
}

void execute_like(FunctionId id, std::vector<Vector>& args, const sel_t* sel, size_t count, Vector& result) {
  const bool negate = id == FunctionId::kNotLike || id == FunctionId::kNotILike;
  const bool ci = id == FunctionId::kILike || id == FunctionId::kNotILike;
  if (args.size() == 2) {
    binary_loop<string_t, string_t, uint8_t>(args[0], args[1], sel, count, result, [&](const string_t& s, const string_t& p) {
      return static_cast<uint8_t>(like_row(s, p, '\\', ci) != negate);
    });
    return;
  }
  UnifiedVectorFormat fs, fp, fe;
  args[0].to_unified(count, fs);
  args[1].to_unified(count, fp);
  args[2].to_unified(count, fe);
  uint8_t* out = result.mutable_values<uint8_t>();
  for_each_row(sel, count, [&](sel_t r) {
    sel_t is = fs.sel.get_index(r), ip = fp.sel.get_index(r), ie = fe.sel.get_index(r);
    if (!fs.validity->row_is_valid(is) || !fp.validity->row_is_valid(ip) || !fe.validity->row_is_valid(ie)) {
      result.mutable_validity().set_invalid(r);
      return;
    }
    char escape = like_escape(fe.values<string_t>()[ie]);
    out[r] = like_row(fs.values<string_t>()[is], fp.values<string_t>()[ip], escape, ci) != negate;
  });
}

void execute_concat(const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result) {
  StringHeap& heap = result.string_heap();
  binary_loop<string_t, string_t, string_t>(a, b, sel, count, result, [&](const string_t& x, const string_t& y) {
    uint32_t len = x.size() + y.size();
    char* buf = heap.allocate(len == 0 ? 1 : len);
    if (x.size()) std::memcpy(buf, x.data(), x.size());
    if (y.size()) std::memcpy(buf + x.size(), y.data(), y.size());
    return string_t(buf, len);
  });
}

void execute_case_fold(bool upper, const Vector& a, const sel_t* sel, size_t count, Vector& result) {
  StringHeap& heap = result.string_heap();
  unary_loop<string_t, string_t>(a, sel, count, result, [&](const string_t& s) {
    char* buf = heap.allocate(s.size() == 0 ? 1 : s.size());
    const char* src = s.data();
    for (uint32_t i = 0; i < s.size(); i++) {
      char c = src[i];
      if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      buf[i] = c;
    }
    return string_t(buf, s.size());
  });
}

void execute_length(const Vector& a, const sel_t* sel, size_t count, Vector& result) {
  unary_loop<string_t, int32_t>(a, sel, count, result, [](const string_t& s) {
    // Characters of UTF-8 text: bytes that do not continue a multi-byte sequence.
    int32_t n = 0;
    const char* d = s.data();
    for (uint32_t i = 0; i < s.size(); i++) n += (static_cast<unsigned char>(d[i]) & 0xC0) != 0x80;
    return n;
  });
}

// ---- null handling -------------------------------------------------------------------------

template <class T>
void greatest_least(bool greatest, std::vector<Vector>& args, const sel_t* sel, size_t count, Vector& result) {
  std::vector<UnifiedVectorFormat> fmts(args.size());
  for (size_t k = 0; k < args.size(); k++) {
    args[k].to_unified(count, fmts[k]);
    result.keep_heaps_of(args[k]);
  }
  T* out = result.mutable_values<T>();
  for_each_row(sel, count, [&](sel_t r) {
    bool found = false;
    T best{};
    for (const auto& f : fmts) {
      sel_t i = f.sel.get_index(r);
      if (!f.validity->row_is_valid(i)) continue;
      const T& v = f.values<T>()[i];
      if (!found || (greatest ? compare_values(v, best) > 0 : compare_values(v, best) < 0)) best = v;
      found = true;
    }
    if (found) {
      out[r] = best;
    } else {
      result.mutable_validity().set_invalid(r);
    }
  });
}

void execute_greatest_least(bool greatest, std::vector<Vector>& args, const sel_t* sel, size_t count, Vector& result) {
  switch (result.type().physical_type()) {
    case PhysicalType::kBool: return greatest_least<uint8_t>(greatest, args, sel, count, result);
    case PhysicalType::kInt16: return greatest_least<int16_t>(greatest, args, sel, count, result);
    case PhysicalType::kInt32: return greatest_least<int32_t>(greatest, args, sel, count, result);
    case PhysicalType::kInt64: return greatest_least<int64_t>(greatest, args, sel, count, result);
    case PhysicalType::kDouble: return greatest_least<double>(greatest, args, sel, count, result);
    case PhysicalType::kString: return greatest_least<string_t>(greatest, args, sel, count, result);
    case PhysicalType::kInvalid: break;
  }
}

void execute_null_test(FunctionId id, const Vector& a, const sel_t* sel, size_t count, Vector& result) {
  UnifiedVectorFormat ua;
  a.to_unified(count, ua);
  uint8_t* out = result.mutable_values<uint8_t>();
  for_each_row(sel, count, [&](sel_t r) {
    bool valid = ua.validity->row_is_valid(ua.sel.get_index(r));
    out[r] = id == FunctionId::kIsNull ? !valid : valid;
  });
}

void execute_bool_test(FunctionId id, const Vector& a, const sel_t* sel, size_t count, Vector& result) {
  UnifiedVectorFormat ua;
  a.to_unified(count, ua);
  uint8_t* out = result.mutable_values<uint8_t>();
  for_each_row(sel, count, [&](sel_t r) {
    uint8_t s = bool_state(ua, r);
    switch (id) {
      case FunctionId::kIsTrue: out[r] = s == 1; break;
      case FunctionId::kIsNotTrue: out[r] = s != 1; break;
      case FunctionId::kIsFalse: out[r] = s == 0; break;
      default: out[r] = s != 0; break;  // IS NOT FALSE
    }
  });
}

template <class T>
void nullif_typed(const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result) {
  UnifiedVectorFormat ua, ub;
  a.to_unified(count, ua);
  b.to_unified(count, ub);
  result.keep_heaps_of(a);
  T* out = result.mutable_values<T>();
  for_each_row(sel, count, [&](sel_t r) {
    sel_t ia = ua.sel.get_index(r), ib = ub.sel.get_index(r);
    if (!ua.validity->row_is_valid(ia)) {
      result.mutable_validity().set_invalid(r);
      return;
    }
    const T& x = ua.values<T>()[ia];
    if (ub.validity->row_is_valid(ib) && compare_values(x, ub.values<T>()[ib]) == 0) {
      result.mutable_validity().set_invalid(r);
      return;
    }
    out[r] = x;
  });
}

void execute_nullif(const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result) {
  switch (result.type().physical_type()) {
    case PhysicalType::kBool: return nullif_typed<uint8_t>(a, b, sel, count, result);
    case PhysicalType::kInt16: return nullif_typed<int16_t>(a, b, sel, count, result);
    case PhysicalType::kInt32: return nullif_typed<int32_t>(a, b, sel, count, result);
    case PhysicalType::kInt64: return nullif_typed<int64_t>(a, b, sel, count, result);
    case PhysicalType::kDouble: return nullif_typed<double>(a, b, sel, count, result);
    case PhysicalType::kString: return nullif_typed<string_t>(a, b, sel, count, result);
    case PhysicalType::kInvalid: break;
  }
}

void execute_double_math(FunctionId id, const Vector& a, const sel_t* sel, size_t count, Vector& result) {
  unary_loop<double, double>(a, sel, count, result, [&](double x) {
    switch (id) {
      case FunctionId::kRound: return std::nearbyint(x);
      case FunctionId::kFloor: return std::floor(x);
      case FunctionId::kCeil: return std::ceil(x);
      default:
        if (x < 0) {
          throw SqlError(SqlState::kInvalidArgumentForPowerFunction, "cannot take square root of a negative number");
        }
        return std::sqrt(x);
    }
  });
}

void fill_constant_string(const std::string& s, const sel_t* sel, size_t count, Vector& result) {
  string_t v = result.string_heap().add(s);
  for_each_row(sel, count, [&](sel_t r) { result.mutable_values<string_t>()[r] = v; });
}

}  // namespace

void execute_scalar_function(FunctionId id, std::vector<Vector>& args, const sel_t* sel, size_t count, Vector& result) {
  switch (id) {
    case FunctionId::kAdd:
    case FunctionId::kSubtract:
    case FunctionId::kMultiply:
    case FunctionId::kDivide:
    case FunctionId::kModulo:
    case FunctionId::kPower: return execute_arithmetic(id, args[0], args[1], sel, count, result);
    case FunctionId::kNegate: return execute_negate_or_abs(false, args[0], sel, count, result);
    case FunctionId::kAbs: return execute_negate_or_abs(true, args[0], sel, count, result);
    case FunctionId::kEqual:
    case FunctionId::kNotEqual:
    case FunctionId::kLess:
    case FunctionId::kLessEqual:
    case FunctionId::kGreater:
    case FunctionId::kGreaterEqual:
    case FunctionId::kIsDistinctFrom:
    case FunctionId::kIsNotDistinctFrom: return execute_comparison(id, args[0], args[1], sel, count, result);
    case FunctionId::kNot:
      return unary_loop<uint8_t, uint8_t>(args[0], sel, count, result, [](uint8_t b) { return static_cast<uint8_t>(!b); });
    case FunctionId::kIsNull:
    case FunctionId::kIsNotNull: return execute_null_test(id, args[0], sel, count, result);
    case FunctionId::kIsTrue:
    case FunctionId::kIsNotTrue:
    case FunctionId::kIsFalse:
    case FunctionId::kIsNotFalse: return execute_bool_test(id, args[0], sel, count, result);
    case FunctionId::kConcat: return execute_concat(args[0], args[1], sel, count, result);
    case FunctionId::kLike:
    case FunctionId::kNotLike:
    case FunctionId::kILike:
    case FunctionId::kNotILike: return execute_like(id, args, sel, count, result);
    case FunctionId::kLower: return execute_case_fold(false, args[0], sel, count, result);
    case FunctionId::kUpper: return execute_case_fold(true, args[0], sel, count, result);
    case FunctionId::kLength: return execute_length(args[0], sel, count, result);
    case FunctionId::kCoalesce: break;  // evaluated lazily by ExpressionExecutor
    case FunctionId::kNullIf: return execute_nullif(args[0], args[1], sel, count, result);
    case FunctionId::kGreatest: return execute_greatest_least(true, args, sel, count, result);
    case FunctionId::kLeast: return execute_greatest_least(false, args, sel, count, result);
    case FunctionId::kRound:
    case FunctionId::kFloor:
    case FunctionId::kCeil:
    case FunctionId::kSqrt: return execute_double_math(id, args[0], sel, count, result);
    case FunctionId::kVersion:
      return fill_constant_string("PostgreSQL 15.6 (Tessera) on x86_64-pc-linux-gnu, compiled by g++, 64-bit", sel, count,
                                  result);
    case FunctionId::kCurrentDatabase: return fill_constant_string("tessera", sel, count, result);
    case FunctionId::kCurrentSchema: return fill_constant_string("public", sel, count, result);
    case FunctionId::kCurrentUser: return fill_constant_string("tessera", sel, count, result);
  }
  TS_CHECK(false, "unknown scalar function");
}

// ---- casts -----------------------------------------------------------------------------------

namespace {

template <class From>
void cast_numeric_to_text(const Vector& source, const sel_t* sel, size_t count, Vector& result) {
  StringHeap& heap = result.string_heap();
  unary_loop<From, string_t>(source, sel, count, result, [&](From v) {
    std::string s;
    if constexpr (std::is_same_v<From, double>) {
      s = format_double(v);
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

template <class To>
void cast_double_to_int(const Vector& source, const sel_t* sel, size_t count, Vector& result) {
  const LogicalType type = result.type();
  unary_loop<double, To>(source, sel, count, result, [&](double v) {
    double r = round_half_even(v);
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
    case PhysicalType::kBool:
      return unary_loop<uint8_t, To>(source, sel, count, result, [](uint8_t b) { return static_cast<To>(b ? 1 : 0); });
    default: break;
  }
  TS_CHECK(false, "bad integer cast");
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
    for_each_row(sel, count, [&](sel_t r) { result.mutable_validity().set_invalid(r); });
    return;
  }
  // Text input and the boolean conversions are rare: they go through Value.
  if (from.id() == LogicalTypeId::kVarchar || from.id() == LogicalTypeId::kBoolean || to.id() == LogicalTypeId::kBoolean) {
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
        default: break;
      }
      break;
    case LogicalTypeId::kVarchar:
      if (to.modifier() < 0) {
        switch (from.physical_type()) {
          case PhysicalType::kInt16: return cast_numeric_to_text<int16_t>(source, sel, count, result);
          case PhysicalType::kInt32: return cast_numeric_to_text<int32_t>(source, sel, count, result);
          case PhysicalType::kInt64: return cast_numeric_to_text<int64_t>(source, sel, count, result);
          case PhysicalType::kDouble: return cast_numeric_to_text<double>(source, sel, count, result);
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
