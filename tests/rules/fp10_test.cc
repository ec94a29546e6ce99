// FP-10 origin_not_poverty_area: origin not a poverty county, or not the
// supplier's county.
#include <gtest/gtest.h>

#include "tests/rules/rule_harness.h"

namespace fupin::rules::testing {
namespace {

class OriginNotPovertyAreaTest : public ::testing::Test {
 protected:
  OriginNotPovertyAreaTest() : h_(RuleHarness::Make(&MakeOriginNotPovertyArea, "FP-10")) {
    h_.SeedWorld();
    h_.AddRegion("433126", "古丈县", RegionLevel::kCounty, "433100", true);
    h_.AddSupplier("SUP-2", "433126");
  }
  uint64_t Certify(const std::string& supplier, const std::string& origin) {
    ProductCertified p = h_.ProductBody("P-1", 3500, {}, supplier);
    p.origin_region = origin;
    return h_.AddProduct(p);
  }
  RuleHarness h_;
};

TEST_F(OriginNotPovertyAreaTest, PovertyCountyOfTheSupplierRaisesNothing) {
  Certify("SUP-1", "433127");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(OriginNotPovertyAreaTest, OriginOutsidePovertyCountiesFires) {
  const uint64_t seq = Certify("SUP-1", "430102");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.subject, "product:P-1");
  EXPECT_EQ(d.severity, FlagSeverity::kWarning);
  EXPECT_EQ(d.region, "430102");
  EXPECT_EQ(d.evidence, std::vector<uint64_t>{seq});
  EXPECT_FALSE(d.details.at("poverty_county").as_bool());
  EXPECT_EQ(d.details.at("supplier_region").as_string(), "433127");
  EXPECT_NE(d.summary.find("芙蓉区(430102) 不是贫困县"), std::string::npos) << d.summary;
  EXPECT_NE(d.summary.find("永顺县(433127)"), std::string::npos) << d.summary;
}

TEST_F(OriginNotPovertyAreaTest, PovertyCountyOfAnotherSupplierFires) {
  Certify("SUP-2", "433127");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_TRUE(d.details.at("poverty_county").as_bool());
  EXPECT_EQ(d.details.at("supplier_region").as_string(), "433126");
  EXPECT_EQ(d.summary.find("不是贫困县"), std::string::npos) << d.summary;
  EXPECT_NE(d.summary.find("不在供应商 SUP-2 所在地 古丈县(433126)"), std::string::npos)
      << d.summary;
}

}  // namespace
}  // namespace fupin::rules::testing
