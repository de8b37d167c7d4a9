#include "executor/kernels/hash.h"

#include <random>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "test/executor/kernels/hash_test.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/tests/hwy_gtest.h"
#include "src/common/hash.h"
#include "test/executor/kernels/kernel_test_data.h"

#ifndef TESSERA_TEST_HASH_REFERENCE_
#define TESSERA_TEST_HASH_REFERENCE_
namespace tessera::executor::test {

template <class T>
uint64_t reference_hash(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    return tessera::hash_double(v);
  } else {
    return tessera::hash_int(static_cast<uint64_t>(v));
  }
}

template <class T>
void check_hash(size_t lanes, uint64_t seed, void (*hash)(const T*, size_t, uint64_t*),
                void (*combine)(const T*, size_t, uint64_t*)) {
  std::mt19937_64 rng(seed);
  for (size_t len = 0; len <= 4 * lanes + 1; len++) {
    for (size_t offset = 0; offset < 4; offset++) {
      const std::vector<T> values = random_values<T>(rng, len + offset);
      std::vector<uint64_t> out(len + offset);
      hash(values.data() + offset, len, out.data() + offset);
      std::vector<uint64_t> seeds(len + offset);
      for (auto& s : seeds) s = rng();
      std::vector<uint64_t> combined = seeds;
      combine(values.data() + offset, len, combined.data() + offset);
      for (size_t i = 0; i < len; i++) {
        const T v = values[offset + i];
        ASSERT_EQ(reference_hash(v), out[offset + i]) << "row " << i << " len " << len;
        ASSERT_EQ(tessera::combine_hash(seeds[offset + i], reference_hash(v)), combined[offset + i]);
      }
    }
  }
}

}  // namespace tessera::executor::test
#endif

HWY_BEFORE_NAMESPACE();
namespace tessera::executor::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

HWY_NOINLINE void TestHashMatchesCommonHash() {
  const size_t lanes = hn::Lanes(hn::ScalableTag<uint64_t>());
  test::check_hash<int16_t>(lanes, 21, hash_i16, combine_hash_i16);
  test::check_hash<int32_t>(lanes, 22, hash_i32, combine_hash_i32);
  test::check_hash<int64_t>(lanes, 23, hash_i64, combine_hash_i64);
  test::check_hash<double>(lanes, 24, hash_f64, combine_hash_f64);
}

}  // namespace tessera::executor::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tessera::executor {

HWY_BEFORE_TEST(HashKernelTest);
HWY_EXPORT_AND_TEST_P(HashKernelTest, TestHashMatchesCommonHash);

TEST(HashKernel, WidthsAndZerosAgree) {
  const int16_t a16[3] = {-5, 0, 7};
  const int32_t a32[3] = {-5, 0, 7};
  const int64_t a64[3] = {-5, 0, 7};
  uint64_t h16[3], h32[3], h64[3];
  hash_i16(a16, 3, h16);
  hash_i32(a32, 3, h32);
  hash_i64(a64, 3, h64);
  for (int i = 0; i < 3; i++) {
    EXPECT_EQ(h64[i], h16[i]);
    EXPECT_EQ(h64[i], h32[i]);
  }
  const double zeros[2] = {0.0, -0.0};
  uint64_t hz[2];
  hash_f64(zeros, 2, hz);
  EXPECT_EQ(hz[0], hz[1]);
}

}  // namespace tessera::executor
#endif  // HWY_ONCE
