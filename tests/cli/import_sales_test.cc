// `import sales`: a platform export in UTF-8, UTF-8 with BOM or GBK to
// signed sales, on stdout or submitted; idempotent re-import; every refusal
// with its message and nothing printed or submitted.
#include <gtest/gtest.h>
#include <iconv.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>

#include "api/config.h"
#include "api/server.h"
#include "intake/sale_event_id.h"
#include "ledger/event.h"
#include "tests/support/cli_runner.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

// The 832 fixture map's columns, and rows valid against the seeded world
// (product P-1, outlet C-1 in the operator's scope).
inline constexpr std::string_view kHeader =
    "订单编号,商品编码,店铺编号,数量,单价(元),实付金额(元),采购单位类型,采购单位编码,采购人账号,"
    "下单时间\r\n";
inline constexpr std::string_view kGoodRows =
    "DD1,P-1,C-1,10,35.00,350.00,预算单位,ORG-1,u1,2020-09-05 10:15:00\r\n"
    "DD2,P-1,C-1,2,35,70,个人,,u2,2020-09-05 11:02:41\r\n"
    "DD3,P-1,C-1,1,35.00,35.00,企业,ENT-1,u3,2020-09-06 09:30:00\r\n";

std::string Gbk(std::string_view utf8) {
  iconv_t cd = iconv_open("GBK", "UTF-8");
  std::string out(utf8.size() * 2, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  EXPECT_NE(iconv(cd, &in, &in_left, &out_ptr, &out_left), static_cast<std::size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

boost::json::object LastJsonLine(const std::string& text) {
  std::string trimmed = text.substr(0, text.find_last_not_of('\n') + 1);
  boost::json::value v = boost::json::parse(trimmed.substr(trimmed.rfind('\n') + 1));
  return v.as_object();
}

class ImportSalesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_.SeedWorld();
    api::ServerConfig config;
    config.listen.port = 0;
    server_ = std::make_unique<api::Server>(world_.ledger(), std::move(config));
    ASSERT_TRUE(server_->Start().ok());
    dir_ = testing::MakeTempDir("import-sales");
    key_ = Write("operator.pem", world_.op.key().ToPem());
  }
  void TearDown() override {
    server_->Stop();
    std::filesystem::remove_all(dir_);
  }

  std::string Write(const std::string& name, std::string_view bytes) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  testing::CliResult Import(
      const std::string& file, std::vector<std::string> extra = {},
      const std::string& map = testing::FixturePath("intake/832-sales-map.json")) {
    std::vector<std::string> args = {"import", "sales", "--file", file,       "--map",
                                     map,      "--key", key_,     "--key-id", world_.op.key_id()};
    args.insert(args.end(), extra.begin(), extra.end());
    return testing::RunCli(args);
  }
  testing::CliResult Submit(const std::string& file, std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--url", server_->url()});
    return Import(file, extra);
  }

  // A refusal: exit 2, stdout empty, the ledger unchanged, `needle` on stderr.
  void ExpectRefused(const testing::CliResult& r, std::string_view needle) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_EQ(world_.ledger().tree_size(), size_before_);
  }

  testing::TestLedger world_;
  std::unique_ptr<api::Server> server_;
  std::string dir_;
  std::string key_;
  uint64_t size_before_ = 0;
};

TEST_F(ImportSalesTest, Utf8FileIsSubmittedAndItsReimportIsAllDuplicates) {
  const std::string file = Write("sales.csv", std::string(kHeader) + std::string(kGoodRows));
  const uint64_t before = world_.ledger().tree_size();
  testing::CliResult first = Submit(file);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  boost::json::object summary = boost::json::parse(first.out).as_object();
  EXPECT_EQ(summary["encoding"].as_string(), "utf-8");
  EXPECT_EQ(summary["rows"].as_int64(), 3);
  EXPECT_EQ(summary["signed"].as_int64(), 3);
  EXPECT_EQ(summary["appended"].as_int64(), 3);
  EXPECT_EQ(world_.ledger().tree_size(), before + 3);

  testing::CliResult again = Submit(file, {"--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  boost::json::object second = boost::json::parse(again.out).as_object();
  EXPECT_EQ(second["appended"].as_int64(), 0);
  EXPECT_EQ(second["duplicates"].as_int64(), 3);
  EXPECT_EQ(world_.ledger().tree_size(), before + 3);
}

TEST_F(ImportSalesTest, WithoutUrlTheSignedEventsGoToStdout) {
  const std::string file =
      Write("bom.csv", "\xEF\xBB\xBF" + std::string(kHeader) + std::string(kGoodRows));
  testing::CliResult r = Import(file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = r.out.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(r.out.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 3u);
  Result<Envelope> first = ParseEnvelope(lines[0]);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->id, intake::SaleEventId("832", "DD1"));
  EXPECT_EQ(first->body.at("sale_id").as_string(), "832-DD1");
  EXPECT_EQ(first->body.at("buyer_ref").as_string(), "ORG-1/u1");
  EXPECT_EQ(first->occurred_at, "2020-09-05T10:15:00+08:00");
  EXPECT_EQ(LastJsonLine(r.err)["encoding"].as_string(), "utf-8-bom");
}

TEST_F(ImportSalesTest, GbkFileSignsToTheSameBytesAsUtf8) {
  testing::CliResult utf8 = Import(Write("u.csv", std::string(kHeader) + std::string(kGoodRows)));
  testing::CliResult gbk =
      Import(Write("g.csv", Gbk(std::string(kHeader) + std::string(kGoodRows))));
  ASSERT_EQ(gbk.exit_code, 0) << gbk.err;
  EXPECT_EQ(LastJsonLine(gbk.err)["encoding"].as_string(), "gb18030");
  EXPECT_FALSE(gbk.out.empty());
  EXPECT_EQ(gbk.out, utf8.out);
}

TEST_F(ImportSalesTest, GbkFileIsSubmitted) {
  const uint64_t before = world_.ledger().tree_size();
  testing::CliResult r = Submit(Write("g.csv", Gbk(std::string(kHeader) + std::string(kGoodRows))));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(boost::json::parse(r.out).as_object()["appended"].as_int64(), 3);
  EXPECT_EQ(world_.ledger().tree_size(), before + 3);
}

TEST_F(ImportSalesTest, BadRowsRefuseTheWholeFileNamingEveryProblem) {
  size_before_ = world_.ledger().tree_size();
  const std::string file =
      Write("bad.csv", std::string(kHeader) + std::string(kGoodRows) +
                           "DD4,P-1,C-1,三,35.00,,个人,,u4,2020-09-05 10:15:00\r\n"
                           "DD5,P-1,C-1,1,35.001,,熟人,,u5,2020-09-05 10:15:00\r\n");
  testing::CliResult r = Submit(file);
  ExpectRefused(r, "line 5, column \"数量\", value \"三\": not a whole number of units");
  EXPECT_NE(r.err.find("line 6, column \"单价(元)\", value \"35.001\": more than 2 decimals"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("line 6, column \"采购单位类型\", value \"熟人\""), std::string::npos);
  EXPECT_NE(r.err.find("2 of 5 rows are bad; nothing was signed"), std::string::npos);
  boost::json::object summary = LastJsonLine(r.err);
  EXPECT_EQ(summary["error"].as_object()["code"].as_string(), "invalid_field");
  ASSERT_EQ(summary["errors"].as_array().size(), 3u);
  const boost::json::object& e = summary["errors"].as_array()[0].as_object();
  EXPECT_EQ(e.at("line").as_int64(), 5);
  EXPECT_EQ(e.at("column").as_string(), "数量");
  EXPECT_EQ(e.at("value").as_string(), "三");
  EXPECT_EQ(e.at("reason").as_string(), "not a whole number of units");
}

TEST_F(ImportSalesTest, BadRowsPrintNoEventsWithoutUrl) {
  size_before_ = world_.ledger().tree_size();
  testing::CliResult r =
      Import(Write("bad.csv", std::string(kHeader) + std::string(kGoodRows) +
                                  "DD4,P-1,C-1,3,12.00,35.00,个人,,u4,2020-09-05 10:15:00\r\n"));
  ExpectRefused(r,
                "line 5, column \"实付金额(元)\", value \"35.00\": is not 数量 3 x 单价(元) "
                "12.00 = 36.00");
}

TEST_F(ImportSalesTest, SkipBadRowsSubmitsTheRestAndListsWhatWasLeftOut) {
  const uint64_t before = world_.ledger().tree_size();
  const std::string file =
      Write("bad.csv", std::string(kHeader) + std::string(kGoodRows) +
                           "DD4,P-1,C-1,三,35.00,,个人,,u4,2020-09-05 10:15:00\r\n"
                           "DD1,P-1,C-1,1,35.00,,个人,,u4,2020-09-05 10:15:00\r\n");
  testing::CliResult r = Submit(file, {"--skip-bad-rows"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("line 5, column \"数量\""), std::string::npos) << r.err;
  EXPECT_NE(
      r.err.find("line 6, column \"订单编号\", value \"DD1\": order \"DD1\" is also on line 2"),
      std::string::npos)
      << r.err;
  boost::json::object summary = boost::json::parse(r.out).as_object();
  EXPECT_EQ(summary["rows"].as_int64(), 5);
  EXPECT_EQ(summary["bad_rows"].as_int64(), 2);
  EXPECT_EQ(summary["signed"].as_int64(), 3);
  EXPECT_EQ(summary["appended"].as_int64(), 3);
  const boost::json::array& left_out = summary["left_out"].as_array();
  ASSERT_EQ(left_out.size(), 2u);
  EXPECT_EQ(left_out[0].as_object().at("line").as_int64(), 5);
  EXPECT_EQ(left_out[1].as_object().at("line").as_int64(), 6);
  EXPECT_EQ(world_.ledger().tree_size(), before + 3);
}

TEST_F(ImportSalesTest, SkipBadRowsWithoutUrlListsTheLeftOutRowsOnStderr) {
  testing::CliResult r =
      Import(Write("bad.csv", std::string(kHeader) +
                                  "DD4,P-1,C-1,三,35.00,,个人,,u4,2020-09-05 10:15:00\r\n" +
                                  std::string(kGoodRows)),
             {"--skip-bad-rows"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3);
  boost::json::object summary = LastJsonLine(r.err);
  ASSERT_EQ(summary["left_out"].as_array().size(), 1u);
  EXPECT_EQ(summary["left_out"].as_array()[0].as_object().at("line").as_int64(), 2);
}

TEST_F(ImportSalesTest, LedgerRefusalNamesTheCsvLine) {
  const uint64_t before = world_.ledger().tree_size();
  testing::CliResult r = Submit(
      Write("unknown.csv", std::string(kHeader) + std::string(kGoodRows) +
                               "DD9,P-404,C-1,1,35.00,35.00,个人,,u9,2020-09-05 10:15:00\r\n"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  boost::json::object summary = boost::json::parse(r.out).as_object();
  EXPECT_EQ(summary["appended"].as_int64(), 3);
  ASSERT_EQ(summary["rejected"].as_array().size(), 1u);
  const boost::json::object& refused = summary["rejected"].as_array()[0].as_object();
  EXPECT_EQ(refused.at("line").as_int64(), 5);
  EXPECT_EQ(refused.at("code").as_string(), "unknown_reference");
  EXPECT_EQ(world_.ledger().tree_size(), before + 3);
}

TEST_F(ImportSalesTest, BadMapsAreRefusedClearly) {
  size_before_ = world_.ledger().tree_size();
  const std::string file = Write("sales.csv", std::string(kHeader) + std::string(kGoodRows));
  std::string map_text = testing::ReadFixture("intake/832-sales-map.json");
  std::string typo = map_text;
  typo.replace(typo.find("\"columns\""), 9, "\"colums\"");
  ExpectRefused(Import(file, {"--url", server_->url()}, Write("typo.json", typo)),
                "sales map: colums: unknown member");
  ExpectRefused(Import(file, {"--url", server_->url()}, Write("half.json", map_text.substr(0, 40))),
                "malformed_json");
  std::string no_zone = map_text;
  const std::string zone = ", \"zone\": \"+08:00\"";
  no_zone.erase(no_zone.find(zone), zone.size());
  ExpectRefused(Import(file, {"--url", server_->url()}, Write("zone.json", no_zone)),
                "sales map: time.zone: required");
  ExpectRefused(Import(file, {"--url", server_->url()}, dir_ + "/missing.json"),
                "File does not exist");
}

TEST_F(ImportSalesTest, HeaderWithoutAMappedColumnIsRefused) {
  size_before_ = world_.ledger().tree_size();
  ExpectRefused(Submit(Write("cols.csv", "订单编号,商品编码,数量\r\nDD1,P-1,1\r\n")),
                "has no column \"店铺编号\" named in the map");
}

TEST_F(ImportSalesTest, FileThatIsNeitherUtf8NorGbkIsRefused) {
  size_before_ = world_.ledger().tree_size();
  ExpectRefused(Submit(Write("binary.csv", std::string(kHeader) + "\xFF\xFE\r\n")), "invalid_utf8");
}

TEST_F(ImportSalesTest, UnterminatedQuoteIsRefused) {
  size_before_ = world_.ledger().tree_size();
  ExpectRefused(Submit(Write("quote.csv", std::string(kHeader) + "\"DD1,P-1\r\n")),
                "CSV line 2: a quoted field is not closed");
}

TEST_F(ImportSalesTest, UnusableKeysAreRefused) {
  size_before_ = world_.ledger().tree_size();
  const std::string file = Write("sales.csv", std::string(kHeader) + std::string(kGoodRows));
  key_ = Write("garbage.pem", "not a key");
  ExpectRefused(Submit(file), "garbage.pem");
  key_ = Write("operator2.pem", world_.op.key().ToPem());
  std::vector<std::string> args = {"import",   "sales",
                                   "--file",   file,
                                   "--map",    testing::FixturePath("intake/832-sales-map.json"),
                                   "--key",    key_,
                                   "--key-id", ""};
  ExpectRefused(testing::RunCli(args), "malformed_event");
}

TEST_F(ImportSalesTest, EmptyExportSignsNothing) {
  testing::CliResult r = Submit(Write("empty.csv", std::string(kHeader)));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  boost::json::object summary = boost::json::parse(r.out).as_object();
  EXPECT_EQ(summary["rows"].as_int64(), 0);
  EXPECT_EQ(summary["appended"].as_int64(), 0);
}

}  // namespace
}  // namespace fupin
