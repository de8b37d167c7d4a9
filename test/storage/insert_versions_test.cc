#include "storage/insert_versions.h"

#include <gtest/gtest.h>

#include "storage/transaction.h"

namespace tessera::storage {
namespace {

constexpr uint64_t kTxnA = kTransactionIdStart + kVersionsPerTransaction;
constexpr uint64_t kTxnB = kTransactionIdStart + 2 * kVersionsPerTransaction;

/// What transaction `id` with snapshot `start_ts` sees (all of its own writes).
RowVisibility seen_by(uint64_t start_ts, uint64_t id) { return RowVisibility{start_ts, id, id + 1}; }

TEST(InsertVersionsTest, FullyCommittedVectorTakesFastPath) {
  InsertVersions versions;
  versions.append(0, 1000, kTxnA);
  versions.commit(0, 1000, 5, 1000);
  EXPECT_FALSE(versions.all_visible(0, 100)) << "vector not full yet";
  versions.append(1000, kVectorSize - 1000, kTxnB);
  EXPECT_FALSE(versions.all_visible(0, 100)) << "rows of B are uncommitted";
  versions.commit(1000, kVectorSize - 1000, 7, kVectorSize);
  EXPECT_TRUE(versions.all_visible(0, 7));
  EXPECT_FALSE(versions.all_visible(0, 6)) << "the newest commit decides";
  uint32_t sel[kVectorSize];
  EXPECT_EQ(1000u, versions.select_visible(0, kVectorSize, seen_by(6, kTransactionIdStart + 9 * kVersionsPerTransaction), sel));
  EXPECT_EQ(999u, sel[999]);
}

TEST(InsertVersionsTest, OwnRowsAndRollback) {
  InsertVersions versions;
  versions.append(0, 10, kTxnA);
  versions.append(10, 10, kTxnB);
  uint32_t sel[kVectorSize];
  EXPECT_EQ(10u, versions.select_visible(0, 20, seen_by(3, kTxnB), sel));
  EXPECT_EQ(10u, sel[0]);
  versions.rollback(10, 10);
  EXPECT_EQ(kRolledBackVersion, versions.version(15));
  EXPECT_EQ(0u, versions.select_visible(0, 20, seen_by(1000, kTxnB), sel));
  versions.append(20, kVectorSize - 20, kTxnA);
  versions.commit(0, 10, 4, 20);
  versions.commit(20, kVectorSize - 20, 4, kVectorSize);
  EXPECT_FALSE(versions.all_visible(0, 1000)) << "rolled-back rows keep the vector on the slow path";
  EXPECT_EQ(kVectorSize - 10, versions.select_visible(0, kVectorSize, seen_by(4, kTxnB), sel));
}

TEST(InsertVersionsTest, RangesSpanVectors) {
  InsertVersions versions;
  versions.append(0, 3 * kVectorSize, kTxnA);
  versions.commit(100, 3 * kVectorSize - 100, 2, 3 * kVectorSize);
  EXPECT_EQ(kTxnA, versions.version(99));
  EXPECT_EQ(2u, versions.version(100));
  EXPECT_EQ(2u, versions.version(3 * kVectorSize - 1));
  EXPECT_FALSE(versions.all_visible(0, 2));
  EXPECT_TRUE(versions.all_visible(1, 2));
  EXPECT_TRUE(versions.all_visible(2, 2));
}

}  // namespace
}  // namespace tessera::storage
