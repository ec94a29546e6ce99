#include "projections/statistics_format.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>

#include "ledger/event_types.h"
#include "projections/official_form.h"

namespace fupin::projections {
namespace {

// 1 万元 = 10,000 元 = 1,000,000 fen; two decimals are units of 10,000 fen.
inline constexpr int64_t kFenPerHundredthWan = 10'000;

std::string FormatHundredths(int64_t hundredths) {
  const bool negative = hundredths < 0;
  const uint64_t magnitude = negative ? uint64_t{0} - static_cast<uint64_t>(hundredths)
                                      : static_cast<uint64_t>(hundredths);
  std::string fraction = std::to_string(magnitude % 100);
  if (fraction.size() < 2) fraction.insert(0, "0");
  return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + fraction;
}

}  // namespace

std::string FormatWanYuan(int64_t fen) {
  // Round half away from zero: |fen| + half a unit, then truncate.
  const int64_t half = kFenPerHundredthWan / 2;
  const int64_t hundredths =
      fen >= 0 ? (fen + half) / kFenPerHundredthWan : -((-fen + half) / kFenPerHundredthWan);
  return FormatHundredths(hundredths);
}

std::string RowLabel(const StatisticsRow& row) {
  return row.level == RegionLevel::kProvince ? "合计" : row.name;
}

std::string RowRemark(const StatisticsTable& table, const StatisticsRow& row) {
  if (row.level != RegionLevel::kProvince) return "";
  return "统计期 " + table.starts_on + " 至 " + table.ends_on + "，截至账本序号 " +
         std::to_string(table.as_of);
}

boost::json::object StatisticsJson(const StatisticsTable& table) {
  boost::json::array rows;
  rows.reserve(table.rows.size());
  for (const StatisticsRow& row : table.rows) {
    boost::json::object r;
    r["region"] = row.region;
    r["name"] = row.name;
    r["level"] = RegionLevelName(row.level);
    r["online_zones"] = row.online_zones;
    r["offline_zones"] = row.offline_zones;
    r["pavilions"] = row.pavilions;
    r["counters"] = row.counters;
    r["livestream_bases"] = row.livestream_bases;
    r["promotions"] = row.promotions;
    r["sales_fen"] = row.sales_fen;
    r["sales_wan_yuan"] = FormatWanYuan(row.sales_fen);
    r["poor_people_covered"] = row.poor_people_covered;
    rows.push_back(std::move(r));
  }
  boost::json::object out;
  out["campaign"] = table.campaign_id;
  out["as_of"] = static_cast<int64_t>(table.as_of);
  out["rows"] = std::move(rows);
  return out;
}

std::string RenderStatisticsJson(const StatisticsTable& table) {
  return boost::json::serialize(StatisticsJson(table));
}

std::string RenderStatisticsCsv(const StatisticsTable& table) {
  Result<OfficialForm> form = StatisticsForm(table);
  // A table's ends_on is a validated campaign date, so the form always builds.
  return form.ok() ? RenderFormCsv(*form) : std::string();
}

Result<std::string> RenderStatisticsXlsx(const StatisticsTable& table) {
  FUPIN_ASSIGN_OR_RETURN(OfficialForm form, StatisticsForm(table));
  return RenderFormXlsx(form);
}

std::optional<StatsFormat> ParseStatsFormat(std::string_view name) {
  if (name == "json") return StatsFormat::kJson;
  if (name == "csv") return StatsFormat::kCsv;
  if (name == "xlsx") return StatsFormat::kXlsx;
  return std::nullopt;
}

std::string_view StatsContentType(StatsFormat format) {
  switch (format) {
    case StatsFormat::kJson:
      return "application/json";
    case StatsFormat::kCsv:
      return "text/csv; charset=utf-8";
    case StatsFormat::kXlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  return "application/octet-stream";
}

Result<std::string> RenderStatistics(const StatisticsTable& table, StatsFormat format) {
  switch (format) {
    case StatsFormat::kJson:
      return RenderStatisticsJson(table);
    case StatsFormat::kCsv:
      return RenderStatisticsCsv(table);
    case StatsFormat::kXlsx:
      return RenderStatisticsXlsx(table);
  }
  return Status(ErrorCode::kInvalidArgument, "unknown statistics format");
}

}  // namespace fupin::projections
