// FP-01 uncertified_sale: a sale's product standing at its occurred_at.
#include <gtest/gtest.h>

#include "tests/rules/rule_harness.h"

namespace fupin::rules::testing {
namespace {

class UncertifiedSaleTest : public ::testing::Test {
 protected:
  UncertifiedSaleTest() : h_(RuleHarness::Make(&MakeUncertifiedSale, "FP-01")) {
    h_.SeedWorld();
    h_.AddOutlet("C-1");
  }
  RuleHarness h_;
};

TEST_F(UncertifiedSaleTest, SaleOfACertifiedProductRaisesNothing) {
  h_.AddProduct(h_.ProductBody("P-1"));
  h_.AddSale("S-1", "P-1", "C-1", 1, 3500, "2020-09-05T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(UncertifiedSaleTest, SaleAtTheCertificationInstantIsCertified) {
  h_.AddProduct(h_.ProductBody("P-1"), "2020-09-05T10:00:00+08:00");
  h_.AddSale("S-1", "P-1", "C-1", 1, 3500, "2020-09-05T10:00:00+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(UncertifiedSaleTest, SaleOneSecondBeforeCertificationFires) {
  h_.AddProduct(h_.ProductBody("P-1"), "2020-09-05T10:00:00+08:00");
  const uint64_t sale = h_.AddSale("S-1", "P-1", "C-1", 2, 3500, "2020-09-05T09:59:59+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.subject, "product:P-1");
  EXPECT_EQ(d.severity, FlagSeverity::kAlert);
  EXPECT_EQ(d.region, "433127");
  EXPECT_EQ(d.window, "");
  EXPECT_EQ(d.evidence, std::vector<uint64_t>{sale});
  EXPECT_EQ(d.details.at("reason").as_string(), "not_yet_certified");
  EXPECT_EQ(d.details.at("amount_fen").as_int64(), 7000);
  EXPECT_NE(d.summary.find("S-1"), std::string::npos) << d.summary;
  EXPECT_NE(d.summary.find("70.00 元"), std::string::npos) << d.summary;
  EXPECT_NE(d.summary.find("尚未认证"), std::string::npos) << d.summary;
}

TEST_F(UncertifiedSaleTest, SaleAtTheRevocationInstantFires) {
  h_.AddProduct(h_.ProductBody("P-1"));
  const uint64_t revoked = h_.Add(ProductRevoked{"P-1", "抽检不合格"}, "2020-09-03T10:00:00+08:00");
  const uint64_t sale = h_.AddSale("S-1", "P-1", "C-1", 1, 3500, "2020-09-03T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.evidence, (std::vector<uint64_t>{revoked, sale}));
  EXPECT_EQ(d.details.at("reason").as_string(), "revoked");
  EXPECT_NE(d.summary.find("2020-09-03 撤销"), std::string::npos) << d.summary;
}

TEST_F(UncertifiedSaleTest, SaleJustBeforeTheRevocationRaisesNothing) {
  h_.AddProduct(h_.ProductBody("P-1"));
  h_.Add(ProductRevoked{"P-1", "抽检不合格"}, "2020-09-03T10:00:00+08:00");
  h_.AddSale("S-1", "P-1", "C-1", 1, 3500, "2020-09-03T09:59:59+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(UncertifiedSaleTest, SaleOnTheLastValidDayRaisesNothing) {
  ProductCertified p = h_.ProductBody("P-1");
  p.valid_to = "2020-09-04";
  p.valid_to_day = Day(p.valid_to);
  h_.AddProduct(p);
  h_.AddSale("S-1", "P-1", "C-1", 1, 3500, "2020-09-04T23:59:59+08:00");
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(UncertifiedSaleTest, SaleTheDayAfterExpiryFires) {
  ProductCertified p = h_.ProductBody("P-1");
  p.valid_to = "2020-09-04";
  p.valid_to_day = Day(p.valid_to);
  const uint64_t certified = h_.AddProduct(p);
  const uint64_t sale = h_.AddSale("S-1", "P-1", "C-1", 1, 3500, "2020-09-05T00:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.details.at("reason").as_string(), "expired");
  EXPECT_EQ(d.details.at("sale_date").as_string(), "2020-09-05");
  EXPECT_EQ(d.evidence, (std::vector<uint64_t>{certified, sale}));
  EXPECT_NE(d.summary.find("有效期至 2020-09-04"), std::string::npos) << d.summary;
}

TEST_F(UncertifiedSaleTest, SaleBeforeValidityStartsFires) {
  ProductCertified p = h_.ProductBody("P-1");
  p.valid_from = "2020-09-10";
  p.valid_from_day = Day(p.valid_from);
  h_.AddProduct(p);
  h_.AddSale("S-1", "P-1", "C-1", 1, 3500, "2020-09-09T12:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].details.at("reason").as_string(), "not_yet_valid");
  EXPECT_NE(h_.drafts()[0].summary.find("有效期自 2020-09-10 起"), std::string::npos);
}

TEST_F(UncertifiedSaleTest, UnknownProductIsFlaggedInTheOutletsRegion) {
  h_.AddSale("S-1", "P-404", "C-1", 1, 3500, "2020-09-05T10:00:00+08:00");
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].subject, "product:P-404");
  EXPECT_EQ(h_.drafts()[0].region, "430102");
  EXPECT_EQ(h_.drafts()[0].details.at("reason").as_string(), "unknown_product");
}

TEST(UncertifiedSaleConfigTest, SeverityComesFromTheConfig) {
  RuleHarness h = RuleHarness::Make(&MakeUncertifiedSale, "FP-01", R"({"severity":"info"})");
  h.SeedWorld();
  h.AddOutlet("C-1");
  h.AddSale("S-1", "P-404", "C-1", 1, 3500, "2020-09-05T10:00:00+08:00");
  ASSERT_EQ(h.drafts().size(), 1u);
  EXPECT_EQ(h.drafts()[0].severity, FlagSeverity::kInfo);
}

}  // namespace
}  // namespace fupin::rules::testing
