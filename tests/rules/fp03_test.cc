// FP-03 price_above_reference: warning above warning_ratio, alert above
// alert_ratio, compared exactly.
#include <gtest/gtest.h>

#include "tests/rules/rule_harness.h"

namespace fupin::rules::testing {
namespace {

class PriceAboveReferenceTest : public ::testing::Test {
 protected:
  PriceAboveReferenceTest() : h_(RuleHarness::Make(&MakePriceAboveReference, "FP-03")) {
    h_.SeedWorld();
    h_.AddOutlet("C-1");
    h_.AddProduct(h_.ProductBody("P-1", 3500));
  }
  RuleHarness h_;
};

TEST_F(PriceAboveReferenceTest, PriceExactlyAtWarningRatioRaisesNothing) {
  h_.AddSale("S-1", "P-1", "C-1", 1, 4550, "2020-09-05T10:00:00+08:00");  // 1.30 x 3500
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(PriceAboveReferenceTest, OneFenAboveWarningRatioIsAWarning) {
  const uint64_t sale = h_.AddSale("S-1", "P-1", "C-1", 1, 4551, "2020-09-05T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.severity, FlagSeverity::kWarning);
  EXPECT_EQ(d.subject, "product:P-1");
  EXPECT_EQ(d.region, "433127");
  EXPECT_EQ(d.evidence, std::vector<uint64_t>{sale});
  EXPECT_EQ(d.details.at("unit_price_fen").as_int64(), 4551);
  EXPECT_EQ(d.details.at("reference_price_fen").as_int64(), 3500);
  EXPECT_EQ(d.details.at("ratio").as_string(), "1.3003");
  EXPECT_EQ(d.details.at("threshold_ratio").as_string(), "1.30");
}

TEST_F(PriceAboveReferenceTest, PriceExactlyAtAlertRatioIsStillAWarning) {
  h_.AddSale("S-1", "P-1", "C-1", 1, 5250, "2020-09-05T10:00:00+08:00");  // 1.50 x 3500
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].severity, FlagSeverity::kWarning);
}

TEST_F(PriceAboveReferenceTest, OneFenAboveAlertRatioIsAnAlert) {
  h_.AddSale("S-1", "P-1", "C-1", 1, 5251, "2020-09-05T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].severity, FlagSeverity::kAlert);
  EXPECT_EQ(h_.drafts()[0].details.at("threshold_ratio").as_string(), "1.50");
}

TEST_F(PriceAboveReferenceTest, SummaryStatesPriceReferenceAndExcess) {
  h_.AddSale("S-1", "P-1", "C-1", 1, 5800, "2020-09-05T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_NE(h_.drafts()[0].summary.find("单价 58.00 元，高于参考价 35.00 元 65.7%"),
            std::string::npos)
      << h_.drafts()[0].summary;
}

TEST_F(PriceAboveReferenceTest, ARepricingMovesTheThreshold) {
  h_.Add(ProductRepriced{"P-1", 4000, "市场调价"}, "2020-09-03T10:00:00+08:00");
  h_.AddSale("S-1", "P-1", "C-1", 1, 5200, "2020-09-05T10:00:00+08:00");  // 1.30 x 4000
  EXPECT_TRUE(h_.drafts().empty());
  h_.AddSale("S-2", "P-1", "C-1", 1, 5201, "2020-09-05T10:01:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].details.at("reference_price_fen").as_int64(), 4000);
}

TEST(PriceAboveReferenceConfigTest, AlertRatioBelowWarningRatioIsRefused) {
  RuleParams params = DefaultParams("FP-03", R"({"alert_ratio":1.2})");
  Result<std::unique_ptr<Rule>> rule = MakePriceAboveReference(params);
  ASSERT_FALSE(rule.ok());
  EXPECT_EQ(rule.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(rule.status().message().find("FP-03.alert_ratio"), std::string::npos)
      << rule.status().message();
}

}  // namespace
}  // namespace fupin::rules::testing
