// Progress against the targets of campaign.defined (the seed's plan: sales,
// counters in total, in 长沙 and in every other 市州, a 专馆 in every 市州 and
// 县市区, 线下专区 in every 市州), and which regions fall short.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"
#include "projections/statistics_state.h"
#include "projections/statistics_table.h"

namespace fupin::projections {

struct TargetCheck {
  // sales_fen | counters_total | counters_by_region |
  // counters_min_per_prefecture | pavilions_min_per_region |
  // offline_zones_min_per_prefecture (the campaign.defined field checked)
  std::string target;
  std::string region;
  std::string name;
  RegionLevel level = RegionLevel::kProvince;
  int64_t required = 0;
  int64_t actual = 0;
  bool met() const { return actual >= required; }
};

struct TargetsReport {
  std::string campaign_id;
  uint64_t as_of = 0;
  // sales, counters in total, then per region (prefectures and counties in
  // table order) counters, pavilions and offline zones.
  std::vector<TargetCheck> checks;
  bool all_met() const;
};

// The checks of `campaign_id` at the state's position: sales_fen and
// counters_total against the province (合计) row; every region listed in
// counters_by_region against its figure; every other prefecture against
// counters_min_per_prefecture; every prefecture and county against
// pavilions_min_per_region; every prefecture against
// offline_zones_min_per_prefecture. kNotFound for an unknown campaign.
Result<TargetsReport> BuildTargets(const StatisticsState& state, std::string_view campaign_id);
// The same from an already built (unfiltered) table and the campaign's
// targets.
TargetsReport BuildTargets(const StatisticsTable& table, const CampaignTargets& targets);

}  // namespace fupin::projections
