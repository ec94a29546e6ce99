// Reading a 市州's filled-in official form (projections/official_form.h) —
// an .xlsx workbook or its CSV — into a report.submitted body, checking
// every cell: regions by code and name against the GB/T 2260 table and the
// 市州's own 县市区, counts as non-negative integers, 销售扶贫产品 in 万元
// with at most two decimals converted to fen exactly (no floating point).
//
// Every bad cell is reported at once, each with its sheet, row, column and
// reason, so a 扶贫办 fixes the file in one pass. Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generator/regions.h"
#include "ledger/status.h"
#include "projections/official_form.h"

namespace fupin::intake {

// One thing wrong with the file. row 0 means the file as a whole (a
// missing header or row); column, header and value are empty when they do
// not apply.
struct FormError {
  std::string sheet;
  std::size_t row = 0;  // 1-based, as the spreadsheet numbers it
  std::string column;   // "I"
  std::string header;   // the column's header in the file
  std::string value;    // the cell as written
  std::string reason;   // in Chinese, says what to do
};

struct ReportFormRow {
  std::string region;  // code
  std::string name;
  projections::FormFigures figures{};
};

struct ReportForm {
  std::string format;  // "xlsx" or "csv"
  std::string sheet;
  std::string campaign_id;
  std::string region;               // the 市州
  std::vector<ReportFormRow> rows;  // the 市州 (合计) first, then its 县市区 in code order
};

struct FormReading {
  std::optional<ReportForm> form;  // set exactly when errors is empty
  std::vector<FormError> errors;
};

// Reads `bytes` (an .xlsx workbook, recognised by its ZIP signature, or CSV
// in UTF-8 or GB18030) as the form of `region` for `campaign_id`. A
// workbook is read from its sheet named 统计表, or its first sheet.
// Columns are found by their headers, so a form whose columns were moved is
// read correctly; a column that is missing or not the template's is an
// error. Formulas are read by the result the spreadsheet stored; a formula
// without a stored result, and merged cells in the header or data rows, are
// errors. Errors (kInvalidArgument): `region` is not a 市州 of the table.
Result<FormReading> ReadReportForm(std::string_view bytes, std::string_view campaign_id,
                                   std::string_view region, const generator::RegionTable& regions);

// The report.submitted body: {"campaign_id","region","rows":[{"region",
// "online_zones",...,"sales_fen","poor_people_covered"}]}.
boost::json::object ReportBodyJson(const ReportForm& form);

// {"sheet","row","column","header","value","reason"}, empty members left out.
boost::json::object FormErrorJson(const FormError& error);
// "统计表 第 5 行 I 列（销售扶贫产品(万元)）「12.345」：…" for a terminal.
std::string FormErrorText(const FormError& error);

// The blank form a 市州 fills in: 合计 for the 市州 and one row per 县市区,
// names and codes filled, figures blank. kInvalidArgument when `region` is
// not a 市州 of the table, or ends_on is not a date.
Result<projections::OfficialForm> ReportTemplate(std::string_view campaign_name,
                                                 std::string_view ends_on, std::string_view region,
                                                 const generator::RegionTable& regions);

}  // namespace fupin::intake
