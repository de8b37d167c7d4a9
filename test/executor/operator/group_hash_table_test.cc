#include "executor/operator/aggregate/group_hash_table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "executor/key_serializer.h"
#include "src/common/vector.h"

namespace tessera::executor::test {
namespace {

/// A flat vector of `type` holding `values` (nullopt = NULL).
template <class T>
Vector make_column(LogicalType type, const std::vector<std::optional<T>>& values) {
  Vector v(type, values.size());
  T* out = v.mutable_values<T>();
  for (size_t i = 0; i < values.size(); i++) {
    if (values[i]) {
      out[i] = *values[i];
    } else {
      out[i] = 0;
      v.mutable_validity().set_invalid(i);
    }
  }
  return v;
}

/// Feeds `chunks` to an integer-keyed table and checks the ids against a reference map: equal
/// keys share an id, ids are dense in order of first appearance, NULLs form one group.
template <class T>
void check_grouping(LogicalType type, const std::vector<std::vector<std::optional<T>>>& chunks) {
  GroupHashTable table(type.physical_type());
  std::map<std::optional<T>, uint32_t> expected;
  for (const auto& chunk : chunks) {
    Vector column = make_column<T>(type, chunk);
    std::vector<uint32_t> ids(chunk.size());
    table.find_or_create(column, chunk.size(), ids.data());
    for (size_t i = 0; i < chunk.size(); i++) {
      auto [it, inserted] = expected.emplace(chunk[i], static_cast<uint32_t>(expected.size()));
      ASSERT_EQ(ids[i], it->second) << "row " << i;
    }
  }
  ASSERT_EQ(table.size(), expected.size());
  // The serialized-key path (used to merge tables) finds the same groups.
  for (const auto& [key, id] : expected) {
    Vector column = make_column<T>(type, {key});
    KeySerializer keys;
    keys.serialize({&column}, 1);
    bool inserted = true;
    EXPECT_EQ(table.find_or_create(keys.hash(0), keys.key(0), keys.length(0), &inserted), id);
    EXPECT_FALSE(inserted);
  }
  EXPECT_EQ(table.size(), expected.size());
}

TEST(GroupHashTableTest, SmallRangeKeysWithNulls) {
  std::vector<std::vector<std::optional<int32_t>>> chunks;
  std::mt19937 rng(7);
  for (int c = 0; c < 5; c++) {
    std::vector<std::optional<int32_t>> chunk;
    for (int i = 0; i < 2048; i++) {
      if (rng() % 17 == 0) {
        chunk.push_back(std::nullopt);
      } else {
        chunk.push_back(static_cast<int32_t>(rng() % 100) - 50);
      }
    }
    chunks.push_back(chunk);
  }
  check_grouping<int32_t>(LogicalType::integer(), chunks);
}

TEST(GroupHashTableTest, SlowlyGrowingRangeThenWideKeys) {
  // Keys widen chunk by chunk (the directory re-indexes as its window grows), then a key far
  // outside any window switches to hashing alone; earlier groups keep their ids.
  std::vector<std::vector<std::optional<int64_t>>> chunks;
  for (int c = 0; c < 40; c++) {
    std::vector<std::optional<int64_t>> chunk;
    for (int i = 0; i < 300; i++) chunk.push_back(int64_t{c} * 300 + i - 6000);
    chunks.push_back(chunk);
  }
  chunks.push_back({int64_t{5}, std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(), int64_t{-6000}});
  chunks.push_back({int64_t{7}, std::nullopt, int64_t{123456789012}});
  check_grouping<int64_t>(LogicalType::bigint(), chunks);
}

TEST(GroupHashTableTest, ExtremeValuesInOneChunk) {
  check_grouping<int16_t>(LogicalType::smallint(),
                          {{std::numeric_limits<int16_t>::min(), std::numeric_limits<int16_t>::max(), int16_t{0},
                            std::numeric_limits<int16_t>::min()},
                           {int16_t{1}, int16_t{0}, std::nullopt}});
  check_grouping<int64_t>(LogicalType::bigint(),
                          {{std::numeric_limits<int64_t>::max() - 1, std::numeric_limits<int64_t>::max()},
                           {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::max() - 3}});
}

TEST(GroupHashTableTest, KeysMergedFromAnotherTableBeforeProbing) {
  // Groups created through serialized keys (a merge) are found by a later dense probe.
  GroupHashTable table(PhysicalType::kInt32);
  Vector first = make_column<int32_t>(LogicalType::integer(), {int32_t{40}, int32_t{41}});
  KeySerializer keys;
  keys.serialize({&first}, 2);
  bool inserted;
  EXPECT_EQ(table.find_or_create(keys.hash(1), keys.key(1), keys.length(1), &inserted), 0U);
  EXPECT_EQ(table.find_or_create(keys.hash(0), keys.key(0), keys.length(0), &inserted), 1U);
  Vector probe = make_column<int32_t>(LogicalType::integer(), {int32_t{41}, int32_t{40}, int32_t{42}, int32_t{41}});
  std::vector<uint32_t> ids(4);
  table.find_or_create(probe, 4, ids.data());
  EXPECT_EQ(ids, (std::vector<uint32_t>{0, 1, 2, 0}));
}

}  // namespace
}  // namespace tessera::executor::test
