// FP-04 price_peer_outlier: robust z against other products of the same
// category and unit in the last 30 days.
#include <gtest/gtest.h>

#include "tests/rules/rule_harness.h"

namespace fupin::rules::testing {
namespace {

class PricePeerOutlierTest : public ::testing::Test {
 protected:
  explicit PricePeerOutlierTest(const std::string& overrides = "{}")
      : h_(RuleHarness::Make(&MakePricePeerOutlier, "FP-04", overrides)) {
    h_.SeedWorld();
    h_.AddOutlet("C-1");
    for (int i = 1; i <= 8; ++i) h_.AddProduct(h_.ProductBody("P-" + std::to_string(i)));
    h_.AddProduct(h_.ProductBody("P-X"));
  }
  // Eight peers, one sale of each of P-1..P-8: median 10.50 元, MAD 0.50 元,
  // so z = 0.6745·(x − 1050)/50 crosses 3.5 between 1309 and 1310 fen.
  void AddPeers(const std::string& day = "2020-09-05") {
    for (int i = 1; i <= 8; ++i) {
      h_.AddSale("S-P" + std::to_string(i), "P-" + std::to_string(i), "C-1", 1,
                 i <= 4 ? 1000 : 1100, day + "T09:0" + std::to_string(i) + ":00+08:00");
    }
  }
  RuleHarness h_;
};

TEST_F(PricePeerOutlierTest, JustBelowTheThresholdRaisesNothing) {
  AddPeers();
  h_.AddSale("S-X", "P-X", "C-1", 1, 1309, "2020-09-05T10:00:00+08:00");  // z = 3.494
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(PricePeerOutlierTest, JustAboveTheThresholdFires) {
  AddPeers();
  const uint64_t sale = h_.AddSale("S-X", "P-X", "C-1", 1, 1310, "2020-09-05T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.subject, "product:P-X");
  EXPECT_EQ(d.severity, FlagSeverity::kWarning);
  EXPECT_EQ(d.region, "433127");
  EXPECT_EQ(d.evidence, std::vector<uint64_t>{sale});
  EXPECT_EQ(d.details.at("peers").as_int64(), 8);
  EXPECT_EQ(d.details.at("peer_median_fen").as_string(), "1050.0");
  EXPECT_EQ(d.details.at("peer_mad_fen").as_string(), "50.00");
  EXPECT_EQ(d.details.at("z").as_string(), "3.51");
  EXPECT_NE(d.summary.find("单价 13.10 元"), std::string::npos) << d.summary;
  EXPECT_NE(d.summary.find("8 个价格中位数 10.50 元"), std::string::npos) << d.summary;
  EXPECT_NE(d.summary.find("稳健 z 值 3.51"), std::string::npos) << d.summary;
}

TEST_F(PricePeerOutlierTest, SevenPeersAreTooFew) {
  for (int i = 1; i <= 7; ++i) {
    h_.AddSale("S-P" + std::to_string(i), "P-" + std::to_string(i), "C-1", 1, i <= 4 ? 1000 : 1100,
               "2020-09-05T09:0" + std::to_string(i) + ":00+08:00");
  }
  h_.AddSale("S-X", "P-X", "C-1", 1, 9999, "2020-09-05T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(PricePeerOutlierTest, ZeroMadDecidesNothing) {
  for (int i = 1; i <= 8; ++i) {
    h_.AddSale("S-P" + std::to_string(i), "P-" + std::to_string(i), "C-1", 1, 1000,
               "2020-09-05T09:0" + std::to_string(i) + ":00+08:00");
  }
  h_.AddSale("S-X", "P-X", "C-1", 1, 9999, "2020-09-05T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(PricePeerOutlierTest, TheProductsOwnPricesAreNotPeers) {
  for (int i = 1; i <= 8; ++i) {
    h_.AddSale("S-X" + std::to_string(i), "P-X", "C-1", 1, i <= 4 ? 1000 : 1100,
               "2020-09-05T09:0" + std::to_string(i) + ":00+08:00");
  }
  h_.AddSale("S-X9", "P-X", "C-1", 1, 9999, "2020-09-05T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(PricePeerOutlierTest, OtherUnitsAreNotPeers) {
  ProductCertified kilo = h_.ProductBody("P-KG");
  kilo.unit = "公斤";
  h_.AddProduct(kilo);
  AddPeers();
  h_.AddSale("S-KG", "P-KG", "C-1", 1, 9999, "2020-09-05T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(PricePeerOutlierTest, PeersExactlyThirtyDaysOldStillCount) {
  AddPeers("2020-09-01");
  // The last peer was at 09:08 on 1 Sept; the first at 09:01.
  h_.AddSale("S-X", "P-X", "C-1", 1, 1310, "2020-10-01T09:01:00+08:00");
  EXPECT_EQ(h_.drafts().size(), 1u);
}

TEST_F(PricePeerOutlierTest, PeersOlderThanTheWindowDoNotCount) {
  AddPeers("2020-09-01");
  // One minute later the first peer (09:01 on 1 Sept) is 30 days + 1 min old.
  h_.AddSale("S-X", "P-X", "C-1", 1, 1310, "2020-10-01T09:02:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(PricePeerOutlierTest, ALateBookedSaleIgnoresPricesDatedAfterIt) {
  AddPeers();
  // Dated the next day: a peer of later sales, not of one dated before it.
  // Were it counted, the median would be 11.00 元 and the MAD 0.
  h_.AddProduct(h_.ProductBody("P-9"));
  h_.AddSale("S-P9", "P-9", "C-1", 1, 1100, "2020-09-06T09:00:00+08:00");
  h_.AddSale("S-X", "P-X", "C-1", 1, 1310, "2020-09-05T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].details.at("peers").as_int64(), 8);
  EXPECT_EQ(h_.drafts()[0].details.at("peer_median_fen").as_string(), "1050.0");
}

TEST_F(PricePeerOutlierTest, OddPeerCountsUseTheMiddlePrice) {
  AddPeers();
  h_.AddProduct(h_.ProductBody("P-9"));
  h_.AddSale("S-P9", "P-9", "C-1", 1, 1100, "2020-09-05T09:30:00+08:00");
  // Nine peers: median 11.00 元, deviations 100×4 and 0×5, so MAD 0.
  h_.AddSale("S-X", "P-X", "C-1", 1, 9999, "2020-09-05T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
  h_.AddProduct(h_.ProductBody("P-10"));
  h_.AddSale("S-P10", "P-10", "C-1", 1, 900, "2020-09-05T10:30:00+08:00");
  // Ten peers (P-X's own price excluded): median 10.50 元, MAD 0.50 元.
  h_.AddSale("S-X2", "P-X", "C-1", 1, 1310, "2020-09-05T11:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].details.at("peers").as_int64(), 10);
  EXPECT_EQ(h_.drafts()[0].details.at("peer_median_fen").as_string(), "1050.0");
  EXPECT_EQ(h_.drafts()[0].details.at("peer_mad_fen").as_string(), "50.00");
}

class PricePeerOutlierCapTest : public PricePeerOutlierTest {
 protected:
  PricePeerOutlierCapTest() : PricePeerOutlierTest(R"({"max_prices_per_group":8})") {}
};

TEST_F(PricePeerOutlierCapTest, AGroupKeepsAtMostMaxPricesPerGroup) {
  AddPeers();
  // P-X's own normal sale pushes the oldest peer out of the group of 8,
  // leaving 7 peers for its next sale.
  h_.AddSale("S-X1", "P-X", "C-1", 1, 1050, "2020-09-05T09:30:00+08:00");
  h_.AddSale("S-X2", "P-X", "C-1", 1, 9999, "2020-09-05T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(PricePeerOutlierTest, WithoutTheCapTheSameSalesFire) {
  AddPeers();
  h_.AddSale("S-X1", "P-X", "C-1", 1, 1050, "2020-09-05T09:30:00+08:00");
  h_.AddSale("S-X2", "P-X", "C-1", 1, 9999, "2020-09-05T10:00:00+08:00");
  EXPECT_EQ(h_.drafts().size(), 1u);
}

TEST(PricePeerOutlierConfigTest, CapBelowMinPeersIsRefused) {
  RuleParams params = DefaultParams("FP-04", R"({"max_prices_per_group":7})");
  Result<std::unique_ptr<Rule>> rule = MakePricePeerOutlier(params);
  ASSERT_FALSE(rule.ok());
  EXPECT_EQ(rule.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(rule.status().message().find("FP-04.max_prices_per_group"), std::string::npos)
      << rule.status().message();
}

}  // namespace
}  // namespace fupin::rules::testing
