#include "src/common/data_chunk.h"

#include <gtest/gtest.h>

namespace tessera {
namespace {

TEST(DataChunkTest, InitializeSetAndGetValues) {
  DataChunk chunk;
  chunk.initialize({LogicalType::integer(), LogicalType::varchar()});
  chunk.set_value(0, 0, Value::integer(7));
  chunk.set_value(1, 0, Value::varchar("a string longer than twelve bytes"));
  chunk.set_value(0, 1, Value::null(LogicalType::integer()));
  chunk.set_value(1, 1, Value::varchar("short"));
  chunk.set_size(2);
  EXPECT_EQ(chunk.get_value(0, 0), Value::integer(7));
  EXPECT_EQ(chunk.get_value(1, 0).get_string(), "a string longer than twelve bytes");
  EXPECT_TRUE(chunk.get_value(0, 1).is_null());
  EXPECT_EQ(chunk.get_value(1, 1).get_string(), "short");
}

TEST(DataChunkTest, SliceKeepsSelectedRowsWithoutCopying) {
  DataChunk chunk;
  chunk.initialize({LogicalType::bigint()});
  for (int i = 0; i < 10; i++) chunk.set_value(0, i, Value::bigint(i * 10));
  chunk.set_size(10);
  SelectionVector sel(3);
  sel.set_index(0, 9);
  sel.set_index(1, 2);
  sel.set_index(2, 5);
  DataChunk sliced;
  sliced.slice(chunk, sel, 3);
  EXPECT_EQ(sliced.column(0).vector_type(), VectorType::kDictionary);
  EXPECT_EQ(sliced.get_value(0, 0), Value::bigint(90));
  EXPECT_EQ(sliced.get_value(0, 1), Value::bigint(20));
  // Slicing a slice composes the selections.
  SelectionVector sel2(1);
  sel2.set_index(0, 2);
  sliced.slice(sel2, 1);
  EXPECT_EQ(sliced.get_value(0, 0), Value::bigint(50));
  sliced.flatten();
  EXPECT_EQ(sliced.column(0).vector_type(), VectorType::kFlat);
  EXPECT_EQ(sliced.get_value(0, 0), Value::bigint(50));
}

TEST(DataChunkTest, AppendCopiesStringsAndNulls) {
  DataChunk a, b;
  a.initialize({LogicalType::varchar()});
  b.initialize({LogicalType::varchar()});
  b.set_value(0, 0, Value::varchar("abcdefghijklmnopqrstuvwxyz"));
  b.set_value(0, 1, Value::null(LogicalType::varchar()));
  b.set_size(2);
  a.append(b);
  a.append(b);
  ASSERT_EQ(a.size(), 4u);
  b.reset();
  EXPECT_EQ(a.get_value(0, 2).get_string(), "abcdefghijklmnopqrstuvwxyz");
  EXPECT_TRUE(a.get_value(0, 3).is_null());
}

}  // namespace
}  // namespace tessera
