// FP-19 forced_purchase: budget_unit purchases by one organization at one
// identical amount within window_days.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tests/rules/rule_harness.h"

namespace fupin::rules {
namespace {

using testing::RuleHarness;

inline constexpr char kOrg[] = "gov-430100-39";

// Shanghai time on September `day` at hh:mm.
std::string September(int day, int hour, int minute) {
  char text[64];
  std::snprintf(text, sizeof text, "2020-09-%02dT%02d:%02d:00+08:00", day, hour, minute);
  return text;
}

class Fp19ForcedPurchase : public ::testing::Test {
 protected:
  Fp19ForcedPurchase() : h_(RuleHarness::Make(&MakeForcedPurchase, "FP-19")) {
    h_.SeedWorld();
    h_.AddProduct(h_.ProductBody("P-1"));
    h_.AddOutlet("C-1");
  }
  uint64_t Buy(const std::string& org, int64_t amount_fen, const std::string& at,
               BuyerKind kind = BuyerKind::kBudgetUnit) {
    const std::string n = std::to_string(h_.next_seq());
    return h_.AddSale("S-" + n, "P-1", "C-1", 1, amount_fen, at, kind, org + "/p" + n);
  }
  // `count` purchases of 200.00 元 by kOrg, every 3 hours from 5 Sept 10:00.
  std::vector<uint64_t> Apportioned(int count) {
    std::vector<uint64_t> seqs;
    for (int i = 0; i < count; ++i) {
      const int hours = 3 * i;
      seqs.push_back(Buy(kOrg, 20'000, September(5 + (10 + hours) / 24, (10 + hours) % 24, 0)));
    }
    return seqs;
  }
  RuleHarness h_;
};

TEST_F(Fp19ForcedPurchase, NineteenPurchasesDoNotFire) {
  Apportioned(19);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp19ForcedPurchase, TwentiethPurchaseWithinThreeDaysFires) {
  const std::vector<uint64_t> seqs = Apportioned(20);
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.severity, FlagSeverity::kAlert);
  EXPECT_EQ(d.subject, "org:gov-430100-39");
  EXPECT_EQ(d.region, "430102");
  EXPECT_EQ(d.window, "");
  EXPECT_EQ(d.evidence, seqs);
  EXPECT_EQ(
      d.summary,
      "预算单位 gov-430100-39 在 2020-09-05 10:00 至 2020-09-07 19:00 的 3 天内以相同金额 200.00 "
      "元购买 20 次，阈值 20 次");
  EXPECT_EQ(d.details.at("org").as_string(), kOrg);
  EXPECT_EQ(d.details.at("amount_fen").as_int64(), 20'000);
  EXPECT_EQ(d.details.at("purchases").as_int64(), 20);
  EXPECT_EQ(d.details.at("min_purchases").as_int64(), 20);
  EXPECT_EQ(d.details.at("window_days").as_int64(), 3);
  EXPECT_EQ(d.details.at("first_at").as_string(), "2020-09-05T10:00:00+08:00");
  EXPECT_EQ(d.details.at("last_at").as_string(), "2020-09-07T19:00:00+08:00");
}

TEST_F(Fp19ForcedPurchase, PurchasesThreeDaysApartAreInDifferentWindows) {
  for (int i = 0; i < 10; ++i) Buy(kOrg, 20'000, September(5, 10, i));
  for (int i = 0; i < 10; ++i) Buy(kOrg, 20'000, September(8, 10, i));
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp19ForcedPurchase, PurchasesJustUnderThreeDaysApartShareAWindow) {
  for (int i = 0; i < 10; ++i) Buy(kOrg, 20'000, September(5, 10, i));
  for (int i = 0; i < 10; ++i) Buy(kOrg, 20'000, September(8, 9, 50 + i));
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].details.at("purchases").as_int64(), 20);
}

TEST_F(Fp19ForcedPurchase, OtherAmountsOrganizationsAndBuyerKindsAreCountedApart) {
  Apportioned(19);
  Buy(kOrg, 20'001, September(7, 20, 0));
  Buy("gov-430100-40", 20'000, September(7, 20, 1));
  Buy(kOrg, 20'000, September(7, 20, 2), BuyerKind::kEnterprise);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST(Fp19ForcedPurchaseConfig, CountAndWindowComeFromTheConfig) {
  RuleHarness h =
      RuleHarness::Make(&MakeForcedPurchase, "FP-19", R"({"min_purchases":2,"window_days":1})");
  h.SeedWorld();
  h.AddProduct(h.ProductBody("P-1"));
  h.AddOutlet("C-1");
  h.AddSale("S-1", "P-1", "C-1", 1, 5000, "2020-09-05T10:00:00+08:00", BuyerKind::kBudgetUnit,
            "g/a");
  h.AddSale("S-2", "P-1", "C-1", 1, 5000, "2020-09-06T10:00:00+08:00", BuyerKind::kBudgetUnit,
            "g/b");
  EXPECT_TRUE(h.drafts().empty());
  h.AddSale("S-3", "P-1", "C-1", 1, 5000, "2020-09-07T09:59:00+08:00", BuyerKind::kBudgetUnit,
            "g/c");
  ASSERT_EQ(h.drafts().size(), 1u);
  EXPECT_EQ(h.drafts()[0].subject, "org:g");
}

}  // namespace
}  // namespace fupin::rules
