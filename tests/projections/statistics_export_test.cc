// The CSV and XLSX exports read back cell by cell and compared with the
// JSON of the same table.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "projections/official_form.h"
#include "projections/statistics_format.h"
#include "tests/projections/scenario.h"
#include "tests/support/fixtures.h"

namespace fupin::projections {
namespace {

using Grid = std::vector<std::vector<std::string>>;

// A table with something in every column.
StatisticsTable ScenarioTable() {
  testing::StatsWorld w;
  testing::PlayScenario(w, [] {});
  return w.Table();
}

// RFC 4180 lines (no field of these tables spans lines).
Grid ParseCsv(std::string_view text) {
  Grid grid;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find("\r\n", pos);
    std::string_view line = text.substr(pos, end - pos);
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.emplace_back();
      } else {
        cells.back() += c;
      }
    }
    grid.push_back(std::move(cells));
    pos = end + 2;
  }
  return grid;
}

// The cells the JSON row says the seed table holds, as the exports print
// them.
std::vector<std::string> ExpectedCells(const boost::json::object& row) {
  auto count = [&](const char* name) { return std::to_string(row.at(name).as_int64()); };
  std::string label =
      row.at("level").as_string() == "province" ? "合计" : std::string(row.at("name").as_string());
  return {label,
          count("online_zones"),
          count("offline_zones"),
          count("pavilions"),
          count("counters"),
          count("livestream_bases"),
          count("promotions"),
          std::string(row.at("sales_wan_yuan").as_string()),
          count("poor_people_covered")};
}

TEST(StatisticsExportTest, CsvStartsWithABomAndTheTitle) {
  StatisticsTable table = ScenarioTable();
  std::string csv = RenderStatisticsCsv(table);
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  Grid grid = ParseCsv(csv.substr(3));
  EXPECT_EQ(grid[0][0], "湖南省消费扶贫月活动开展情况统计表");
  EXPECT_EQ(grid[1], std::vector<std::string>(kFormHeaders.begin(), kFormHeaders.end()));
}

TEST(StatisticsExportTest, CsvEndsWithTheNoteAndItsDeadline) {
  Grid grid = ParseCsv(RenderStatisticsCsv(ScenarioTable()).substr(3));
  const std::string& note = grid.back()[0];
  EXPECT_EQ(note.rfind("备注：", 0), 0u) << note;
  EXPECT_NE(note.find("汇总盖章"), std::string::npos) << note;
  EXPECT_NE(note.find("2020 年 10 月 9 日前报送"), std::string::npos) << note;
}

TEST(StatisticsExportTest, TitleSpacesTheYearAsTheSeedDoes) {
  EXPECT_EQ(FormTitle("湖南省2020年消费扶贫月"), "湖南省 2020 年消费扶贫月活动开展情况统计表");
  EXPECT_EQ(FormTitle("湖南省消费扶贫月"), "湖南省消费扶贫月活动开展情况统计表");
  EXPECT_EQ(FormTitle("长沙扶贫产品展销活动"), "长沙扶贫产品展销活动开展情况统计表");
}

TEST(StatisticsExportTest, FormNoteRefusesAnInvalidDate) {
  EXPECT_EQ(FormNote("2020-13-01").status().code(), ErrorCode::kInvalidField);
}

TEST(StatisticsExportTest, CsvRowsEqualTheJsonCellByCell) {
  StatisticsTable table = ScenarioTable();
  boost::json::array rows = StatisticsJson(table).at("rows").as_array();
  Grid grid = ParseCsv(RenderStatisticsCsv(table).substr(3));
  ASSERT_EQ(grid.size(), rows.size() + 3);  // title, headers, rows, note
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::vector<std::string> expected = ExpectedCells(rows[i].as_object());
    std::vector<std::string> cells = grid[i + 2];
    ASSERT_EQ(cells.size(), kFormHeaders.size());
    EXPECT_EQ(cells[kIndexColumn], i == 0 ? "" : std::to_string(i)) << "row " << i;
    EXPECT_EQ(std::vector<std::string>(cells.begin() + 1, cells.begin() + 10), expected)
        << "row " << i;
    EXPECT_EQ(cells[kCodeColumn], rows[i].at("region").as_string()) << "row " << i;
  }
  EXPECT_NE(grid[2][kRemarkColumn].find("截至账本序号 " + std::to_string(table.as_of)),
            std::string::npos);
}

// Reads every cell of the first sheet with python3's zipfile and XML
// parser: "row<TAB>column<TAB>value" lines (shared strings resolved).
std::string ReadXlsxCells(const std::string& path) {
  const char* script = R"PY(
import sys, zipfile, xml.etree.ElementTree as ET
ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
z = zipfile.ZipFile(sys.argv[1])
shared = [''.join(t.text or '' for t in si.iter('{%s}t' % ns['m']))
          for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', ns)]
sheet = ET.fromstring(z.read('xl/worksheets/sheet1.xml'))
for c in sheet.iter('{%s}c' % ns['m']):
    ref = c.get('r'); col = ''.join(ch for ch in ref if ch.isalpha()); row = ref[len(col):]
    v = c.find('m:v', ns)
    text = '' if v is None else v.text
    if c.get('t') == 's': text = shared[int(text)]
    sys.stdout.buffer.write(('%s\t%s\t%s\n' % (row, col, text)).encode('utf-8'))
)PY";
  std::string script_path = path + ".py";
  std::ofstream(script_path) << script;
  std::string command = "python3 " + script_path + " " + path;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof(buf), pipe.get())) out.append(buf, n);
  return out;
}

TEST(StatisticsExportTest, XlsxCellsEqualTheJsonCellByCell) {
  // python3 comes with scripts/install-deps.sh; without it this check
  // cannot run, which is a failure, not a skip.
  ASSERT_EQ(std::system("python3 -c 'import zipfile' >/dev/null 2>&1"), 0)
      << "python3 is needed to read the workbook back (scripts/install-deps.sh installs it)";
  StatisticsTable table = ScenarioTable();
  Result<std::string> xlsx = RenderStatisticsXlsx(table);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status().ToString();
  ASSERT_EQ(xlsx->substr(0, 2), "PK");  // a zip container
  const std::string dir = fupin::testing::MakeTempDir("fupin-xlsx");
  const std::string path = dir + "/table.xlsx";
  std::ofstream(path, std::ios::binary) << *xlsx;

  std::map<std::pair<int, std::string>, std::string> cells;
  std::istringstream lines(ReadXlsxCells(path));
  for (std::string line; std::getline(lines, line);) {
    std::size_t a = line.find('\t'), b = line.find('\t', a + 1);
    cells[{std::stoi(line.substr(0, a)), line.substr(a + 1, b - a - 1)}] = line.substr(b + 1);
  }
  std::filesystem::remove_all(dir);
  const std::string columns = "ABCDEFGHIJKL";
  EXPECT_EQ((cells[{1, "A"}]), "湖南省消费扶贫月活动开展情况统计表");
  for (std::size_t c = 0; c < kFormHeaders.size(); ++c) {
    EXPECT_EQ((cells[{2, std::string(1, columns[c])}]), kFormHeaders[c]);
  }
  boost::json::array rows = StatisticsJson(table).at("rows").as_array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::vector<std::string> expected = ExpectedCells(rows[i].as_object());
    for (std::size_t c = 0; c < expected.size(); ++c) {
      std::string cell = cells[{static_cast<int>(i) + 3, std::string(1, columns[c + 1])}];
      if (c == 7) {
        // Sales are a number cell formatted "0.00": compare as 2 decimals.
        char printed[64];
        std::snprintf(printed, sizeof(printed), "%.2f", std::stod(cell));
        cell = printed;
      }
      EXPECT_EQ(cell, expected[c]) << "row " << i << " column " << columns[c + 1];
    }
  }
}

TEST(StatisticsExportTest, JsonHasTheContractFieldsInOrder) {
  StatisticsTable table = ScenarioTable();
  boost::json::object json = StatisticsJson(table);
  EXPECT_EQ(json.at("campaign").as_string(), "CAMP-1");
  EXPECT_EQ(json.at("as_of").as_int64(), static_cast<int64_t>(table.as_of));
  std::vector<std::string> fields;
  for (const auto& member : json.at("rows").as_array()[0].as_object()) {
    fields.emplace_back(member.key());
  }
  EXPECT_EQ(fields,
            (std::vector<std::string>{"region", "name", "level", "online_zones", "offline_zones",
                                      "pavilions", "counters", "livestream_bases", "promotions",
                                      "sales_fen", "sales_wan_yuan", "poor_people_covered"}));
}

TEST(StatisticsExportTest, WanYuanRoundsHalfUpFromExactFen) {
  EXPECT_EQ(FormatWanYuan(0), "0.00");
  EXPECT_EQ(FormatWanYuan(4999), "0.00");
  EXPECT_EQ(FormatWanYuan(5000), "0.01");
  EXPECT_EQ(FormatWanYuan(1'234'567'890), "1234.57");
  EXPECT_EQ(FormatWanYuan(400'000'000'000), "400000.00");  // 40亿元
  EXPECT_EQ(FormatWanYuan(-5000), "-0.01");
}

TEST(StatisticsExportTest, FilterByRegionKeepsItsSubtreeInOrder) {
  StatisticsTable table = ScenarioTable();
  Result<StatisticsTable> filtered = FilterRows(table, {"433100", std::nullopt});
  ASSERT_TRUE(filtered.ok());
  ASSERT_EQ(filtered->rows.size(), 2u);
  EXPECT_EQ(filtered->rows[0].region, "433100");
  EXPECT_EQ(filtered->rows[1].region, "433127");
}

TEST(StatisticsExportTest, FilterByLevelKeepsOnlyThatLevel) {
  Result<StatisticsTable> filtered = FilterRows(ScenarioTable(), {"", RegionLevel::kPrefecture});
  ASSERT_TRUE(filtered.ok());
  ASSERT_EQ(filtered->rows.size(), 2u);
  EXPECT_EQ(filtered->rows[0].region, "430100");
}

TEST(StatisticsExportTest, FilterByUnknownRegionIsNotFound) {
  Result<StatisticsTable> filtered = FilterRows(ScenarioTable(), {"439999", std::nullopt});
  ASSERT_FALSE(filtered.ok());
  EXPECT_EQ(filtered.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace fupin::projections
