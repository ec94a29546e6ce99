// The 附件统计表 of one campaign, computed from the statistics state: one
// row per region (合计 = the province, every 市州, every 县市区), in the
// seed's order: the province first, then each prefecture followed by its
// counties, by code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/entity_state.h"
#include "ledger/status.h"
#include "projections/statistics_state.h"

namespace fupin::projections {

struct StatisticsRow {
  std::string region;  // code
  std::string name;
  RegionLevel level = RegionLevel::kCounty;
  std::string parent;  // code, empty for the province
  int64_t online_zones = 0;
  int64_t offline_zones = 0;
  int64_t pavilions = 0;
  int64_t counters = 0;
  int64_t livestream_bases = 0;
  int64_t promotions = 0;
  int64_t sales_fen = 0;
  int64_t poor_people_covered = 0;
};

struct StatisticsTable {
  std::string campaign_id;
  std::string campaign_name;
  std::string starts_on;
  std::string ends_on;
  uint64_t as_of = 0;  // the last seq folded in
  std::vector<StatisticsRow> rows;
};

// Which rows to keep: `region` keeps that region and everything below it
// (empty: all); `level` keeps rows of that level. Both may be combined.
struct RowFilter {
  std::string region;
  std::optional<RegionLevel> level;
};

// The table of `campaign_id` as of the state's position (as_of = position
// - 1). Errors: kNotFound for a campaign not defined at that position.
Result<StatisticsTable> BuildStatisticsTable(const StatisticsState& state,
                                             std::string_view campaign_id);

// The rows of `table` that pass `filter`, in order. kNotFound when
// filter.region is not a region of the table.
Result<StatisticsTable> FilterRows(StatisticsTable table, const RowFilter& filter);

// "province" / "prefecture" / "county" -> level; nullopt otherwise.
std::optional<RegionLevel> ParseRegionLevel(std::string_view name);

}  // namespace fupin::projections
