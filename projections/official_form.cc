#include "projections/official_form.h"

#include <charconv>

#include "ledger/time.h"
#include "projections/statistics_format.h"

namespace fupin::projections {
namespace {

// The seed's deadline: reports are due nine days after the campaign ends
// (the 消费扶贫月 ends 9月30日; the form is due 10月9日).
inline constexpr int32_t kReportDueDays = 9;

bool IsAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }

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

// "2020-10-09" -> "2020 年 10 月 9 日".
std::string ChineseDate(std::string_view iso) {
  auto number = [&](std::size_t at, std::size_t length) {
    int value = 0;
    std::from_chars(iso.data() + at, iso.data() + at + length, value);
    return std::to_string(value);
  };
  return number(0, 4) + " 年 " + number(5, 2) + " 月 " + number(8, 2) + " 日";
}

}  // namespace

std::string FormTitle(std::string_view campaign_name) {
  // A space wherever a run of ASCII digits meets a non-ASCII character
  // (UTF-8 lead and continuation bytes are >= 0x80).
  std::string spaced;
  for (std::size_t i = 0; i < campaign_name.size(); ++i) {
    const auto c = static_cast<unsigned char>(campaign_name[i]);
    if (i > 0) {
      const auto before = static_cast<unsigned char>(campaign_name[i - 1]);
      if ((IsAsciiDigit(c) && before >= 0x80) || (c >= 0x80 && IsAsciiDigit(before))) {
        spaced += ' ';
      }
    }
    spaced += static_cast<char>(c);
  }
  constexpr std::string_view kActivity = "活动";
  const bool ends_in_activity =
      spaced.size() >= kActivity.size() &&
      std::string_view(spaced).substr(spaced.size() - kActivity.size()) == kActivity;
  return spaced + (ends_in_activity ? "开展情况统计表" : "活动开展情况统计表");
}

Result<std::string> FormNote(std::string_view ends_on) {
  FUPIN_ASSIGN_OR_RETURN(int32_t end_day, ParseDate(ends_on));
  return "备注：本表由各市州扶贫办汇总盖章后，于 " +
         ChineseDate(FormatDate(end_day + kReportDueDays)) +
         "前报送省扶贫办；销售扶贫产品以万元为单位，保留两位小数；区划代码列请勿改动。";
}

FormFigures FiguresOf(const StatisticsRow& row) {
  return {row.online_zones,     row.offline_zones, row.pavilions, row.counters,
          row.livestream_bases, row.promotions,    row.sales_fen, row.poor_people_covered};
}

Result<OfficialForm> StatisticsForm(const StatisticsTable& table) {
  OfficialForm form;
  form.title = FormTitle(table.campaign_name);
  FUPIN_ASSIGN_OR_RETURN(form.note, FormNote(table.ends_on));
  form.rows.reserve(table.rows.size());
  std::size_t index = 0;
  for (const StatisticsRow& row : table.rows) {
    FormRow out;
    const bool total = form.rows.empty();
    out.index = total ? "" : std::to_string(++index);
    out.label = total ? "合计" : row.name;
    out.code = row.region;
    out.level = row.level;
    out.figures = FiguresOf(row);
    out.remark = RowRemark(table, row);
    form.rows.push_back(std::move(out));
  }
  return form;
}

std::string RenderFormCsv(const OfficialForm& form) {
  std::string out = "\xEF\xBB\xBF";  // UTF-8 BOM
  AppendCsvField(out, form.title);
  out += "\r\n";
  for (std::size_t i = 0; i < kFormHeaders.size(); ++i) {
    if (i > 0) out += ',';
    out += kFormHeaders[i];
  }
  out += "\r\n";
  for (const FormRow& row : form.rows) {
    AppendCsvField(out, row.index);
    out += ',';
    AppendCsvField(out, row.label);
    for (std::size_t i = 0; i < kFigureCount; ++i) {
      out += ',';
      if (!row.figures) continue;
      const int64_t value = (*row.figures)[i];
      out += i == kSalesFigure ? FormatWanYuan(value) : std::to_string(value);
    }
    out += ',';
    AppendCsvField(out, row.remark);
    out += ',';
    out += row.code;
    out += "\r\n";
  }
  AppendCsvField(out, form.note);
  out += "\r\n";
  return out;
}

}  // namespace fupin::projections
