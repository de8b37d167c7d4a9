#include "src/common/vector.h"

#include <gtest/gtest.h>

#include "src/common/sql_error.h"
#include "src/common/value_cast.h"

namespace tessera {
namespace {

TEST(StringTTest, InlineAndPointerFormsCompareByBytes) {
  std::string long_a = "abcdefghijklmnop", long_b = "abcdefghijklmnoq";
  string_t s1("abc", 3), s2("abd", 3), s3(long_a), s4(long_b), s5("abcdefghijkl", 12), empty("", 0);
  EXPECT_TRUE(s1.is_inlined());
  EXPECT_TRUE(s5.is_inlined());
  EXPECT_FALSE(s3.is_inlined());
  EXPECT_LT(s1, s2);
  EXPECT_LT(s3, s4);
  EXPECT_LT(empty, s1);
  EXPECT_LT(s1, s3);  // "abc" is a prefix of "abcdef..."
  EXPECT_EQ(s3, string_t(long_a));
  EXPECT_NE(s3, s4);
  EXPECT_EQ(s5.view(), "abcdefghijkl");
  // Bytes compare unsigned (the C collation).
  EXPECT_LT(string_t("a", 1), string_t("\xc3\xa9", 2));
}

TEST(VectorTest, FlatValuesAndValidity) {
  Vector v(LogicalType::integer());
  EXPECT_EQ(v.vector_type(), VectorType::kFlat);
  v.set_value(0, Value::integer(5));
  v.set_value(1, Value::null(LogicalType::integer()));
  v.set_value(2, Value::integer(-7));
  EXPECT_EQ(v.get_value(0), Value::integer(5));
  EXPECT_TRUE(v.get_value(1).is_null());
  EXPECT_FALSE(v.validity().row_is_valid(1));
  EXPECT_TRUE(v.validity().row_is_valid(2));
  EXPECT_EQ(v.values<int32_t>()[2], -7);
}

TEST(VectorTest, ConstantVectorBroadcasts) {
  Vector c(Value::varchar("a constant longer than twelve"));
  EXPECT_EQ(c.vector_type(), VectorType::kConstant);
  UnifiedVectorFormat f;
  c.to_unified(100, f);
  for (sel_t r : {0u, 50u, 99u}) EXPECT_EQ(f.values<string_t>()[f.sel.get_index(r)].view(), "a constant longer than twelve");
  c.flatten(3);
  EXPECT_EQ(c.vector_type(), VectorType::kFlat);
  EXPECT_EQ(c.get_value(2).get_string(), "a constant longer than twelve");
  Vector null_constant(Value::null(LogicalType::bigint()));
  EXPECT_TRUE(null_constant.get_value(1000).is_null());
}

TEST(VectorTest, DictionarySlicesComposeAndShareData) {
  Vector base(LogicalType::bigint());
  for (int i = 0; i < 100; i++) base.set_value(i, i % 3 == 0 ? Value::null(LogicalType::bigint()) : Value::bigint(i));
  SelectionVector first(4);
  for (sel_t i = 0; i < 4; i++) first.set_index(i, 10 + i * 10);  // 10, 20, 30, 40
  Vector dict;
  dict.slice(base, first, 4);
  EXPECT_EQ(dict.vector_type(), VectorType::kDictionary);
  EXPECT_EQ(&dict.dictionary_child().values<int64_t>()[0], &base.values<int64_t>()[0]);  // no copy
  EXPECT_EQ(dict.get_value(1), Value::bigint(20));
  EXPECT_TRUE(dict.get_value(2).is_null());  // 30 % 3 == 0
  SelectionVector second(2);
  second.set_index(0, 3);
  second.set_index(1, 0);
  Vector dict2;
  dict2.slice(dict, second, 2);
  EXPECT_EQ(dict2.vector_type(), VectorType::kDictionary);
  EXPECT_EQ(dict2.get_value(0), Value::bigint(40));
  EXPECT_EQ(dict2.get_value(1), Value::bigint(10));
  dict2.flatten(2);
  EXPECT_EQ(dict2.get_value(0), Value::bigint(40));
}

TEST(VectorTest, CopyFromOwnsItsStrings) {
  Vector target(LogicalType::varchar());
  {
    Vector source(LogicalType::varchar());
    source.set_value(0, Value::varchar("a string that needs a heap"));
    source.set_value(1, Value::null(LogicalType::varchar()));
    target.copy_from(source, SelectionVector(), 2, 0);
  }
  EXPECT_EQ(target.get_value(0).get_string(), "a string that needs a heap");
  EXPECT_TRUE(target.get_value(1).is_null());
}

TEST(VectorTest, GrowKeepsContentsAndValidity) {
  Vector v(LogicalType::double_precision(), 4);
  v.set_value(0, Value::double_precision(1.5));
  v.set_value(3, Value::null(LogicalType::double_precision()));
  v.grow(5000);
  EXPECT_EQ(v.capacity(), 5000u);
  EXPECT_EQ(v.get_value(0), Value::double_precision(1.5));
  EXPECT_TRUE(v.get_value(3).is_null());
  v.set_value(4999, Value::double_precision(2));
  EXPECT_EQ(v.get_value(4999), Value::double_precision(2));
}

TEST(ValueTest, TextOutputFollowsPostgres) {
  EXPECT_EQ(Value::boolean(true).to_string(), "t");
  EXPECT_EQ(Value::double_precision(0.1).to_string(), "0.1");
  EXPECT_EQ(Value::double_precision(1e15).to_string(), "1e+15");
  EXPECT_EQ(Value::double_precision(123456789012345.0).to_string(), "123456789012345");
  EXPECT_EQ(Value::double_precision(1.5e-5).to_string(), "1.5e-05");
  EXPECT_EQ(Value::double_precision(-0.0).to_string(), "-0");
  EXPECT_EQ(format_double(1.0 / 3), "0.3333333333333333");
}

TEST(ValueCastTest, TextInputFollowsPostgres) {
  EXPECT_EQ(cast_value(Value::varchar("  42 "), LogicalType::integer()), Value::integer(42));
  EXPECT_EQ(cast_value(Value::varchar("yes"), LogicalType::boolean()), Value::boolean(true));
  EXPECT_EQ(cast_value(Value::varchar("off"), LogicalType::boolean()), Value::boolean(false));
  EXPECT_EQ(cast_value(Value::double_precision(2.5), LogicalType::integer()), Value::integer(2));
  EXPECT_EQ(cast_value(Value::boolean(true), LogicalType::varchar()), Value::varchar("true"));
  EXPECT_THROW(cast_value(Value::varchar("4294967296"), LogicalType::integer()), SqlError);
  EXPECT_THROW(cast_value(Value::varchar("12abc"), LogicalType::bigint()), SqlError);
  EXPECT_THROW(cast_value(Value::bigint(40000), LogicalType::smallint()), SqlError);
}

TEST(VectorTest, WritesToASharedBufferCopyFirst) {
  Vector owner(LogicalType::integer(), 4);
  for (int i = 0; i < 4; i++) owner.set_value(i, Value::integer(i));
  Vector reader;
  reader.reference(owner);
  EXPECT_TRUE(reader.is_shared());
  // Writing through the reference gives it its own buffer; the owner keeps its values.
  reader.mutable_values<int32_t>()[1] = 100;
  reader.mutable_validity().set_invalid(2);
  EXPECT_FALSE(reader.is_shared());
  EXPECT_EQ(reader.get_value(1), Value::integer(100));
  EXPECT_TRUE(reader.get_value(2).is_null());
  EXPECT_EQ(owner.get_value(1), Value::integer(1));
  EXPECT_EQ(owner.get_value(2), Value::integer(2));
  EXPECT_EQ(owner.get_value(3), Value::integer(3));
}

TEST(VectorTest, SharedValidityIsCopiedBeforeAWrite) {
  Vector owner(LogicalType::bigint(), 8);
  for (int i = 0; i < 8; i++) owner.set_value(i, Value::bigint(i));
  owner.set_value(5, Value::null(LogicalType::bigint()));
  Vector copy = owner;
  copy.set_value(5, Value::bigint(50));  // set_value and copy_from are writes too
  copy.copy_from(owner, SelectionVector(), 1, 6);
  EXPECT_TRUE(owner.get_value(5).is_null());
  EXPECT_EQ(owner.get_value(6), Value::bigint(6));
  EXPECT_EQ(copy.get_value(5), Value::bigint(50));
  EXPECT_EQ(copy.get_value(6), Value::bigint(0));
  // A mask copied on its own shares the bitmap until it writes.
  ValidityMask mask = owner.validity();
  mask.set_valid(5);
  EXPECT_FALSE(owner.validity().row_is_valid(5));
}

TEST(VectorTest, ConstantsAndStringsOfOthersAreNeverWritten) {
  const Vector constant(Value::varchar("a shared constant string"));
  Vector result;
  result.reference(constant);
  result.set_value(0, Value::varchar("changed by a later operator"));
  EXPECT_EQ(constant.get_value(0), Value::varchar("a shared constant string"));
  EXPECT_EQ(result.get_value(0), Value::varchar("changed by a later operator"));
}

TEST(VectorTest, ResetReusesOnlyAnUnsharedBuffer) {
  Vector v(LogicalType::bigint(), kVectorSize);
  const uint8_t* first = v.data();
  v.reset();
  EXPECT_EQ(v.data(), first);  // nobody else holds it: reused
  v.mutable_values<int64_t>()[0] = 42;
  Vector held = v;
  v.reset();
  EXPECT_NE(v.data(), first);  // `held` still reads it: a new buffer
  EXPECT_EQ(held.get_value(0), Value::bigint(42));
}

}  // namespace
}  // namespace tessera
