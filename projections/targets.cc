#include "projections/targets.h"

#include <algorithm>
#include <boost/json/array.hpp>
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

// actual / required in percent, two decimals, floored; exact in integers
// (figures stay below 2^53, so * 10000 fits in int64 for any real target).
std::string ProgressPercent(int64_t actual, int64_t required) {
  if (required <= 0) return "100.00";
  const int64_t basis_points = std::max<int64_t>(0, actual) * 10'000 / required;
  std::string fraction = std::to_string(basis_points % 100);
  if (fraction.size() < 2) fraction.insert(0, "0");
  return std::to_string(basis_points / 100) + "." + fraction;
}

boost::json::object CheckJson(const TargetCheck& check) {
  boost::json::object out;
  out["target"] = check.target;
  out["region"] = check.region;
  out["name"] = check.name;
  out["level"] = RegionLevelName(check.level);
  out["required"] = check.required;
  out["actual"] = check.actual;
  out["met"] = check.met();
  out["progress_percent"] = ProgressPercent(check.actual, check.required);
  return out;
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
  Result<StatisticsTable> table = BuildStatisticsTable(state, campaign_id);
  if (!table.ok()) return table.status();
  for (const CampaignInfo& campaign : state.campaigns) {
    if (campaign.id == campaign_id) return BuildTargets(*table, campaign.targets);
  }
  return Status(ErrorCode::kNotFound, "unknown campaign \"" + std::string(campaign_id) + "\"");
}

boost::json::object TargetsJson(const TargetsReport& report) {
  boost::json::array checks;
  boost::json::array shortfalls;
  for (const TargetCheck& check : report.checks) {
    checks.push_back(CheckJson(check));
    if (!check.met()) shortfalls.push_back(CheckJson(check));
  }
  boost::json::object out;
  out["campaign"] = report.campaign_id;
  out["as_of"] = static_cast<int64_t>(report.as_of);
  out["met"] = report.all_met();
  out["checks"] = std::move(checks);
  out["shortfalls"] = std::move(shortfalls);
  return out;
}

}  // namespace fupin::projections
