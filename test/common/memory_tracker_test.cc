#include "src/common/memory_tracker.h"

#include <gtest/gtest.h>

#include <memory>

#include "src/common/arena.h"
#include "src/common/sql_error.h"
#include "src/common/vector.h"

namespace tessera {
namespace {

std::string sqlstate_of_reserve(MemoryTracker& tracker, size_t bytes) {
  try {
    tracker.reserve(bytes);
  } catch (const SqlError& e) {
    return std::string(sqlstate_code(e.state()));
  }
  return "none";
}

TEST(MemoryTrackerTest, ReservationsPropagateToTheRootAndFailPastItsLimit) {
  auto root = std::make_shared<MemoryTracker>(1000);
  auto a = std::make_shared<MemoryTracker>(0, root);
  auto b = std::make_shared<MemoryTracker>(0, root);
  a->reserve(600);
  b->reserve(300);
  EXPECT_EQ(root->used(), 900);
  // The limit is the root's, shared by every query.
  EXPECT_EQ(sqlstate_of_reserve(*b, 200), "53200");
  EXPECT_EQ(b->used(), 300);  // a refused reservation counts nothing
  EXPECT_EQ(root->used(), 900);
  a->release(600);
  b->reserve(200);
  EXPECT_EQ(root->used(), 500);
  EXPECT_EQ(root->peak(), 900);
  b->release(500);
  EXPECT_EQ(root->used(), 0);
}

TEST(MemoryTrackerTest, NoFailScopeCountsWithoutRefusing) {
  auto root = std::make_shared<MemoryTracker>(100);
  {
    MemoryTracker::NoFailScope no_fail;
    root->reserve(150);
  }
  EXPECT_EQ(root->used(), 150);
  EXPECT_EQ(sqlstate_of_reserve(*root, 1), "53200");
  root->release(150);
}

TEST(MemoryTrackerTest, ChargesFollowTheCurrentTrackerAndAreReturned) {
  auto root = std::make_shared<MemoryTracker>(1 << 20);
  auto query = std::make_shared<MemoryTracker>(0, root);
  {
    MemoryTracker::Scope scope(query.get());
    MemoryCharge charge;
    charge.set(1000);
    EXPECT_EQ(root->used(), 1000);
    charge.set(400);
    EXPECT_EQ(root->used(), 400);
    MemoryCharge moved = std::move(charge);
    EXPECT_EQ(moved.bytes(), 400u);
    EXPECT_EQ(root->used(), 400);
    // Vectors and arenas allocated under the scope are counted while they live.
    {
      Vector v(LogicalType::bigint(), kVectorSize);
      Arena arena;
      arena.allocate(100);
      EXPECT_GE(root->used(), 400 + static_cast<int64_t>(kVectorSize * 8) + 16 * 1024);
    }
    EXPECT_EQ(root->used(), 400);
  }
  EXPECT_EQ(root->used(), 0);
  // Without a current tracker nothing is counted.
  MemoryCharge uncounted;
  uncounted.set(5000);
  EXPECT_EQ(root->used(), 0);
}

TEST(MemoryTrackerTest, AllocationPastTheLimitRaises53200AndLeavesNothingCounted) {
  auto root = std::make_shared<MemoryTracker>(64 * 1024);
  auto query = std::make_shared<MemoryTracker>(0, root);
  MemoryTracker::Scope scope(query.get());
  std::vector<Vector> kept;
  std::string state;
  try {
    for (int i = 0; i < 100; i++) kept.emplace_back(LogicalType::bigint(), kVectorSize);
  } catch (const SqlError& e) {
    state = sqlstate_code(e.state());
  }
  EXPECT_EQ(state, "53200");
  EXPECT_LE(root->used(), 64 * 1024);
  kept.clear();
  EXPECT_EQ(root->used(), 0);
}

TEST(MemoryTrackerTest, ParsesMemorySizes) {
  EXPECT_EQ(parse_memory_size("1048576"), 1048576);
  EXPECT_EQ(parse_memory_size("512MB"), 512LL << 20);
  EXPECT_EQ(parse_memory_size("4GB"), 4LL << 30);
  EXPECT_EQ(parse_memory_size("1.5 GB"), 3LL << 29);
  EXPECT_EQ(parse_memory_size("64kB"), 64 * 1024);
  EXPECT_EQ(parse_memory_size("4 parsecs"), -1);
  EXPECT_EQ(parse_memory_size("GB"), -1);
  EXPECT_EQ(parse_memory_size("-1GB"), -1);
}

}  // namespace
}  // namespace tessera
