// Arithmetic and wording shared by the rules of the catalog: exact ratio
// comparisons on integer money, medians without floating point, and the
// pieces of the Chinese one-line summaries (元 with 2 decimals, percents,
// region labels). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "projections/entity_projection.h"
#include "rules/rule.h"

namespace fupin::rules {

// Ratios from the config (1.30, 0.20) are compared in basis points so that
// a price exactly at a threshold never fires because of binary rounding.
inline constexpr int64_t kBasisPointsPerUnit = 10'000;

// The nearest whole number of basis points of `ratio` (1.30 -> 13000).
int64_t ToBasisPoints(double ratio);

// value / base > ratio_bp / 10000, exactly (no overflow for any int64).
bool ExceedsRatio(int64_t value, int64_t base, int64_t ratio_bp);
// value / base < ratio_bp / 10000, exactly.
bool BelowRatio(int64_t value, int64_t base, int64_t ratio_bp);

// numerator / denominator rounded half away from zero to `decimals`
// places, as text ("1.657", "-0.50"). denominator > 0.
std::string FormatDecimal(int64_t numerator, int64_t denominator, int decimals);
// Fen as 元 with 2 decimals: 5800 -> "58.00".
std::string FormatYuan(int64_t fen);
// numerator / denominator as a percent with one decimal: (23, 35) -> "65.7".
std::string FormatPercent(int64_t numerator, int64_t denominator);
// Basis points as a ratio with 2 decimals: 13000 -> "1.30".
std::string FormatBasisPoints(int64_t basis_points);
// A double from the config or a statistic, with `decimals` places ("7.76").
std::string FormatFixed(double value, int decimals);

// Twice the median of `values` (so that an even count stays an integer);
// reorders `values`. `values` must not be empty.
int64_t DoubledMedian(std::span<int64_t> values);
// Four times the median absolute deviation of `values` from the median
// whose double is `doubled_median`. `scratch` is reused storage.
int64_t QuadrupledMad(std::span<const int64_t> values, int64_t doubled_median,
                      std::vector<int64_t>& scratch);

// "永顺县(433127)", or the bare code when the region is not defined.
std::string RegionLabel(const projections::EntityCatalog& entities, std::string_view code);

// Sorts and removes repeats, as FlagDraft::evidence requires.
std::vector<uint64_t> SortedEvidence(std::vector<uint64_t> seqs);

// The region every flag falls back to when its subject has none (SPEC §4).
inline constexpr std::string_view kProvinceRegion = "430000";

// A supplier's registered region, or kProvinceRegion when it is unknown.
std::string SupplierRegion(const projections::EntityCatalog& entities,
                           std::string_view supplier_id);

// A campaign whose deadline the business clock has reached.
struct DueCampaign {
  std::string id;
  const projections::CampaignEntity* campaign = nullptr;  // in World::entities
  int32_t starts_day = 0;
  int32_t ends_day = 0;
  int32_t deadline_day = 0;  // ends_day + the rule's days
};

// The campaigns of a rule judged once per campaign (FP-08, FP-09, FP-14,
// FP-20) `days` after ends_on: once the business clock reaches
// ShanghaiDayEndMillis(ends_on + days). Each campaign is due once; a campaign defined
// after its deadline passed is due at the next clock movement.
class CampaignDeadlines {
 public:
  explicit CampaignDeadlines(int64_t days) : days_(days) {}

  // Campaigns newly due at world.clock_ms, in id order.
  std::vector<DueCampaign> Due(const World& world);
  // Whether `campaign_id` was judged already (its window is closed for the
  // rule).
  bool closed(std::string_view campaign_id) const { return closed_.contains(campaign_id); }

  // The campaigns judged so far, for the rule's saved state (Rule::SaveState).
  void SaveState(snapshot_io::Writer& out) const;
  void LoadState(snapshot_io::Reader& in);

 private:
  int64_t days_;
  std::set<std::string, std::less<>> closed_;
};

}  // namespace fupin::rules
