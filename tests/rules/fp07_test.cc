// FP-07 household_overclaimed: one household in the claims of too many
// suppliers at once.
#include <gtest/gtest.h>

#include "tests/rules/rule_harness.h"

namespace fupin::rules::testing {
namespace {

class HouseholdOverclaimedTest : public ::testing::Test {
 protected:
  HouseholdOverclaimedTest() : h_(RuleHarness::Make(&MakeHouseholdOverclaimed, "FP-07")) {
    h_.SeedWorld();
    h_.AddSupplier("SUP-2", "433127");
    h_.AddSupplier("SUP-3", "433127");
    h_.AddHousehold("H-1", 4, "433127");
  }
  uint64_t Claim(const std::string& product, const std::string& supplier,
                 std::vector<std::string> households, bool employment = false) {
    ProductCertified p = h_.ProductBody(product, 3500, std::move(households), supplier);
    if (employment) p.benefit.mechanisms = {BenefitMechanism::kEmployment};
    return h_.AddProduct(p);
  }
  RuleHarness h_;
};

TEST_F(HouseholdOverclaimedTest, TwoSuppliersAreBelowTheThreshold) {
  Claim("P-1", "SUP-1", {"H-1"});
  Claim("P-2", "SUP-2", {"H-1"});
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(HouseholdOverclaimedTest, TheThirdSupplierFires) {
  const uint64_t a = Claim("P-1", "SUP-1", {"H-1"});
  const uint64_t b = Claim("P-2", "SUP-2", {"H-1"});
  const uint64_t c = Claim("P-3", "SUP-3", {"H-1", "H-2"});
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.subject, "household:H-1");
  EXPECT_EQ(d.severity, FlagSeverity::kWarning);
  EXPECT_EQ(d.region, "433127");
  EXPECT_EQ(d.evidence, (std::vector<uint64_t>{a, b, c}));
  EXPECT_EQ(d.details.at("suppliers").as_int64(), 3);
  EXPECT_EQ(d.details.at("employment_suppliers").as_int64(), 0);
  EXPECT_NE(d.summary.find("3 家供应商"), std::string::npos) << d.summary;
  EXPECT_NE(d.summary.find("SUP-1、SUP-2、SUP-3"), std::string::npos) << d.summary;
}

TEST_F(HouseholdOverclaimedTest, ProductsOfOneSupplierCountOnce) {
  Claim("P-1", "SUP-1", {"H-1"});
  Claim("P-2", "SUP-1", {"H-1"});
  Claim("P-3", "SUP-2", {"H-1"});
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(HouseholdOverclaimedTest, TwoEmploymentSuppliersFire) {
  Claim("P-1", "SUP-1", {"H-1"}, /*employment=*/true);
  Claim("P-2", "SUP-2", {"H-1"}, /*employment=*/true);
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].details.at("employment_suppliers").as_int64(), 2);
  EXPECT_EQ(h_.drafts()[0].details.at("suppliers").as_int64(), 2);
}

TEST_F(HouseholdOverclaimedTest, OneEmploymentSupplierIsBelowTheThreshold) {
  Claim("P-1", "SUP-1", {"H-1"}, /*employment=*/true);
  Claim("P-2", "SUP-1", {"H-1"}, /*employment=*/true);
  Claim("P-3", "SUP-2", {"H-1"});
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(HouseholdOverclaimedTest, ARenewalWithoutTheHouseholdWithdrawsItsClaim) {
  Claim("P-1", "SUP-1", {"H-1"});
  Claim("P-2", "SUP-2", {"H-1"});
  Claim("P-2", "SUP-2", {"H-5"});  // renewal: H-1 no longer claimed by SUP-2
  Claim("P-3", "SUP-3", {"H-1"});
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(HouseholdOverclaimedTest, UnregisteredHouseholdTakesTheProductsOrigin) {
  ProductCertified p = h_.ProductBody("P-1", 3500, {"H-X"}, "SUP-1");
  p.origin_region = "433127";
  h_.AddProduct(p);
  Claim("P-2", "SUP-2", {"H-X"});
  Claim("P-3", "SUP-3", {"H-X"});
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].subject, "household:H-X");
  EXPECT_EQ(h_.drafts()[0].region, "433127");
}

}  // namespace
}  // namespace fupin::rules::testing
