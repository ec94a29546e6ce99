// The expected-statistics code path on a tiny hand-written campaign, every
// cell computed by hand from SPEC §3.
//
// Regions: 湖南省 430000; 长沙市 430100 (芙蓉区 430102, 岳麓区 430104);
// 湘西州 433100 (永顺县 433127). Window 2020-09-01..2020-09-30.
#include "generator/expected_stats.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "ledger/time.h"

namespace fupin::generator {
namespace {

int64_t Ms(const std::string& rfc3339) { return *ParseRfc3339Millis(rfc3339); }

class HandWrittenCampaign : public ::testing::Test {
 protected:
  HandWrittenCampaign()
      : stats_("CAMP-1", "2020-09-01", "2020-09-30",
               {{"430000", "湖南省", "province", ""},
                {"430100", "长沙市", "prefecture", "430000"},
                {"433100", "湘西土家族苗族自治州", "prefecture", "430000"},
                {"430102", "芙蓉区", "county", "430100"},
                {"430104", "岳麓区", "county", "430100"},
                {"433127", "永顺县", "county", "433100"}}) {
    // Outlets.
    stats_.OutletDeployed("C1", "counter", "430102", Ms("2020-08-20T10:00:00+08:00"));
    stats_.OutletDeployed("C2", "counter", "430102", Ms("2020-08-20T10:00:00+08:00"));
    stats_.OutletClosed("C2", Ms("2020-08-28T16:00:00+08:00"));  // before the window
    stats_.OutletDeployed("C3", "counter", "430104", Ms("2020-10-03T10:00:00+08:00"));  // after
    stats_.OutletDeployed("C4", "counter", "433127", Ms("2020-08-25T10:00:00+08:00"));
    stats_.OutletClosed("C4", Ms("2020-09-15T17:00:00+08:00"));  // during: counts
    stats_.OutletDeployed("PV1", "pavilion", "430100", Ms("2020-08-20T10:00:00+08:00"));
    stats_.OutletDeployed("ZN1", "zone_online", "433100", Ms("2020-09-30T22:00:00+08:00"));
    stats_.OutletDeployed("ZF1", "zone_offline", "433127", Ms("2020-09-10T09:00:00+08:00"));
    stats_.OutletDeployed("LS1", "livestream_base", "433127", Ms("2020-08-31T09:00:00+08:00"));
    stats_.OutletClosed("LS1", Ms("2020-08-31T23:59:59+08:00"));
    // Promotions.
    stats_.PromotionHeld("430102", "2020-09-10");
    stats_.PromotionHeld("433127", "2020-08-28");
    stats_.PromotionHeld("433100", "2020-09-30");
    stats_.PromotionHeld("430104", "2020-10-01");
    // Households (H4 is never registered).
    stats_.HouseholdRegistered("H1", 4);
    stats_.HouseholdRegistered("H2", 3);
    stats_.HouseholdRegistered("H3", 5);
    // Products.
    stats_.ProductCertified("PA", Ms("2020-08-15T10:00:00+08:00"), "2020-08-15", "2021-12-31",
                            {"H1", "H2"});
    stats_.ProductCertified("PB", Ms("2020-08-15T10:00:00+08:00"), "2020-08-15", "2020-09-10",
                            {"H2", "H3"});
    stats_.ProductCertified("PC", Ms("2020-09-12T09:00:00+08:00"), "2020-09-12", "2021-12-31",
                            {"H3", "H4"});
    stats_.ProductCertified("PD", Ms("2020-08-15T10:00:00+08:00"), "2020-08-15", "2021-12-31",
                            {"H1"});
    stats_.ProductCertified("PE", Ms("2020-08-15T10:00:00+08:00"), "2020-08-15", "2021-12-31",
                            {"H3"});
    stats_.ProductRevoked("PD", Ms("2020-09-20T10:00:00+08:00"));
    // Sales.
    stats_.SaleRecorded("PA", "C1", Ms("2020-09-30T23:59:59+08:00"), 10'000);  // counts
    stats_.SaleRecorded("PA", "C1", Ms("2020-10-01T00:00:00+08:00"), 20'000);  // after
    stats_.SaleRecorded("PA", "C1", Ms("2020-08-31T23:59:59+08:00"), 40'000);  // before
    stats_.SaleRecorded("PA", "ZN1", Ms("2020-09-30T23:00:00+08:00"), 5'000);  // at 433100
    stats_.SaleRecorded("PB", "C4", Ms("2020-09-10T20:00:00+08:00"), 7'000);   // last valid day
    stats_.SaleRecorded("PB", "C4", Ms("2020-09-11T09:00:00+08:00"), 8'000);   // expired
    stats_.SaleRecorded("PC", "ZF1", Ms("2020-09-11T10:00:00+08:00"), 9'000);  // not yet certified
    stats_.SaleRecorded("PC", "ZF1", Ms("2020-09-12T10:00:00+08:00"), 11'000);
    stats_.SaleRecorded("PD", "PV1", Ms("2020-09-20T09:59:59+08:00"), 3'000);  // before revocation
    stats_.SaleRecorded("PD", "PV1", Ms("2020-09-20T10:00:00+08:00"), 6'000);  // revoked
    // Refunds: after the window, inside it, and of a sale that never counted.
    stats_.SaleRefunded("PA", "C1", Ms("2020-09-30T23:59:59+08:00"), 2'500);
    stats_.SaleRefunded("PC", "ZF1", Ms("2020-09-12T10:00:00+08:00"), 1'000);
    stats_.SaleRefunded("PA", "C1", Ms("2020-10-01T00:00:00+08:00"), 20'000);
    rows_ = stats_.Rows();
  }

  const StatsRow& Row(const std::string& region) const {
    for (const StatsRow& row : rows_) {
      if (row.region == region) return row;
    }
    ADD_FAILURE() << "no row " << region;
    return rows_.front();
  }

  ExpectedStatistics stats_;
  std::vector<StatsRow> rows_;
};

TEST_F(HandWrittenCampaign, RowsAreProvinceThenEachPrefectureWithItsCounties) {
  std::vector<std::string> order;
  for (const StatsRow& row : rows_) order.push_back(row.region);
  EXPECT_EQ(order,
            (std::vector<std::string>{"430000", "430100", "430102", "430104", "433100", "433127"}));
  EXPECT_EQ(Row("430000").level, "province");
  EXPECT_EQ(Row("433100").level, "prefecture");
  EXPECT_EQ(Row("433127").name, "永顺县");
}

TEST_F(HandWrittenCampaign, OutletsInOperationDuringTheWindowCountAtTheirRegion) {
  // C1; C2 closed and C3 deployed outside the window do not count.
  EXPECT_EQ(Row("430102").counters, 1);
  EXPECT_EQ(Row("430104").counters, 0);
  // PV1 stands at the prefecture itself: its row and the province's only.
  EXPECT_EQ(Row("430100").pavilions, 1);
  EXPECT_EQ(Row("430102").pavilions, 0);
  EXPECT_EQ(Row("430100").counters, 1);
  // C4 closed during the window; ZF1 deployed during it; LS1 closed before.
  EXPECT_EQ(Row("433127").counters, 1);
  EXPECT_EQ(Row("433127").offline_zones, 1);
  EXPECT_EQ(Row("433127").livestream_bases, 0);
  // ZN1 deployed on the last day, at the prefecture.
  EXPECT_EQ(Row("433100").online_zones, 1);
  EXPECT_EQ(Row("433127").online_zones, 0);
  const StatsRow& total = Row("430000");
  EXPECT_EQ(total.counters, 2);
  EXPECT_EQ(total.pavilions, 1);
  EXPECT_EQ(total.online_zones, 1);
  EXPECT_EQ(total.offline_zones, 1);
  EXPECT_EQ(total.livestream_bases, 0);
}

TEST_F(HandWrittenCampaign, PromotionsCountWhenHeldInTheWindow) {
  EXPECT_EQ(Row("430102").promotions, 1);
  EXPECT_EQ(Row("430104").promotions, 0);  // 1 Oct
  EXPECT_EQ(Row("430100").promotions, 1);
  EXPECT_EQ(Row("433127").promotions, 0);  // 28 Aug
  EXPECT_EQ(Row("433100").promotions, 1);  // 30 Sept, at the prefecture
  EXPECT_EQ(Row("430000").promotions, 2);
}

TEST_F(HandWrittenCampaign, SalesCountInTheWindowForCertifiedValidUnrevokedProducts) {
  // 430104 sold nothing; 433100's own sale is the online zone's 5,000.
  EXPECT_EQ(Row("430104").sales_fen, 0);
  // 430100's own: PD before its revocation (3,000), not after (6,000).
  EXPECT_EQ(Row("430100").sales_fen - Row("430102").sales_fen - Row("430104").sales_fen, 3'000);
  EXPECT_EQ(Row("433100").sales_fen - Row("433127").sales_fen, 5'000);
}

TEST_F(HandWrittenCampaign, RefundsOfCountedSalesAreSubtractedWheneverRecorded) {
  // 430102: 10,000 at 23:59:59 on 30 Sept, minus its 2,500 refund of 5 Oct;
  // the refund of the uncounted 1 Oct sale changes nothing.
  EXPECT_EQ(Row("430102").sales_fen, 7'500);
  // 433127: PB on its last valid day 7,000 + PC after certification 11,000
  // - 1,000 refunded in the window.
  EXPECT_EQ(Row("433127").sales_fen, 17'000);
  EXPECT_EQ(Row("430100").sales_fen, 10'500);
  EXPECT_EQ(Row("433100").sales_fen, 22'000);
  EXPECT_EQ(Row("430000").sales_fen, 32'500);
}

TEST_F(HandWrittenCampaign, CoverageCountsDistinctRegisteredHouseholdsOncePerRow) {
  // 430102 sold PA: H1 + H2 = 7.
  EXPECT_EQ(Row("430102").poor_people_covered, 7);
  EXPECT_EQ(Row("430104").poor_people_covered, 0);
  // 430100: PA (H1, H2) and PD (H1): H1 once.
  EXPECT_EQ(Row("430100").poor_people_covered, 7);
  // 433127: PB (H2, H3) and PC (H3, unregistered H4): 3 + 5.
  EXPECT_EQ(Row("433127").poor_people_covered, 8);
  // 433100: PA sold at ZN1 adds H1 (H2 again is sold in two 市州).
  EXPECT_EQ(Row("433100").poor_people_covered, 12);
  // 合计 counts each household once (< 7 + 12); PE never sold covers none.
  EXPECT_EQ(Row("430000").poor_people_covered, 12);
}

TEST(WanYuan, HasTwoDecimalsRoundedHalfUp) {
  EXPECT_EQ(WanYuan(0), "0.00");
  EXPECT_EQ(WanYuan(4'999), "0.00");
  EXPECT_EQ(WanYuan(5'000), "0.01");
  EXPECT_EQ(WanYuan(1'000'000), "1.00");
  EXPECT_EQ(WanYuan(123'456'700'000), "123456.70");
  EXPECT_EQ(WanYuan(400'000'000'000), "400000.00");  // 40亿元
}

TEST_F(HandWrittenCampaign, JsonHasTheContractForm) {
  const boost::json::object json = boost::json::parse(StatsJson("CAMP-1", 41, rows_)).as_object();
  EXPECT_EQ(json.at("campaign").as_string(), "CAMP-1");
  EXPECT_EQ(json.at("as_of").as_int64(), 41);
  const boost::json::array& rows = json.at("rows").as_array();
  ASSERT_EQ(rows.size(), 6u);
  const boost::json::object& total = rows[0].as_object();
  EXPECT_EQ(total.at("region").as_string(), "430000");
  EXPECT_EQ(total.at("name").as_string(), "湖南省");
  EXPECT_EQ(total.at("level").as_string(), "province");
  EXPECT_EQ(total.at("sales_fen").as_int64(), 32'500);
  EXPECT_EQ(total.at("sales_wan_yuan").as_string(), "0.03");
  EXPECT_EQ(total.at("poor_people_covered").as_int64(), 12);
  for (const char* field : {"online_zones", "offline_zones", "pavilions", "counters",
                            "livestream_bases", "promotions"}) {
    EXPECT_TRUE(total.contains(field)) << field;
  }
  EXPECT_EQ(total.size(), 12u);
}

}  // namespace
}  // namespace fupin::generator
