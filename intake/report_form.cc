#include "intake/report_form.h"

#include <algorithm>
#include <map>

#include "intake/csv_reader.h"
#include "intake/form_cell.h"
#include "intake/text_encoding.h"
#include "intake/xlsx_reader.h"

namespace fupin::intake {
namespace {

namespace pj = projections;

inline constexpr std::string_view kZipSignature = "PK\x03\x04";
inline constexpr std::string_view kCsvSheet = "CSV";
inline constexpr std::string_view kTotalLabel = "合计";

// A header or a name as people vary it: no spaces or line breaks (Excel's
// Alt+Enter in a header), full-width parentheses as ASCII ones.
std::string Normalized(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::string_view rest = text.substr(i);
    if (rest.starts_with("\u3000")) {
      i += 3;
    } else if (rest.starts_with("（")) {
      out += '(';
      i += 3;
    } else if (rest.starts_with("）")) {
      out += ')';
      i += 3;
    } else if (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n') {
      ++i;
    } else {
      out += text[i++];
    }
  }
  return out;
}

// The cells of a CSV file as text cells of a sheet, row = line number.
Result<XlsxSheet> CsvSheet(std::string_view bytes) {
  FUPIN_ASSIGN_OR_RETURN(DecodedText decoded, DecodeText(bytes));
  FUPIN_ASSIGN_OR_RETURN(std::vector<CsvRow> rows, ParseCsv(decoded.utf8));
  XlsxSheet sheet;
  sheet.name = std::string(kCsvSheet);
  for (const CsvRow& row : rows) {
    for (std::size_t c = 0; c < row.fields.size(); ++c) {
      if (row.fields[c].empty()) continue;
      XlsxCell cell;
      cell.kind = XlsxCell::Kind::kText;
      cell.text = row.fields[c];
      cell.cached_value = true;
      sheet.cells[{static_cast<uint32_t>(row.line), static_cast<uint32_t>(c)}] = std::move(cell);
    }
  }
  return sheet;
}

class FormReader {
 public:
  FormReader(const XlsxSheet& sheet, const generator::RegionTable& regions, int region)
      : sheet_(sheet), regions_(regions), region_(region) {}

  FormReading Read(std::string format, std::string_view campaign_id) {
    if (FindHeader() && MapColumns()) {
      ReadRows();
      CheckMerges();
      CheckComplete();
    }
    FormReading reading;
    if (!errors_.empty()) {
      reading.errors = std::move(errors_);
      return reading;
    }
    ReportForm form;
    form.format = std::move(format);
    form.sheet = sheet_.name;
    form.campaign_id = std::string(campaign_id);
    form.region = regions_.all()[region_].code;
    for (int index : RowOrder()) form.rows.push_back(rows_.at(index));
    reading.form = std::move(form);
    return reading;
  }

 private:
  void FileError(std::string reason) {
    errors_.push_back({sheet_.name, 0, "", "", "", std::move(reason)});
  }
  void CellError(uint32_t row, uint32_t column, std::string value, std::string reason) {
    auto header = headers_.find(column);
    errors_.push_back({sheet_.name, row, ColumnLetters(column),
                       header == headers_.end() ? "" : header->second, std::move(value),
                       std::move(reason)});
  }

  const XlsxCell* Cell(uint32_t row, uint32_t column) const {
    auto found = sheet_.cells.find({row, column});
    return found == sheet_.cells.end() ? nullptr : &found->second;
  }
  std::string Text(uint32_t row, uint32_t column) const {
    const XlsxCell* cell = Cell(row, column);
    return cell == nullptr ? "" : CellText(*cell);
  }

  // The header row: the first row with a 市县 cell.
  bool FindHeader() {
    for (const auto& [position, cell] : sheet_.cells) {
      if (Normalized(CellText(cell)) == Normalized(pj::kFormHeaders[pj::kNameColumn])) {
        header_row_ = position.first;
        return true;
      }
    }
    FileError("找不到表头行（含「市县」的一行）：请使用统计表模板");
    return false;
  }

  // Columns by their headers; every header must be the template's.
  bool MapColumns() {
    const std::size_t before = errors_.size();
    for (auto it = sheet_.cells.lower_bound({header_row_, 0});
         it != sheet_.cells.end() && it->first.first == header_row_; ++it) {
      const std::string text = CellText(it->second);
      if (text.empty()) continue;
      const uint32_t column = it->first.second;
      headers_[column] = text;
      auto known =
          std::find_if(pj::kFormHeaders.begin(), pj::kFormHeaders.end(),
                       [&](std::string_view h) { return Normalized(h) == Normalized(text); });
      if (known == pj::kFormHeaders.end()) {
        CellError(header_row_, column, text, "不是统计表的列：请使用模板的表头");
        continue;
      }
      const auto form_column = static_cast<std::size_t>(known - pj::kFormHeaders.begin());
      if (columns_.contains(form_column)) {
        CellError(header_row_, column, text,
                  "重复的列：" + ColumnLetters(columns_[form_column]) + " 列已是这一列");
        continue;
      }
      columns_[form_column] = column;
    }
    for (std::size_t c = pj::kNameColumn; c < pj::kFirstFigureColumn + pj::kFigureCount; ++c) {
      if (!columns_.contains(c)) {
        FileError("缺少列「" + std::string(pj::kFormHeaders[c]) + "」：请使用模板的表头");
      }
    }
    return errors_.size() == before;
  }

  uint32_t LastRow() const { return sheet_.cells.empty() ? 0 : sheet_.cells.rbegin()->first.first; }

  bool RowIsEmpty(uint32_t row) const {
    for (auto it = sheet_.cells.lower_bound({row, 0});
         it != sheet_.cells.end() && it->first.first == row; ++it) {
      if (!CellText(it->second).empty()) return false;
    }
    return true;
  }

  // The 备注 line (or any note under the table) ends the table.
  bool IsNoteRow(uint32_t row) const {
    for (auto it = sheet_.cells.lower_bound({row, 0});
         it != sheet_.cells.end() && it->first.first == row; ++it) {
      const std::string text = CellText(it->second);
      if (text.starts_with("备注") || text.starts_with("注：") || text.starts_with("注:")) {
        return true;
      }
    }
    return false;
  }

  void ReadRows() {
    const uint32_t last = LastRow();
    for (uint32_t row = header_row_ + 1; row <= last; ++row) {
      if (IsNoteRow(row)) break;
      if (RowIsEmpty(row)) continue;
      last_data_row_ = row;
      const int region = ResolveRegion(row);
      ReportFormRow values;
      bool ok = region >= 0;
      for (std::size_t i = 0; i < pj::kFigureCount; ++i) {
        const uint32_t column = columns_.at(pj::kFirstFigureColumn + i);
        const XlsxCell* cell = Cell(row, column);
        const XlsxCell blank;
        const XlsxCell& read = cell == nullptr ? blank : *cell;
        Result<int64_t> value = i == pj::kSalesFigure ? ReadWanYuanCell(read) : ReadCountCell(read);
        if (!value.ok()) {
          CellError(row, column, read.text, value.status().message());
          ok = false;
          continue;
        }
        values.figures[i] = *value;
      }
      if (!ok) continue;
      values.region = regions_.all()[region].code;
      values.name = regions_.all()[region].name;
      rows_[region] = std::move(values);
    }
  }

  // The row's region: by its 区划代码 when the column is there and filled
  // (the name must agree), else by its name; -1 after an error.
  int ResolveRegion(uint32_t row) {
    const uint32_t name_column = columns_.at(pj::kNameColumn);
    const std::string label = Text(row, name_column);
    const auto code_column = columns_.find(pj::kCodeColumn);
    const std::string code = code_column == columns_.end() ? "" : Text(row, code_column->second);
    const bool total = Normalized(label) == kTotalLabel;
    int found = -1;
    if (!code.empty()) {
      found = regions_.Find(code);
      if (found < 0 || !InForm(found)) {
        CellError(row, code_column->second, code,
                  found < 0 ? "不是 GB/T 2260 区划代码"
                            : "不是" + RegionName(region_) + "或其县市区的区划代码");
        return -1;
      }
      const bool names_match =
          total ? found == region_ : Normalized(label) == Normalized(RegionName(found));
      if (!names_match) {
        CellError(row, name_column, label,
                  "与区划代码 " + code + "（" + (found == region_ ? "合计" : RegionName(found)) +
                      "）不符");
        return -1;
      }
    } else if (total) {
      found = region_;
    } else {
      found = FindByName(label);
      if (found < 0) {
        CellError(row, name_column, label,
                  label.empty() ? "未填写市县名称" : "不是" + RegionName(region_) + "的县市区");
        return -1;
      }
    }
    if (auto seen = seen_rows_.find(found); seen != seen_rows_.end()) {
      CellError(row, name_column, label,
                "重复：第 " + std::to_string(seen->second) + " 行已是" +
                    (found == region_ ? std::string("合计") : RegionName(found)));
      return -1;
    }
    seen_rows_[found] = row;
    return found;
  }

  bool InForm(int index) const {
    if (index == region_) return true;
    const std::vector<int>& counties = regions_.CountiesOf(region_);
    return std::find(counties.begin(), counties.end(), index) != counties.end();
  }

  int FindByName(const std::string& label) const {
    const std::string name = Normalized(label);
    if (name == Normalized(RegionName(region_))) return region_;
    for (int county : regions_.CountiesOf(region_)) {
      if (Normalized(RegionName(county)) == name) return county;
    }
    return -1;
  }

  std::string RegionName(int index) const { return regions_.all()[index].name; }

  // Merged cells may title the form or hold the 备注 line, never a header
  // or a figure.
  void CheckMerges() {
    const uint32_t last = std::max(last_data_row_, header_row_);
    for (const MergedRange& merge : sheet_.merges) {
      if (merge.last_row < header_row_ || merge.first_row > last) continue;
      errors_.push_back({sheet_.name, merge.first_row, ColumnLetters(merge.first_column), "",
                         merge.ref, "表头和数据区不能有合并单元格：请取消合并 " + merge.ref});
    }
  }

  void CheckComplete() {
    for (int index : RowOrder()) {
      if (seen_rows_.contains(index)) continue;
      FileError("缺少" + (index == region_
                              ? "合计行（" + RegionName(region_) + "）"
                              : RegionName(index) + "（" + regions_.all()[index].code + "）的行"));
    }
  }

  std::vector<int> RowOrder() const {
    std::vector<int> order = {region_};
    const std::vector<int>& counties = regions_.CountiesOf(region_);
    order.insert(order.end(), counties.begin(), counties.end());
    return order;
  }

  const XlsxSheet& sheet_;
  const generator::RegionTable& regions_;
  const int region_;
  uint32_t header_row_ = 0;
  uint32_t last_data_row_ = 0;
  std::map<uint32_t, std::string> headers_;  // sheet column -> header text
  std::map<std::size_t, uint32_t> columns_;  // form column -> sheet column
  std::map<int, uint32_t> seen_rows_;        // region index -> sheet row
  std::map<int, ReportFormRow> rows_;        // region index -> values
  std::vector<FormError> errors_;
};

Result<int> PrefectureIndex(std::string_view region, const generator::RegionTable& regions) {
  const int index = regions.Find(region);
  if (index < 0 || regions.all()[index].level != RegionLevel::kPrefecture) {
    return Status(ErrorCode::kInvalidArgument,
                  "--region " + std::string(region) + " is not a 市州 (prefecture) code");
  }
  return index;
}

}  // namespace

Result<FormReading> ReadReportForm(std::string_view bytes, std::string_view campaign_id,
                                   std::string_view region, const generator::RegionTable& regions) {
  FUPIN_ASSIGN_OR_RETURN(int index, PrefectureIndex(region, regions));
  const bool xlsx = bytes.starts_with(kZipSignature);
  Result<XlsxSheet> sheet = xlsx ? ReadXlsxSheet(bytes, pj::kFormSheetName) : CsvSheet(bytes);
  if (!sheet.ok()) {
    FormReading reading;
    reading.errors.push_back({xlsx ? "" : std::string(kCsvSheet), 0, "", "", "",
                              "无法读取文件：" + sheet.status().message()});
    return reading;
  }
  return FormReader(*sheet, regions, index).Read(xlsx ? "xlsx" : "csv", campaign_id);
}

boost::json::object ReportBodyJson(const ReportForm& form) {
  boost::json::array rows;
  for (const ReportFormRow& row : form.rows) {
    boost::json::object r;
    r["region"] = row.region;
    for (std::size_t i = 0; i < pj::kFigureCount; ++i) r[pj::kFigureFields[i]] = row.figures[i];
    rows.push_back(std::move(r));
  }
  return {{"campaign_id", form.campaign_id}, {"region", form.region}, {"rows", std::move(rows)}};
}

boost::json::object FormErrorJson(const FormError& error) {
  boost::json::object out;
  if (!error.sheet.empty()) out["sheet"] = error.sheet;
  if (error.row > 0) out["row"] = error.row;
  if (!error.column.empty()) out["column"] = error.column;
  if (!error.header.empty()) out["header"] = error.header;
  if (!error.value.empty()) out["value"] = error.value;
  out["reason"] = error.reason;
  return out;
}

std::string FormErrorText(const FormError& error) {
  std::string text = error.sheet;
  if (error.row > 0) text += " 第 " + std::to_string(error.row) + " 行";
  if (!error.column.empty()) text += " " + error.column + " 列";
  if (!error.header.empty()) text += "（" + error.header + "）";
  if (!error.value.empty()) text += "「" + error.value + "」";
  return (text.empty() ? "" : text + "：") + error.reason;
}

Result<pj::OfficialForm> ReportTemplate(std::string_view campaign_name, std::string_view ends_on,
                                        std::string_view region,
                                        const generator::RegionTable& regions) {
  FUPIN_ASSIGN_OR_RETURN(int index, PrefectureIndex(region, regions));
  pj::OfficialForm form;
  form.title = pj::FormTitle(campaign_name);
  FUPIN_ASSIGN_OR_RETURN(form.note, pj::FormNote(ends_on));
  const generator::Region& prefecture = regions.all()[index];
  form.rows.push_back({"", std::string(kTotalLabel), prefecture.code, prefecture.level,
                       std::nullopt, prefecture.name + "汇总"});
  std::size_t n = 0;
  for (int county : regions.CountiesOf(index)) {
    const generator::Region& r = regions.all()[county];
    form.rows.push_back({std::to_string(++n), r.name, r.code, r.level, std::nullopt, ""});
  }
  return form;
}

}  // namespace fupin::intake
