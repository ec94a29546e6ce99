// FP-05 price_jump: Hampel filter over an outlet's last 7 prices of a
// product, plus a minimum change.
#include <gtest/gtest.h>

#include "tests/rules/rule_harness.h"

namespace fupin::rules::testing {
namespace {

class PriceJumpTest : public ::testing::Test {
 protected:
  PriceJumpTest() : h_(RuleHarness::Make(&MakePriceJump, "FP-05")) {
    h_.SeedWorld();
    h_.AddOutlet("C-1");
    h_.AddOutlet("C-2");
    h_.AddProduct(h_.ProductBody("P-1"));
  }
  // Prices at `outlet`, one a minute from 09:00; returns their seqs.
  std::vector<uint64_t> AddHistory(const std::vector<int64_t>& prices,
                                   const std::string& outlet = "C-1") {
    std::vector<uint64_t> seqs;
    for (std::size_t i = 0; i < prices.size(); ++i) {
      seqs.push_back(h_.AddSale(
          "S-" + outlet + "-" + std::to_string(i), "P-1", outlet, 1, prices[i],
          "2020-09-05T09:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00+08:00"));
    }
    return seqs;
  }
  // Median 11.50 元, MAD 1.00 元: the Hampel bound is 3 × 1.4826 × 100 =
  // 444.78 fen, so 1594 stays inside and 1595 jumps.
  const std::vector<int64_t> spread_ = {1000, 1050, 1100, 1150, 1200, 1250, 1300};
  RuleHarness h_;
};

TEST_F(PriceJumpTest, WithinTheHampelBoundRaisesNothing) {
  AddHistory(spread_);
  h_.AddSale("S-9", "P-1", "C-1", 1, 1594, "2020-09-05T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(PriceJumpTest, JustOutsideTheHampelBoundFires) {
  std::vector<uint64_t> evidence = AddHistory(spread_);
  evidence.push_back(h_.AddSale("S-9", "P-1", "C-1", 1, 1595, "2020-09-05T10:00:00+08:00"));
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.subject, "outlet:C-1");
  EXPECT_EQ(d.severity, FlagSeverity::kWarning);
  EXPECT_EQ(d.region, "430102");
  EXPECT_EQ(d.evidence, evidence);
  EXPECT_EQ(d.details.at("median_fen").as_string(), "1150.0");
  EXPECT_EQ(d.details.at("mad_fen").as_string(), "100.00");
  EXPECT_EQ(d.details.at("change_ratio").as_string(), "0.3870");
  EXPECT_NE(d.summary.find("单价 15.95 元"), std::string::npos) << d.summary;
  EXPECT_NE(d.summary.find("中位数 11.50 元上涨 38.7%"), std::string::npos) << d.summary;
}

TEST_F(PriceJumpTest, DropsFireToo) {
  AddHistory(spread_);
  h_.AddSale("S-9", "P-1", "C-1", 1, 705, "2020-09-05T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_NE(h_.drafts()[0].summary.find("下降"), std::string::npos) << h_.drafts()[0].summary;
}

TEST_F(PriceJumpTest, ChangeOfExactlyTheMinimumRatioRaisesNothing) {
  // MAD 0: any deviation is outside the Hampel bound; the change decides.
  AddHistory({1000, 1000, 1000, 1000, 1010, 1010, 1020});
  h_.AddSale("S-9", "P-1", "C-1", 1, 1200, "2020-09-05T10:00:00+08:00");  // +20.0 %
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(PriceJumpTest, ChangeJustAboveTheMinimumRatioFires) {
  AddHistory({1000, 1000, 1000, 1000, 1010, 1010, 1020});
  h_.AddSale("S-9", "P-1", "C-1", 1, 1201, "2020-09-05T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].details.at("min_change_ratio").as_string(), "0.20");
}

TEST_F(PriceJumpTest, NothingIsDecidedBeforeSevenPrices) {
  AddHistory({1000, 1000, 1000, 1000, 1000, 1000});
  h_.AddSale("S-9", "P-1", "C-1", 1, 9000, "2020-09-05T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(PriceJumpTest, OnlyTheSameOutletsPricesAreHistory) {
  AddHistory({1000, 1000, 1000, 1000, 1000, 1000, 1000}, "C-2");
  h_.AddSale("S-9", "P-1", "C-1", 1, 9000, "2020-09-05T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(PriceJumpTest, OnlyTheLastSevenPricesCount) {
  // An old high price leaves the history once seven newer ones follow.
  std::vector<uint64_t> seqs = AddHistory({5000, 1000, 1000, 1000, 1000, 1000, 1000, 1000});
  const uint64_t sale = h_.AddSale("S-9", "P-1", "C-1", 1, 1300, "2020-09-05T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  std::vector<uint64_t> expected(seqs.begin() + 1, seqs.end());
  expected.push_back(sale);
  EXPECT_EQ(h_.drafts()[0].evidence, expected);
  EXPECT_EQ(h_.drafts()[0].details.at("median_fen").as_string(), "1000.0");
}

}  // namespace
}  // namespace fupin::rules::testing
