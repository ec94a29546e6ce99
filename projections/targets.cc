#include "projections/targets.h"

#include <algorithm>
#include <map>

#include "ledger/event_types.h"

namespace fupin::projections {
namespace {

TargetCheck Check(std::string_view target, const StatisticsRow& row, int64_t required,
                  int64_t actual) {
  TargetCheck check;
  check.target = target;
  check.region = row.region;
  check.name = row.name;
  check.level = row.level;
  check.required = required;
  check.actual = actual;
  return check;
}

}  // namespace

bool TargetsReport::all_met() const {
  return std::all_of(checks.begin(), checks.end(), [](const TargetCheck& c) { return c.met(); });
}

TargetsReport BuildTargets(const StatisticsTable& table, const CampaignTargets& targets) {
  TargetsReport report;
  report.campaign_id = table.campaign_id;
  report.as_of = table.as_of;
  std::map<std::string, int64_t, std::less<>> by_region(targets.counters_by_region.begin(),
                                                        targets.counters_by_region.end());
  for (const StatisticsRow& row : table.rows) {
    if (row.level != RegionLevel::kProvince) continue;
    report.checks.push_back(Check("sales_fen", row, targets.sales_fen, row.sales_fen));
    report.checks.push_back(Check("counters_total", row, targets.counters_total, row.counters));
  }
  for (const StatisticsRow& row : table.rows) {
    if (auto named = by_region.find(row.region); named != by_region.end()) {
      report.checks.push_back(Check("counters_by_region", row, named->second, row.counters));
    } else if (row.level == RegionLevel::kPrefecture) {
      report.checks.push_back(Check("counters_min_per_prefecture", row,
                                    targets.counters_min_per_prefecture, row.counters));
    }
    if (row.level != RegionLevel::kProvince) {
      report.checks.push_back(
          Check("pavilions_min_per_region", row, targets.pavilions_min_per_region, row.pavilions));
    }
    if (row.level == RegionLevel::kPrefecture) {
      report.checks.push_back(Check("offline_zones_min_per_prefecture", row,
                                    targets.offline_zones_min_per_prefecture, row.offline_zones));
    }
  }
  return report;
}

Result<TargetsReport> BuildTargets(const StatisticsState& state, std::string_view campaign_id) {
  FUPIN_ASSIGN_OR_RETURN(StatisticsTable table, BuildStatisticsTable(state, campaign_id));
  for (const CampaignInfo& campaign : state.campaigns) {
    if (campaign.id == campaign_id) return BuildTargets(table, campaign.targets);
  }
  return Status(ErrorCode::kNotFound, "unknown campaign \"" + std::string(campaign_id) + "\"");
}

}  // namespace fupin::projections
