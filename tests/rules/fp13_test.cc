// FP-13 duplicate_amounts: the same product, amount and buyer at one outlet
// at least min_repeats times on one day.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/rules/rule_harness.h"

namespace fupin::rules {
namespace {

using testing::RuleHarness;

class Fp13DuplicateAmounts : public ::testing::Test {
 protected:
  Fp13DuplicateAmounts() : h_(RuleHarness::Make(&MakeDuplicateAmounts, "FP-13")) {
    h_.SeedWorld();
    h_.AddProduct(h_.ProductBody("P-1"));
    h_.AddProduct(h_.ProductBody("P-2"));
    h_.AddOutlet("C-1");
    h_.AddOutlet("C-2");
  }
  uint64_t Buy(const std::string& outlet, const std::string& product, int64_t quantity,
               const std::string& buyer, const std::string& at) {
    return h_.AddSale("S-" + std::to_string(h_.next_seq()), product, outlet, quantity, 3500, at,
                      BuyerKind::kIndividual, buyer);
  }
  // `count` purchases of 2 × P-1 by B-1 at C-1 on 8 Sept, an hour apart.
  std::vector<uint64_t> Repeats(int count) {
    std::vector<uint64_t> seqs;
    for (int i = 0; i < count; ++i) {
      seqs.push_back(
          Buy("C-1", "P-1", 2, "B-1", "2020-09-08T" + std::to_string(10 + i) + ":00:00+08:00"));
    }
    return seqs;
  }
  RuleHarness h_;
};

TEST_F(Fp13DuplicateAmounts, FourIdenticalPurchasesDoNotFire) {
  Repeats(4);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp13DuplicateAmounts, FifthIdenticalPurchaseFires) {
  const std::vector<uint64_t> seqs = Repeats(5);
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.severity, FlagSeverity::kWarning);
  EXPECT_EQ(d.subject, "outlet:C-1");
  EXPECT_EQ(d.region, "430102");
  EXPECT_EQ(d.window, "2020-09-08");
  EXPECT_EQ(d.evidence, seqs);
  EXPECT_EQ(d.summary,
            "专柜 C-1 在 2020-09-08 向同一买家 B-1 录入 5 笔相同销售（产品 P-1，金额 70.00 "
            "元），阈值 5 笔");
  EXPECT_EQ(d.details.at("repeats").as_int64(), 5);
  EXPECT_EQ(d.details.at("min_repeats").as_int64(), 5);
  EXPECT_EQ(d.details.at("amount_fen").as_int64(), 7000);
  EXPECT_EQ(d.details.at("product_id").as_string(), "P-1");
  EXPECT_EQ(d.details.at("buyer_ref").as_string(), "B-1");
}

TEST_F(Fp13DuplicateAmounts, ADifferentAmountProductBuyerOrOutletIsAnotherBasket) {
  Repeats(4);
  Buy("C-1", "P-1", 3, "B-1", "2020-09-08T15:00:00+08:00");  // amount
  Buy("C-1", "P-2", 2, "B-1", "2020-09-08T15:10:00+08:00");  // product
  Buy("C-1", "P-1", 2, "B-2", "2020-09-08T15:20:00+08:00");  // buyer
  Buy("C-2", "P-1", 2, "B-1", "2020-09-08T15:30:00+08:00");  // outlet
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp13DuplicateAmounts, TheNextDayTheCountRestarts) {
  Repeats(4);
  Buy("C-1", "P-1", 2, "B-1", "2020-09-09T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp13DuplicateAmounts, AnonymousSalesAreNotCompared) {
  for (int i = 0; i < 6; ++i) {
    h_.AddSale("S-" + std::to_string(i), "P-1", "C-1", 2, 3500,
               "2020-09-08T1" + std::to_string(i) + ":00:00+08:00");
  }
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp13DuplicateAmounts, DayTalliesAreDroppedTwoDaysLater) {
  Repeats(4);
  Buy("C-2", "P-2", 1, "B-9", "2020-09-10T08:00:00+08:00");
  Buy("C-1", "P-1", 2, "B-1", "2020-09-08T20:00:00+08:00");  // booked two days late
  EXPECT_TRUE(h_.drafts().empty());
}

TEST(Fp13DuplicateAmountsConfig, MinRepeatsComesFromTheConfig) {
  RuleHarness h = RuleHarness::Make(&MakeDuplicateAmounts, "FP-13", R"({"min_repeats":2})");
  h.SeedWorld();
  h.AddProduct(h.ProductBody("P-1"));
  h.AddOutlet("C-1");
  h.AddSale("S-1", "P-1", "C-1", 1, 3500, "2020-09-08T10:00:00+08:00", BuyerKind::kIndividual,
            "B-1");
  EXPECT_TRUE(h.drafts().empty());
  h.AddSale("S-2", "P-1", "C-1", 1, 3500, "2020-09-08T11:00:00+08:00", BuyerKind::kIndividual,
            "B-1");
  EXPECT_EQ(h.drafts().size(), 1u);
}

}  // namespace
}  // namespace fupin::rules
