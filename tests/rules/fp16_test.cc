// FP-16 people_claimed_inflated: people_claimed against the registered
// members of the listed households, at certification.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/rules/rule_harness.h"

namespace fupin::rules {
namespace {

using testing::RuleHarness;

class Fp16PeopleClaimedInflated : public ::testing::Test {
 protected:
  Fp16PeopleClaimedInflated() : h_(RuleHarness::Make(&MakePeopleClaimedInflated, "FP-16")) {
    h_.SeedWorld();
    h1_ = h_.AddHousehold("H-1", 3);
    h2_ = h_.AddHousehold("H-2", 4);
  }
  uint64_t Certify(std::vector<std::string> households, int64_t people_claimed) {
    ProductCertified p = h_.ProductBody("P-1", 3500, std::move(households));
    p.benefit.people_claimed = people_claimed;
    return h_.AddProduct(p);
  }
  RuleHarness h_;
  uint64_t h1_ = 0;
  uint64_t h2_ = 0;
};

TEST_F(Fp16PeopleClaimedInflated, ClaimEqualToRegisteredMembersDoesNotFire) {
  Certify({"H-1", "H-2"}, 7);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp16PeopleClaimedInflated, ClaimOnePersonAboveRegisteredMembersFires) {
  const uint64_t product = Certify({"H-1", "H-2"}, 8);
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.severity, FlagSeverity::kWarning);
  EXPECT_EQ(d.subject, "product:P-1");
  EXPECT_EQ(d.region, "433127");
  EXPECT_EQ(d.window, "");
  EXPECT_EQ(d.evidence, (std::vector<uint64_t>{h1_, h2_, product}));
  EXPECT_EQ(d.summary, "产品 P-1 声称带贫 8 人，所列 2 户登记人口合计 7 人");
  EXPECT_EQ(d.details.at("people_claimed").as_int64(), 8);
  EXPECT_EQ(d.details.at("registered_members").as_int64(), 7);
  EXPECT_EQ(d.details.at("households_listed").as_int64(), 2);
  EXPECT_EQ(d.details.at("households_unregistered").as_int64(), 0);
}

TEST_F(Fp16PeopleClaimedInflated, UnregisteredHouseholdsCountNoMembers) {
  Certify({"H-1", "H-9"}, 4);
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].summary,
            "产品 P-1 声称带贫 4 人，所列 2 户登记人口合计 3 人（其中 1 户未登记）");
  EXPECT_EQ(h_.drafts()[0].details.at("households_unregistered").as_int64(), 1);
}

TEST_F(Fp16PeopleClaimedInflated, ClaimIsJudgedAgainstHouseholdsRegisteredWhenItIsMade) {
  Certify({"H-1", "H-3"}, 5);
  EXPECT_EQ(h_.drafts().size(), 1u);
  h_.AddHousehold("H-3", 2);  // too late to make the claim true
  EXPECT_EQ(h_.drafts().size(), 1u);
}

TEST_F(Fp16PeopleClaimedInflated, ARecertificationIsJudgedAgain) {
  Certify({"H-1"}, 3);
  EXPECT_TRUE(h_.drafts().empty());
  Certify({"H-1"}, 4);
  EXPECT_EQ(h_.drafts().size(), 1u);
}

TEST(Fp16PeopleClaimedInflatedConfig, SeverityComesFromTheConfig) {
  RuleHarness h = RuleHarness::Make(&MakePeopleClaimedInflated, "FP-16", R"({"severity":"alert"})");
  h.SeedWorld();
  ProductCertified p = h.ProductBody("P-1");
  p.benefit.people_claimed = 1;
  h.AddProduct(p);
  ASSERT_EQ(h.drafts().size(), 1u);
  EXPECT_EQ(h.drafts()[0].severity, FlagSeverity::kAlert);
}

}  // namespace
}  // namespace fupin::rules
