// `report template` and `report import` end to end, against a real server
// on the golden campaign with the rule engine running: the blank form of
// 湘西州 (XLSX and CSV, from the built-in campaign or a ledger), filled with
// the ledger's own numbers by another producer (openpyxl) and imported →
// accepted, reconciled without a difference; an inflated form → FP-15 on
// exactly the inflated cells, linked from GET /v1/reports; the signed event
// without --url; every refusal with its message and nothing submitted.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "api/config.h"
#include "api/server.h"
#include "ledger/canonical_json.h"
#include "ledger/crypto.h"
#include "ledger/event.h"
#include "ledger/signing.h"
#include "projections/official_form.h"
#include "tests/api/http_client.h"
#include "tests/api/server_fixture.h"
#include "tests/support/cli_runner.h"
#include "tests/support/eventually.h"
#include "tests/support/fixtures.h"
#include "tests/support/loaded_campaign.h"

namespace fupin::cli {
namespace {

namespace bj = boost::json;
namespace pj = projections;
using api::testing::HttpReply;
using api::testing::TestClient;
using fupin::testing::CliResult;
using fupin::testing::RunCli;

constexpr std::string_view kCampaign = "HN-2020-09";
constexpr std::string_view kXiangxi = "433100";  // 湘西州: 8 counties
constexpr std::string_view kTitle = "湖南省 2020 年消费扶贫月活动开展情况统计表";
constexpr std::string_view kOccurredAt = "2020-10-13T09:00:00+08:00";
// 湘西州 and its 县市区 in the template's order (合计 first, then by code).
const std::vector<std::string> kRows = {"433100", "433101", "433122", "433123", "433124",
                                        "433125", "433126", "433127", "433130"};
const std::vector<std::string> kCountyNames = {"吉首市", "泸溪县", "凤凰县", "花垣县",
                                               "保靖县", "古丈县", "永顺县", "龙山县"};
// A second campaign, defined by the suite in the ledger only: its name
// comes from the ledger or nowhere.
constexpr std::string_view kOtherCampaign = "HN-2021-05";
constexpr std::string_view kOtherName = "湖南省2021年消费扶贫周";

// The template's layout: title on row 1, headers on row 2, 合计 on row 3,
// the counties from row 4; the eight figures in columns C..J.
constexpr int kFirstDataRow = 3;
std::string Cell(char column, int row) { return std::string(1, column) + std::to_string(row); }
std::string FigureCell(std::size_t figure, int row) {
  return Cell(static_cast<char>('C' + figure), row);
}

std::string Write(const std::string& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

bool Contains(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

// Runs a shell command, its stdout.
std::string Capture(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  for (std::size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) out.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

// Another producer: tests/support/edit_xlsx.py (Debian's python3-openpyxl)
// loads `in`, applies `edits` and saves `out`.
void EditXlsx(const std::string& in, const std::string& out, const bj::object& edits) {
  const std::string edits_path = Write(out + ".edits.json", bj::serialize(edits));
  const std::string command = "/usr/bin/python3 " + std::string(FUPIN_SOURCE_DIR) +
                              "/tests/support/edit_xlsx.py " + in + " " + out + " " + edits_path;
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

// A workbook as openpyxl reads it: {"sheet", "cells": {"A1": value, ...},
// "merged": ["A1:K1", ...]} — read by another reader than the ledger's.
constexpr std::string_view kDumpXlsx = R"PY(
import json, sys
from openpyxl import load_workbook
sheet = load_workbook(sys.argv[1]).active
cells = {c.coordinate: c.value for row in sheet.iter_rows() for c in row if c.value is not None}
print(json.dumps({"sheet": sheet.title, "cells": cells,
                  "merged": sorted(str(r) for r in sheet.merged_cells.ranges)}, ensure_ascii=False))
)PY";

bj::object DumpXlsx(const std::string& path) {
  const std::string script = Write(path + ".dump.py", kDumpXlsx);
  const std::string out = Capture("/usr/bin/python3 " + script + " " + path);
  bj::error_code ec;
  bj::value parsed = bj::parse(out, ec);
  EXPECT_FALSE(ec) << out;
  return ec || !parsed.is_object() ? bj::object{} : parsed.as_object();
}

std::string CellText(const bj::object& dump, const std::string& ref) {
  const bj::value* v = dump.at("cells").as_object().if_contains(ref);
  if (v == nullptr) return "";
  return v->is_string() ? std::string(v->as_string()) : bj::serialize(*v);
}

// The lines of a text (CRLF or LF), a leading BOM dropped.
std::vector<std::string> Lines(std::string text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    std::string line = text.substr(start, end - start);
    if (line.ends_with('\r')) line.pop_back();
    lines.push_back(line);
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

std::string Join(std::span<const std::string_view> parts, std::string_view separator) {
  std::string out;
  for (std::string_view part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// The golden campaign loaded once for the suite, a second campaign defined
// in it, served in-process on a loopback port with the default rules.
class ReportCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = fupin::testing::FixturePath("campaign-small");
    keys_ = dir + "/keys";
    const bj::object manifest =
        bj::parse(fupin::testing::ReadWholeFile(dir + "/manifest.json")).as_object();
    campaign_ = new fupin::testing::LoadedCampaign(
        dir, std::string(manifest.at("admin_public_key").as_string()));
    DefineOtherCampaign(dir);

    api::ServerConfig config;
    config.listen.host = "127.0.0.1";
    config.listen.port = 0;
    config.tokens = {
        api::testing::MakeToken("aud-1", api::testing::kAuditorToken, api::Role::kAuditor)};
    // config.rules unset: the default rules, FP-15 among them, run live.
    server_ = new api::Server(campaign_->ledger(), std::move(config));
    const Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    ASSERT_TRUE(RulesCaughtUp());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete campaign_;
    campaign_ = nullptr;
  }
  void SetUp() override { scratch_ = fupin::testing::MakeTempDir("fupin-report-cli"); }
  void TearDown() override { std::filesystem::remove_all(scratch_); }

  // campaign.defined of kOtherCampaign, signed by the fixture's admin key:
  // the golden campaign's own definition under another id, name and dates.
  static void DefineOtherCampaign(const std::string& dir) {
    std::ifstream lines(dir + "/events.jsonl");
    for (std::string line; std::getline(lines, line);) {
      if (!Contains(line, "\"type\":\"campaign.defined\"")) continue;
      bj::object event = bj::parse(line).as_object();
      event.erase("sig");
      event["id"] = "5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f";
      event["occurred_at"] = "2021-01-10T10:00:00+08:00";
      bj::object& body = event["body"].as_object();
      body["campaign_id"] = kOtherCampaign;
      body["name"] = kOtherName;
      body["starts_on"] = "2021-05-01";
      body["ends_on"] = "2021-05-31";
      Result<crypto::Ed25519PrivateKey> admin =
          crypto::Ed25519PrivateKey::ReadPemFile(dir + "/keys/admin.pem");
      ASSERT_TRUE(admin.ok()) << admin.status().ToString();
      Result<bj::object> signed_event = SignEvent(std::move(event), *admin);
      ASSERT_TRUE(signed_event.ok()) << signed_event.status().ToString();
      Result<Envelope> envelope = ParseEnvelope(json::Canonicalize(*signed_event));
      ASSERT_TRUE(envelope.ok()) << envelope.status().ToString();
      std::vector<Envelope> batch;
      batch.push_back(std::move(envelope).value());
      AppendResult appended = campaign_->ledger().Append(std::move(batch));
      ASSERT_TRUE(appended.ok()) << appended.status.ToString();
      return;
    }
    FAIL() << "no campaign.defined in the fixture";
  }

  static uint64_t TreeSize() { return campaign_->ledger().tree_size(); }

  // True once the rule engine has folded every record of the log, the
  // flags it appended included (GET /metrics).
  static bool RulesCaughtUp() {
    return fupin::testing::Eventually(
        [] {
          const uint64_t size = TreeSize();
          HttpReply metrics =
              TestClient(server_->port()).Get("/metrics", std::string(api::testing::kAuditorToken));
          const std::string name = "\nfupin_rules_position ";
          const std::size_t at = metrics.body.find(name);
          if (metrics.status != 200 || at == std::string::npos) return false;
          return std::stoull(metrics.body.substr(at + name.size())) == size && TreeSize() == size;
        },
        std::chrono::seconds(180));
  }

  static HttpReply Get(const std::string& target) {
    return TestClient(server_->port()).Get(target, std::string(api::testing::kAuditorToken));
  }

  // GET /v1/stats of 湘西州: region code -> row.
  static std::map<std::string, bj::object> Stats() {
    HttpReply reply =
        Get("/v1/stats?campaign=" + std::string(kCampaign) + "&region=" + std::string(kXiangxi));
    EXPECT_EQ(reply.status, 200u) << reply.body;
    std::map<std::string, bj::object> rows;
    if (reply.status != 200) return rows;
    for (const bj::value& row : reply.Json().at("rows").as_array()) {
      rows[std::string(row.at("region").as_string())] = row.as_object();
    }
    return rows;
  }

  // GET /v1/reports: the latest report of 湘西州.
  static bj::object LatestReport() {
    HttpReply reply = Get("/v1/reports?campaign=" + std::string(kCampaign));
    EXPECT_EQ(reply.status, 200u) << reply.body;
    if (reply.status != 200) return {};
    for (const bj::value& report : reply.Json().at("reports").as_array()) {
      if (report.at("region").as_string() == kXiangxi) return report.as_object();
    }
    ADD_FAILURE() << "no report of " << kXiangxi << ": " << reply.body;
    return {};
  }

  // Every FP-15 flag, open or not.
  static std::vector<bj::object> Fp15Flags() {
    HttpReply reply = Get("/v1/flags?rule=FP-15&limit=1000");
    EXPECT_EQ(reply.status, 200u) << reply.body;
    std::vector<bj::object> flags;
    if (reply.status != 200) return flags;
    for (const bj::value& flag : reply.Json().at("flags").as_array()) {
      flags.push_back(flag.as_object());
    }
    return flags;
  }
  static std::vector<bj::object> Fp15FlagsCiting(uint64_t seq) {
    std::vector<bj::object> citing;
    for (bj::object& flag : Fp15Flags()) {
      for (const bj::value& evidence : flag.at("evidence").as_array()) {
        if (evidence.to_number<uint64_t>() == seq) citing.push_back(flag);
      }
    }
    return citing;
  }

  // The cells where /v1/reports says FP-15 fires: "region/column".
  static std::set<std::string> FiringCells(const bj::object& report) {
    std::set<std::string> cells;
    for (const bj::value& row : report.at("rows").as_array()) {
      for (const bj::value& column : row.at("columns").as_array()) {
        if (column.at("fires").as_bool()) {
          cells.insert(std::string(row.at("region").as_string()) + "/" +
                       std::string(column.at("column").as_string()));
        }
      }
    }
    return cells;
  }

  // The blank XLSX template of 湘西州, written by the command.
  std::string Template(const std::string& name = "template.xlsx") {
    const std::string out = scratch_ + "/" + name;
    CliResult made = RunCli({"report", "template", "--campaign", std::string(kCampaign), "--region",
                             std::string(kXiangxi), "--out", out});
    EXPECT_EQ(made.exit_code, 0) << made.err;
    return out;
  }

  // The edits that fill the template with `stats`' figures exactly (counts
  // as numbers, sales as the 万元 figure the ledger shows), then `extra`.
  static bj::object FillEdits(const std::map<std::string, bj::object>& stats,
                              const bj::object& extra = {}) {
    bj::object values;
    for (std::size_t r = 0; r < kRows.size(); ++r) {
      const bj::object& row = stats.at(kRows[r]);
      const int sheet_row = kFirstDataRow + static_cast<int>(r);
      for (std::size_t f = 0; f < pj::kFigureCount; ++f) {
        if (f == pj::kSalesFigure) {
          values[FigureCell(f, sheet_row)] = bj::parse(row.at("sales_wan_yuan").as_string());
        } else {
          values[FigureCell(f, sheet_row)] = row.at(pj::kFigureFields[f]);
        }
      }
    }
    for (const auto& [cell, value] : extra) values[cell] = value;
    return {{"values", std::move(values)}};
  }

  // The template filled by openpyxl with `stats`' figures and `edits`.
  std::string Filled(const std::string& name, const std::map<std::string, bj::object>& stats,
                     bj::object edits = {}) {
    bj::object all =
        FillEdits(stats, edits.contains("values") ? edits["values"].as_object() : bj::object{});
    for (const auto& [key, value] : edits) {
      if (key != "values") all[key] = value;
    }
    const std::string out = scratch_ + "/" + name;
    EditXlsx(Template(name + ".blank.xlsx"), out, all);
    return out;
  }

  static std::string Key(std::string_view region) {
    return keys_ + "/reporter-" + std::string(region) + ".pem";
  }

  static std::vector<std::string> ImportArgs(const std::string& file,
                                             std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"report",        "import",
                                     "--file",        file,
                                     "--campaign",    std::string(kCampaign),
                                     "--region",      std::string(kXiangxi),
                                     "--key",         Key(kXiangxi),
                                     "--key-id",      "reporter-" + std::string(kXiangxi),
                                     "--occurred-at", std::string(kOccurredAt)};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  // Imports and submits `file` to the server.
  static CliResult Submit(const std::string& file, std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--url", server_->url()});
    return RunCli(ImportArgs(file, std::move(extra)));
  }

  // A refusal: exit `code`, nothing on stdout, every needle on stderr,
  // nothing appended.
  static void ExpectRefused(const CliResult& r, uint64_t size_before,
                            std::vector<std::string_view> needles, int code = 2) {
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_EQ(r.out, "");
    for (std::string_view needle : needles) EXPECT_TRUE(Contains(r.err, needle)) << r.err;
    EXPECT_TRUE(RulesCaughtUp());
    EXPECT_EQ(TreeSize(), size_before);
  }

  static fupin::testing::LoadedCampaign* campaign_;
  static api::Server* server_;
  static std::string keys_;
  std::string scratch_;
};

fupin::testing::LoadedCampaign* ReportCommand::campaign_ = nullptr;
api::Server* ReportCommand::server_ = nullptr;
std::string ReportCommand::keys_;

// ---- report template -------------------------------------------------------

TEST_F(ReportCommand, TemplateXlsxIsTheOfficialFormOfThePrefecture) {
  const std::string out = scratch_ + "/form.xlsx";
  CliResult made = RunCli({"report", "template", "--campaign", std::string(kCampaign), "--region",
                           std::string(kXiangxi), "--out", out, "--json"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const bj::object summary = bj::parse(made.out).as_object();
  EXPECT_EQ(summary.at("format").as_string(), "xlsx");
  EXPECT_EQ(summary.at("rows").as_int64(), 9);
  EXPECT_TRUE(fupin::testing::ReadWholeFile(out).starts_with("PK\x03\x04"));

  const bj::object dump = DumpXlsx(out);
  ASSERT_FALSE(dump.empty());
  EXPECT_EQ(dump.at("sheet").as_string(), pj::kFormSheetName);
  EXPECT_EQ(CellText(dump, "A1"), kTitle);
  for (std::size_t c = 0; c < pj::kFormHeaders.size(); ++c) {
    EXPECT_EQ(CellText(dump, Cell(static_cast<char>('A' + c), 2)), pj::kFormHeaders[c]);
  }
  EXPECT_EQ(CellText(dump, "B3"), "合计");
  EXPECT_EQ(CellText(dump, "L3"), kXiangxi);
  for (std::size_t i = 0; i < kCountyNames.size(); ++i) {
    const int row = kFirstDataRow + 1 + static_cast<int>(i);
    EXPECT_EQ(CellText(dump, Cell('A', row)), std::to_string(i + 1));
    EXPECT_EQ(CellText(dump, Cell('B', row)), kCountyNames[i]);
    EXPECT_EQ(CellText(dump, Cell('L', row)), kRows[i + 1]);
    for (std::size_t f = 0; f < pj::kFigureCount; ++f) {
      EXPECT_EQ(CellText(dump, FigureCell(f, row)), "") << "a blank template";
    }
  }
  // The 备注 line under the table, after a blank row, merged like the title.
  const std::string note = CellText(dump, "A13");
  EXPECT_TRUE(note.starts_with("备注")) << note;
  EXPECT_TRUE(Contains(note, "汇总盖章")) << note;
  EXPECT_TRUE(Contains(note, "2020 年 10 月 9 日前报送")) << note;
  std::set<std::string> merged;
  for (const bj::value& range : dump.at("merged").as_array()) {
    merged.insert(std::string(range.as_string()));
  }
  EXPECT_EQ(merged, (std::set<std::string>{"A1:K1", "A13:K13"}));
}

TEST_F(ReportCommand, TemplateCsvIsTheSameForm) {
  const std::string out = scratch_ + "/form.csv";
  CliResult made = RunCli({"report", "template", "--campaign", std::string(kCampaign), "--region",
                           std::string(kXiangxi), "--out", out, "--format", "csv"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(made.out, "");
  EXPECT_TRUE(Contains(made.err, "wrote the blank form of 433100 (9 rows)")) << made.err;
  const std::string bytes = fupin::testing::ReadWholeFile(out);
  EXPECT_TRUE(bytes.starts_with("\xEF\xBB\xBF")) << "UTF-8 with a BOM, for Excel";
  const std::vector<std::string> lines = Lines(bytes);
  ASSERT_EQ(lines.size(), 12u) << bytes;
  EXPECT_EQ(lines[0], kTitle);
  EXPECT_EQ(lines[1], Join(pj::kFormHeaders, ","));
  EXPECT_EQ(lines[2], ",合计,,,,,,,,,湘西土家族苗族自治州汇总,433100");
  for (std::size_t i = 0; i < kCountyNames.size(); ++i) {
    EXPECT_EQ(lines[3 + i],
              std::to_string(i + 1) + "," + kCountyNames[i] + ",,,,,,,,,," + kRows[i + 1]);
  }
  EXPECT_TRUE(lines[11].starts_with("备注：")) << lines[11];
  EXPECT_TRUE(Contains(lines[11], "2020 年 10 月 9 日前报送")) << lines[11];
}

TEST_F(ReportCommand, TemplateRefusesACountyAndAnUnknownCampaignWritingNothing) {
  const std::string out = scratch_ + "/form.xlsx";
  CliResult county = RunCli({"report", "template", "--campaign", std::string(kCampaign), "--region",
                             "433101", "--out", out});
  EXPECT_EQ(county.exit_code, 2);
  EXPECT_TRUE(Contains(county.err, "--region 433101 is not a 市州 (prefecture) code"))
      << county.err;
  EXPECT_FALSE(std::filesystem::exists(out));

  CliResult unknown = RunCli({"report", "template", "--campaign", std::string(kOtherCampaign),
                              "--region", std::string(kXiangxi), "--out", out, "--json"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(Contains(unknown.err, "campaign HN-2021-05 is not the built-in one: give --data DIR"))
      << unknown.err;
  EXPECT_EQ(bj::parse(unknown.out).at("error").at("code").as_string(), "invalid_argument");
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(ReportCommand, TemplateWithDataReadsTheCampaignFromTheLedger) {
  // Beside the running server: the command opens the ledger read-only.
  const std::string out = scratch_ + "/form.csv";
  CliResult other =
      RunCli({"report", "template", "--campaign", std::string(kOtherCampaign), "--region",
              std::string(kXiangxi), "--out", out, "--format", "csv", "--data", campaign_->dir()});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  std::vector<std::string> lines = Lines(fupin::testing::ReadWholeFile(out));
  ASSERT_EQ(lines.size(), 12u);
  EXPECT_EQ(lines[0], "湖南省 2021 年消费扶贫周活动开展情况统计表");
  EXPECT_TRUE(Contains(lines[11], "2021 年 6 月 9 日前报送")) << lines[11];

  CliResult golden =
      RunCli({"report", "template", "--campaign", std::string(kCampaign), "--region",
              std::string(kXiangxi), "--out", out, "--format", "csv", "--data", campaign_->dir()});
  ASSERT_EQ(golden.exit_code, 0) << golden.err;
  lines = Lines(fupin::testing::ReadWholeFile(out));
  ASSERT_EQ(lines.size(), 12u);
  EXPECT_EQ(lines[0], kTitle);

  const std::string none = scratch_ + "/none.csv";
  CliResult unknown = RunCli({"report", "template", "--campaign", "HN-1999-01", "--region",
                              std::string(kXiangxi), "--out", none, "--data", campaign_->dir()});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(Contains(unknown.err, "not_found")) << unknown.err;
  EXPECT_TRUE(Contains(unknown.err, "HN-1999-01")) << unknown.err;
  EXPECT_FALSE(std::filesystem::exists(none));
}

// ---- report import: the full flow -----------------------------------------

TEST_F(ReportCommand, ExactFormIsAcceptedAndAnInflatedOneFiresFp15OnExactlyItsCells) {
  const std::map<std::string, bj::object> stats = Stats();
  for (const std::string& region : kRows) ASSERT_TRUE(stats.contains(region)) << region;

  // The ledger's own numbers, filled in by another producer.
  const uint64_t before = TreeSize();
  CliResult honest = Submit(Filled("honest.xlsx", stats), {"--json"});
  ASSERT_EQ(honest.exit_code, 0) << honest.err;
  const bj::object summary = bj::parse(honest.out).as_object();
  EXPECT_EQ(summary.at("region").as_string(), kXiangxi) << honest.out;
  EXPECT_EQ(summary.at("rows").as_int64(), 9) << honest.out;
  EXPECT_EQ(summary.at("appended").as_int64(), 1) << honest.out;
  ASSERT_TRUE(RulesCaughtUp());
  EXPECT_EQ(TreeSize(), before + 1) << "the report, and no flag";
  bj::object report = LatestReport();
  ASSERT_FALSE(report.empty());
  EXPECT_EQ(report.at("seq").as_int64(), static_cast<int64_t>(before));
  EXPECT_EQ(report.at("key").as_string(), "reporter-433100");
  EXPECT_EQ(report.at("occurred_at").as_string(), kOccurredAt);
  EXPECT_FALSE(report.at("differs").as_bool()) << bj::serialize(report);
  EXPECT_TRUE(report.at("flag_id").is_null());
  EXPECT_EQ(FiringCells(report), std::set<std::string>{});
  ASSERT_EQ(report.at("rows").as_array().size(), kRows.size());
  for (std::size_t r = 0; r < kRows.size(); ++r) {
    const bj::object& row = report.at("rows").as_array()[r].as_object();
    EXPECT_EQ(row.at("region").as_string(), kRows[r]);
    EXPECT_FALSE(row.at("differs").as_bool());
    for (const bj::value& column : row.at("columns").as_array()) {
      if (column.at("column").as_string() == "sales_fen") {
        // The form's 万元 figure: the ledger's fen rounded to 0.01 万元.
        EXPECT_LE(std::abs(column.at("difference").as_int64()), 5'000) << bj::serialize(column);
      } else {
        EXPECT_EQ(column.at("difference").as_int64(), 0) << bj::serialize(column);
      }
    }
  }
  EXPECT_TRUE(Fp15FlagsCiting(before).empty());

  // Inflated: 吉首市 one 专柜 more, 花垣县's sales +20 %; the rest exact.
  const bj::object& jishou = stats.at("433101");
  const bj::object& huayuan = stats.at("433124");
  const int64_t counters = jishou.at("counters").as_int64();
  const int64_t sales_fen = huayuan.at("sales_fen").as_int64();
  ASSERT_GT(sales_fen, 100'000) << "花垣县 needs sales for +20 % to show";
  const int64_t inflated_cents = (sales_fen * 6 / 5 + 5'000) / 10'000;  // 0.01 万元
  const std::string inflated_sales = std::to_string(inflated_cents / 100) + "." +
                                     (inflated_cents % 100 < 10 ? "0" : "") +
                                     std::to_string(inflated_cents % 100);
  const int jishou_row = kFirstDataRow + 1;
  const int huayuan_row = kFirstDataRow + 4;
  const bj::object inflated_edits{
      {"values",
       {{FigureCell(3, jishou_row), counters + 1},
        {FigureCell(pj::kSalesFigure, huayuan_row), bj::parse(inflated_sales)}}}};
  const uint64_t at = TreeSize();
  CliResult inflated = Submit(Filled("inflated.xlsx", stats, inflated_edits));
  ASSERT_EQ(inflated.exit_code, 0) << inflated.err;
  EXPECT_EQ(inflated.out, "");
  ASSERT_TRUE(RulesCaughtUp());
  EXPECT_EQ(TreeSize(), at + 2) << "the report and its FP-15 flag";

  const std::vector<bj::object> flags = Fp15FlagsCiting(at);
  ASSERT_EQ(flags.size(), 1u);
  const bj::object& flag = flags[0];
  EXPECT_EQ(flag.at("subject").as_string(), "region:433100");
  EXPECT_EQ(flag.at("region").as_string(), kXiangxi);
  EXPECT_EQ(flag.at("seq").as_int64(), static_cast<int64_t>(at + 1));
  const bj::object& details = flag.at("details").as_object();
  EXPECT_EQ(details.at("rows_differing").as_int64(), 2);
  std::map<std::string, bj::array> flagged;  // region -> its firing columns
  for (const bj::value& row : details.at("rows").as_array()) {
    flagged[std::string(row.at("region").as_string())] = row.at("columns").as_array();
  }
  ASSERT_EQ(flagged.size(), 2u) << bj::serialize(details);
  ASSERT_EQ(flagged["433101"].size(), 1u);
  EXPECT_EQ(flagged["433101"][0].at("column").as_string(), "counters");
  EXPECT_EQ(flagged["433101"][0].at("submitted").as_int64(), counters + 1);
  EXPECT_EQ(flagged["433101"][0].at("projected").as_int64(), counters);
  EXPECT_EQ(flagged["433101"][0].at("difference").as_int64(), 1);
  ASSERT_EQ(flagged["433124"].size(), 1u);
  EXPECT_EQ(flagged["433124"][0].at("column").as_string(), "sales_fen");
  EXPECT_EQ(flagged["433124"][0].at("submitted").as_int64(), inflated_cents * 10'000);
  EXPECT_EQ(flagged["433124"][0].at("projected").as_int64(), sales_fen);

  report = LatestReport();
  ASSERT_FALSE(report.empty());
  EXPECT_EQ(report.at("seq").as_int64(), static_cast<int64_t>(at));
  EXPECT_TRUE(report.at("differs").as_bool());
  EXPECT_EQ(report.at("flag_id"), flag.at("flag_id"));
  EXPECT_EQ(FiringCells(report), (std::set<std::string>{"433101/counters", "433124/sales_fen"}));
  for (const bj::value& row : report.at("rows").as_array()) {
    const std::string region(row.at("region").as_string());
    EXPECT_EQ(row.at("differs").as_bool(), region == "433101" || region == "433124") << region;
  }

  // The review as a workbook.
  HttpReply xlsx = Get("/v1/reports?campaign=" + std::string(kCampaign) + "&format=xlsx");
  EXPECT_EQ(xlsx.status, 200u);
  EXPECT_TRUE(xlsx.body.starts_with("PK\x03\x04"));
  const std::string review = Write(scratch_ + "/review.xlsx", xlsx.body);
  const bj::object dump = DumpXlsx(review);
  ASSERT_FALSE(dump.empty());
  bool names_the_flag = false;
  for (const auto& [ref, value] : dump.at("cells").as_object()) {
    names_the_flag = names_the_flag ||
                     (value.is_string() && value.as_string() == flag.at("flag_id").as_string());
  }
  EXPECT_TRUE(names_the_flag) << "the review names the FP-15 flag";
}

TEST_F(ReportCommand, ColumnsMovedByAnotherProducerAreReadByTheirHeaders) {
  const std::map<std::string, bj::object> stats = Stats();
  // 销售扶贫产品 and 设立线上专区数 exchanged, headers and all.
  const std::string moved = Filled("moved.xlsx", stats, {{"swap_columns", bj::array{"C", "I"}}});
  const bj::object dump = DumpXlsx(moved);
  ASSERT_EQ(CellText(dump, "C2"), "销售扶贫产品(万元)");
  ASSERT_EQ(CellText(dump, "I2"), "设立线上专区数(个)");
  const uint64_t before = TreeSize();
  CliResult r = Submit(moved);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(RulesCaughtUp());
  EXPECT_EQ(TreeSize(), before + 1);
  const bj::object report = LatestReport();
  ASSERT_FALSE(report.empty());
  EXPECT_EQ(report.at("seq").as_int64(), static_cast<int64_t>(before));
  EXPECT_FALSE(report.at("differs").as_bool()) << bj::serialize(report);
  EXPECT_TRUE(Fp15FlagsCiting(before).empty());

  // The same file submitted again is another report (a new event id), not
  // a duplicate: the log grows and the new one is the latest.
  CliResult again = Submit(moved, {"--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const bj::object summary = bj::parse(again.out).as_object();
  EXPECT_EQ(summary.at("appended").as_int64(), 1) << again.out;
  EXPECT_EQ(summary.at("duplicates").as_int64(), 0) << again.out;
  ASSERT_TRUE(RulesCaughtUp());
  EXPECT_EQ(TreeSize(), before + 2);
  const bj::object latest = LatestReport();
  ASSERT_FALSE(latest.empty());
  EXPECT_EQ(latest.at("seq").as_int64(), static_cast<int64_t>(before + 1));
  EXPECT_NE(latest.at("event_id"), report.at("event_id"));
  EXPECT_FALSE(latest.at("differs").as_bool());
}

// ---- report import without --url --------------------------------------------

TEST_F(ReportCommand, WithoutUrlTheSignedReportIsPrintedAndEachImportIsANewAct) {
  const std::map<std::string, bj::object> stats = Stats();
  const std::string file = Filled("form.xlsx", stats);
  const uint64_t before = TreeSize();
  CliResult first = RunCli(ImportArgs(file));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(Contains(first.err, "signed the report of 433100 (9 rows, read from xlsx)"))
      << first.err;
  ASSERT_EQ(Lines(first.out).size(), 1u) << first.out;
  Result<Envelope> envelope = ParseEnvelope(Lines(first.out)[0]);
  ASSERT_TRUE(envelope.ok()) << envelope.status().ToString();
  EXPECT_EQ(envelope->type, "report.submitted");
  EXPECT_EQ(envelope->v, 1);
  EXPECT_EQ(envelope->key_id, "reporter-433100");
  EXPECT_EQ(envelope->occurred_at, kOccurredAt);
  EXPECT_EQ(envelope->canonical + "\n", first.out) << "canonical JSON, one line";

  // Signed by the reporter's key as the ledger registered it.
  const bj::value keys = bj::parse(fupin::testing::ReadWholeFile(keys_ + "/keys.json"));
  std::string public_b64;
  for (const bj::value& key : keys.as_array()) {
    if (key.at("id").as_string() == "reporter-433100") {
      public_b64 = std::string(key.at("public_key").as_string());
    }
  }
  Result<crypto::Ed25519PublicKey> reporter = crypto::Ed25519PublicKey::FromBase64(public_b64);
  ASSERT_TRUE(reporter.ok()) << public_b64;
  EXPECT_TRUE(reporter->Verify(envelope->signing_input, envelope->signature));

  const bj::object& body = envelope->body;
  EXPECT_EQ(body.at("campaign_id").as_string(), kCampaign);
  EXPECT_EQ(body.at("region").as_string(), kXiangxi);
  const bj::array& rows = body.at("rows").as_array();
  ASSERT_EQ(rows.size(), kRows.size());
  for (std::size_t r = 0; r < kRows.size(); ++r) {
    const bj::object& row = rows[r].as_object();
    const bj::object& ledger = stats.at(kRows[r]);
    EXPECT_EQ(row.at("region").as_string(), kRows[r]) << "合计 first, then by code";
    EXPECT_EQ(row.size(), 1 + pj::kFigureCount);
    for (std::size_t f = 0; f < pj::kFigureCount; ++f) {
      const std::string_view field = pj::kFigureFields[f];
      if (f == pj::kSalesFigure) {
        // 万元 to fen exactly: "52.74" -> 527,400.00 元.
        const std::string text(ledger.at("sales_wan_yuan").as_string());
        const std::size_t dot = text.find('.');
        const int64_t expected =
            std::stoll(text.substr(0, dot)) * 1'000'000 + std::stoll(text.substr(dot + 1)) * 10'000;
        EXPECT_EQ(row.at(field).as_int64(), expected) << kRows[r];
      } else {
        EXPECT_EQ(row.at(field), ledger.at(field)) << kRows[r] << " " << field;
      }
    }
  }

  // The same file again: another report (a new act), another id, the
  // same body.
  CliResult second = RunCli(ImportArgs(file));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  Result<Envelope> again = ParseEnvelope(Lines(second.out)[0]);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_NE(again->id, envelope->id);
  EXPECT_EQ(bj::serialize(again->body), bj::serialize(envelope->body));
  EXPECT_EQ(TreeSize(), before) << "nothing submitted without --url";

  // The same form as CSV, in UTF-8 and in GBK, signs the same body.
  std::string csv;
  {
    const std::string blank = scratch_ + "/form.csv";
    ASSERT_EQ(RunCli({"report", "template", "--campaign", std::string(kCampaign), "--region",
                      std::string(kXiangxi), "--out", blank, "--format", "csv"})
                  .exit_code,
              0);
    std::vector<std::string> lines = Lines(fupin::testing::ReadWholeFile(blank));
    for (std::size_t r = 0; r < kRows.size(); ++r) {
      const bj::object& row = stats.at(kRows[r]);
      std::string figures;
      for (std::size_t f = 0; f < pj::kFigureCount; ++f) {
        figures += f == pj::kSalesFigure ? std::string(row.at("sales_wan_yuan").as_string())
                                         : bj::serialize(row.at(pj::kFigureFields[f]));
        figures += ",";
      }
      // "序号,市县,<8 blanks>,备注,代码": the figures between 市县 and 备注.
      std::string& line = lines[2 + r];
      const std::size_t name_end = line.find(',', line.find(',') + 1) + 1;
      line.replace(name_end, pj::kFigureCount, figures);
    }
    for (const std::string& line : lines) csv += line + "\r\n";
  }
  const std::string utf8 = Write(scratch_ + "/filled.csv", csv);
  const std::string gbk = scratch_ + "/filled-gbk.csv";
  ASSERT_EQ(std::system(("iconv -f UTF-8 -t GB18030 " + utf8 + " > " + gbk).c_str()), 0);
  ASSERT_NE(fupin::testing::ReadWholeFile(gbk), csv);
  for (const std::string& path : {utf8, gbk}) {
    CliResult r = RunCli(ImportArgs(path));
    ASSERT_EQ(r.exit_code, 0) << path << ": " << r.err;
    EXPECT_TRUE(Contains(r.err, "read from csv")) << r.err;
    Result<Envelope> from_csv = ParseEnvelope(Lines(r.out)[0]);
    ASSERT_TRUE(from_csv.ok()) << from_csv.status().ToString();
    EXPECT_EQ(bj::serialize(from_csv->body), bj::serialize(envelope->body)) << path;
  }
}

// ---- refusals: nothing signed, nothing sent ---------------------------------

TEST_F(ReportCommand, BadCellsAreAllNamedAndNothingIsSubmitted) {
  const std::map<std::string, bj::object> stats = Stats();
  // Text in a count, a negative count, 3 decimals of 万元, a blank.
  const std::string bad =
      Filled("bad.xlsx", stats,
             {{"values", {{"C4", "三"}, {"D5", -1}, {"I6", "1.234"}, {"F7", nullptr}}}});
  const uint64_t before = TreeSize();
  CliResult r = Submit(bad);
  ExpectRefused(r, before,
                {"bad.xlsx: 4 errors; nothing was signed or sent",
                 "统计表 第 4 行 C 列（设立线上专区数(个)）「三」：不是数字",
                 "统计表 第 5 行 D 列（设立线下专区数(个)）「-1」：不能为负数",
                 "统计表 第 6 行 I 列（销售扶贫产品(万元)）「1.234」：万元最多两位小数",
                 "统计表 第 7 行 F 列（设立专柜数(个)）：未填写（没有请填 0）"});

  // --json: the same errors as data on stdout.
  CliResult json = Submit(bad, {"--json"});
  EXPECT_EQ(json.exit_code, 2) << json.err;
  const bj::object error = bj::parse(json.out).at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), "invalid_form");
  EXPECT_TRUE(Contains(std::string(error.at("message").as_string()), "4 bad cells"))
      << error.at("message");
  const bj::array& errors = error.at("errors").as_array();
  ASSERT_EQ(errors.size(), 4u) << bj::serialize(errors);
  EXPECT_EQ(errors[0].as_object(), (bj::object{{"sheet", "统计表"},
                                               {"row", 4},
                                               {"column", "C"},
                                               {"header", "设立线上专区数(个)"},
                                               {"value", "三"},
                                               {"reason", "不是数字"}}));
  EXPECT_EQ(errors[1].at("row").as_int64(), 5);
  EXPECT_EQ(errors[1].at("column").as_string(), "D");
  EXPECT_EQ(errors[1].at("reason").as_string(), "不能为负数");
  EXPECT_EQ(errors[2].at("column").as_string(), "I");
  EXPECT_EQ(errors[2].at("value").as_string(), "1.234");
  EXPECT_EQ(errors[3].at("row").as_int64(), 7);
  EXPECT_EQ(errors[3].at("column").as_string(), "F");
  EXPECT_FALSE(errors[3].as_object().contains("value")) << "a blank cell has no value";
  EXPECT_EQ(errors[3].at("reason").as_string(), "未填写（没有请填 0）");
  EXPECT_EQ(TreeSize(), before);

  // Without --url the same file prints no event either.
  CliResult unsigned_ = RunCli(ImportArgs(bad));
  EXPECT_EQ(unsigned_.exit_code, 2);
  EXPECT_EQ(unsigned_.out, "");
}

TEST_F(ReportCommand, AFormulaWithoutItsResultIsRefused) {
  // openpyxl stores formulas without computing them.
  const std::string file =
      Filled("formula.xlsx", Stats(), {{"formulas", {{"C3", "=SUM(C4:C11)"}}}});
  const uint64_t before = TreeSize();
  ExpectRefused(
      Submit(file), before,
      {"1 error; nothing was signed or sent", "统计表 第 3 行 C 列", "公式没有保存计算结果"});
}

TEST_F(ReportCommand, MergedCellsInTheDataAreRefused) {
  const std::string file = Filled("merged.xlsx", Stats(), {{"merge", bj::array{"C5:D5"}}});
  const uint64_t before = TreeSize();
  ExpectRefused(Submit(file), before,
                {"nothing was signed or sent", "表头和数据区不能有合并单元格：请取消合并 C5:D5"});
}

TEST_F(ReportCommand, AMissingCountyRowIsRefused) {
  // 龙山县's row emptied out: the table has eight rows.
  bj::object blank_row;
  for (char column = 'A'; column <= 'L'; ++column) blank_row[Cell(column, 11)] = nullptr;
  const std::string file = Filled("missing.xlsx", Stats(), {{"values", blank_row}});
  const uint64_t before = TreeSize();
  ExpectRefused(Submit(file), before,
                {"1 error; nothing was signed or sent", "统计表：缺少龙山县（433130）的行"});
}

TEST_F(ReportCommand, AFileThatIsNoFormIsRefused) {
  const uint64_t before = TreeSize();
  ExpectRefused(Submit(Write(scratch_ + "/notes.csv", "会议纪要,第一项\r\n没有表格\r\n")), before,
                {"找不到表头行（含「市县」的一行）：请使用统计表模板"});
  ExpectRefused(Submit(Write(scratch_ + "/broken.xlsx", "PK\x03\x04 not really a workbook")),
                before, {"无法读取文件"});
  // The statistics export of another 市州 is a form, but not this one's.
  const std::string other = scratch_ + "/changsha.xlsx";
  ASSERT_EQ(RunCli({"report", "template", "--campaign", std::string(kCampaign), "--region",
                    "430100", "--out", other})
                .exit_code,
            0);
  ExpectRefused(
      Submit(other), before,
      {"不是湘西土家族苗族自治州或其县市区的区划代码", "缺少合计行（湘西土家族苗族自治州）"});
  ExpectRefused(Submit(scratch_ + "/absent.xlsx"), before, {"no file", "absent.xlsx"});
}

TEST_F(ReportCommand, UnusableKeysAreRefusedBeforeAnythingIsSent) {
  const std::string file = Filled("form.xlsx", Stats());
  const uint64_t before = TreeSize();
  std::vector<std::string> args = ImportArgs(file, {"--url", server_->url()});
  args[9] = scratch_ + "/no-such-key.pem";  // --key
  ExpectRefused(RunCli(args), before, {"io_error: cannot open", "no-such-key.pem"});
  args[9] = Write(scratch_ + "/garbage.pem", "not a key");
  ExpectRefused(RunCli(args), before, {"garbage.pem: not an unencrypted PKCS#8 PEM private key"});
}

TEST_F(ReportCommand, TheServersRefusalsAreReportedAndNothingIsAppended) {
  const std::map<std::string, bj::object> stats = Stats();
  const std::string file = Filled("form.xlsx", stats);
  const uint64_t before = TreeSize();

  // A key id the ledger does not know (the key file is a real reporter's).
  std::vector<std::string> args = ImportArgs(file, {"--url", server_->url()});
  args[11] = "reporter-999999";  // --key-id
  CliResult unknown = RunCli(args);
  ExpectRefused(unknown, before,
                {"the ledger refused the report of 433100: unknown_key", "reporter-999999"},
                /*code=*/1);
  args.push_back("--json");
  CliResult unknown_json = RunCli(args);
  EXPECT_EQ(unknown_json.exit_code, 1) << unknown_json.err;
  EXPECT_EQ(bj::parse(unknown_json.out).at("error").at("code").as_string(), "unknown_key");

  // 怀化市's reporter reporting for 湘西州: outside its key's scope.
  args = ImportArgs(file, {"--url", server_->url()});
  args[9] = Key("431200");
  args[11] = "reporter-431200";
  ExpectRefused(RunCli(args), before,
                {"the ledger refused the report of 433100: out_of_scope",
                 "region 433100 is outside the scope of key \"reporter-431200\""},
                /*code=*/1);
  EXPECT_EQ(TreeSize(), before);
}

}  // namespace
}  // namespace fupin::cli
