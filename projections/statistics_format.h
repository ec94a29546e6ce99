// The statistics table as served and exported: the SPEC §3 JSON (contract),
// and the seed's 附件统计表 (projections/official_form.h) as CSV and XLSX.
//
// Pure functions of a StatisticsTable (already filtered), thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/status.h"
#include "projections/statistics_table.h"

namespace fupin::projections {

// Fen as 万元 with two decimals ("12345.67"; 1 万元 = 1,000,000 fen), rounded
// half away from zero to 0.01 万元 (四舍五入), in integer arithmetic.
std::string FormatWanYuan(int64_t fen);

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

// The table as the official form (projections/official_form.h), as CSV.
std::string RenderStatisticsCsv(const StatisticsTable& table);

enum class StatsFormat { kJson, kCsv, kXlsx };
// "json" / "csv" / "xlsx"; nullopt otherwise.
std::optional<StatsFormat> ParseStatsFormat(std::string_view name);
// The HTTP Content-Type of each format.
std::string_view StatsContentType(StatsFormat format);
// The table in `format` (RenderStatisticsJson/Csv/Xlsx).
Result<std::string> RenderStatistics(const StatisticsTable& table, StatsFormat format);

// The table as the official form, as an .xlsx workbook (RenderFormXlsx).
// Errors: kIoError when the temp file cannot be written or read.
Result<std::string> RenderStatisticsXlsx(const StatisticsTable& table);

}  // namespace fupin::projections
