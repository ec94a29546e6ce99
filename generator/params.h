// Parameters of the generated campaign: the scales, the sizes derived from
// a scale, and the constants of the honest and fraudulent behaviour. Every
// number here is documented in docs/generator.md with its reason; the
// fraud model is described there independently of any rule implementation.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/status.h"

namespace fupin::generator {

// --- Scales ------------------------------------------------------------------

// Approximate total events of the named scales. small becomes the checked-in
// fixture (about 7 MB); medium is what rule tests run on; large is the 10M+
// benchmark ledger of SPEC §7.
inline constexpr int64_t kSmallEvents = 15'000;
inline constexpr int64_t kMediumEvents = 250'000;
inline constexpr int64_t kLargeEvents = 10'200'000;
// Below this the fixed part of the world (138 regions, ~190 pavilions,
// registries) leaves too few sales for the statistics and rules to mean
// anything.
inline constexpr int64_t kMinEvents = 10'000;
// The full campaign: a ledger of this many events has the plan's real
// targets (30,000 counters, 40亿元); smaller scales shrink them in
// proportion.
inline constexpr int64_t kFullScaleEvents = 10'000'000;

struct Scale {
  std::string name;  // "small", "medium", "large" or the number
  int64_t target_events = 0;
};

// "small" | "medium" | "large" | a positive event count (>= kMinEvents).
// kInvalidArgument otherwise.
Result<Scale> ParseScale(std::string_view text);

// --- The campaign (seed plan 湘扶领办发〔2020〕4号) -----------------------------

inline constexpr std::string_view kCampaignId = "HN-2020-09";
inline constexpr std::string_view kCampaignName = "湖南省2020年消费扶贫月";
inline constexpr std::string_view kStartsOn = "2020-09-01";
inline constexpr std::string_view kEndsOn = "2020-09-30";
// Plan targets at full scale.
inline constexpr int64_t kTargetSalesFen = 400'000'000'000;  // 40亿元
inline constexpr int64_t kTargetCounters = 30'000;
inline constexpr int64_t kTargetCountersChangsha = 10'000;
inline constexpr int64_t kTargetCountersPerPrefecture = 2'000;
// Small integers that cannot shrink: one 专馆 per region, three 线下专区
// per 市州 stay the same at every scale.
inline constexpr int64_t kTargetPavilionsPerRegion = 1;
inline constexpr int64_t kTargetOfflineZonesPerPrefecture = 3;

// --- Sizes derived from a scale -------------------------------------------------

// Case counts of the injected frauds, one per rule FP-01..FP-20.
using FraudCounts = std::array<int, 20>;

struct ScaleParams {
  Scale scale;
  // min(1, target_events / kFullScaleEvents) in millionths: how far the
  // plan's targets shrink.
  int64_t ratio_ppm = 0;
  // sqrt(ratio) in thousandths: registries (suppliers, platforms) grow
  // slower than sales, as they do between a county fair and a province.
  int64_t sqrt_ratio_milli = 0;
  int suppliers = 0;
  int online_platforms = 0;  // bank/provincial platforms
  int offline_zones_per_prefecture = 0;
  int livestream_per_prefecture = 0;
  int promotions_per_prefecture = 0;
  int orgs_per_prefecture = 0;  // budget units (机关/事业单位)
  int enterprises_per_prefecture = 0;
  int64_t counters_target_changsha = 0;
  int64_t counters_target_other = 0;
  int64_t counters_target_total = 0;
  int64_t sales_target_fen = 0;
  FraudCounts fraud{};
};

ScaleParams DeriveScaleParams(const Scale& scale);

// --- Honest behaviour ------------------------------------------------------------

// Households a supplier's products claim (带贫户), uniform in this range.
inline constexpr int kHouseholdsPerSupplierMin = 4;
inline constexpr int kHouseholdsPerSupplierMax = 20;
// Registered poor households nobody claims, as a share of claimed ones:
// the registry is bigger than the campaign's reach.
inline constexpr int kUnclaimedHouseholdsPercent = 25;
// Share of claimed households that a second supplier of the same county
// also claims (never under employment): common, and legitimate.
inline constexpr int kSecondClaimPercent = 8;
// Members of a household: 1..6, weights in percent (rural 2020 census
// shape: mostly 3-5).
inline constexpr std::array<int64_t, 6> kMembersWeights = {8, 15, 24, 26, 17, 10};
// Share of registered households that had already exited poverty (脱贫) but
// stay in the registry for monitoring.
inline constexpr int kExitedPercent = 35;
// Products per supplier 1..4, weights.
inline constexpr std::array<int64_t, 4> kProductsPerSupplierWeights = {35, 35, 20, 10};
// A product kind needs this many products to form a category of peers;
// rarer local kinds fold into the county's generic staples.
inline constexpr int kMinProductsPerKind = 8;
// Reference prices of one kind spread +/-2% around the kind's base price:
// certified prices of the same kind and unit are close, and most of the
// spread of a category's prices comes from the per-sale jitter below,
// which keeps the category's distribution near-uniform (max deviation
// about 3 MADs, so no honest price is a robust-z outlier).
inline constexpr int kReferenceSpreadPermille = 20;
// A sale's unit price lies within +/-7% of the reference: discounts,
// member prices and rounding at the till. Together with the spread above
// and repricing, honest prices stay within +/-12% of their category's
// median and of their reference.
inline constexpr int kPriceJitterPermille = 70;
// Share of products repriced during the window (by +/-1..2%).
inline constexpr int kRepricePercent = 5;
inline constexpr int kRepriceMaxPermille = 20;
// Annual value (商品价值量) is this many times the product's expected
// campaign sales (a month of a year's output), at least kMinAnnualValueFen.
inline constexpr int kAnnualValueFactorMin = 8;
inline constexpr int kAnnualValueFactorMax = 20;
inline constexpr int64_t kMinAnnualValueFen = 10'000'000;  // 10万元
// An honest product stops selling when its sales reach this share of its
// annual value (sold out).
inline constexpr int kSoldOutPercent = 90;
// Honest suppliers sell at least this much per claimed household over the
// window (top-up bulk purchases by budget units in the last days if not).
inline constexpr int64_t kMinSalesPerHouseholdFen = 30'000;  // 300元
// Share of sales refunded (whole or in part) 0..6 days later.
inline constexpr int kRefundPerMille = 12;
inline constexpr int kRefundMaxDelayDays = 6;
// An honest outlet's refunds after the window stay below this share of its
// window sales.
inline constexpr int kHonestLateRefundPercent = 4;
// Share of sales booked 1..kLateBookingMaxDays after they happened.
inline constexpr int kLateBookingPerMille = 3;
inline constexpr int kLateBookingMaxDays = 5;
// An outlet's sales are spread so that no hour holds more than this many:
// a till or a web shop's order stream, not a burst.
inline constexpr int kMaxSalesPerHour = 40;
// One buyer buys at most this often a day at one outlet; one organization
// at most this often a day anywhere.
inline constexpr int kMaxBuyerPurchasesPerDay = 3;
// Counters deployed per prefecture, relative to the prefecture's target:
// most prefectures exceed it a little; kShortPrefectures fall short.
inline constexpr int kCounterSurplusPercentMax = 12;
inline constexpr int kShortPrefectures = 2;
inline constexpr int kShortfallPercentMax = 15;
// Share of counters deployed during the window instead of before it.
inline constexpr int kLateCounterPercent = 6;
// Share of outlets closed during the window (after selling).
inline constexpr int kClosedOutletPerMille = 15;
// Share of honest products revoked during the window (sales stop).
inline constexpr int kRevokedProductPerMille = 8;
// Benefit paid per household and payment, in fen.
inline constexpr int64_t kBenefitMinFen = 20'000;   // 200元
inline constexpr int64_t kBenefitMaxFen = 300'000;  // 3000元

// --- Fraud ------------------------------------------------------------------------

// FP-03: certified reference under-declared at 72-76% of the kind's base,
// sold at 1.32-1.40x the reference (the market price).
inline constexpr int kUnderDeclaredMinPermille = 720;
inline constexpr int kUnderDeclaredMaxPermille = 760;
inline constexpr int kOverpriceMinPermille = 1320;
inline constexpr int kOverpriceMaxPermille = 1400;
// FP-04: reference certified at 1.45-1.6x the kind's base.
inline constexpr int kPeerOutlierMinPermille = 1450;
inline constexpr int kPeerOutlierMaxPermille = 1600;
// FP-05: at one outlet, a product sells daily at 87-89% of its reference
// (a discount), then 2-4 sales come at 1.22-1.25x the highest of its last
// seven prices: a jump of more than 20% that still leaves an ordinary
// price for the category (at most ~1.13x its base).
inline constexpr int kJumpBaseMinPermille = 870;
inline constexpr int kJumpBaseMaxPermille = 890;
inline constexpr int kJumpMinPermille = 1220;
inline constexpr int kJumpMaxPermille = 1250;
// FP-08: a supplier claims 30-60 households and sells 20-70元 per household.
inline constexpr int kShamHouseholdsMin = 30;
inline constexpr int kShamHouseholdsMax = 60;
// FP-09: only 50-75% of a product's households paid by the deadline.
inline constexpr int kUnpaidPaidMinPercent = 50;
inline constexpr int kUnpaidPaidMaxPercent = 75;
// FP-11: annual value set at 55-75% of what the product will sell.
inline constexpr int kCapacityMinPercent = 55;
inline constexpr int kCapacityMaxPercent = 75;
// FP-12: 61-70 sales within 50 minutes at a counter, or 21-25 purchases
// by one buyer in a day at one outlet.
inline constexpr int kBurstMin = 61;
inline constexpr int kBurstMax = 70;
inline constexpr int kRepeatBuyerMin = 21;
inline constexpr int kRepeatBuyerMax = 25;
// FP-13: 5-7 identical purchases in a day.
inline constexpr int kDuplicateMin = 5;
inline constexpr int kDuplicateMax = 7;
// FP-15: an inflated report adds 6-20% to sales and/or a few outlets.
inline constexpr int kReportInflationMinPercent = 6;
inline constexpr int kReportInflationMaxPercent = 20;
// FP-16: people_claimed exceeds the listed members by 20-60%.
inline constexpr int kPeopleInflationMinPercent = 20;
inline constexpr int kPeopleInflationMaxPercent = 60;
// FP-17: 15-35% of the outlet's window sales refunded after the window.
inline constexpr int kLateRefundMinPercent = 15;
inline constexpr int kLateRefundMaxPercent = 35;
// FP-18: 4-8 sales booked 9-16 days after their date.
inline constexpr int kBackdateMinDays = 9;
inline constexpr int kBackdateMaxDays = 16;
// FP-19: 20-28 purchases of one identical amount by one organization's
// staff on one day.
inline constexpr int kForcedPurchasesMin = 20;
inline constexpr int kForcedPurchasesMax = 28;
// FP-20: fabricated sales are 30-40% of the prefecture's sales, with
// amounts of 4,000-8,999 fen-units (first digit 4-8), at least
// kFabricatedMinPerDay a day so the prefecture passes n >= 300.
inline constexpr int kFabricatedMinPercent = 30;
inline constexpr int kFabricatedMaxPercent = 40;
inline constexpr int kFabricatedMinPerDay = 12;

}  // namespace fupin::generator
