// FP-17 refund_after_campaign: refunds dated after ends_on, of sales dated
// in the window, against the outlet's window sales.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/rules/rule_harness.h"

namespace fupin::rules {
namespace {

using testing::RuleHarness;

class Fp17RefundAfterCampaign : public ::testing::Test {
 protected:
  Fp17RefundAfterCampaign() : h_(RuleHarness::Make(&MakeRefundAfterCampaign, "FP-17")) {
    h_.SeedWorld();
    h_.AddProduct(h_.ProductBody("P-1"));
    h_.AddOutlet("C-1");
    h_.AddOutlet("C-2");
    // 1,000.00 元 of window sales at C-1.
    h_.AddSale("S-1", "P-1", "C-1", 1, 60'000, "2020-09-10T10:00:00+08:00");
    h_.AddSale("S-2", "P-1", "C-1", 1, 40'000, "2020-09-20T10:00:00+08:00");
  }
  uint64_t Refund(const std::string& sale, int64_t fen, const std::string& at,
                  const std::string& outlet = "C-1") {
    return h_.AddRefund(sale, outlet, fen, at);
  }
  RuleHarness h_;
};

TEST_F(Fp17RefundAfterCampaign, LateRefundsOfTenPercentDoNotFire) {
  Refund("S-1", 6'000, "2020-10-01T00:00:00+08:00");
  Refund("S-2", 4'000, "2020-10-02T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp17RefundAfterCampaign, LateRefundTakingTheOutletOverTenPercentFires) {
  const uint64_t first = Refund("S-1", 6'000, "2020-10-01T00:00:00+08:00");
  const uint64_t second = Refund("S-2", 4'001, "2020-10-02T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.severity, FlagSeverity::kWarning);
  EXPECT_EQ(d.subject, "outlet:C-1");
  EXPECT_EQ(d.region, "430102");
  EXPECT_EQ(d.window, "CAMP-1");
  EXPECT_EQ(d.evidence, (std::vector<uint64_t>{first, second}));
  EXPECT_EQ(d.summary,
            "专柜 C-1 在活动 CAMP-1 结束（2020-09-30）后退款 100.01 元，占其活动期销售 1000.00 "
            "元的 10.0%，上限 10.0%");
  EXPECT_EQ(d.details.at("late_refunds_fen").as_int64(), 10'001);
  EXPECT_EQ(d.details.at("window_sales_fen").as_int64(), 100'000);
  EXPECT_EQ(d.details.at("ratio").as_string(), "0.1000");
  EXPECT_EQ(d.details.at("max_refund_ratio_bp").as_int64(), 1000);
}

TEST_F(Fp17RefundAfterCampaign, RefundsWithinTheWindowDoNotCount) {
  Refund("S-1", 50'000, "2020-09-30T23:59:59+08:00");
  Refund("S-2", 1'000, "2020-10-01T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp17RefundAfterCampaign, RefundsOfSalesOutsideTheWindowDoNotCount) {
  h_.AddSale("S-8", "P-1", "C-1", 1, 50'000, "2020-08-31T10:00:00+08:00");
  h_.AddSale("S-9", "P-1", "C-1", 1, 50'000, "2020-10-01T10:00:00+08:00");
  Refund("S-8", 50'000, "2020-10-02T10:00:00+08:00");
  Refund("S-9", 50'000, "2020-10-02T11:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp17RefundAfterCampaign, EachOutletIsMeasuredAgainstItsOwnSales) {
  h_.AddSale("S-3", "P-1", "C-2", 1, 10'000, "2020-09-15T10:00:00+08:00");
  Refund("S-3", 1'001, "2020-10-03T10:00:00+08:00", "C-2");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].subject, "outlet:C-2");
  EXPECT_EQ(h_.drafts()[0].details.at("window_sales_fen").as_int64(), 10'000);
}

TEST_F(Fp17RefundAfterCampaign, WindowSalesBookedLateRaiseTheBase) {
  h_.AddSale("S-4", "P-1", "C-2", 1, 100, "2020-10-01T09:00:00+08:00");
  h_.AddSale("S-3", "P-1", "C-1", 1, 100'000, "2020-09-30T22:00:00+08:00");
  Refund("S-1", 10'001, "2020-10-02T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST(Fp17RefundAfterCampaignConfig, RatioComesFromTheConfig) {
  RuleHarness h =
      RuleHarness::Make(&MakeRefundAfterCampaign, "FP-17", R"({"max_refund_ratio":0.5})");
  h.SeedWorld();
  h.AddProduct(h.ProductBody("P-1"));
  h.AddOutlet("C-1");
  h.AddSale("S-1", "P-1", "C-1", 1, 100'000, "2020-09-10T10:00:00+08:00");
  h.AddRefund("S-1", "C-1", 50'000, "2020-10-02T10:00:00+08:00");
  EXPECT_TRUE(h.drafts().empty());
  h.AddRefund("S-1", "C-1", 1, "2020-10-02T11:00:00+08:00");
  ASSERT_EQ(h.drafts().size(), 1u);
  EXPECT_EQ(h.drafts()[0].details.at("ratio").as_string(), "0.5000");
}

}  // namespace
}  // namespace fupin::rules
