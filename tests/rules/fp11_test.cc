// FP-11 sales_exceed_capacity: cumulative sales of a product against
// max_ratio × its annual value.
#include <gtest/gtest.h>

#include "tests/rules/rule_harness.h"

namespace fupin::rules {
namespace {

using testing::RuleHarness;

// Annual value 10,000.00 元, so the default limit (× 1.20) is 12,000.00 元.
inline constexpr int64_t kAnnualValueFen = 1'000'000;

class Fp11SalesExceedCapacity : public ::testing::Test {
 protected:
  explicit Fp11SalesExceedCapacity(const std::string& overrides = "{}")
      : h_(RuleHarness::Make(&MakeSalesExceedCapacity, "FP-11", overrides)) {
    h_.SeedWorld();
    ProductCertified p = h_.ProductBody("P-1");
    p.annual_value_fen = kAnnualValueFen;
    h_.AddProduct(p);
    ProductCertified other = h_.ProductBody("P-2");
    other.annual_value_fen = kAnnualValueFen;
    h_.AddProduct(other);
    h_.AddOutlet("C-1");
    h_.AddOutlet("C-2", OutletKind::kPavilion);
  }
  RuleHarness h_;
};

TEST_F(Fp11SalesExceedCapacity, SalesExactlyAtTheLimitDoNotFire) {
  h_.AddSale("S-1", "P-1", "C-1", 1, 700'000, "2020-09-05T10:00:00+08:00");
  h_.AddSale("S-2", "P-1", "C-2", 1, 500'000, "2020-09-06T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp11SalesExceedCapacity, OneFenAboveTheLimitFiresOnThatSale) {
  h_.AddSale("S-1", "P-1", "C-1", 1, 700'000, "2020-09-05T10:00:00+08:00");
  const uint64_t over = h_.AddSale("S-2", "P-1", "C-2", 1, 500'001, "2020-09-06T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.severity, FlagSeverity::kWarning);
  EXPECT_EQ(d.subject, "product:P-1");
  EXPECT_EQ(d.region, "433127");
  EXPECT_EQ(d.window, "");
  EXPECT_EQ(d.evidence, std::vector<uint64_t>{over});
  EXPECT_EQ(
      d.summary,
      "产品 P-1 累计销售 12000.01 元，超过年商品价值量 10000.00 元的 1.20 倍（为 1.2000 倍）");
  EXPECT_EQ(d.details.at("cumulative_sales_fen").as_int64(), 1'200'001);
  EXPECT_EQ(d.details.at("annual_value_fen").as_int64(), kAnnualValueFen);
  EXPECT_EQ(d.details.at("ratio").as_string(), "1.2000");
  EXPECT_EQ(d.details.at("max_ratio_bp").as_int64(), 12'000);
}

TEST_F(Fp11SalesExceedCapacity, EverySaleBeyondTheLimitRaisesAgain) {
  h_.AddSale("S-1", "P-1", "C-1", 1, 1'300'000, "2020-09-05T10:00:00+08:00");
  const uint64_t next = h_.AddSale("S-2", "P-1", "C-1", 1, 100, "2020-09-05T11:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 2u);
  EXPECT_EQ(h_.drafts()[1].evidence, std::vector<uint64_t>{next});
  EXPECT_EQ(h_.drafts()[1].details.at("cumulative_sales_fen").as_int64(), 1'300'100);
}

TEST_F(Fp11SalesExceedCapacity, OtherProductsSalesDoNotCount) {
  h_.AddSale("S-1", "P-1", "C-1", 1, 1'200'000, "2020-09-05T10:00:00+08:00");
  h_.AddSale("S-2", "P-2", "C-1", 1, 1'200'000, "2020-09-05T11:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp11SalesExceedCapacity, RefundsDoNotGiveCapacityBack) {
  h_.AddSale("S-1", "P-1", "C-1", 1, 1'200'000, "2020-09-05T10:00:00+08:00");
  h_.AddRefund("S-1", "C-1", 600'000, "2020-09-06T10:00:00+08:00");
  h_.AddSale("S-2", "P-1", "C-1", 1, 1, "2020-09-07T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].details.at("cumulative_sales_fen").as_int64(), 1'200'001);
}

TEST_F(Fp11SalesExceedCapacity, ProductWithoutAnnualValueFiresWithoutRatio) {
  ProductCertified p = h_.ProductBody("P-0");
  p.annual_value_fen = 0;
  h_.AddProduct(p);
  h_.AddSale("S-1", "P-0", "C-1", 1, 1, "2020-09-05T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].summary,
            "产品 P-0 累计销售 0.01 元，超过年商品价值量 0.00 元的 1.20 倍");
  EXPECT_FALSE(h_.drafts()[0].details.contains("ratio"));
}

class Fp11SalesExceedCapacityConfigured : public Fp11SalesExceedCapacity {
 protected:
  Fp11SalesExceedCapacityConfigured()
      : Fp11SalesExceedCapacity(R"({"max_ratio":1.5,"severity":"alert"})") {}
};

TEST_F(Fp11SalesExceedCapacityConfigured, LimitAndSeverityComeFromTheConfig) {
  h_.AddSale("S-1", "P-1", "C-1", 1, 1'500'000, "2020-09-05T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
  h_.AddSale("S-2", "P-1", "C-1", 1, 1, "2020-09-05T11:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].severity, FlagSeverity::kAlert);
  EXPECT_EQ(h_.drafts()[0].details.at("max_ratio_bp").as_int64(), 15'000);
}

TEST(Fp11SalesExceedCapacityFactory, RefusesARatioBelowOne) {
  RuleParams params = testing::DefaultParams("FP-11", R"({"max_ratio":0.5})");
  Result<std::unique_ptr<Rule>> rule = MakeSalesExceedCapacity(params);
  ASSERT_FALSE(rule.ok());
  EXPECT_EQ(rule.status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fupin::rules
