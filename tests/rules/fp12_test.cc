// FP-12 counter_velocity: sales per sliding hour at a counter, purchases
// per buyer per day at an outlet.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tests/rules/rule_harness.h"

namespace fupin::rules {
namespace {

using testing::RuleHarness;

// "2020-09-08T10:00:00+08:00" plus `seconds`, within one day.
std::string On8Sept(int seconds_after_ten) {
  const int s = 10 * 3600 + seconds_after_ten;
  char text[64];
  std::snprintf(text, sizeof text, "2020-09-08T%02d:%02d:%02d+08:00", s / 3600, s / 60 % 60,
                s % 60);
  return text;
}

class Fp12CounterVelocity : public ::testing::Test {
 protected:
  Fp12CounterVelocity() : h_(RuleHarness::Make(&MakeCounterVelocity, "FP-12")) {
    h_.SeedWorld();
    h_.AddProduct(h_.ProductBody("P-1"));
    h_.AddOutlet("C-1");
    h_.AddOutlet("C-2");
    h_.AddOutlet("Z-1", OutletKind::kZoneOffline);
  }
  // An anonymous sale (no buyer_ref: only the hourly check sees it).
  uint64_t Sale(const std::string& outlet, const std::string& at) {
    return h_.AddSale("S-" + std::to_string(h_.next_seq()), "P-1", outlet, 1, 3500, at);
  }
  uint64_t Purchase(const std::string& outlet, const std::string& buyer, const std::string& at) {
    return h_.AddSale("S-" + std::to_string(h_.next_seq()), "P-1", outlet, 1, 3500, at,
                      BuyerKind::kIndividual, buyer);
  }
  // `count` sales at `outlet`, one a minute from 10:00 + offset seconds.
  std::vector<uint64_t> SalesEveryMinute(const std::string& outlet, int count, int offset = 0) {
    std::vector<uint64_t> seqs;
    for (int i = 0; i < count; ++i) seqs.push_back(Sale(outlet, On8Sept(offset + 60 * i)));
    return seqs;
  }
  RuleHarness h_;
};

TEST_F(Fp12CounterVelocity, SixtySalesInAnHourDoNotFire) {
  SalesEveryMinute("C-1", 60);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp12CounterVelocity, SixtyFirstSaleWithinAnHourFires) {
  std::vector<uint64_t> seqs = SalesEveryMinute("C-1", 60, 0);
  seqs.push_back(Sale("C-1", On8Sept(59 * 60 + 59)));  // 10:59:59
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.severity, FlagSeverity::kAlert);
  EXPECT_EQ(d.subject, "outlet:C-1");
  EXPECT_EQ(d.region, "430102");
  EXPECT_EQ(d.window, "2020-09-08");
  EXPECT_EQ(d.evidence, seqs);
  EXPECT_EQ(
      d.summary,
      "专柜 C-1 在 2020-09-08 10:00 至 2020-09-08 10:59 的一小时内录入 61 笔销售，上限 60 笔");
  EXPECT_EQ(d.details.at("check").as_string(), "sales_per_hour");
  EXPECT_EQ(d.details.at("sales").as_int64(), 61);
  EXPECT_EQ(d.details.at("max_sales_per_hour").as_int64(), 60);
  EXPECT_EQ(d.details.at("first_at").as_string(), "2020-09-08T10:00:00+08:00");
  EXPECT_EQ(d.details.at("last_at").as_string(), "2020-09-08T10:59:59+08:00");
}

TEST_F(Fp12CounterVelocity, TheHourSlidesSoASaleAnHourOldNoLongerCounts) {
  SalesEveryMinute("C-1", 60);  // 10:00 .. 10:59
  Sale("C-1", On8Sept(3600));   // 11:00:00: the 10:00 sale is an hour old
  Sale("C-1", On8Sept(3660));   // 11:01:00: so is the 10:01 sale
  EXPECT_TRUE(h_.drafts().empty());
  Sale("C-1", On8Sept(3690));  // 11:01:30: 61 sales since 10:02
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].details.at("sales").as_int64(), 61);
  EXPECT_EQ(h_.drafts()[0].details.at("first_at").as_string(), "2020-09-08T10:02:00+08:00");
}

TEST_F(Fp12CounterVelocity, AnHourLaterTheCountRestarts) {
  SalesEveryMinute("C-1", 60);
  SalesEveryMinute("C-1", 60, 2 * 3600);  // 12:00 .. 12:59
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp12CounterVelocity, CountersAreCountedApart) {
  for (int i = 0; i < 40; ++i) {
    Sale("C-1", On8Sept(60 * i));
    Sale("C-2", On8Sept(60 * i + 1));
  }
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp12CounterVelocity, OutletsOtherThanCountersHaveNoHourlyLimit) {
  SalesEveryMinute("Z-1", 61, 0);
  Sale("Z-1", On8Sept(59 * 60 + 30));
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp12CounterVelocity, SaleBookedMoreThanAnHourLateIsNotCounted) {
  SalesEveryMinute("C-1", 60, 0);
  Sale("C-2", On8Sept(2 * 3600));  // the clock moves to 12:00
  Sale("C-1", On8Sept(59 * 60 + 30));
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp12CounterVelocity, TwentyPurchasesOfOneBuyerInADayDoNotFire) {
  for (int i = 0; i < 20; ++i) Purchase("Z-1", "B-1", On8Sept(600 * i));
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp12CounterVelocity, TwentyFirstPurchaseOfOneBuyerInADayFires) {
  std::vector<uint64_t> seqs;
  for (int i = 0; i < 21; ++i) seqs.push_back(Purchase("Z-1", "B-1", On8Sept(600 * i)));
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.severity, FlagSeverity::kAlert);
  EXPECT_EQ(d.subject, "outlet:Z-1");
  EXPECT_EQ(d.region, "430102");
  EXPECT_EQ(d.window, "2020-09-08 buyer:B-1");
  EXPECT_EQ(d.evidence, seqs);
  EXPECT_EQ(d.summary, "线下专区 Z-1 在 2020-09-08 向同一买家 B-1 录入 21 笔销售，上限 20 笔");
  EXPECT_EQ(d.details.at("check").as_string(), "buyer_purchases_per_day");
  EXPECT_EQ(d.details.at("purchases").as_int64(), 21);
  EXPECT_EQ(d.details.at("buyer_ref").as_string(), "B-1");
  EXPECT_EQ(d.details.at("date").as_string(), "2020-09-08");
}

TEST_F(Fp12CounterVelocity, BuyerCountsPerDayAndPerOutlet) {
  for (int i = 0; i < 20; ++i) Purchase("Z-1", "B-1", On8Sept(600 * i));
  Purchase("C-1", "B-1", On8Sept(12'000));              // another outlet
  Purchase("Z-1", "B-2", On8Sept(12'001));              // another buyer
  Purchase("Z-1", "B-1", "2020-09-09T10:00:00+08:00");  // the next day
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp12CounterVelocity, PurchaseBookedTheNextDayStillCountsInItsDay) {
  for (int i = 0; i < 20; ++i) Purchase("Z-1", "B-1", On8Sept(600 * i));
  Sale("C-2", "2020-09-09T08:00:00+08:00");
  Purchase("Z-1", "B-1", On8Sept(13 * 3600));  // 23:00 on the 8th, booked on the 9th
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].window, "2020-09-08 buyer:B-1");
}

TEST_F(Fp12CounterVelocity, DayTalliesAreDroppedTwoDaysLater) {
  for (int i = 0; i < 20; ++i) Purchase("Z-1", "B-1", On8Sept(600 * i));
  Sale("C-2", "2020-09-10T08:00:00+08:00");
  Purchase("Z-1", "B-1", On8Sept(13 * 3600));  // its day's tally is gone
  EXPECT_TRUE(h_.drafts().empty());
}

TEST(Fp12CounterVelocityConfig, LimitsComeFromTheConfig) {
  RuleHarness h = RuleHarness::Make(&MakeCounterVelocity, "FP-12",
                                    R"({"max_sales_per_hour":2,"max_buyer_purchases_per_day":1})");
  h.SeedWorld();
  h.AddProduct(h.ProductBody("P-1"));
  h.AddOutlet("C-1");
  h.AddSale("S-1", "P-1", "C-1", 1, 3500, "2020-09-08T10:00:00+08:00", BuyerKind::kIndividual,
            "B-1");
  h.AddSale("S-2", "P-1", "C-1", 1, 3500, "2020-09-08T10:10:00+08:00");
  EXPECT_TRUE(h.drafts().empty());
  h.AddSale("S-3", "P-1", "C-1", 1, 3500, "2020-09-08T10:20:00+08:00", BuyerKind::kIndividual,
            "B-1");
  ASSERT_EQ(h.drafts().size(), 2u);
  EXPECT_EQ(h.drafts()[0].details.at("check").as_string(), "sales_per_hour");
  EXPECT_EQ(h.drafts()[1].details.at("check").as_string(), "buyer_purchases_per_day");
}

}  // namespace
}  // namespace fupin::rules
