// FP-02 inactive_outlet: a sale at an outlet not yet deployed or closed.
#include <gtest/gtest.h>

#include "tests/rules/rule_harness.h"

namespace fupin::rules::testing {
namespace {

class InactiveOutletTest : public ::testing::Test {
 protected:
  InactiveOutletTest() : h_(RuleHarness::Make(&MakeInactiveOutlet, "FP-02")) {
    h_.SeedWorld();
    h_.AddProduct(h_.ProductBody("P-1"));
  }
  RuleHarness h_;
};

TEST_F(InactiveOutletTest, SaleAtTheDeploymentInstantRaisesNothing) {
  h_.AddOutlet("C-1", OutletKind::kCounter, "430102", "2020-09-02T08:00:00+08:00");
  h_.AddSale("S-1", "P-1", "C-1", 1, 3500, "2020-09-02T08:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(InactiveOutletTest, SaleOneSecondBeforeDeploymentFires) {
  const uint64_t deployed =
      h_.AddOutlet("C-1", OutletKind::kCounter, "430102", "2020-09-02T08:00:00+08:00");
  const uint64_t sale = h_.AddSale("S-1", "P-1", "C-1", 3, 1000, "2020-09-02T07:59:59+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.subject, "outlet:C-1");
  EXPECT_EQ(d.severity, FlagSeverity::kAlert);
  EXPECT_EQ(d.region, "430102");
  EXPECT_EQ(d.evidence, (std::vector<uint64_t>{deployed, sale}));
  EXPECT_EQ(d.details.at("reason").as_string(), "not_yet_deployed");
  EXPECT_EQ(d.details.at("amount_fen").as_int64(), 3000);
  EXPECT_NE(d.summary.find("30.00 元"), std::string::npos) << d.summary;
  EXPECT_NE(d.summary.find("部署于 2020-09-02"), std::string::npos) << d.summary;
}

TEST_F(InactiveOutletTest, SaleJustBeforeClosingRaisesNothing) {
  h_.AddOutlet("C-1");
  h_.Add(OutletClosed{"C-1", "撤柜"}, "2020-09-10T18:00:00+08:00");
  h_.AddSale("S-1", "P-1", "C-1", 1, 3500, "2020-09-10T17:59:59+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(InactiveOutletTest, SaleAtTheClosingInstantFires) {
  h_.AddOutlet("C-1");
  const uint64_t closed = h_.Add(OutletClosed{"C-1", "撤柜"}, "2020-09-10T18:00:00+08:00");
  const uint64_t sale = h_.AddSale("S-1", "P-1", "C-1", 1, 3500, "2020-09-10T18:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.evidence, (std::vector<uint64_t>{closed, sale}));
  EXPECT_EQ(d.details.at("reason").as_string(), "closed");
  EXPECT_NE(d.summary.find("2020-09-10 关闭"), std::string::npos) << d.summary;
}

TEST_F(InactiveOutletTest, UnknownOutletFallsBackToTheProvince) {
  h_.AddSale("S-1", "P-1", "C-404", 1, 3500, "2020-09-05T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].subject, "outlet:C-404");
  EXPECT_EQ(h_.drafts()[0].region, "430000");
  EXPECT_EQ(h_.drafts()[0].details.at("reason").as_string(), "unknown_outlet");
}

}  // namespace
}  // namespace fupin::rules::testing
