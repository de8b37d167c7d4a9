#include <cstring>
#include <random>
#include <vector>

#include "executor/kernels/aggregate.h"
#include "executor/kernels/arithmetic.h"
#include "executor/kernels/compare.h"
#include "executor/kernels/hash.h"
#include "gtest/gtest.h"
#include "hwy/highway.h"
#include "hwy/targets.h"
#include "test/executor/kernels/kernel_test_data.h"

namespace tessera::executor {
namespace {

// Everything the kernels compute for one fixed input, flattened for comparison.
struct KernelResults {
  std::vector<uint32_t> selections;
  std::vector<int64_t> integers;
  std::vector<uint64_t> hashes;
  std::vector<uint64_t> double_bits;
  bool operator==(const KernelResults&) const = default;
};

void push_double(KernelResults& r, double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  r.double_bits.push_back(bits);
}

KernelResults run_all_kernels() {
  std::mt19937_64 rng(99);
  const size_t n = 2048 + 13;
  const auto i16 = test::random_values<int16_t>(rng, n);
  const auto i32 = test::random_values<int32_t>(rng, n);
  const auto i64 = test::random_values<int64_t>(rng, n);
  auto f64 = test::random_values<double>(rng, n);
  const auto validity = test::random_validity(rng, n, 2);
  KernelResults r;
  std::vector<uint32_t> sel(n);
  for (CompareOp op : {CompareOp::kEq, CompareOp::kLt, CompareOp::kGe}) {
    size_t k = select_compare_constant(op, i16.data(), int16_t{0}, n, nullptr, sel.data());
    r.selections.insert(r.selections.end(), sel.begin(), sel.begin() + k);
    k = select_compare_vectors(op, i32.data(), i32.data() + 1, n - 1, nullptr, sel.data());
    r.selections.insert(r.selections.end(), sel.begin(), sel.begin() + k);
    k = select_compare_constant(op, i64.data(), int64_t{-1}, n, nullptr, sel.data());
    r.selections.insert(r.selections.end(), sel.begin(), sel.begin() + k);
    k = select_compare_constant(op, f64.data(), 0.0, n, nullptr, sel.data());
    r.selections.insert(r.selections.end(), sel.begin(), sel.begin() + k);
  }
  std::vector<int32_t> out32(n);
  for (IntegerOp op : {IntegerOp::kAdd, IntegerOp::kSub, IntegerOp::kMul}) {
    r.integers.push_back(checked_arith(op, Operand<int32_t>::vector(i32.data()), Operand<int32_t>::vector(i32.data() + 1),
                                       n - 1, out32.data(), validity.data()));
    r.integers.insert(r.integers.end(), out32.begin(), out32.end() - 1);
  }
  std::vector<uint64_t> hashes(n);
  hash_i64(i64.data(), n, hashes.data());
  combine_hash_f64(f64.data(), n, hashes.data());
  r.hashes = hashes;
  int64_t sum = 0;
  r.integers.push_back(sum_i32(i32.data(), n, validity.data(), &sum));
  r.integers.push_back(sum);
  int64_t mn = INT64_MAX;
  r.integers.push_back(min_i64(i64.data(), n, validity.data(), &mn));
  r.integers.push_back(mn);
  double dmax = -INFINITY;
  max_f64(f64.data(), n, validity.data(), &dmax);
  push_double(r, dmax);
  // Integral doubles sum exactly in any order, so the sum is comparable bit for bit.
  for (auto& x : f64) x = static_cast<double>(static_cast<int64_t>(std::isfinite(x) ? std::fmod(x, 1e6) : 1.0));
  double dsum = 0;
  sum_f64(f64.data(), n, validity.data(), &dsum);
  push_double(r, dsum);
  return r;
}

TEST(KernelDispatch, BaselineTargetGivesIdenticalResults) {
  hwy::GetChosenTarget().Update(hwy::SupportedTargets());
  const KernelResults best = run_all_kernels();

  // Leave only the portable fallback (HWY_SCALAR or HWY_EMU128, whichever this build has).
  const int64_t fallback = HWY_SCALAR | HWY_EMU128;
  hwy::DisableTargets(~fallback);
  hwy::GetChosenTarget().Update(hwy::SupportedTargets());
  EXPECT_EQ(0, hwy::SupportedTargets() & ~fallback) << "only the fallback target should remain";
  const KernelResults baseline = run_all_kernels();

  hwy::DisableTargets(0);
  hwy::GetChosenTarget().Update(hwy::SupportedTargets());

  EXPECT_EQ(best.selections, baseline.selections);
  EXPECT_EQ(best.integers, baseline.integers);
  EXPECT_EQ(best.hashes, baseline.hashes);
  EXPECT_EQ(best.double_bits, baseline.double_bits);
  EXPECT_FALSE(best.selections.empty());
}

}  // namespace
}  // namespace tessera::executor
