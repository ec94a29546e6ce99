// Hand-written edge cases of the SPEC §3 definitions, on real signed events.
#include <gtest/gtest.h>

#include "tests/projections/stats_world.h"

namespace fupin::projections {
namespace {

using testing::RowOf;
using testing::StatsWorld;

TEST(StatisticsEdgeTest, CounterCountsInItsCountyPrefectureAndProvince) {
  StatsWorld w;
  StatisticsTable table = w.Table();
  EXPECT_EQ(RowOf(table, "430102").counters, 1);
  EXPECT_EQ(RowOf(table, "430100").counters, 1);
  EXPECT_EQ(RowOf(table, "430000").counters, 1);
  EXPECT_EQ(RowOf(table, "433100").counters, 0);
}

TEST(StatisticsEdgeTest, RowsComeProvinceFirstThenEachPrefectureWithItsCounties) {
  StatsWorld w;
  std::vector<std::string> order;
  for (const StatisticsRow& row : w.Table().rows) order.push_back(row.region);
  EXPECT_EQ(order, (std::vector<std::string>{"430000", "430100", "430102", "433100", "433127"}));
}

TEST(StatisticsEdgeTest, OutletClosedBeforeTheWindowDoesNotCount) {
  StatsWorld w;
  w.Outlet("PV-1", "pavilion", "430102");
  w.Close("PV-1", "2020-08-31T23:59:59+08:00");
  EXPECT_EQ(RowOf(w.Table(), "430102").pavilions, 0);
}

TEST(StatisticsEdgeTest, OutletClosedOnTheFirstDayCounts) {
  StatsWorld w;
  w.Outlet("PV-1", "pavilion", "430102");
  w.Close("PV-1", "2020-09-01T00:00:00+08:00");
  EXPECT_EQ(RowOf(w.Table(), "430102").pavilions, 1);
}

TEST(StatisticsEdgeTest, OutletDeployedAfterTheWindowDoesNotCount) {
  StatsWorld w;
  w.Outlet("ZO-1", "zone_offline", "430102", "2020-10-01T00:00:00+08:00");
  w.Outlet("ZO-2", "zone_offline", "430102", "2020-09-30T23:59:59+08:00");
  EXPECT_EQ(RowOf(w.Table(), "430100").offline_zones, 1);
}

TEST(StatisticsEdgeTest, EachOutletKindHasItsColumn) {
  StatsWorld w;
  w.Outlet("ZN-1", "zone_online", "433127");
  w.Outlet("ZF-1", "zone_offline", "433127");
  w.Outlet("PV-1", "pavilion", "433127");
  w.Outlet("LB-1", "livestream_base", "433100");
  StatisticsRow row = RowOf(w.Table(), "433100");
  EXPECT_EQ(row.online_zones, 1);
  EXPECT_EQ(row.offline_zones, 1);
  EXPECT_EQ(row.pavilions, 1);
  EXPECT_EQ(row.livestream_bases, 1);
  EXPECT_EQ(row.counters, 0);
}

TEST(StatisticsEdgeTest, SaleInTheWindowCountsAtTheOutletsRegion) {
  StatsWorld w;
  w.Sale("S-1", 12345, testing::kInWindow);
  StatisticsTable table = w.Table();
  EXPECT_EQ(RowOf(table, "430102").sales_fen, 12345);
  EXPECT_EQ(RowOf(table, "430000").sales_fen, 12345);
  EXPECT_EQ(RowOf(table, "433127").sales_fen, 0);  // the product's origin does not matter
}

TEST(StatisticsEdgeTest, SaleOfARevokedProductDoesNotCount) {
  StatsWorld w;
  w.Revoke("P-1", "2020-09-05T00:00:00+08:00");
  w.Sale("S-1", 5000, testing::kInWindow);
  EXPECT_EQ(RowOf(w.Table(), "430000").sales_fen, 0);
}

TEST(StatisticsEdgeTest, SaleBeforeTheRevocationStillCounts) {
  StatsWorld w;
  w.Sale("S-1", 5000, "2020-09-04T10:00:00+08:00");
  w.Revoke("P-1", "2020-09-05T00:00:00+08:00");
  EXPECT_EQ(RowOf(w.Table(), "430000").sales_fen, 5000);
}

TEST(StatisticsEdgeTest, RevocationRecordedLaterButDatedEarlierRemovesTheSale) {
  StatsWorld w;
  w.Sale("S-1", 5000, "2020-09-10T10:00:00+08:00");
  w.Sale("S-2", 7000, "2020-09-02T10:00:00+08:00");
  w.Revoke("P-1", "2020-09-08T00:00:00+08:00");
  EXPECT_EQ(RowOf(w.Table(), "430000").sales_fen, 7000);
}

TEST(StatisticsEdgeTest, SaleBeforeTheCertificationsOccurredAtDoesNotCount) {
  StatsWorld w;
  w.Certify("P-2", {"H-1"}, "2020-09-10T00:00:00+08:00");
  w.Sale("S-1", 5000, "2020-09-09T23:59:59+08:00", "P-2");
  w.Sale("S-2", 6000, "2020-09-10T00:00:00+08:00", "P-2");
  EXPECT_EQ(RowOf(w.Table(), "430000").sales_fen, 6000);
}

TEST(StatisticsEdgeTest, RenewalDatedBeforeAnEarlierSaleMakesItCount) {
  StatsWorld w;
  w.Certify("P-2", {"H-1"}, "2020-09-10T00:00:00+08:00");
  w.Sale("S-1", 5000, "2020-09-05T10:00:00+08:00", "P-2");
  ASSERT_EQ(RowOf(w.Table(), "430000").sales_fen, 0);
  w.Certify("P-2", {"H-1"}, "2020-09-01T00:00:00+08:00");
  EXPECT_EQ(RowOf(w.Table(), "430000").sales_fen, 5000);
}

TEST(StatisticsEdgeTest, RenewalLiftsAnEarlierRevocation) {
  StatsWorld w;
  w.Revoke("P-1", "2020-09-05T00:00:00+08:00");
  w.Certify("P-1", {"H-1"}, "2020-09-07T00:00:00+08:00");
  w.Sale("S-1", 1000, "2020-09-06T10:00:00+08:00");
  w.Sale("S-2", 2000, "2020-09-08T10:00:00+08:00");
  EXPECT_EQ(RowOf(w.Table(), "430000").sales_fen, 2000);
}

TEST(StatisticsEdgeTest, SaleOutsideValidFromValidToDoesNotCount) {
  StatsWorld w;
  w.Certify("P-3", {"H-1"}, testing::kSeedDay, "2020-09-10", "2020-09-20");
  w.Sale("S-1", 100, "2020-09-09T23:59:59+08:00", "P-3");
  w.Sale("S-2", 200, "2020-09-10T00:00:00+08:00", "P-3");
  w.Sale("S-3", 400, "2020-09-20T23:59:59+08:00", "P-3");
  w.Sale("S-4", 800, "2020-09-21T00:00:00+08:00", "P-3");
  EXPECT_EQ(RowOf(w.Table(), "430000").sales_fen, 600);
}

TEST(StatisticsEdgeTest, SaleAtTheLastSecondOfTheWindowCounts) {
  StatsWorld w;
  w.Sale("S-1", 1000, "2020-09-30T23:59:59+08:00");
  EXPECT_EQ(RowOf(w.Table(), "430000").sales_fen, 1000);
}

TEST(StatisticsEdgeTest, SaleAtMidnightAfterTheWindowDoesNotCount) {
  StatsWorld w;
  w.Sale("S-1", 1000, "2020-10-01T00:00:00+08:00");
  EXPECT_EQ(RowOf(w.Table(), "430000").sales_fen, 0);
}

TEST(StatisticsEdgeTest, SaleDatesAreShanghaiDatesNotUtcDates) {
  StatsWorld w;
  w.Sale("S-1", 1000, "2020-09-30T16:00:00Z");  // 2020-10-01 00:00 in Shanghai
  w.Sale("S-2", 2000, "2020-08-31T16:00:00Z");  // 2020-09-01 00:00 in Shanghai
  EXPECT_EQ(RowOf(w.Table(), "430000").sales_fen, 2000);
}

TEST(StatisticsEdgeTest, RefundInsideTheWindowIsSubtracted) {
  StatsWorld w;
  w.Sale("S-1", 10000, testing::kInWindow);
  w.Refund("S-1", 2500, "2020-09-12T10:00:00+08:00");
  EXPECT_EQ(RowOf(w.Table(), "430102").sales_fen, 7500);
}

TEST(StatisticsEdgeTest, RefundAfterTheWindowIsSubtracted) {
  StatsWorld w;
  w.Sale("S-1", 10000, testing::kInWindow);
  w.Refund("S-1", 10000, "2020-10-20T10:00:00+08:00");
  EXPECT_EQ(RowOf(w.Table(), "430102").sales_fen, 0);
}

TEST(StatisticsEdgeTest, RefundRecordedAfterAsOfIsNotSubtracted) {
  StatsWorld w;
  w.Sale("S-1", 10000, testing::kInWindow);
  const uint64_t before_refund = w.size();
  w.Refund("S-1", 4000, "2020-09-12T10:00:00+08:00");
  EXPECT_EQ(RowOf(w.TableAt(before_refund), "430102").sales_fen, 10000);
  EXPECT_EQ(RowOf(w.Table(), "430102").sales_fen, 6000);
}

TEST(StatisticsEdgeTest, RefundOfAnUncountedSaleChangesNothing) {
  StatsWorld w;
  w.Sale("S-1", 10000, "2020-10-05T10:00:00+08:00");
  w.Refund("S-1", 4000, "2020-10-06T10:00:00+08:00");
  EXPECT_EQ(RowOf(w.Table(), "430000").sales_fen, 0);
}

TEST(StatisticsEdgeTest, HouseholdLinkedToSalesInTwoPrefecturesCountsOncePerRow) {
  StatsWorld w;
  w.Outlet("C-2", "counter", "433127");
  w.Sale("S-1", 1000, testing::kInWindow, "P-1", "C-1");  // 长沙
  w.Sale("S-2", 1000, testing::kInWindow, "P-1", "C-2");  // 湘西
  w.Sale("S-3", 1000, testing::kInWindow, "P-1", "C-2");
  StatisticsTable table = w.Table();
  EXPECT_EQ(RowOf(table, "430100").poor_people_covered, 4);
  EXPECT_EQ(RowOf(table, "433100").poor_people_covered, 4);
  EXPECT_EQ(RowOf(table, "430102").poor_people_covered, 4);
  EXPECT_EQ(RowOf(table, "433127").poor_people_covered, 4);
  EXPECT_EQ(RowOf(table, "430000").poor_people_covered, 4);  // once in 合计
}

TEST(StatisticsEdgeTest, HouseholdsOfTwoProductsAreSummedOnce) {
  StatsWorld w;
  w.Household("H-2", "433127", 3);
  w.Certify("P-2", {"H-1", "H-2"}, testing::kSeedDay);
  w.Sale("S-1", 1000, testing::kInWindow, "P-1");
  w.Sale("S-2", 1000, testing::kInWindow, "P-2");
  EXPECT_EQ(RowOf(w.Table(), "430000").poor_people_covered, 7);
}

TEST(StatisticsEdgeTest, UnregisteredHouseholdsAreNotCovered) {
  StatsWorld w;
  w.Certify("P-2", {"H-404"}, testing::kSeedDay);
  w.Sale("S-1", 1000, testing::kInWindow, "P-2");
  EXPECT_EQ(RowOf(w.Table(), "430000").poor_people_covered, 0);
}

TEST(StatisticsEdgeTest, ProductWithoutCountedSalesCoversNobody) {
  StatsWorld w;
  w.Sale("S-1", 1000, "2020-10-05T10:00:00+08:00");
  EXPECT_EQ(RowOf(w.Table(), "430000").poor_people_covered, 0);
}

TEST(StatisticsEdgeTest, ReRegistrationUpdatesTheMembersCovered) {
  StatsWorld w;
  w.Sale("S-1", 1000, testing::kInWindow);
  w.Household("H-1", "433127", 6);
  EXPECT_EQ(RowOf(w.Table(), "430000").poor_people_covered, 6);
}

TEST(StatisticsEdgeTest, PromotionsCountByHeldOnInTheWindow) {
  StatsWorld w;
  w.Promotion("PR-1", "430100", "2020-09-01");
  w.Promotion("PR-2", "430102", "2020-09-30");
  w.Promotion("PR-3", "430102", "2020-10-01");
  StatisticsTable table = w.Table();
  EXPECT_EQ(RowOf(table, "430100").promotions, 2);
  EXPECT_EQ(RowOf(table, "430102").promotions, 1);
}

TEST(StatisticsEdgeTest, CampaignDefinedAfterItsFactsStillCountsThem) {
  StatsWorld w;
  w.Sale("S-1", 3000, "2020-11-05T10:00:00+08:00");
  w.ledger.MustAppend(w.ledger.admin.Sign("campaign.defined",
                                          {{"campaign_id", "CAMP-2"},
                                           {"name", "湖南省消费扶贫季"},
                                           {"starts_on", "2020-11-01"},
                                           {"ends_on", "2020-11-30"},
                                           {"targets",
                                            {{"sales_fen", 1000},
                                             {"counters_total", 1},
                                             {"counters_by_region", boost::json::object{}},
                                             {"counters_min_per_prefecture", 0},
                                             {"pavilions_min_per_region", 0},
                                             {"offline_zones_min_per_prefecture", 0}}}},
                                          testing::kSeedDay));
  StatisticsTable table = w.Table("CAMP-2");
  EXPECT_EQ(RowOf(table, "430000").sales_fen, 3000);
  EXPECT_EQ(RowOf(table, "430000").counters, 1);
}

TEST(StatisticsEdgeTest, UnknownCampaignIsNotFound) {
  StatsWorld w;
  Result<StatisticsTable> table = BuildStatisticsTable(w.Fold(w.size())->state(), "CAMP-9");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace fupin::projections
