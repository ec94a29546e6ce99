// The official form (附件统计表, SPEC §3), one layout for the statistics
// export and for the blank template a 市州 fills in: the title, one header
// row of eleven columns (序号, 市县, the eight figures with their units,
// 备注), a 区划代码 column after 备注 so that a filled form reads back
// without ambiguity, 合计 first, each 市州 followed by its 县市区, and the
// 备注 line under the table (汇总盖章, the reporting deadline).
//
// Pure functions and plain values; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/entity_state.h"
#include "ledger/status.h"
#include "projections/statistics_table.h"

namespace fupin::projections {

// The header row, in order and wording (SPEC §3), then 区划代码.
inline constexpr std::array<std::string_view, 12> kFormHeaders = {"序号",
                                                                  "市县",
                                                                  "设立线上专区数(个)",
                                                                  "设立线下专区数(个)",
                                                                  "设立专馆数(个)",
                                                                  "设立专柜数(个)",
                                                                  "开设直播基地(个)",
                                                                  "举办大型产销活动(场)",
                                                                  "销售扶贫产品(万元)",
                                                                  "覆盖贫困人口(人)",
                                                                  "备注",
                                                                  "区划代码"};
inline constexpr std::size_t kIndexColumn = 0;
inline constexpr std::size_t kNameColumn = 1;
inline constexpr std::size_t kFirstFigureColumn = 2;
inline constexpr std::size_t kFigureCount = 8;
inline constexpr std::size_t kRemarkColumn = 10;
inline constexpr std::size_t kCodeColumn = 11;
// The figures' report.submitted / GET /v1/stats field names, in column
// order (kFormHeaders[kFirstFigureColumn + i] heads kFigureFields[i]).
inline constexpr std::array<std::string_view, kFigureCount> kFigureFields = {
    "online_zones",     "offline_zones", "pavilions", "counters",
    "livestream_bases", "promotions",    "sales_fen", "poor_people_covered"};
// The one figure in 万元 (two decimals); the others are counts.
inline constexpr std::size_t kSalesFigure = 6;

// The eight figures of a row, in column order (sales in fen).
using FormFigures = std::array<int64_t, kFigureCount>;

struct FormRow {
  std::string index;  // 序号: blank for 合计, 1, 2, ... below
  std::string label;  // 市县: 合计 or the region's name
  std::string code;   // 区划代码
  RegionLevel level = RegionLevel::kCounty;
  std::optional<FormFigures> figures;  // nullopt: blank cells (the template)
  std::string remark;                  // 备注
};

struct OfficialForm {
  std::string title;
  std::vector<FormRow> rows;
  std::string note;  // the 备注 line under the table
};

// "<campaign name>活动开展情况统计表" with the seed's typesetting (a space
// between Han characters and a run of digits): "湖南省2020年消费扶贫月" ->
// "湖南省 2020 年消费扶贫月活动开展情况统计表". A name already ending in 活动
// gets 开展情况统计表.
std::string FormTitle(std::string_view campaign_name);

// The 备注 line: the 市州 stamp the summed form and report it to the
// province by the ninth day after the campaign ends (10月9日 for a campaign
// ending 9月30日, as in the seed). `ends_on` is YYYY-MM-DD; kInvalidArgument
// otherwise.
Result<std::string> FormNote(std::string_view ends_on);

// The figures of a statistics row, in column order.
FormFigures FiguresOf(const StatisticsRow& row);

// The statistics table as the official form: every row with its figures,
// 合计 for the first row of the table (the province, or the one region a
// filtered table starts at), 序号 counting the rest.
Result<OfficialForm> StatisticsForm(const StatisticsTable& table);

// The form as CSV: UTF-8 with a BOM (so Excel opens the Chinese correctly),
// CRLF line ends, RFC 4180 quoting; the title line, the header line, one
// line per row, the 备注 line. Blank figures stay empty.
std::string RenderFormCsv(const OfficialForm& form);

// The form as an .xlsx workbook (one sheet, kFormSheetName), as bytes:
// title merged over the eleven columns, bordered cells, counts as integers
// and sales as numbers with two decimals, the 备注 line merged under the
// table. Blank figure cells carry data validation (counts: whole numbers ≥
// 0; sales: decimals ≥ 0), so a spreadsheet refuses a bad entry as typed.
// libxlsxwriter writes to a file, so this goes through a private temp file.
// Errors: kIoError when the temp file cannot be written or read.
inline constexpr std::string_view kFormSheetName = "统计表";
Result<std::string> RenderFormXlsx(const OfficialForm& form);

}  // namespace fupin::projections
