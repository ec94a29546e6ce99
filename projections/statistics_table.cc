#include "projections/statistics_table.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace fupin::projections {
namespace {

// Regions in table order: roots by code, each followed by its subtree,
// children by code.
std::vector<uint32_t> TableOrder(const StatisticsState& state) {
  std::vector<std::vector<uint32_t>> children(state.regions.size());
  std::vector<uint32_t> roots;
  // region_index iterates by code, so every child list comes out sorted.
  for (const auto& [code, index] : state.region_index) {
    uint32_t parent = state.regions[index].parent;
    (parent == kNoIndex ? roots : children[parent]).push_back(index);
  }
  std::vector<uint32_t> order;
  order.reserve(state.regions.size());
  std::vector<uint32_t> stack(roots.rbegin(), roots.rend());
  while (!stack.empty()) {
    uint32_t index = stack.back();
    stack.pop_back();
    order.push_back(index);
    stack.insert(stack.end(), children[index].rbegin(), children[index].rend());
  }
  return order;
}

// The region and its ancestors, the region first.
template <typename Fn>
void ForSelfAndAncestors(const StatisticsState& state, uint32_t region, Fn fn) {
  for (uint32_t r = region; r != kNoIndex; r = state.regions[r].parent) fn(r);
}

// Summed members of the distinct registered households claimed by products
// with a counted sale under each region (index = region index).
std::vector<int64_t> Coverage(const StatisticsState& state, const CampaignTally& tally) {
  const std::size_t regions = state.regions.size();
  std::vector<std::vector<uint32_t>> households(regions);
  // Per product: the rows it has a counted sale under, each once.
  std::vector<uint32_t> stamp(regions, kNoIndex);
  for (uint32_t p = 0; p < tally.counted.size(); ++p) {
    const std::vector<uint32_t>& claimed = state.products[p].households;
    if (claimed.empty()) continue;
    for (const auto& [region, count] : tally.counted[p]) {
      if (count <= 0) continue;
      ForSelfAndAncestors(state, region, [&](uint32_t row) {
        if (stamp[row] == p) return;
        stamp[row] = p;
        households[row].insert(households[row].end(), claimed.begin(), claimed.end());
      });
    }
  }
  std::vector<int64_t> covered(regions, 0);
  for (std::size_t row = 0; row < regions; ++row) {
    std::vector<uint32_t>& list = households[row];
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    for (uint32_t h : list) {
      const HouseholdFact& household = state.households[h];
      if (household.registered != 0) covered[row] += household.members;
    }
  }
  return covered;
}

}  // namespace

Result<StatisticsTable> BuildStatisticsTable(const StatisticsState& state,
                                             std::string_view campaign_id) {
  std::size_t c = 0;
  while (c < state.campaigns.size() && state.campaigns[c].id != campaign_id) ++c;
  if (c == state.campaigns.size()) {
    return Status(ErrorCode::kNotFound, "unknown campaign \"" + std::string(campaign_id) + "\"");
  }
  const CampaignInfo& campaign = state.campaigns[c];
  const CampaignTally& tally = state.tallies[c];

  const std::size_t regions = state.regions.size();
  std::vector<StatisticsRow> by_region(regions);
  for (uint32_t r = 0; r < regions; ++r) {
    const RegionNode& node = state.regions[r];
    StatisticsRow& row = by_region[r];
    row.region = node.code;
    row.name = node.name;
    row.level = node.level;
    if (node.parent != kNoIndex) row.parent = state.regions[node.parent].code;
  }
  for (uint32_t r = 0; r < regions; ++r) {
    const auto& outlets = tally.outlets[r];
    ForSelfAndAncestors(state, r, [&](uint32_t row_index) {
      StatisticsRow& row = by_region[row_index];
      row.counters += outlets[static_cast<std::size_t>(OutletKind::kCounter)];
      row.pavilions += outlets[static_cast<std::size_t>(OutletKind::kPavilion)];
      row.online_zones += outlets[static_cast<std::size_t>(OutletKind::kZoneOnline)];
      row.offline_zones += outlets[static_cast<std::size_t>(OutletKind::kZoneOffline)];
      row.livestream_bases += outlets[static_cast<std::size_t>(OutletKind::kLivestreamBase)];
      row.promotions += tally.promotions[r];
      row.sales_fen += tally.sales_fen[r];
    });
  }
  std::vector<int64_t> covered = Coverage(state, tally);
  for (uint32_t r = 0; r < regions; ++r) by_region[r].poor_people_covered = covered[r];

  StatisticsTable table;
  table.campaign_id = campaign.id;
  table.campaign_name = campaign.name;
  table.starts_on = campaign.starts_on;
  table.ends_on = campaign.ends_on;
  table.as_of = state.position == 0 ? 0 : state.position - 1;
  for (uint32_t r : TableOrder(state)) table.rows.push_back(std::move(by_region[r]));
  return table;
}

Result<StatisticsTable> FilterRows(StatisticsTable table, const RowFilter& filter) {
  std::set<std::string, std::less<>> kept_regions;
  if (!filter.region.empty()) {
    bool found = false;
    // Rows come parents first, so a row is under the filter region exactly
    // when it is that region or its parent already is.
    for (const StatisticsRow& row : table.rows) {
      if (row.region == filter.region || kept_regions.contains(row.parent)) {
        kept_regions.insert(row.region);
        found = found || row.region == filter.region;
      }
    }
    if (!found) {
      return Status(ErrorCode::kNotFound, "no region " + filter.region + " in the table");
    }
  }
  std::vector<StatisticsRow> rows;
  for (StatisticsRow& row : table.rows) {
    if (!filter.region.empty() && !kept_regions.contains(row.region)) continue;
    if (filter.level && row.level != *filter.level) continue;
    rows.push_back(std::move(row));
  }
  table.rows = std::move(rows);
  return table;
}

std::optional<RegionLevel> ParseRegionLevel(std::string_view name) {
  if (name == "province") return RegionLevel::kProvince;
  if (name == "prefecture") return RegionLevel::kPrefecture;
  if (name == "county") return RegionLevel::kCounty;
  return std::nullopt;
}

}  // namespace fupin::projections
