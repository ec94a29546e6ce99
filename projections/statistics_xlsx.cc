// RenderStatisticsXlsx: the libxlsxwriter room.
#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "projections/statistics_format.h"

namespace fupin::projections {
namespace {

// Column widths in Excel character units: wide enough for the longest
// county name (7 汉字 ≈ 14 units) and the longest header.
inline constexpr double kNameColumnWidth = 18;
inline constexpr double kFigureColumnWidth = 14;
inline constexpr double kRemarkColumnWidth = 44;
inline constexpr lxw_row_t kTitleRow = 0;
inline constexpr lxw_row_t kHeaderRow = 1;
inline constexpr lxw_row_t kFirstDataRow = 2;

// Removes the temp file however the rendering ends.
class TempFile {
 public:
  TempFile() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "fupin-stats-XXXXXX.xlsx").string();
    int fd = mkstemps(pattern.data(), 5);
    if (fd >= 0) {
      close(fd);
      path_ = pattern;
    }
  }
  ~TempFile() {
    if (!path_.empty()) {
      std::error_code ec;
      std::filesystem::remove(path_, ec);
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct WorkbookCloser {
  void operator()(lxw_workbook* workbook) const {
    if (workbook != nullptr) workbook_close(workbook);
  }
};

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
  lxw_format* name;
  lxw_format* county_name;
  lxw_format* count;
  lxw_format* money;
  lxw_format* remark;
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
  f.name = bordered();
  f.county_name = bordered();
  format_set_indent(f.county_name, 1);
  f.count = bordered();
  format_set_num_format(f.count, "0");
  f.money = bordered();
  format_set_num_format(f.money, "0.00");
  f.remark = bordered();
  return f;
}

void WriteSheet(lxw_workbook* workbook, const StatisticsTable& table) {
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "统计表");
  const Formats f = MakeFormats(workbook);
  const auto last_column = static_cast<lxw_col_t>(kTableHeaders.size() - 1);
  worksheet_set_column(sheet, 0, 0, kNameColumnWidth, nullptr);
  worksheet_set_column(sheet, 1, last_column - 1, kFigureColumnWidth, nullptr);
  worksheet_set_column(sheet, last_column, last_column, kRemarkColumnWidth, nullptr);
  worksheet_merge_range(sheet, kTitleRow, 0, kTitleRow, last_column, TableTitle(table).c_str(),
                        f.title);
  for (lxw_col_t c = 0; c <= last_column; ++c) {
    worksheet_write_string(sheet, kHeaderRow, c, std::string(kTableHeaders[c]).c_str(), f.header);
  }
  worksheet_freeze_panes(sheet, kFirstDataRow, 1);
  lxw_row_t r = kFirstDataRow;
  for (const StatisticsRow& row : table.rows) {
    lxw_format* name = row.level == RegionLevel::kCounty ? f.county_name : f.name;
    worksheet_write_string(sheet, r, 0, RowLabel(row).c_str(), name);
    lxw_col_t c = 1;
    for (int64_t count : {row.online_zones, row.offline_zones, row.pavilions, row.counters,
                          row.livestream_bases, row.promotions}) {
      worksheet_write_number(sheet, r, c++, static_cast<double>(count), f.count);
    }
    worksheet_write_number(sheet, r, c++, WanYuanNumber(row.sales_fen), f.money);
    worksheet_write_number(sheet, r, c++, static_cast<double>(row.poor_people_covered), f.count);
    worksheet_write_string(sheet, r, c, RowRemark(table, row).c_str(), f.remark);
    ++r;
  }
}

}  // namespace

Result<std::string> RenderStatisticsXlsx(const StatisticsTable& table) {
  TempFile file;
  if (file.path().empty()) {
    return Status(ErrorCode::kIoError, "cannot create a temp file for the xlsx workbook");
  }
  std::unique_ptr<lxw_workbook, WorkbookCloser> workbook(workbook_new(file.path().c_str()));
  if (workbook == nullptr) {
    return Status(ErrorCode::kIoError, "cannot start an xlsx workbook at " + file.path());
  }
  WriteSheet(workbook.get(), table);
  lxw_error closed = workbook_close(workbook.release());
  if (closed != LXW_NO_ERROR) {
    return Status(ErrorCode::kIoError,
                  std::string("writing the xlsx workbook: ") + lxw_strerror(closed));
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return Status(ErrorCode::kIoError, "reading back the xlsx workbook " + file.path());
  }
  return bytes;
}

}  // namespace fupin::projections
