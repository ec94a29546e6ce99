// The statistics table as served and exported: the SPEC §3 JSON (contract),
// and the seed's 附件统计表 as CSV and XLSX (title, the seed's headers, 合计
// first, each 市州 followed by its 县市区, sales in 万元 with 2 decimals).
//
// Pure functions of a StatisticsTable (already filtered), thread-safe.
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/status.h"
#include "projections/statistics_table.h"

namespace fupin::projections {

// The seed's column headers, in order (SPEC §1 plus 备注).
inline constexpr std::array<std::string_view, 10> kTableHeaders = {
    "市县",     "线上专区数",       "线下专区数",         "专馆数",           "专柜数",
    "直播基地", "大型产销活动(场)", "销售扶贫产品(万元)", "覆盖贫困人口(人)", "备注"};

// Fen as 万元 with two decimals ("12345.67"; 1 万元 = 1,000,000 fen), rounded
// half away from zero to 0.01 万元 (四舍五入), in integer arithmetic.
std::string FormatWanYuan(int64_t fen);

// "<campaign name>活动统计表" ("湖南省消费扶贫月" -> "湖南省消费扶贫月活动统计表"); a
// name already ending in 活动 only gets 统计表.
std::string TableTitle(const StatisticsTable& table);
// The 市县 cell of a row: "合计" for the province (the seed's total row),
// the region's name otherwise.
std::string RowLabel(const StatisticsRow& row);
// The 备注 of a row: the province row states the window and the seq the
// figures are as of, so a printed table says what it reproduces; other
// rows are blank.
std::string RowRemark(const StatisticsTable& table, const StatisticsRow& row);

// {"campaign","as_of","rows":[{"region","name","level","online_zones",
//  "offline_zones","pavilions","counters","livestream_bases","promotions",
//  "sales_fen","sales_wan_yuan","poor_people_covered"}...]} (SPEC §3).
boost::json::object StatisticsJson(const StatisticsTable& table);
std::string RenderStatisticsJson(const StatisticsTable& table);

// UTF-8 with a BOM (so Excel opens the Chinese correctly), CRLF line ends,
// RFC 4180 quoting: a title line, the header line, one line per row.
std::string RenderStatisticsCsv(const StatisticsTable& table);

enum class StatsFormat { kJson, kCsv, kXlsx };
// "json" / "csv" / "xlsx"; nullopt otherwise.
std::optional<StatsFormat> ParseStatsFormat(std::string_view name);
// The HTTP Content-Type of each format.
std::string_view StatsContentType(StatsFormat format);
// The table in `format` (RenderStatisticsJson/Csv/Xlsx).
Result<std::string> RenderStatistics(const StatisticsTable& table, StatsFormat format);

// The same table as an .xlsx workbook (one sheet, "统计表"), as bytes.
// libxlsxwriter writes to a file, so this goes through a private temp file.
// Errors: kIoError when the temp file cannot be written or read.
Result<std::string> RenderStatisticsXlsx(const StatisticsTable& table);

}  // namespace fupin::projections
