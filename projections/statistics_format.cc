#include "projections/statistics_format.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>

#include "ledger/event_types.h"

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

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

void AppendCsvField(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string FormatWanYuan(int64_t fen) {
  // Round half away from zero: |fen| + half a unit, then truncate.
  const int64_t half = kFenPerHundredthWan / 2;
  const int64_t hundredths =
      fen >= 0 ? (fen + half) / kFenPerHundredthWan : -((-fen + half) / kFenPerHundredthWan);
  return FormatHundredths(hundredths);
}

std::string TableTitle(const StatisticsTable& table) {
  return table.campaign_name + (EndsWith(table.campaign_name, "活动") ? "统计表" : "活动统计表");
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
  std::string out = "\xEF\xBB\xBF";  // UTF-8 BOM
  AppendCsvField(out, TableTitle(table));
  out += "\r\n";
  for (std::size_t i = 0; i < kTableHeaders.size(); ++i) {
    if (i > 0) out += ',';
    out += kTableHeaders[i];
  }
  out += "\r\n";
  for (const StatisticsRow& row : table.rows) {
    AppendCsvField(out, RowLabel(row));
    for (int64_t count : {row.online_zones, row.offline_zones, row.pavilions, row.counters,
                          row.livestream_bases, row.promotions}) {
      out += ',';
      out += std::to_string(count);
    }
    out += ',';
    out += FormatWanYuan(row.sales_fen);
    out += ',';
    out += std::to_string(row.poor_people_covered);
    out += ',';
    AppendCsvField(out, RowRemark(table, row));
    out += "\r\n";
  }
  return out;
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
