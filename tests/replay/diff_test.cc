// replay diff: the changed cells between two seqs and the records that
// caused each change.
#include "replay/diff.h"

#include <gtest/gtest.h>

#include "tests/replay/replay_world.h"

namespace fupin::replay::testing {
namespace {

const CellChange* Find(const StatisticsDiff& diff, const std::string& region,
                       const std::string& column) {
  for (const CellChange& c : diff.campaigns.at(0).changes) {
    if (c.region == region && c.column == column) return &c;
  }
  return nullptr;
}

TEST(ReplayDiff, ASaleChangesItsRowsAndIsTheirCause) {
  StatsWorld w;
  const uint64_t first = TellStory(w);
  const uint64_t s1 = first + 4;
  Result<StatisticsDiff> diff = DiffStatistics(w.log(), s1 - 1, s1, "CAMP-1");
  ASSERT_TRUE(diff.ok()) << diff.status().ToString();
  ASSERT_EQ(diff->campaigns.size(), 1u);
  for (const char* region : {"430102", "430100", "430000"}) {
    const CellChange* sales = Find(*diff, region, "sales_fen");
    ASSERT_NE(sales, nullptr) << region;
    EXPECT_EQ(sales->after - sales->before, 5000);
    EXPECT_EQ(sales->causes, std::vector<uint64_t>{s1});
  }
  EXPECT_EQ(Find(*diff, "433127", "sales_fen"), nullptr);
}

TEST(ReplayDiff, ALateRevocationIsTheCauseOfTheSalesItRemoves) {
  StatsWorld w;
  const uint64_t first = TellStory(w);
  const uint64_t revoke = first + 9;
  Result<StatisticsDiff> diff = DiffStatistics(w.log(), revoke - 1, revoke, "");
  ASSERT_TRUE(diff.ok()) << diff.status().ToString();
  const CellChange* sales = Find(*diff, "433127", "sales_fen");
  ASSERT_NE(sales, nullptr);
  EXPECT_EQ(sales->after - sales->before, -12000);
  EXPECT_EQ(sales->causes, std::vector<uint64_t>{revoke});
  // The province row changed by the same amount, for the same reason.
  const CellChange* total = Find(*diff, "430000", "sales_fen");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->causes, std::vector<uint64_t>{revoke});
}

TEST(ReplayDiff, OverTheWholeStoryEachCellListsOnlyRecordsThatTouchIt) {
  StatsWorld w;
  const uint64_t first = TellStory(w);
  Result<StatisticsDiff> diff = DiffStatistics(w.log(), first - 1, w.size() - 1, "CAMP-1");
  ASSERT_TRUE(diff.ok());
  const CellChange* promotions = Find(*diff, "430102", "promotions");
  ASSERT_NE(promotions, nullptr);
  EXPECT_EQ(promotions->causes, std::vector<uint64_t>{first + 6});
  const CellChange* zones = Find(*diff, "430102", "offline_zones");
  ASSERT_NE(zones, nullptr);
  EXPECT_EQ(zones->causes, std::vector<uint64_t>{first + 1});
  const CellChange* county_sales = Find(*diff, "430102", "sales_fen");
  ASSERT_NE(county_sales, nullptr);
  EXPECT_EQ(county_sales->after - county_sales->before, 4000);  // S-1 minus the refund
  EXPECT_EQ(county_sales->causes, (std::vector<uint64_t>{first + 4, first + 7}));
  for (const CellChange& c : diff->campaigns[0].changes) {
    EXPECT_FALSE(c.causes.empty()) << c.region << " " << c.column;
  }
}

TEST(ReplayDiff, BadRangesAreRefused) {
  StatsWorld w;
  EXPECT_EQ(DiffStatistics(w.log(), 3, 3, "").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(DiffStatistics(w.log(), 0, w.size(), "").status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fupin::replay::testing
