// RenderReportReviewXlsx: the 上报核对 workbook (libxlsxwriter).
#include <xlsxwriter.h>

#include <array>
#include <cstdio>
#include <string>

#include "projections/official_form.h"
#include "projections/report_review.h"
#include "projections/statistics_format.h"
#include "projections/xlsx_workbook.h"

namespace fupin::projections {
namespace {

inline constexpr std::array<std::string_view, 11> kReviewHeaders = {
    "市州", "报送序号", "市县",     "区划代码",        "指标", "上报",
    "账本", "差额",     "差额比例", "超出 FP-15 阈值", "预警"};
inline constexpr std::array<double, 11> kReviewWidths = {10, 10, 16, 10, 22, 14,
                                                         14, 14, 10, 14, 40};
// Fill of a difference FP-15 flags, and of one within its tolerance.
inline constexpr lxw_color_t kFiresFill = 0xF8CBAD;
inline constexpr lxw_color_t kWithinFill = 0xFFF2CC;

std::string FigureHeader(std::string_view column) {
  for (std::size_t i = 0; i < kFigureCount; ++i) {
    if (kFigureFields[i] == column) return std::string(kFormHeaders[kFirstFigureColumn + i]);
  }
  return std::string(column);
}

// Sales print in 万元 (the form's unit), the rest as counts.
std::string FigureText(std::string_view column, int64_t value) {
  return column == "sales_fen" ? FormatWanYuan(value) : std::to_string(value);
}

// difference / projected as a percentage with one decimal, "" for 0.
std::string Share(const ColumnDifference& d) {
  if (d.projected == 0) return d.difference == 0 ? "0.0%" : "—";
  const long double percent = static_cast<long double>(d.difference) * 100 / d.projected;
  char text[32];
  std::snprintf(text, sizeof text, "%.1Lf%%", percent);
  return text;
}

void WriteSheet(lxw_workbook* workbook, const ReportReview& review) {
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "上报核对");
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* plain = workbook_add_format(workbook);
  format_set_border(plain, LXW_BORDER_THIN);
  lxw_format* fires = workbook_add_format(workbook);
  format_set_border(fires, LXW_BORDER_THIN);
  format_set_bg_color(fires, kFiresFill);
  lxw_format* within = workbook_add_format(workbook);
  format_set_border(within, LXW_BORDER_THIN);
  format_set_bg_color(within, kWithinFill);
  lxw_format* title = workbook_add_format(workbook);
  format_set_bold(title);
  format_set_font_size(title, 14);

  char tolerance[32];
  std::snprintf(tolerance, sizeof tolerance, "%lld.%02lld%%",
                static_cast<long long>(review.tolerance_bp / 100),
                static_cast<long long>(review.tolerance_bp % 100));
  const std::string heading = FormTitle(review.campaign_name) + " 上报核对（截至账本序号 " +
                              std::to_string(review.as_of) + "，销售与覆盖人口容差 " + tolerance +
                              "）";
  worksheet_write_string(sheet, 0, 0, heading.c_str(), title);
  for (lxw_col_t c = 0; c < kReviewHeaders.size(); ++c) {
    worksheet_set_column(sheet, c, c, kReviewWidths[c], nullptr);
    worksheet_write_string(sheet, 1, c, std::string(kReviewHeaders[c]).c_str(), header);
  }
  worksheet_freeze_panes(sheet, 2, 0);
  auto name_of = [&](const std::string& code) {
    auto found = review.names.find(code);
    return found == review.names.end() ? code : found->second;
  };
  lxw_row_t r = 2;
  for (const ReviewedReport& report : review.reports) {
    for (const ReconciledRow& row : report.rows) {
      for (const ColumnDifference& d : Differences(row)) {
        const bool fire = ColumnFires(d, review.tolerance_bp);
        lxw_format* f = fire ? fires : d.difference != 0 ? within : plain;
        const std::array<std::string, 11> cells = {
            name_of(report.region),
            std::to_string(report.seq),
            row.region_known ? name_of(row.submitted.region) : row.submitted.region + "（未知）",
            row.submitted.region,
            FigureHeader(d.column),
            FigureText(d.column, d.submitted),
            FigureText(d.column, d.projected),
            FigureText(d.column, d.difference),
            Share(d),
            fire ? "是" : "否",
            fire && report.flag_id ? *report.flag_id : ""};
        for (lxw_col_t c = 0; c < cells.size(); ++c) {
          worksheet_write_string(sheet, r, c, cells[c].c_str(), c >= 5 ? f : plain);
        }
        ++r;
      }
    }
  }
  if (r > 2) worksheet_autofilter(sheet, 1, 0, r - 1, kReviewHeaders.size() - 1);
}

}  // namespace

Result<std::string> RenderReportReviewXlsx(const ReportReview& review) {
  return RenderWorkbook([&review](lxw_workbook* workbook) { WriteSheet(workbook, review); });
}

}  // namespace fupin::projections
