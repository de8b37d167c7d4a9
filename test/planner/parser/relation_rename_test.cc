#include "planner/parser/relation_rename.h"

#include <gtest/gtest.h>

namespace tessera::planner {
namespace {

TEST(RelationRenameTest, RenamesFromListReferencesKeepingTheOldNameAsAlias) {
  EXPECT_EQ("SELECT t.a FROM u AS t", rename_relation_in_query("SELECT t.a FROM t", "t", "u"));
  EXPECT_EQ("SELECT x.a FROM u x JOIN u AS t ON x.a = t.a",
            rename_relation_in_query("SELECT x.a FROM t x JOIN t ON x.a = t.a", "t", "u"));
  EXPECT_EQ("SELECT 1 FROM s, u AS t, public.u AS q WHERE t.a = 1",
            rename_relation_in_query("SELECT 1 FROM s, t, public.t AS q WHERE t.a = 1", "t", "u"));
  EXPECT_EQ("SELECT (SELECT max(a) FROM u AS t) FROM s", rename_relation_in_query("SELECT (SELECT max(a) FROM t) FROM s", "t", "u"));
}

TEST(RelationRenameTest, LeavesOtherUsesOfTheNameAlone) {
  // A column called t, a qualifier in the select list and a comma outside a FROM list.
  EXPECT_EQ("SELECT t, s.t FROM s WHERE t IN (1, 2)", rename_relation_in_query("SELECT t, s.t FROM s WHERE t IN (1, 2)", "t", "u"));
  EXPECT_EQ("SELECT a FROM u AS t ORDER BY a, t.b", rename_relation_in_query("SELECT a FROM t ORDER BY a, t.b", "t", "u"));
}

TEST(RelationRenameTest, QuotesNamesThatNeedIt) {
  EXPECT_EQ("SELECT 1 FROM \"New Name\" AS t", rename_relation_in_query("SELECT 1 FROM t", "t", "New Name"));
  EXPECT_EQ("SELECT 1 FROM u AS \"Old\"", rename_relation_in_query("SELECT 1 FROM \"Old\"", "Old", "u"));
}

TEST(RelationRenameTest, GivesUpOnAWithQueryOrFunctionOfTheName) {
  EXPECT_FALSE(rename_relation_in_query("WITH t AS (SELECT 1) SELECT * FROM t", "t", "u").has_value());
  EXPECT_FALSE(rename_relation_in_query("SELECT * FROM t(1)", "t", "u").has_value());
}

TEST(RelationRenameTest, ColumnAliasListsKeepTheNamesTheQueryKnows) {
  const std::vector<std::string> names{"a", "b"};
  EXPECT_EQ("SELECT a FROM t AS t(a, b) JOIN t x(a, b) ON true",
            rename_relation_in_query("SELECT a FROM t JOIN t x ON true", "t", "t", &names));
  EXPECT_EQ("SELECT a FROM t AS y(a, b)", rename_relation_in_query("SELECT a FROM t AS y", "t", "t", &names));
  EXPECT_FALSE(rename_relation_in_query("SELECT a FROM t AS y(p, q)", "t", "t", &names).has_value());
  EXPECT_EQ("SELECT a FROM u AS t(a, b)", rename_relation_in_query("SELECT a FROM t AS t(a, b)", "t", "u"));
}

}  // namespace
}  // namespace tessera::planner
