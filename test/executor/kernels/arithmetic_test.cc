#include "executor/kernels/arithmetic.h"

#include <random>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "test/executor/kernels/arithmetic_test.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/tests/hwy_gtest.h"
#include "test/executor/kernels/kernel_test_data.h"

#ifndef TESSERA_TEST_ARITHMETIC_REFERENCE_
#define TESSERA_TEST_ARITHMETIC_REFERENCE_
namespace tessera::executor::test {

template <class T>
T at(const std::vector<T>& v, bool constant, size_t offset, size_t i) {
  return constant ? v[offset] : v[offset + i];
}

template <class T>
void check_checked_arith(size_t lanes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (size_t len = 0; len <= 4 * lanes + 1; len++) {
    for (size_t offset = 0; offset < 4; offset++) {
      const std::vector<T> left = random_values<T>(rng, len + offset + 1);
      const std::vector<T> right = random_values<T>(rng, len + offset + 1);
      for (int validity_kind = 0; validity_kind < 4; validity_kind++) {
        const std::vector<uint64_t> validity = random_validity(rng, len, validity_kind);
        const uint64_t* valid = validity_kind == 0 ? nullptr : validity.data();
        for (IntegerOp op : {IntegerOp::kAdd, IntegerOp::kSub, IntegerOp::kMul}) {
          for (int form = 0; form < 3; form++) {
            const bool lc = form == 1, rc = form == 2;
            std::vector<T> expected(len);
            bool expected_overflow = false;
            for (size_t i = 0; i < len; i++) {
              const T a = at(left, lc, offset, i), b = at(right, rc, offset, i);
              bool o = op == IntegerOp::kAdd   ? __builtin_add_overflow(a, b, &expected[i])
                       : op == IntegerOp::kSub ? __builtin_sub_overflow(a, b, &expected[i])
                                               : __builtin_mul_overflow(a, b, &expected[i]);
              expected_overflow |= o && bit_is_set(valid, i);
            }
            std::vector<T> out(len + 1);
            const auto lop = lc ? Operand<T>::constant(&left[offset]) : Operand<T>::vector(&left[offset]);
            const auto rop = rc ? Operand<T>::constant(&right[offset]) : Operand<T>::vector(&right[offset]);
            const bool overflow = checked_arith(op, lop, rop, len, out.data(), valid);
            ASSERT_EQ(expected_overflow, overflow)
                << "op=" << int(op) << " form=" << form << " len=" << len << " validity=" << validity_kind;
            out.resize(len);
            ASSERT_EQ(expected, out) << "wrapped results, op=" << int(op) << " form=" << form;
          }
        }
        // Division and modulo (scalar, but exercised on every target for completeness).
        for (bool modulo : {false, true}) {
          std::vector<T> divisors(right.begin(), right.end());
          for (size_t i = 0; i < divisors.size(); i += 5) divisors[i] = rng() % 2 ? T(0) : T(-1);
          DivideStatus expected_status = DivideStatus::kOk;
          std::vector<T> expected(len, 0);
          for (size_t i = 0; i < len; i++) {
            const T a = left[offset + i], b = divisors[offset + i];
            if (b == 0 || (!modulo && b == -1 && a == std::numeric_limits<T>::min())) {
              if (expected_status == DivideStatus::kOk && bit_is_set(valid, i)) {
                expected_status = b == 0 ? DivideStatus::kDivisionByZero : DivideStatus::kOverflow;
              }
              continue;
            }
            expected[i] = modulo ? (b == -1 ? T(0) : T(a % b)) : T(b == -1 ? T(-a) : T(a / b));
          }
          std::vector<T> out(len);
          const auto status = modulo ? integer_modulo(Operand<T>::vector(&left[offset]),
                                                      Operand<T>::vector(&divisors[offset]), len, out.data(), valid)
                                     : integer_divide(Operand<T>::vector(&left[offset]),
                                                      Operand<T>::vector(&divisors[offset]), len, out.data(), valid);
          ASSERT_EQ(expected_status, status) << "modulo=" << modulo << " len=" << len;
          for (size_t i = 0; i < len; i++) {
            const T b = divisors[offset + i];
            if (b == 0 || (!modulo && b == -1 && left[offset + i] == std::numeric_limits<T>::min())) continue;
            ASSERT_EQ(expected[i], out[i]) << "row " << i;
          }
        }
      }
    }
  }
}

inline void check_float_arith(size_t lanes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (size_t len = 0; len <= 4 * lanes + 1; len++) {
    for (size_t offset = 0; offset < 4; offset++) {
      const std::vector<double> left = random_values<double>(rng, len + offset + 1);
      const std::vector<double> right = random_values<double>(rng, len + offset + 1);
      for (FloatOp op : {FloatOp::kAdd, FloatOp::kSub, FloatOp::kMul, FloatOp::kDiv}) {
        for (int form = 0; form < 3; form++) {
          const bool lc = form == 1, rc = form == 2;
          std::vector<double> out(len);
          float_arith(op, lc ? Operand<double>::constant(&left[offset]) : Operand<double>::vector(&left[offset]),
                      rc ? Operand<double>::constant(&right[offset]) : Operand<double>::vector(&right[offset]), len,
                      out.data());
          for (size_t i = 0; i < len; i++) {
            const double a = at(left, lc, offset, i), b = at(right, rc, offset, i);
            const double e = op == FloatOp::kAdd ? a + b : op == FloatOp::kSub ? a - b : op == FloatOp::kMul ? a * b : a / b;
            if (std::isnan(e)) {
              ASSERT_TRUE(std::isnan(out[i]));
            } else {
              ASSERT_EQ(e, out[i]) << "op=" << int(op) << " row " << i;
              ASSERT_EQ(std::signbit(e), std::signbit(out[i]));
            }
          }
        }
      }
    }
  }
}

}  // namespace tessera::executor::test
#endif

HWY_BEFORE_NAMESPACE();
namespace tessera::executor::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

HWY_NOINLINE void TestCheckedArithmetic() {
  test::check_checked_arith<int16_t>(hn::Lanes(hn::ScalableTag<int16_t>()), 11);
  test::check_checked_arith<int32_t>(hn::Lanes(hn::ScalableTag<int32_t>()), 12);
  test::check_checked_arith<int64_t>(hn::Lanes(hn::ScalableTag<int64_t>()), 13);
}

HWY_NOINLINE void TestFloatArithmetic() { test::check_float_arith(hn::Lanes(hn::ScalableTag<double>()), 14); }

}  // namespace tessera::executor::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tessera::executor {

HWY_BEFORE_TEST(ArithmeticKernelTest);
HWY_EXPORT_AND_TEST_P(ArithmeticKernelTest, TestCheckedArithmetic);
HWY_EXPORT_AND_TEST_P(ArithmeticKernelTest, TestFloatArithmetic);

TEST(ArithmeticKernel, NullRowsNeverOverflow) {
  const int32_t left[5] = {INT32_MAX, 1, INT32_MAX, 2, 3};
  const int32_t right[5] = {1, 1, 1, 1, 1};
  int32_t out[5];
  uint64_t validity = 0b11010;  // rows 0 and 2 (the overflowing ones) are NULL
  EXPECT_FALSE(checked_arith(IntegerOp::kAdd, Operand<int32_t>::vector(left), Operand<int32_t>::vector(right), 5,
                             out, &validity));
  EXPECT_EQ(2, out[1]);
  validity |= 1;
  EXPECT_TRUE(checked_arith(IntegerOp::kAdd, Operand<int32_t>::vector(left), Operand<int32_t>::vector(right), 5, out,
                            &validity));
  EXPECT_TRUE(checked_arith(IntegerOp::kAdd, Operand<int32_t>::vector(left), Operand<int32_t>::vector(right), 5, out,
                            nullptr));
}

TEST(ArithmeticKernel, DivisionFollowsPostgres) {
  const int64_t left[4] = {7, -7, INT64_MIN, INT64_MIN};
  const int64_t minus_one = -1, two = 2, zero = 0;
  int64_t out[4];
  EXPECT_EQ(DivideStatus::kOk, integer_divide(Operand<int64_t>::vector(left), Operand<int64_t>::constant(&two), 4,
                                              out, nullptr));
  EXPECT_EQ(3, out[0]);
  EXPECT_EQ(-3, out[1]);  // truncation toward zero
  EXPECT_EQ(DivideStatus::kOk, integer_modulo(Operand<int64_t>::vector(left), Operand<int64_t>::constant(&two), 4,
                                              out, nullptr));
  EXPECT_EQ(1, out[0]);
  EXPECT_EQ(-1, out[1]);  // sign of the dividend
  EXPECT_EQ(DivideStatus::kOverflow, integer_divide(Operand<int64_t>::vector(left),
                                                    Operand<int64_t>::constant(&minus_one), 4, out, nullptr));
  EXPECT_EQ(DivideStatus::kOk, integer_modulo(Operand<int64_t>::vector(left), Operand<int64_t>::constant(&minus_one),
                                              4, out, nullptr));
  EXPECT_EQ(0, out[2]);
  EXPECT_EQ(DivideStatus::kDivisionByZero, integer_divide(Operand<int64_t>::constant(&two),
                                                          Operand<int64_t>::constant(&zero), 4, out, nullptr));
  uint64_t none_valid = 0;
  EXPECT_EQ(DivideStatus::kOk, integer_divide(Operand<int64_t>::constant(&two), Operand<int64_t>::constant(&zero), 4,
                                              out, &none_valid));
  // The first failing row decides: row 2 overflows before row 3 divides by zero.
  const int32_t l32[4] = {1, 1, INT32_MIN, 1};
  const int32_t r32[4] = {1, 1, -1, 0};
  int32_t o32[4];
  EXPECT_EQ(DivideStatus::kOverflow,
            integer_divide(Operand<int32_t>::vector(l32), Operand<int32_t>::vector(r32), 4, o32, nullptr));
}

}  // namespace tessera::executor
#endif  // HWY_ONCE
