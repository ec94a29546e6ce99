// FP-14 zombie_counter: counters in operation for min_days_in_operation
// days of the window without a sale, judged when the clock passes ends_on
// + grace_days.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/rules/rule_harness.h"

namespace fupin::rules {
namespace {

using testing::RuleHarness;

// End of 2020-09-30 plus the default 7 grace days, Shanghai time.
inline constexpr char kJudgedAt[] = "2020-10-08T00:00:00+08:00";
inline constexpr char kJustBeforeJudged[] = "2020-10-07T23:59:59+08:00";

class Fp14ZombieCounter : public ::testing::Test {
 protected:
  Fp14ZombieCounter() : h_(RuleHarness::Make(&MakeZombieCounter, "FP-14")) {
    h_.SeedWorld();
    h_.AddProduct(h_.ProductBody("P-1"));
    // Sales here only move the business clock.
    h_.AddOutlet("CLOCK", OutletKind::kPavilion);
  }
  uint64_t Deploy(const std::string& id, const std::string& on,
                  OutletKind kind = OutletKind::kCounter) {
    return h_.AddOutlet(id, kind, "430102", on + "T09:00:00+08:00");
  }
  uint64_t Close(const std::string& id, const std::string& on) {
    return h_.Add(OutletClosed{id, "撤柜"}, on + "T18:00:00+08:00");
  }
  void Sell(const std::string& outlet, const std::string& at) {
    h_.AddSale("S-" + std::to_string(h_.next_seq()), "P-1", outlet, 1, 3500, at);
  }
  void AdvanceClockTo(const std::string& at) { Sell("CLOCK", at); }
  RuleHarness h_;
};

TEST_F(Fp14ZombieCounter, CounterWithoutSalesIsFlaggedWhenTheGraceEnds) {
  const uint64_t deployed = Deploy("C-1", "2020-08-20");
  AdvanceClockTo(kJustBeforeJudged);
  EXPECT_TRUE(h_.drafts().empty());
  AdvanceClockTo(kJudgedAt);
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.severity, FlagSeverity::kWarning);
  EXPECT_EQ(d.subject, "outlet:C-1");
  EXPECT_EQ(d.region, "430102");
  EXPECT_EQ(d.window, "CAMP-1");
  EXPECT_EQ(d.evidence, std::vector<uint64_t>{deployed});
  EXPECT_EQ(d.summary,
            "专柜 C-1 在活动 CAMP-1 期间运营 30 天（2020-09-01 至 2020-09-30），无一笔销售");
  EXPECT_EQ(d.details.at("days_in_operation").as_int64(), 30);
  EXPECT_EQ(d.details.at("min_days_in_operation").as_int64(), 14);
  EXPECT_EQ(d.details.at("first_day").as_string(), "2020-09-01");
  EXPECT_EQ(d.details.at("last_day").as_string(), "2020-09-30");
  EXPECT_EQ(d.details.at("campaign_id").as_string(), "CAMP-1");
}

TEST_F(Fp14ZombieCounter, ACampaignIsJudgedOnce) {
  Deploy("C-1", "2020-08-20");
  AdvanceClockTo(kJudgedAt);
  AdvanceClockTo("2020-10-20T10:00:00+08:00");
  EXPECT_EQ(h_.drafts().size(), 1u);
}

TEST_F(Fp14ZombieCounter, OneSaleInTheWindowIsEnough) {
  Deploy("C-1", "2020-08-20");
  Sell("C-1", "2020-09-30T23:59:59+08:00");
  AdvanceClockTo(kJudgedAt);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp14ZombieCounter, SaleBookedWithinTheGraceDaysCounts) {
  Deploy("C-1", "2020-08-20");
  AdvanceClockTo("2020-10-05T10:00:00+08:00");
  Sell("C-1", "2020-09-20T10:00:00+08:00");  // booked late, dated in the window
  AdvanceClockTo(kJudgedAt);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp14ZombieCounter, SalesOutsideTheWindowDoNotCount) {
  Deploy("C-1", "2020-08-20");
  Sell("C-1", "2020-08-31T23:59:59+08:00");
  Sell("C-1", "2020-10-01T00:00:00+08:00");
  AdvanceClockTo(kJudgedAt);
  EXPECT_EQ(h_.drafts().size(), 1u);
}

TEST_F(Fp14ZombieCounter, FourteenDaysInOperationAreEnough) {
  Deploy("C-1", "2020-09-17");  // 17 .. 30 Sept
  AdvanceClockTo(kJudgedAt);
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].details.at("days_in_operation").as_int64(), 14);
  EXPECT_EQ(h_.drafts()[0].details.at("first_day").as_string(), "2020-09-17");
}

TEST_F(Fp14ZombieCounter, ThirteenDaysInOperationAreNot) {
  Deploy("C-1", "2020-09-18");
  AdvanceClockTo(kJudgedAt);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp14ZombieCounter, ClosureDayIsNotInOperation) {
  const uint64_t deployed = Deploy("C-1", "2020-08-20");
  const uint64_t closed = Close("C-1", "2020-09-15");  // 1 .. 14 Sept
  Deploy("C-2", "2020-08-20");
  Close("C-2", "2020-09-14");  // 1 .. 13 Sept
  AdvanceClockTo(kJudgedAt);
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.subject, "outlet:C-1");
  EXPECT_EQ(d.evidence, (std::vector<uint64_t>{deployed, closed}));
  EXPECT_EQ(d.details.at("days_in_operation").as_int64(), 14);
  EXPECT_EQ(d.details.at("last_day").as_string(), "2020-09-14");
}

TEST_F(Fp14ZombieCounter, OnlyCountersAreJudged) {
  Deploy("P-9", "2020-08-20", OutletKind::kPavilion);
  Deploy("Z-9", "2020-08-20", OutletKind::kZoneOffline);
  AdvanceClockTo(kJudgedAt);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST(Fp14ZombieCounterConfig, ThresholdAndGraceComeFromTheConfig) {
  RuleHarness h = RuleHarness::Make(&MakeZombieCounter, "FP-14",
                                    R"({"min_days_in_operation":31,"grace_days":0})");
  h.SeedWorld();
  h.AddProduct(h.ProductBody("P-1"));
  h.AddOutlet("CLOCK", OutletKind::kPavilion);
  h.AddOutlet("C-1", OutletKind::kCounter, "430102", "2020-08-20T09:00:00+08:00");
  h.AddSale("S-1", "P-1", "CLOCK", 1, 3500, "2020-10-01T00:00:00+08:00");
  EXPECT_TRUE(h.drafts().empty());  // judged at once, but 30 days < 31
  RuleHarness h2 = RuleHarness::Make(&MakeZombieCounter, "FP-14", R"({"grace_days":0})");
  h2.SeedWorld();
  h2.AddProduct(h2.ProductBody("P-1"));
  h2.AddOutlet("CLOCK", OutletKind::kPavilion);
  h2.AddOutlet("C-1", OutletKind::kCounter, "430102", "2020-08-20T09:00:00+08:00");
  h2.AddSale("S-1", "P-1", "CLOCK", 1, 3500, "2020-10-01T00:00:00+08:00");
  EXPECT_EQ(h2.drafts().size(), 1u);
}

}  // namespace
}  // namespace fupin::rules
