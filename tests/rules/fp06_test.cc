// FP-06 unknown_household: claims and payments naming households not
// registered at that point.
#include <gtest/gtest.h>

#include "tests/rules/rule_harness.h"

namespace fupin::rules::testing {
namespace {

BenefitPaid Payment(const std::string& supplier, const std::vector<std::string>& households) {
  BenefitPaid paid;
  paid.supplier_id = supplier;
  paid.period_from = "2020-09-01";
  paid.period_to = "2020-09-30";
  paid.period_from_day = Day(paid.period_from);
  paid.period_to_day = Day(paid.period_to);
  for (const std::string& h : households) {
    paid.payments.push_back({h, BenefitMechanism::kOrderPurchase, 20000});
  }
  return paid;
}

class UnknownHouseholdTest : public ::testing::Test {
 protected:
  UnknownHouseholdTest() : h_(RuleHarness::Make(&MakeUnknownHousehold, "FP-06")) {
    h_.SeedWorld();
    h_.AddHousehold("H-1", 3);
  }
  RuleHarness h_;
};

TEST_F(UnknownHouseholdTest, ClaimOfRegisteredHouseholdsRaisesNothing) {
  h_.AddProduct(h_.ProductBody("P-1", 3500, {"H-1"}));
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(UnknownHouseholdTest, ClaimNamingAnUnregisteredHouseholdFlagsTheSupplier) {
  const uint64_t claim = h_.AddProduct(h_.ProductBody("P-1", 3500, {"H-1", "H-9"}));
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.subject, "supplier:SUP-1");
  EXPECT_EQ(d.severity, FlagSeverity::kAlert);
  EXPECT_EQ(d.region, "433127");
  EXPECT_EQ(d.evidence, std::vector<uint64_t>{claim});
  EXPECT_EQ(d.details.at("source").as_string(), "claim");
  EXPECT_EQ(d.details.at("product_id").as_string(), "P-1");
  EXPECT_EQ(d.details.at("unknown_households").as_int64(), 1);
  EXPECT_EQ(d.details.at("households_named").as_int64(), 2);
  EXPECT_EQ(d.details.at("households").as_array().size(), 1u);
  EXPECT_NE(d.summary.find("有 1 户（共 2 户）未登记：H-9"), std::string::npos) << d.summary;
}

TEST_F(UnknownHouseholdTest, RegistrationAfterTheClaimDoesNotUndoIt) {
  h_.AddProduct(h_.ProductBody("P-1", 3500, {"H-9"}));
  h_.AddHousehold("H-9", 2);
  EXPECT_EQ(h_.drafts().size(), 1u);
}

TEST_F(UnknownHouseholdTest, PaymentToRegisteredHouseholdsRaisesNothing) {
  h_.Add(Payment("SUP-1", {"H-1"}), "2020-10-15T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(UnknownHouseholdTest, PaymentToAnUnregisteredHouseholdFlagsTheSupplier) {
  const uint64_t paid =
      h_.Add(Payment("SUP-1", {"H-1", "H-7", "H-8"}), "2020-10-15T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.subject, "supplier:SUP-1");
  EXPECT_EQ(d.evidence, std::vector<uint64_t>{paid});
  EXPECT_EQ(d.details.at("source").as_string(), "payment");
  EXPECT_EQ(d.details.at("unknown_households").as_int64(), 2);
  EXPECT_NE(d.summary.find("H-7、H-8"), std::string::npos) << d.summary;
}

}  // namespace
}  // namespace fupin::rules::testing
