#include "storage/internal/filter_kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "hwy/highway.h"
#include "hwy/targets.h"

namespace tessera::storage {
namespace {

constexpr CompareOp kAllOps[] = {CompareOp::kEqual, CompareOp::kNotEqual, CompareOp::kLess,
                                 CompareOp::kLessEqual, CompareOp::kGreater, CompareOp::kGreaterEqual};

// PostgreSQL's order, row at a time: doubles with NaN equal to itself and above everything.
template <class T>
bool reference_holds(CompareOp op, T v, T c) {
  int r;
  if constexpr (std::is_same_v<T, double>) {
    const bool vn = std::isnan(v), cn = std::isnan(c);
    r = vn || cn ? (vn && cn ? 0 : (vn ? 1 : -1)) : (v < c ? -1 : (v > c ? 1 : 0));
  } else {
    r = v < c ? -1 : (v > c ? 1 : 0);
  }
  switch (op) {
    case CompareOp::kEqual: return r == 0;
    case CompareOp::kNotEqual: return r != 0;
    case CompareOp::kLess: return r < 0;
    case CompareOp::kLessEqual: return r <= 0;
    case CompareOp::kGreater: return r > 0;
    case CompareOp::kGreaterEqual: return r >= 0;
  }
  return false;
}

template <class T>
T random_value(std::mt19937_64& rng) {
  if constexpr (std::is_same_v<T, double>) {
    static const double specials[] = {std::numeric_limits<double>::quiet_NaN(), -0.0, 0.0,
                                      std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(), 1.5, -1.5};
    return specials[rng() % 7];
  } else {
    // Few distinct values, so equality is common; the type's extremes too.
    switch (rng() % 8) {
      case 0: return std::numeric_limits<T>::min();
      case 1: return std::numeric_limits<T>::max();
      default: return static_cast<T>(static_cast<int>(rng() % 9) - 4);
    }
  }
}

template <class T>
void check_all(uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (size_t len = 0; len <= 70; len++) {
    for (size_t offset = 0; offset < 3; offset++) {
      std::vector<T> buffer(len + offset);
      for (auto& v : buffer) v = random_value<T>(rng);
      const T* values = buffer.data() + offset;
      const T constant = random_value<T>(rng);
      for (CompareOp op : kAllOps) {
        std::vector<uint32_t> expected;
        for (size_t i = 0; i < len; i++) {
          if (reference_holds(op, values[i], constant)) expected.push_back(static_cast<uint32_t>(i));
        }
        std::vector<uint32_t> out(len + 1);
        const size_t n = select_dense(op, values, constant, len, out.data());
        ASSERT_EQ(expected, std::vector<uint32_t>(out.begin(), out.begin() + n))
            << "op " << int(op) << " len " << len << " offset " << offset << " on " << hwy::TargetName(hwy::SupportedTargets());
      }
    }
  }
}

// Every SIMD target this machine supports (and the build generated) against the reference.
TEST(FilterKernelsTest, DenseComparisonsMatchTheReferenceOnEveryTarget) {
  const auto targets = hwy::SupportedAndGeneratedTargets();
  ASSERT_FALSE(targets.empty());
  for (int64_t target : targets) {
    hwy::SetSupportedTargetsForTest(target);
    hwy::GetChosenTarget().Update(hwy::SupportedTargets());
    check_all<int16_t>(1);
    check_all<int32_t>(2);
    check_all<int64_t>(3);
    check_all<double>(4);
  }
  hwy::SetSupportedTargetsForTest(0);
  hwy::GetChosenTarget().Update(hwy::SupportedTargets());
}

}  // namespace
}  // namespace tessera::storage
