// FP-08 benefit_without_sales: counted campaign sales per claimed household
// below the minimum, decided when the window closes (ends_on + grace_days).
#include <gtest/gtest.h>

#include "tests/rules/rule_harness.h"

namespace fupin::rules::testing {
namespace {

// CAMP-1 ends 30 Sept; with the 7 grace days it closes when the business
// clock reaches the end of 7 Oct (Shanghai).
constexpr const char* kClose = "2020-10-08T00:00:00+08:00";
constexpr const char* kJustBeforeClose = "2020-10-07T23:59:59+08:00";

class BenefitWithoutSalesTest : public ::testing::Test {
 protected:
  BenefitWithoutSalesTest() : h_(RuleHarness::Make(&MakeBenefitWithoutSales, "FP-08")) {
    h_.SeedWorld();
    h_.AddOutlet("C-1");
    h_.AddHousehold("H-1", 3);
    h_.AddHousehold("H-2", 2);
    claim_ = h_.AddProduct(h_.ProductBody("P-1", 3500, {"H-1", "H-2"}));
    h_.AddSupplier("SUP-2", "433127");
    h_.AddProduct(h_.ProductBody("P-OTHER", 3500, {}, "SUP-2"));
  }
  // Moves the business clock with a sale of SUP-2, which claims nobody.
  void AdvanceClockTo(const std::string& at) {
    h_.AddSale("S-CLOCK-" + at, "P-OTHER", "C-1", 1, 100, at);
  }
  RuleHarness h_;
  uint64_t claim_ = 0;
};

TEST_F(BenefitWithoutSalesTest, JustEnoughSalesPerHouseholdRaiseNothing) {
  h_.AddSale("S-1", "P-1", "C-1", 1, 20000, "2020-09-05T10:00:00+08:00");  // 100元 × 2 户
  AdvanceClockTo(kClose);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(BenefitWithoutSalesTest, OneFenShortFiresWhenTheWindowCloses) {
  h_.AddSale("S-1", "P-1", "C-1", 1, 19999, "2020-09-05T10:00:00+08:00");
  AdvanceClockTo(kJustBeforeClose);
  EXPECT_TRUE(h_.drafts().empty());
  AdvanceClockTo(kClose);
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.subject, "supplier:SUP-1");
  EXPECT_EQ(d.severity, FlagSeverity::kWarning);
  EXPECT_EQ(d.region, "433127");
  EXPECT_EQ(d.window, "CAMP-1");
  EXPECT_EQ(d.evidence, std::vector<uint64_t>{claim_});
  EXPECT_EQ(d.details.at("counted_sales_fen").as_int64(), 19999);
  EXPECT_EQ(d.details.at("households").as_int64(), 2);
  EXPECT_EQ(d.details.at("sales_per_household_fen").as_int64(), 9999);
  EXPECT_NE(d.summary.find("计入销售 199.99 元，认领带贫 2 户，户均 99.99 元"), std::string::npos)
      << d.summary;
}

TEST_F(BenefitWithoutSalesTest, SalesOutsideTheWindowDoNotCount) {
  h_.AddSale("S-1", "P-1", "C-1", 1, 100000, "2020-10-01T00:00:00+08:00");
  AdvanceClockTo(kClose);
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].details.at("counted_sales_fen").as_int64(), 0);
}

TEST_F(BenefitWithoutSalesTest, SalesOfARevokedProductDoNotCount) {
  h_.Add(ProductRevoked{"P-1", "抽检不合格"}, "2020-09-02T10:00:00+08:00");
  h_.AddSale("S-1", "P-1", "C-1", 1, 100000, "2020-09-05T10:00:00+08:00");
  AdvanceClockTo(kClose);
  ASSERT_EQ(h_.drafts().size(), 1u);
}

TEST_F(BenefitWithoutSalesTest, EachCampaignClosesOnce) {
  AdvanceClockTo(kClose);
  AdvanceClockTo("2020-10-09T00:00:00+08:00");
  EXPECT_EQ(h_.drafts().size(), 1u);
}

}  // namespace
}  // namespace fupin::rules::testing
