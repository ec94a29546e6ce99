// Typed bodies: what projections and rules read without re-validating.
#include "ledger/event_types.h"

#include <gtest/gtest.h>

#include "tests/ledger/event_test_helpers.h"

namespace fupin {
namespace {

using event_test::ParseObject;

TEST(EventTypesTest, ParsesASaleIntoTypedFields) {
  Result<SaleRecorded> sale = ParseSaleRecorded(ParseObject(
      R"({"sale_id":"S-1","product_id":"P-1","outlet_id":"C-1","quantity":2,
          "unit_price_fen":3500,"amount_fen":7000,"buyer_kind":"budget_unit",
          "buyer_ref":"ORG-1/P-7"})"));
  ASSERT_TRUE(sale.ok()) << sale.status().ToString();
  EXPECT_EQ(sale->sale_id, "S-1");
  EXPECT_EQ(sale->quantity, 2);
  EXPECT_EQ(sale->unit_price_fen, 3500);
  EXPECT_EQ(sale->amount_fen, 7000);
  EXPECT_EQ(sale->buyer_kind, BuyerKind::kBudgetUnit);
  EXPECT_EQ(sale->buyer_ref, "ORG-1/P-7");
}

TEST(EventTypesTest, ParsesDatesAsTextAndDays) {
  Result<PromotionHeld> promotion = ParsePromotionHeld(ParseObject(
      R"({"promotion_id":"PR-1","name":"产销对接会","region":"430100","held_on":"2020-09-12"})"));
  ASSERT_TRUE(promotion.ok()) << promotion.status().ToString();
  EXPECT_EQ(promotion->held_on, "2020-09-12");
  EXPECT_EQ(promotion->held_on_day, 18517);
}

TEST(EventTypesTest, ParsesCampaignTargetsSortedByRegion) {
  Result<CampaignDefined> campaign = ParseCampaignDefined(ParseObject(
      R"({"campaign_id":"C","name":"n","starts_on":"2020-09-01","ends_on":"2020-09-30",
          "targets":{"sales_fen":1,"counters_total":2,
                     "counters_by_region":{"433100":2000,"430100":10000},
                     "counters_min_per_prefecture":3,"pavilions_min_per_region":4,
                     "offline_zones_min_per_prefecture":5}})"));
  ASSERT_TRUE(campaign.ok()) << campaign.status().ToString();
  const auto& by_region = campaign->targets.counters_by_region;
  ASSERT_EQ(by_region.size(), 2u);
  EXPECT_EQ(by_region[0], (std::pair<std::string, int64_t>{"430100", 10000}));
  EXPECT_EQ(by_region[1], (std::pair<std::string, int64_t>{"433100", 2000}));
  EXPECT_EQ(campaign->targets.offline_zones_min_per_prefecture, 5);
}

TEST(EventTypesTest, ParsesBenefitClaimInOrder) {
  Result<ProductCertified> product = ParseProductCertified(ParseObject(
      R"({"product_id":"P-2","name":"龙山百合","category":"农产品","spec":"500g","unit":"袋",
          "supplier_id":"SUP-1","origin_region":"433127","reference_price_fen":3500,
          "certificate_no":"HN-1","valid_from":"2020-01-01","valid_to":"2020-12-31",
          "annual_value_fen":0,"benefit":{"mechanisms":["land_lease","other"],
          "households":["H-2","H-1"],"people_claimed":7}})"));
  ASSERT_TRUE(product.ok()) << product.status().ToString();
  EXPECT_EQ(
      product->benefit.mechanisms,
      (std::vector<BenefitMechanism>{BenefitMechanism::kLandLease, BenefitMechanism::kOther}));
  EXPECT_EQ(product->benefit.households, (std::vector<std::string>{"H-2", "H-1"}));
  EXPECT_EQ(product->benefit.people_claimed, 7);
}

TEST(EventTypesTest, ParseEventBodyPicksTheAlternativeOfTheType) {
  Result<EventBody> body =
      ParseEventBody(EventType::kFlagResolved,
                     ParseObject(R"({"flag_id":"F-1","resolution":"confirmed","note":"属实"})"));
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(TypeOf(*body), EventType::kFlagResolved);
  EXPECT_EQ(std::get<FlagResolved>(*body).resolution, FlagResolution::kConfirmed);
}

TEST(EventTypesTest, ParseEventBodyReportsTheFieldPath) {
  Result<EventBody> body =
      ParseEventBody(EventType::kHouseholdRegistered, ParseObject(R"({"household_id":"H-1"})"));
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), ErrorCode::kInvalidField);
  EXPECT_EQ(body.status().message(), "body.region: required");
}

TEST(EventTypesTest, EnumNamesAreTheWireNames) {
  EXPECT_EQ(OutletKindName(OutletKind::kLivestreamBase), "livestream_base");
  EXPECT_EQ(OutletKindName(OutletKind::kZoneOnline), "zone_online");
  EXPECT_EQ(BenefitMechanismName(BenefitMechanism::kOrderPurchase), "order_purchase");
  EXPECT_EQ(BuyerKindName(BuyerKind::kBudgetUnit), "budget_unit");
  EXPECT_EQ(HouseholdStatusName(HouseholdStatus::kExited), "exited");
  EXPECT_EQ(FlagSeverityName(FlagSeverity::kAlert), "alert");
  EXPECT_EQ(FlagResolutionName(FlagResolution::kDismissed), "dismissed");
  EXPECT_EQ(RegionLevelName(RegionLevel::kPrefecture), "prefecture");
}

TEST(EventTypesTest, EntityIdRules) {
  EXPECT_TRUE(IsValidEntityId("C-430102-0001"));
  EXPECT_TRUE(IsValidEntityId("op_1.v2"));
  EXPECT_TRUE(IsValidEntityId(std::string(64, 'a')));
  EXPECT_FALSE(IsValidEntityId(std::string(65, 'a')));
  EXPECT_FALSE(IsValidEntityId(""));
  EXPECT_FALSE(IsValidEntityId("outlet:C-1"));
  EXPECT_FALSE(IsValidEntityId("a b"));
  EXPECT_FALSE(IsValidEntityId("专柜1"));
}

}  // namespace
}  // namespace fupin
