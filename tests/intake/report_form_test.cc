// The 市州's official form read back: the template filled in (by this
// ledger's writer, by another producer through openpyxl, and as CSV in
// UTF-8 and GBK) gives the report.submitted body exactly; every bad cell
// is reported with its sheet, row, column and reason.
#include "intake/report_form.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "intake/text_encoding.h"
#include "projections/official_form.h"
#include "tests/support/fixtures.h"
#include "tests/support/loaded_campaign.h"

namespace fupin::intake {
namespace {

namespace pj = projections;

constexpr std::string_view kCampaign = "HN-2020-09";
constexpr std::string_view kXiangxi = "433100";  // 湘西州: 8 counties

const generator::RegionTable& Regions() {
  static const generator::RegionTable regions = generator::RegionTable::Hunan().value();
  return regions;
}

// The blank form of 湘西州 with every row's figures set: row i gets
// (i, i+1, ..., sales i × 1.23 万元, coverage 100 i).
pj::OfficialForm FilledForm() {
  pj::OfficialForm form =
      ReportTemplate("湖南省2020年消费扶贫月", "2020-09-30", kXiangxi, Regions()).value();
  int64_t i = 1;
  for (pj::FormRow& row : form.rows) {
    row.figures = pj::FormFigures{i, i + 1, i + 2, i + 3, i + 4, i + 5, i * 1'230'000, 100 * i};
    ++i;
  }
  return form;
}

FormReading Read(std::string_view bytes) {
  Result<FormReading> reading = ReadReportForm(bytes, kCampaign, kXiangxi, Regions());
  EXPECT_TRUE(reading.ok()) << reading.status().ToString();
  return reading.ok() ? std::move(reading).value() : FormReading{};
}

// "sheet row column: reason" of every error, for readable failures.
std::string Describe(const FormReading& reading) {
  std::string out;
  for (const FormError& e : reading.errors) out += FormErrorText(e) + "\n";
  return out;
}

void ExpectFigures(const FormReading& reading, const pj::OfficialForm& form) {
  ASSERT_TRUE(reading.form) << Describe(reading);
  ASSERT_EQ(reading.form->rows.size(), form.rows.size());
  for (std::size_t i = 0; i < form.rows.size(); ++i) {
    EXPECT_EQ(reading.form->rows[i].region, form.rows[i].code);
    EXPECT_EQ(reading.form->rows[i].figures, *form.rows[i].figures) << form.rows[i].label;
  }
}

// One error expected: at `row` (0 = the file), column letter, with a
// reason containing `reason`.
void ExpectOnlyError(const FormReading& reading, std::size_t row, std::string_view column,
                     std::string_view reason) {
  EXPECT_FALSE(reading.form);
  ASSERT_EQ(reading.errors.size(), 1u) << Describe(reading);
  EXPECT_EQ(reading.errors[0].row, row) << Describe(reading);
  EXPECT_EQ(reading.errors[0].column, column) << Describe(reading);
  EXPECT_NE(reading.errors[0].reason.find(reason), std::string::npos) << Describe(reading);
}

std::string Xlsx(const pj::OfficialForm& form) { return pj::RenderFormXlsx(form).value(); }

// The filled form saved again by openpyxl after `edits_json` (see
// tests/support/edit_xlsx.py): another producer's workbook.
std::string EditedByOpenpyxl(const std::string& xlsx, const std::string& edits_json) {
  // Debian's python3 with python3-openpyxl (scripts/install-deps.sh).
  EXPECT_EQ(std::system("/usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1"), 0)
      << "python3-openpyxl is needed (scripts/install-deps.sh installs it)";
  const std::string dir = testing::MakeTempDir("fupin-form");
  std::ofstream(dir + "/in.xlsx", std::ios::binary) << xlsx;
  std::ofstream(dir + "/edits.json") << edits_json;
  const std::string command = "/usr/bin/python3 " + std::string(FUPIN_SOURCE_DIR) +
                              "/tests/support/edit_xlsx.py " + dir + "/in.xlsx " + dir +
                              "/out.xlsx " + dir + "/edits.json";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  std::string out = testing::ReadWholeFile(dir + "/out.xlsx");
  std::filesystem::remove_all(dir);
  return out;
}

// The form's CSV with `line` (0-based, counting the title) edited.
std::string CsvWithLine(const pj::OfficialForm& form, std::size_t line, const std::string& text) {
  std::string csv = pj::RenderFormCsv(form);
  std::size_t begin = 0;
  for (std::size_t i = 0; i < line; ++i) begin = csv.find("\r\n", begin) + 2;
  const std::size_t end = csv.find("\r\n", begin);
  return csv.replace(begin, end - begin, text);
}

TEST(ReportTemplate, HasTheTotalThenEveryCountyWithCodes) {
  pj::OfficialForm form =
      ReportTemplate("湖南省2020年消费扶贫月", "2020-09-30", kXiangxi, Regions()).value();
  EXPECT_EQ(form.title, "湖南省 2020 年消费扶贫月活动开展情况统计表");
  ASSERT_EQ(form.rows.size(), 9u);
  EXPECT_EQ(form.rows[0].label, "合计");
  EXPECT_EQ(form.rows[0].code, "433100");
  EXPECT_EQ(form.rows[1].label, "吉首市");
  EXPECT_EQ(form.rows[1].index, "1");
  EXPECT_EQ(form.rows[8].code, "433130");
  for (const pj::FormRow& row : form.rows) EXPECT_FALSE(row.figures) << row.label;
  EXPECT_NE(form.note.find("2020 年 10 月 9 日前报送"), std::string::npos) << form.note;
}

TEST(ReportTemplate, RefusesARegionThatIsNotAPrefecture) {
  EXPECT_EQ(ReportTemplate("x", "2020-09-30", "433101", Regions()).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(ReportTemplate("x", "2020-09-30", "999999", Regions()).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST(ReportForm, FilledXlsxReadsBackExactly) {
  const pj::OfficialForm form = FilledForm();
  FormReading reading = Read(Xlsx(form));
  ExpectFigures(reading, form);
  EXPECT_EQ(reading.form->format, "xlsx");
  EXPECT_EQ(reading.form->sheet, "统计表");
  boost::json::object body = ReportBodyJson(*reading.form);
  EXPECT_EQ(body.at("campaign_id").as_string(), kCampaign);
  EXPECT_EQ(body.at("region").as_string(), kXiangxi);
  EXPECT_EQ(body.at("rows").as_array()[1].as_object().at("sales_fen").as_int64(), 2'460'000);
}

TEST(ReportForm, TemplateSavedByAnotherProducerReadsBack) {
  const pj::OfficialForm form = FilledForm();
  // openpyxl rewrites every part (shared strings, styles, the sheet).
  ExpectFigures(Read(EditedByOpenpyxl(Xlsx(form), "{}")), form);
}

TEST(ReportForm, ValuesTypedAsTextAndNumbersByAnotherProducer) {
  pj::OfficialForm form = FilledForm();
  // Row 4 is 泸溪县 (the second county): its sales typed as text, its
  // coverage as a number.
  std::string edited =
      EditedByOpenpyxl(Xlsx(form), R"({"values": {"I5": "12.5", "J5": 777, "C5": "3"}})");
  (*form.rows[2].figures)[pj::kSalesFigure] = 12'500'000;
  (*form.rows[2].figures)[7] = 777;
  (*form.rows[2].figures)[0] = 3;
  ExpectFigures(Read(edited), form);
}

TEST(ReportForm, MovedColumnsAreReadByTheirHeaders) {
  const pj::OfficialForm form = FilledForm();
  ExpectFigures(Read(EditedByOpenpyxl(Xlsx(form), R"({"swap_columns": ["C", "I"]})")), form);
}

TEST(ReportForm, CsvInUtf8AndGbkReadsBack) {
  const pj::OfficialForm form = FilledForm();
  const std::string utf8 = pj::RenderFormCsv(form);
  ExpectFigures(Read(utf8), form);
  ExpectFigures(Read(utf8.substr(3)), form);  // without the BOM
  // The same text in GB18030, as Excel on a Chinese Windows saves CSV.
  const std::string dir = testing::MakeTempDir("fupin-gbk");
  std::ofstream(dir + "/in.csv", std::ios::binary) << utf8.substr(3);
  const std::string command = "iconv -f UTF-8 -t GB18030 " + dir + "/in.csv > " + dir + "/gbk.csv";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const std::string gbk = testing::ReadWholeFile(dir + "/gbk.csv");
  std::filesystem::remove_all(dir);
  ASSERT_NE(gbk, utf8.substr(3));
  FormReading reading = Read(gbk);
  ExpectFigures(reading, form);
  EXPECT_EQ(reading.form->format, "csv");
}

TEST(ReportForm, EveryBadCellIsReportedAtOnce) {
  const pj::OfficialForm form = FilledForm();
  std::string edited = EditedByOpenpyxl(
      Xlsx(form),
      R"({"values": {"C4": -1, "D4": 2.5, "I4": "1.234", "E6": "三", "F7": null, "J8": "1,000"}})");
  FormReading reading = Read(edited);
  EXPECT_FALSE(reading.form);
  std::set<std::string> seen;
  for (const FormError& e : reading.errors) {
    EXPECT_EQ(e.sheet, "统计表");
    seen.insert(std::to_string(e.row) + e.column + ":" + e.reason);
  }
  EXPECT_EQ(seen, (std::set<std::string>{
                      "4C:不能为负数",
                      "4D:应为整数",
                      "4I:万元最多两位小数（精确到百元）",
                      "6E:不是数字",
                      "7F:未填写（没有请填 0）",
                      "8J:含分隔符：请只填数字",
                  }))
      << Describe(reading);
  EXPECT_EQ(reading.errors[0].header, "设立线上专区数(个)");
}

TEST(ReportForm, ANumberCellPrintedAsItsDoubleIsTheTwoDecimalValue) {
  pj::OfficialForm form = FilledForm();
  // 0.1 + 0.2 as a spreadsheet computes it, stored as 0.30000000000000004.
  std::string csv = CsvWithLine(form, 3, "1,吉首市,2,3,4,5,6,7,0.30000000000000004,200,,433101");
  // As text (CSV), more than two decimals is refused ...
  ExpectOnlyError(Read(csv), 4, "I", "万元最多两位小数");
  // ... but the same digits in a number cell are the double nearest 0.30.
  std::string xlsx = EditedByOpenpyxl(Xlsx(form), R"({"values": {"I4": 0.30000000000000004}})");
  (*form.rows[1].figures)[pj::kSalesFigure] = 300'000;
  ExpectFigures(Read(xlsx), form);
}

TEST(ReportForm, FormulaWithoutAStoredResultIsRefused) {
  // openpyxl saves formulas without computing them.
  std::string edited =
      EditedByOpenpyxl(Xlsx(FilledForm()), R"J({"formulas": {"C3": "=SUM(C4:C11)"}})J");
  ExpectOnlyError(Read(edited), 3, "C", "公式没有保存计算结果");
}

TEST(ReportForm, FormulaIsReadByItsStoredResult) {
  // 合计's 专柜 as =SUM over the counties, saved with its result as Excel
  // does: the result is the value the person saw and reported.
  pj::OfficialForm form = FilledForm();
  std::string edited =
      EditedByOpenpyxl(Xlsx(form), R"J({"computed_formulas": {"F3": ["SUM(F4:F11)", 99]}})J");
  (*form.rows[0].figures)[3] = 99;
  ExpectFigures(Read(edited), form);
}

TEST(ReportForm, MergedCellsInTheTableAreRefused) {
  std::string edited = EditedByOpenpyxl(Xlsx(FilledForm()), R"({"merge": ["C5:D5"]})");
  FormReading reading = Read(edited);
  EXPECT_FALSE(reading.form);
  bool named = false;
  for (const FormError& e : reading.errors) {
    named = named || e.reason.find("请取消合并 C5:D5") != std::string::npos;
  }
  EXPECT_TRUE(named) << Describe(reading);
}

// A refused row leaves its county missing as well: both are reported.
void ExpectRowRefused(const FormReading& reading, std::string_view column,
                      std::string_view reason) {
  EXPECT_FALSE(reading.form);
  ASSERT_EQ(reading.errors.size(), 2u) << Describe(reading);
  EXPECT_EQ(reading.errors[0].row, 4u);
  EXPECT_EQ(reading.errors[0].column, column);
  EXPECT_EQ(reading.errors[0].reason, reason);
  EXPECT_EQ(reading.errors[1].reason, "缺少吉首市（433101）的行");
}

TEST(ReportForm, RegionNameMustMatchItsCode) {
  std::string csv = CsvWithLine(FilledForm(), 3, "1,凤凰县,2,3,4,5,6,7,1.23,200,,433101");
  ExpectRowRefused(Read(csv), "B", "与区划代码 433101（吉首市）不符");
}

TEST(ReportForm, ACodeOutsideThePrefectureIsRefused) {
  std::string csv = CsvWithLine(FilledForm(), 3, "1,芙蓉区,2,3,4,5,6,7,1.23,200,,430102");
  ExpectRowRefused(Read(csv), "L", "不是湘西土家族苗族自治州或其县市区的区划代码");
}

TEST(ReportForm, RowsFoundByNameWithoutTheCodeColumn) {
  const pj::OfficialForm form = FilledForm();
  std::string csv = pj::RenderFormCsv(form);
  // Drop the last column (区划代码) of every line.
  std::string without;
  std::size_t begin = 0;
  while (begin < csv.size()) {
    std::size_t end = csv.find("\r\n", begin);
    std::string line = csv.substr(begin, end - begin);
    std::size_t comma = line.rfind(',');
    if (line.starts_with("序号,") || (comma != std::string::npos && line.size() - comma == 7)) {
      line.resize(comma);
    }
    without += line + "\r\n";
    begin = end + 2;
  }
  ExpectFigures(Read(without), form);
}

TEST(ReportForm, AnUnknownCountyNameIsRefused) {
  std::string csv = CsvWithLine(FilledForm(), 3, "1,吉首县,2,3,4,5,6,7,1.23,200,,");
  FormReading reading = Read(csv);
  ASSERT_FALSE(reading.errors.empty());
  EXPECT_EQ(reading.errors[0].row, 4u);
  EXPECT_EQ(reading.errors[0].reason, "不是湘西土家族苗族自治州的县市区") << Describe(reading);
}

TEST(ReportForm, DuplicateAndMissingRowsAreRefused) {
  // 泸溪县's line replaced by a second 吉首市.
  std::string csv = CsvWithLine(FilledForm(), 4, "2,吉首市,2,3,4,5,6,7,1.23,200,,433101");
  FormReading reading = Read(csv);
  ASSERT_EQ(reading.errors.size(), 2u) << Describe(reading);
  EXPECT_EQ(reading.errors[0].row, 5u);
  EXPECT_EQ(reading.errors[0].reason, "重复：第 4 行已是吉首市");
  EXPECT_EQ(reading.errors[1].row, 0u);
  EXPECT_EQ(reading.errors[1].reason, "缺少泸溪县（433122）的行");
}

TEST(ReportForm, MissingAndUnknownHeadersAreRefused) {
  std::string header(
      "序号,市县,设立线上专区数(个),设立线下专区数(个),设立专馆数(个),设立专柜数(个),"
      "直播基地,举办大型产销活动(场),销售扶贫产品(万元),覆盖贫困人口(人),备注,区划代码");
  FormReading reading = Read(CsvWithLine(FilledForm(), 1, header));
  ASSERT_EQ(reading.errors.size(), 2u) << Describe(reading);
  EXPECT_EQ(reading.errors[0].row, 2u);
  EXPECT_EQ(reading.errors[0].column, "G");
  EXPECT_EQ(reading.errors[0].value, "直播基地");
  EXPECT_EQ(reading.errors[1].reason, "缺少列「开设直播基地(个)」：请使用模板的表头");
}

TEST(ReportForm, AFileThatIsNoFormIsRefused) {
  ExpectOnlyError(Read("PK\x03\x04not really a zip"), 0, "", "无法读取文件");
  ExpectOnlyError(Read("just,some\r\ntext\r\n"), 0, "", "找不到表头行");
}

TEST(ReportForm, RefusesARegionThatIsNotAPrefecture) {
  EXPECT_EQ(ReadReportForm("", kCampaign, "433101", Regions()).status().code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fupin::intake
