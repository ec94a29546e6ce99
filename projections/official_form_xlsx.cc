// RenderFormXlsx: the libxlsxwriter room.
#include <xlsxwriter.h>

#include <charconv>
#include <string>

#include "projections/official_form.h"
#include "projections/statistics_format.h"
#include "projections/xlsx_workbook.h"

namespace fupin::projections {
namespace {

// Column widths in Excel character units: wide enough for the longest
// county name (7 汉字 ≈ 14 units) and the longest header.
inline constexpr double kIndexColumnWidth = 6;
inline constexpr double kNameColumnWidth = 18;
inline constexpr double kFigureColumnWidth = 14;
inline constexpr double kRemarkColumnWidth = 36;
inline constexpr double kCodeColumnWidth = 10;
inline constexpr double kNoteRowHeight = 36;
inline constexpr lxw_row_t kTitleRow = 0;
inline constexpr lxw_row_t kHeaderRow = 1;
inline constexpr lxw_row_t kFirstDataRow = 2;
// The largest figure a data validation accepts: well inside the ledger's
// integers (2^53 - 1) and any real campaign.
inline constexpr double kLargestFigure = 1e12;

// The exact decimal of FormatWanYuan as a number for Excel: the nearest
// double to a 2-decimal value prints back as that value.
double WanYuanNumber(int64_t fen) {
  const std::string text = FormatWanYuan(fen);
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

struct Formats {
  lxw_format* title;
  lxw_format* header;
  lxw_format* text;
  lxw_format* county_name;
  lxw_format* count;
  lxw_format* money;
  lxw_format* note;
};

Formats MakeFormats(lxw_workbook* workbook) {
  auto bordered = [workbook] {
    lxw_format* f = workbook_add_format(workbook);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
  };
  Formats f{};
  f.title = workbook_add_format(workbook);
  format_set_bold(f.title);
  format_set_font_size(f.title, 16);
  format_set_align(f.title, LXW_ALIGN_CENTER);
  format_set_align(f.title, LXW_ALIGN_VERTICAL_CENTER);
  f.header = bordered();
  format_set_bold(f.header);
  format_set_text_wrap(f.header);
  format_set_align(f.header, LXW_ALIGN_CENTER);
  f.text = bordered();
  f.county_name = bordered();
  format_set_indent(f.county_name, 1);
  f.count = bordered();
  format_set_num_format(f.count, "0");
  f.money = bordered();
  format_set_num_format(f.money, "0.00");
  f.note = workbook_add_format(workbook);
  format_set_text_wrap(f.note);
  format_set_align(f.note, LXW_ALIGN_VERTICAL_TOP);
  return f;
}

// What a spreadsheet accepts in a blank figure cell as it is typed.
void ValidateFigures(lxw_worksheet* sheet, lxw_row_t first, lxw_row_t last) {
  lxw_data_validation counts{};
  counts.validate = LXW_VALIDATION_TYPE_INTEGER;
  counts.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
  counts.minimum_number = 0;
  counts.maximum_number = kLargestFigure;
  counts.error_title = const_cast<char*>("填写有误");
  counts.error_message = const_cast<char*>("请填写不小于 0 的整数");
  lxw_data_validation money = counts;
  money.validate = LXW_VALIDATION_TYPE_DECIMAL;
  money.error_message = const_cast<char*>("请填写不小于 0 的金额（万元，最多两位小数）");
  for (std::size_t i = 0; i < kFigureCount; ++i) {
    const auto column = static_cast<lxw_col_t>(kFirstFigureColumn + i);
    worksheet_data_validation_range(sheet, first, column, last, column,
                                    i == kSalesFigure ? &money : &counts);
  }
}

void WriteSheet(lxw_workbook* workbook, const OfficialForm& form) {
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, std::string(kFormSheetName).c_str());
  const Formats f = MakeFormats(workbook);
  const auto remark = static_cast<lxw_col_t>(kRemarkColumn);
  const auto code = static_cast<lxw_col_t>(kCodeColumn);
  worksheet_set_column(sheet, kIndexColumn, kIndexColumn, kIndexColumnWidth, nullptr);
  worksheet_set_column(sheet, kNameColumn, kNameColumn, kNameColumnWidth, nullptr);
  worksheet_set_column(sheet, kFirstFigureColumn, remark - 1, kFigureColumnWidth, nullptr);
  worksheet_set_column(sheet, remark, remark, kRemarkColumnWidth, nullptr);
  worksheet_set_column(sheet, code, code, kCodeColumnWidth, nullptr);
  worksheet_merge_range(sheet, kTitleRow, 0, kTitleRow, remark, form.title.c_str(), f.title);
  for (lxw_col_t c = 0; c <= code; ++c) {
    worksheet_write_string(sheet, kHeaderRow, c, std::string(kFormHeaders[c]).c_str(), f.header);
  }
  worksheet_freeze_panes(sheet, kFirstDataRow, kFirstFigureColumn);
  lxw_row_t r = kFirstDataRow;
  for (const FormRow& row : form.rows) {
    worksheet_write_string(sheet, r, kIndexColumn, row.index.c_str(), f.text);
    worksheet_write_string(sheet, r, kNameColumn, row.label.c_str(),
                           row.level == RegionLevel::kCounty ? f.county_name : f.text);
    for (std::size_t i = 0; i < kFigureCount; ++i) {
      const auto c = static_cast<lxw_col_t>(kFirstFigureColumn + i);
      lxw_format* format = i == kSalesFigure ? f.money : f.count;
      if (!row.figures) {
        worksheet_write_blank(sheet, r, c, format);
      } else if (i == kSalesFigure) {
        worksheet_write_number(sheet, r, c, WanYuanNumber((*row.figures)[i]), format);
      } else {
        worksheet_write_number(sheet, r, c, static_cast<double>((*row.figures)[i]), format);
      }
    }
    worksheet_write_string(sheet, r, remark, row.remark.c_str(), f.text);
    worksheet_write_string(sheet, r, code, row.code.c_str(), f.text);
    ++r;
  }
  if (r > kFirstDataRow) ValidateFigures(sheet, kFirstDataRow, r - 1);
  const lxw_row_t note = r + 1;  // one blank row between the table and the note
  worksheet_set_row(sheet, note, kNoteRowHeight, nullptr);
  worksheet_merge_range(sheet, note, 0, note, remark, form.note.c_str(), f.note);
}

}  // namespace

Result<std::string> RenderFormXlsx(const OfficialForm& form) {
  return RenderWorkbook([&form](lxw_workbook* workbook) { WriteSheet(workbook, form); });
}

}  // namespace fupin::projections
