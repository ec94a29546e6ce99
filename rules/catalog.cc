// The rule catalog v1 (SPEC §4): ids and names are stable, in id order.
#include "rules/catalog.h"

namespace fupin::rules {

const std::vector<RuleInfo>& RuleCatalog() {
  static const std::vector<RuleInfo> kCatalog = {
      {"FP-01", "uncertified_sale", &MakeUncertifiedSale},
      {"FP-02", "inactive_outlet", &MakeInactiveOutlet},
      {"FP-03", "price_above_reference", &MakePriceAboveReference},
      {"FP-04", "price_peer_outlier", &MakePricePeerOutlier},
      {"FP-05", "price_jump", &MakePriceJump},
      {"FP-06", "unknown_household", &MakeUnknownHousehold},
      {"FP-07", "household_overclaimed", &MakeHouseholdOverclaimed},
      {"FP-08", "benefit_without_sales", &MakeBenefitWithoutSales},
      {"FP-09", "benefit_unpaid", &MakeBenefitUnpaid},
      {"FP-10", "origin_not_poverty_area", &MakeOriginNotPovertyArea},
      {"FP-11", "sales_exceed_capacity", &MakeSalesExceedCapacity},
      {"FP-12", "counter_velocity", &MakeCounterVelocity},
      {"FP-13", "duplicate_amounts", &MakeDuplicateAmounts},
      {"FP-14", "zombie_counter", &MakeZombieCounter},
      {"FP-15", "report_mismatch", &MakeReportMismatch},
      {"FP-16", "people_claimed_inflated", &MakePeopleClaimedInflated},
      {"FP-17", "refund_after_campaign", &MakeRefundAfterCampaign},
      {"FP-18", "backdated_event", &MakeBackdatedEvent},
      {"FP-19", "forced_purchase", &MakeForcedPurchase},
      {"FP-20", "benford_deviation", &MakeBenfordDeviation},
  };
  return kCatalog;
}

}  // namespace fupin::rules
