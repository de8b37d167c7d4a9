#include "executor/kernels/compare.h"

#include <cstring>
#include <random>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "test/executor/kernels/compare_test.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/tests/hwy_gtest.h"
#include "test/executor/kernels/kernel_test_data.h"

#ifndef TESSERA_TEST_COMPARE_REFERENCE_
#define TESSERA_TEST_COMPARE_REFERENCE_
namespace tessera::executor::test {

inline constexpr CompareOp kAllOps[] = {CompareOp::kEq, CompareOp::kNe, CompareOp::kLt,
                                        CompareOp::kLe, CompareOp::kGt, CompareOp::kGe};

template <class T>
std::vector<uint32_t> reference_select(CompareOp op, const T* left, const T* right, bool right_constant,
                                       size_t count, const uint32_t* sel_in) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < count; i++) {
    const uint32_t r = sel_in ? sel_in[i] : static_cast<uint32_t>(i);
    if (compare_values(op, left[r], right_constant ? right[0] : right[r])) out.push_back(r);
  }
  return out;
}

// Runs every op, dense and sparse, constant and vector forms, for lengths 0..4*lanes+1 and
// start offsets 0..3, against the scalar reference.
template <class T>
void check_compare_all(size_t lanes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (size_t len = 0; len <= 4 * lanes + 1; len++) {
    for (size_t offset = 0; offset < 4; offset++) {
      std::vector<T> left_buf = random_values<T>(rng, len + offset);
      std::vector<T> right_buf = random_values<T>(rng, len + offset);
      // Make some rows equal so Eq/Le/Ge see ties.
      for (size_t i = 0; i < len + offset; i += 3) right_buf[i] = left_buf[i];
      const T* left = left_buf.data() + offset;
      const T* right = right_buf.data() + offset;
      const std::vector<uint32_t> sel = random_selection(rng, len);
      const T constant = len > 0 && rng() % 2 ? left[rng() % len] : random_value<T>(rng);
      for (CompareOp op : kAllOps) {
        std::vector<uint32_t> out(len + 1);
        // Constant, dense.
        auto expected = reference_select(op, left, &constant, true, len, nullptr);
        size_t n = select_compare_constant(op, left, constant, len, nullptr, out.data());
        ASSERT_EQ(expected, std::vector<uint32_t>(out.begin(), out.begin() + n))
            << "constant dense op=" << int(op) << " len=" << len << " offset=" << offset;
        // Constant, sparse.
        expected = reference_select(op, left, &constant, true, sel.size(), sel.data());
        n = select_compare_constant(op, left, constant, sel.size(), sel.data(), out.data());
        ASSERT_EQ(expected, std::vector<uint32_t>(out.begin(), out.begin() + n)) << "constant sparse";
        // Sparse with sel_out aliasing sel_in.
        std::vector<uint32_t> inplace = sel;
        inplace.push_back(0);
        n = select_compare_constant(op, left, constant, sel.size(), inplace.data(), inplace.data());
        ASSERT_EQ(expected, std::vector<uint32_t>(inplace.begin(), inplace.begin() + n)) << "aliased";
        // Vectors, dense and sparse.
        expected = reference_select(op, left, right, false, len, nullptr);
        n = select_compare_vectors(op, left, right, len, nullptr, out.data());
        ASSERT_EQ(expected, std::vector<uint32_t>(out.begin(), out.begin() + n)) << "vectors dense";
        expected = reference_select(op, left, right, false, sel.size(), sel.data());
        n = select_compare_vectors(op, left, right, sel.size(), sel.data(), out.data());
        ASSERT_EQ(expected, std::vector<uint32_t>(out.begin(), out.begin() + n)) << "vectors sparse";
      }
    }
  }
}

}  // namespace tessera::executor::test
#endif

HWY_BEFORE_NAMESPACE();
namespace tessera::executor::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

HWY_NOINLINE void TestCompareAllTypes() {
  test::check_compare_all<int16_t>(hn::Lanes(hn::ScalableTag<int32_t>()), 1);
  test::check_compare_all<int32_t>(hn::Lanes(hn::ScalableTag<int32_t>()), 2);
  test::check_compare_all<int64_t>(hn::Lanes(hn::ScalableTag<int64_t>()), 3);
  test::check_compare_all<double>(hn::Lanes(hn::ScalableTag<double>()), 4);
}

}  // namespace tessera::executor::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tessera::executor {

HWY_BEFORE_TEST(CompareKernelTest);
HWY_EXPORT_AND_TEST_P(CompareKernelTest, TestCompareAllTypes);

TEST(CompareKernel, DoubleFollowsPostgresOrdering) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(compare_values(CompareOp::kEq, nan, nan));
  EXPECT_TRUE(compare_values(CompareOp::kGt, nan, inf));
  EXPECT_TRUE(compare_values(CompareOp::kLt, -inf, nan));
  EXPECT_TRUE(compare_values(CompareOp::kEq, -0.0, 0.0));
  EXPECT_FALSE(compare_values(CompareOp::kNe, nan, nan));
  const double values[] = {1.0, nan, inf, -0.0, 0.0, nan, -inf, 2.0, nan};
  uint32_t out[9];
  size_t n = select_compare_constant(CompareOp::kGt, values, inf, 9, nullptr, out);
  EXPECT_EQ(std::vector<uint32_t>({1, 5, 8}), std::vector<uint32_t>(out, out + n));
  n = select_compare_constant(CompareOp::kEq, values, 0.0, 9, nullptr, out);
  EXPECT_EQ(std::vector<uint32_t>({3, 4}), std::vector<uint32_t>(out, out + n));
  n = select_compare_constant(CompareOp::kLt, values, nan, 9, nullptr, out);
  EXPECT_EQ(std::vector<uint32_t>({0, 2, 3, 4, 6, 7}), std::vector<uint32_t>(out, out + n));
}

TEST(CompareKernel, FlipAndNegate) {
  for (CompareOp op : test::kAllOps) {
    for (int a = -1; a <= 1; a++) {
      EXPECT_EQ(compare_values(op, a, 0), compare_values(flip(op), 0, a));
      EXPECT_NE(compare_values(op, a, 0), compare_values(negate(op), a, 0));
    }
  }
}

}  // namespace tessera::executor
#endif  // HWY_ONCE
