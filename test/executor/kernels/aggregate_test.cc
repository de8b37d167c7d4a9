#include "executor/kernels/aggregate.h"

#include <cmath>
#include <random>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "test/executor/kernels/aggregate_test.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/tests/hwy_gtest.h"
#include "test/executor/kernels/kernel_test_data.h"

#ifndef TESSERA_TEST_AGGREGATE_REFERENCE_
#define TESSERA_TEST_AGGREGATE_REFERENCE_
namespace tessera::executor::test {

inline double pg_min(double a, double b) { return std::isnan(a) ? b : std::isnan(b) ? a : (b < a ? b : a); }
inline double pg_max(double a, double b) {
  return std::isnan(a) || std::isnan(b) ? std::numeric_limits<double>::quiet_NaN() : (b > a ? b : a);
}

template <class T>
struct IntegerKernels {
  bool (*sum)(const T*, size_t, const uint64_t*, int64_t*);
  bool (*min)(const T*, size_t, const uint64_t*, T*);
  bool (*max)(const T*, size_t, const uint64_t*, T*);
};

// Sums, minimums and maximums for lengths 0..4*lanes+1 and longer runs (several bitmap words),
// offsets 0..3, all-valid / all-NULL / mostly valid / mostly NULL bitmaps, against __int128 and
// scalar references.
template <class T>
void check_integer_aggregates(size_t lanes, uint64_t seed, IntegerKernels<T> k) {
  std::mt19937_64 rng(seed);
  std::vector<size_t> lengths;
  for (size_t len = 0; len <= 4 * lanes + 1; len++) lengths.push_back(len);
  for (size_t len : {63, 64, 65, 127, 128, 129, 200, 1000, 2048}) lengths.push_back(len);
  for (size_t len : lengths) {
    for (size_t offset = 0; offset < 4; offset++) {
      std::vector<T> values = random_values<T>(rng, len + offset);
      // Sometimes all-positive extremes, so an int64 sum really overflows.
      if (rng() % 4 == 0) {
        for (auto& v : values) v = std::numeric_limits<T>::max() - static_cast<T>(rng() % 5);
      }
      for (int kind = 0; kind < 4; kind++) {
        const std::vector<uint64_t> bits = random_validity(rng, len, kind);
        const uint64_t* valid = kind == 0 ? nullptr : bits.data();
        const T* v = values.data() + offset;
        const int64_t start = rng() % 2 ? 0 : static_cast<int64_t>(rng() % 1000) - 500;
        __int128 exact = start;
        T mn = std::numeric_limits<T>::max(), mx = std::numeric_limits<T>::min();
        size_t n_valid = 0;
        for (size_t i = 0; i < len; i++) {
          if (!bit_is_set(valid, i)) continue;
          n_valid++;
          exact += v[i];
          mn = std::min(mn, v[i]);
          mx = std::max(mx, v[i]);
        }
        ASSERT_EQ(n_valid, count_valid(valid, len));
        int64_t sum = start;
        const bool overflow = k.sum(v, len, valid, &sum);
        const bool expected_overflow = exact > INT64_MAX || exact < INT64_MIN;
        ASSERT_EQ(expected_overflow, overflow) << "len " << len << " kind " << kind;
        if (!overflow) {
          ASSERT_EQ(static_cast<int64_t>(exact), sum);
        }
        T got_min = std::numeric_limits<T>::max(), got_max = std::numeric_limits<T>::min();
        ASSERT_EQ(n_valid > 0, k.min(v, len, valid, &got_min));
        ASSERT_EQ(n_valid > 0, k.max(v, len, valid, &got_max));
        ASSERT_EQ(mn, got_min) << "len " << len << " kind " << kind;
        ASSERT_EQ(mx, got_max) << "len " << len << " kind " << kind;
      }
    }
  }
}

inline void check_double_aggregates(size_t lanes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<size_t> lengths;
  for (size_t len = 0; len <= 4 * lanes + 1; len++) lengths.push_back(len);
  for (size_t len : {64, 65, 129, 1000, 2048}) lengths.push_back(len);
  for (size_t len : lengths) {
    for (size_t offset = 0; offset < 4; offset++) {
      std::vector<double> values = random_values<double>(rng, len + offset);
      const int flavour = static_cast<int>(rng() % 3);
      for (auto& x : values) {
        if (flavour == 1 && !std::isfinite(x)) x = 1.5;        // finite values only
        if (flavour == 2 && rng() % 2) x = std::nan("");        // NaN-heavy
      }
      for (int kind = 0; kind < 4; kind++) {
        const std::vector<uint64_t> bits = random_validity(rng, len, kind);
        const uint64_t* valid = kind == 0 ? nullptr : bits.data();
        const double* v = values.data() + offset;
        double ref_sum = 0, abs_sum = 0;
        double mn = std::numeric_limits<double>::quiet_NaN(), mx = -std::numeric_limits<double>::infinity();
        size_t n_valid = 0;
        for (size_t i = 0; i < len; i++) {
          if (!bit_is_set(valid, i)) continue;
          n_valid++;
          ref_sum += v[i];
          abs_sum += std::fabs(v[i]);
          mn = pg_min(mn, v[i]);
          mx = pg_max(mx, v[i]);
        }
        double sum = 0;
        sum_f64(v, len, valid, &sum);
        if (std::isnan(ref_sum) || std::isinf(abs_sum)) {
          // Inf - Inf or overflowing partial sums may land differently in lanes; only NaN-ness
          // caused by NaN inputs is order-independent.
        } else {
          ASSERT_NEAR(ref_sum, sum, 1e-9 * abs_sum + 1e-300) << "len " << len;
        }
        double got_min = std::numeric_limits<double>::quiet_NaN();
        double got_max = -std::numeric_limits<double>::infinity();
        ASSERT_EQ(n_valid > 0, min_f64(v, len, valid, &got_min));
        ASSERT_EQ(n_valid > 0, max_f64(v, len, valid, &got_max));
        if (std::isnan(mn)) {
          ASSERT_TRUE(std::isnan(got_min));
        } else {
          ASSERT_EQ(mn, got_min) << "len " << len;
        }
        if (std::isnan(mx)) {
          ASSERT_TRUE(std::isnan(got_max));
        } else {
          ASSERT_EQ(mx, got_max) << "len " << len;
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

HWY_NOINLINE void TestIntegerAggregates() {
  test::check_integer_aggregates<int16_t>(hn::Lanes(hn::ScalableTag<int16_t>()), 31, {sum_i16, min_i16, max_i16});
  test::check_integer_aggregates<int32_t>(hn::Lanes(hn::ScalableTag<int32_t>()), 32, {sum_i32, min_i32, max_i32});
  test::check_integer_aggregates<int64_t>(hn::Lanes(hn::ScalableTag<int64_t>()), 33, {sum_i64, min_i64, max_i64});
}

HWY_NOINLINE void TestDoubleAggregates() { test::check_double_aggregates(hn::Lanes(hn::ScalableTag<double>()), 34); }

}  // namespace tessera::executor::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tessera::executor {

HWY_BEFORE_TEST(AggregateKernelTest);
HWY_EXPORT_AND_TEST_P(AggregateKernelTest, TestIntegerAggregates);
HWY_EXPORT_AND_TEST_P(AggregateKernelTest, TestDoubleAggregates);

TEST(AggregateKernel, Int64SumIsOrderIndependent) {
  // Wraps mid-way in every order but the exact total fits.
  std::vector<int64_t> v = {INT64_MAX, INT64_MAX, INT64_MIN, INT64_MIN, 5, INT64_MAX, -INT64_MAX};
  int64_t sum = 0;
  EXPECT_FALSE(sum_i64(v.data(), v.size(), nullptr, &sum));
  EXPECT_EQ(3, sum);
  sum = 1;
  const int64_t max_only[1] = {INT64_MAX};
  EXPECT_TRUE(sum_i64(max_only, 1, nullptr, &sum));
}

TEST(AggregateKernel, DoubleMinMaxNaN) {
  const double nan = std::nan("");
  const double v[4] = {nan, 3.0, -1.0, nan};
  double mn = nan, mx = -INFINITY;
  EXPECT_TRUE(min_f64(v, 4, nullptr, &mn));
  EXPECT_TRUE(max_f64(v, 4, nullptr, &mx));
  EXPECT_EQ(-1.0, mn);
  EXPECT_TRUE(std::isnan(mx));
  const double all_nan[2] = {nan, nan};
  mn = nan;
  EXPECT_TRUE(min_f64(all_nan, 2, nullptr, &mn));
  EXPECT_TRUE(std::isnan(mn));
  uint64_t none = 0;
  EXPECT_FALSE(max_f64(v, 4, &none, &mx));
}

}  // namespace tessera::executor
#endif  // HWY_ONCE
