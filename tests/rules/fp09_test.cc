// FP-09 benefit_unpaid: the share of a product's claimed households paid
// by its supplier before ends_on + 90 days.
#include <gtest/gtest.h>

#include "tests/rules/rule_harness.h"

namespace fupin::rules::testing {
namespace {

// CAMP-1 ends 30 Sept; + 90 days is 29 Dec, so payments count up to the
// end of 29 Dec (Shanghai) and the window closes then.
constexpr const char* kLastPaymentInstant = "2020-12-29T23:59:59+08:00";
constexpr const char* kDeadline = "2020-12-30T00:00:00+08:00";

class BenefitUnpaidTest : public ::testing::Test {
 protected:
  BenefitUnpaidTest() : h_(RuleHarness::Make(&MakeBenefitUnpaid, "FP-09")) {
    h_.SeedWorld();
    h_.AddSupplier("SUP-2", "433127");
    for (int i = 1; i <= 5; ++i) h_.AddHousehold("H-" + std::to_string(i), 2);
    claim_ = h_.AddProduct(h_.ProductBody("P-1", 3500, {"H-1", "H-2", "H-3", "H-4", "H-5"}));
  }
  uint64_t Pay(const std::string& supplier, const std::vector<std::string>& households,
               const std::string& at) {
    BenefitPaid paid;
    paid.supplier_id = supplier;
    paid.period_from = "2020-09-01";
    paid.period_to = "2020-09-30";
    paid.period_from_day = Day(paid.period_from);
    paid.period_to_day = Day(paid.period_to);
    for (const std::string& h : households) {
      paid.payments.push_back({h, BenefitMechanism::kOrderPurchase, 50000});
    }
    return h_.Add(std::move(paid), at);
  }
  RuleHarness h_;
  uint64_t claim_ = 0;
};

TEST_F(BenefitUnpaidTest, EightyPercentPaidRaisesNothing) {
  Pay("SUP-1", {"H-1", "H-2", "H-3"}, "2020-10-20T10:00:00+08:00");
  Pay("SUP-1", {"H-4"}, kLastPaymentInstant);
  Pay("SUP-1", {"H-5"}, kDeadline);  // too late, but closes the window
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(BenefitUnpaidTest, APaymentAtTheDeadlineIsTooLate) {
  Pay("SUP-1", {"H-1", "H-2", "H-3"}, "2020-10-20T10:00:00+08:00");
  Pay("SUP-1", {"H-4"}, "2020-12-29T12:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());  // not decided before the deadline
  Pay("SUP-1", {"H-4", "H-5"}, kDeadline);
  EXPECT_TRUE(h_.drafts().empty());  // H-4 was paid in time: 4 of 5
}

TEST_F(BenefitUnpaidTest, SixtyPercentPaidFiresAtTheDeadline) {
  Pay("SUP-1", {"H-1", "H-2", "H-3"}, "2020-10-20T10:00:00+08:00");
  Pay("SUP-1", {"H-4"}, kDeadline);
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.subject, "product:P-1");
  EXPECT_EQ(d.severity, FlagSeverity::kWarning);
  EXPECT_EQ(d.region, "433127");
  EXPECT_EQ(d.window, "CAMP-1");
  EXPECT_EQ(d.evidence, std::vector<uint64_t>{claim_});
  EXPECT_EQ(d.details.at("households").as_int64(), 5);
  EXPECT_EQ(d.details.at("paid_households").as_int64(), 3);
  EXPECT_EQ(d.details.at("paid_ratio").as_string(), "0.6000");
  EXPECT_EQ(d.details.at("deadline").as_string(), "2020-12-29");
  EXPECT_NE(d.summary.find("截至 2020-12-29"), std::string::npos) << d.summary;
  EXPECT_NE(d.summary.find("认领带贫 5 户，仅 3 户（60.0%）"), std::string::npos) << d.summary;
  EXPECT_NE(d.summary.find("低于 80.0%"), std::string::npos) << d.summary;
}

TEST_F(BenefitUnpaidTest, PaymentsByAnotherSupplierDoNotCount) {
  Pay("SUP-2", {"H-1", "H-2", "H-3", "H-4", "H-5"}, "2020-10-20T10:00:00+08:00");
  Pay("SUP-1", {"H-1"}, kDeadline);
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].details.at("paid_households").as_int64(), 0);
}

TEST_F(BenefitUnpaidTest, ProductsWithoutClaimsAreNotJudged) {
  h_.AddProduct(h_.ProductBody("P-2", 3500, {}));
  Pay("SUP-1", {"H-1", "H-2", "H-3", "H-4"}, "2020-10-20T10:00:00+08:00");
  Pay("SUP-1", {"H-5"}, kDeadline);
  EXPECT_TRUE(h_.drafts().empty());
}

}  // namespace
}  // namespace fupin::rules::testing
