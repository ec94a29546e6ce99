#include "projections/id_table.h"

#include <gtest/gtest.h>

namespace fupin::projections {
namespace {

TEST(IdTableTest, InternGivesConsecutiveIndexesOncePerId) {
  IdTable ids;
  bool added = false;
  EXPECT_EQ(ids.Intern("S-1", &added), 0u);
  EXPECT_TRUE(added);
  EXPECT_EQ(ids.Intern("S-2", &added), 1u);
  EXPECT_EQ(ids.Intern("S-1", &added), 0u);
  EXPECT_FALSE(added);
  EXPECT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids.id(1), "S-2");
}

TEST(IdTableTest, FindsEveryIdAfterManyGrowths) {
  IdTable ids;
  for (int i = 0; i < 100'000; ++i) ids.Intern("sale-" + std::to_string(i));
  for (int i = 0; i < 100'000; i += 997) {
    EXPECT_EQ(ids.Find("sale-" + std::to_string(i)), static_cast<uint32_t>(i));
  }
  EXPECT_FALSE(ids.Find("sale-100000").has_value());
  EXPECT_FALSE(ids.Find("").has_value());
}

TEST(IdTableTest, RebuildsFromItsArena) {
  IdTable ids;
  for (const char* id : {"P-1", "P-10", "", "P-2"}) ids.Intern(id);
  Result<IdTable> copy = IdTable::FromArena(ids.arena(), ids.ends());
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->Find("P-10"), 1u);
  EXPECT_EQ(copy->Find(""), 2u);
  EXPECT_EQ(copy->Intern("P-3"), 4u);
}

TEST(IdTableTest, RepeatedIdInAnArenaIsDataLoss) {
  Result<IdTable> table = IdTable::FromArena("abab", {2, 4});
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), ErrorCode::kDataLoss);
}

TEST(IdTableTest, EndsOutsideTheArenaAreDataLoss) {
  Result<IdTable> table = IdTable::FromArena("abc", {2, 5});
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), ErrorCode::kDataLoss);
}

}  // namespace
}  // namespace fupin::projections
