// FP-18 backdated_event: an event dated more than max_backdate_days before
// the latest occurred_at on its stream, inside a campaign window.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/rules/rule_harness.h"

namespace fupin::rules {
namespace {

using testing::RuleHarness;

class Fp18BackdatedEvent : public ::testing::Test {
 protected:
  Fp18BackdatedEvent() : h_(RuleHarness::Make(&MakeBackdatedEvent, "FP-18")) {
    h_.SeedWorld();
    h_.AddProduct(h_.ProductBody("P-1"));
    h_.AddOutlet("C-1");
    h_.AddOutlet("C-2");
    latest_ = Sell("C-1", "2020-09-20T10:00:00+08:00");
  }
  uint64_t Sell(const std::string& outlet, const std::string& at) {
    return h_.AddSale("S-" + std::to_string(h_.next_seq()), "P-1", outlet, 1, 3500, at);
  }
  RuleHarness h_;
  uint64_t latest_ = 0;
};

TEST_F(Fp18BackdatedEvent, SevenDaysEarlierDoesNotFire) {
  Sell("C-1", "2020-09-13T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp18BackdatedEvent, OneSecondMoreThanSevenDaysEarlierFires) {
  const uint64_t late = Sell("C-1", "2020-09-13T09:59:59+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.severity, FlagSeverity::kWarning);
  EXPECT_EQ(d.subject, "outlet:C-1");
  EXPECT_EQ(d.region, "430102");
  EXPECT_EQ(d.window, "");
  EXPECT_EQ(d.evidence, (std::vector<uint64_t>{latest_, late}));
  EXPECT_EQ(d.details.at("backdate_seconds").as_int64(), 7 * 86'400 + 1);
  EXPECT_EQ(d.details.at("max_backdate_days").as_int64(), 7);
}

TEST_F(Fp18BackdatedEvent, DraftNamesBothTimesAndTheCampaign) {
  Sell("C-1", "2020-09-08T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(
      d.summary,
      "outlet:C-1 上的 sale.recorded 记为 2020-09-08 10:00（活动 CAMP-1 期内），比该流已有的最晚"
      "业务时间 2020-09-20 10:00 早 12.00 天，上限 7 天");
  EXPECT_EQ(d.details.at("event_type").as_string(), "sale.recorded");
  EXPECT_EQ(d.details.at("campaign_id").as_string(), "CAMP-1");
  EXPECT_EQ(d.details.at("occurred_at").as_string(), "2020-09-08T10:00:00+08:00");
  EXPECT_EQ(d.details.at("latest_occurred_at").as_string(), "2020-09-20T10:00:00+08:00");
}

TEST_F(Fp18BackdatedEvent, BackdatedOutsideEveryCampaignWindowDoesNotFire) {
  Sell("C-2", "2020-10-20T10:00:00+08:00");
  Sell("C-2", "2020-10-05T10:00:00+08:00");  // after ends_on
  Sell("C-2", "2020-08-25T10:00:00+08:00");  // before starts_on
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp18BackdatedEvent, StreamsAreJudgedApart) {
  Sell("C-2", "2020-09-02T10:00:00+08:00");  // C-2's own stream has nothing later
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp18BackdatedEvent, ABackdatedEventDoesNotMoveTheStreamBack) {
  Sell("C-1", "2020-09-10T10:00:00+08:00");
  Sell("C-1", "2020-09-11T10:00:00+08:00");  // 9 days before the 20th, not 1 after the 10th
  ASSERT_EQ(h_.drafts().size(), 2u);
  EXPECT_EQ(h_.drafts()[1].evidence.front(), latest_);
}

TEST_F(Fp18BackdatedEvent, RefundsAreEventsOfTheOutletStreamToo) {
  const uint64_t refund =
      h_.AddRefund("S-" + std::to_string(latest_), "C-1", 100, "2020-09-05T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].evidence, (std::vector<uint64_t>{latest_, refund}));
  EXPECT_EQ(h_.drafts()[0].details.at("event_type").as_string(), "sale.refunded");
}

TEST_F(Fp18BackdatedEvent, ReportStreamIsTheSubjectAndTheReportRegionTheRegion) {
  ReportSubmitted report{"CAMP-1", "433100", {ReportRow{"433100"}}};
  h_.Add(report, "2020-09-30T10:00:00+08:00");
  h_.Add(report, "2020-09-15T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].subject, "report:CAMP-1:433100");
  EXPECT_EQ(h_.drafts()[0].region, "433100");
}

TEST(Fp18BackdatedEventConfig, LimitComesFromTheConfig) {
  RuleHarness h = RuleHarness::Make(&MakeBackdatedEvent, "FP-18", R"({"max_backdate_days":1})");
  h.SeedWorld();
  h.AddProduct(h.ProductBody("P-1"));
  h.AddOutlet("C-1");
  h.AddSale("S-1", "P-1", "C-1", 1, 3500, "2020-09-20T10:00:00+08:00");
  h.AddSale("S-2", "P-1", "C-1", 1, 3500, "2020-09-19T10:00:00+08:00");
  EXPECT_TRUE(h.drafts().empty());
  h.AddSale("S-3", "P-1", "C-1", 1, 3500, "2020-09-19T09:59:00+08:00");
  EXPECT_EQ(h.drafts().size(), 1u);
}

}  // namespace
}  // namespace fupin::rules
