// The demo command: starts on a fresh data directory, serves the generated
// campaign with the printed token, stops cleanly on SIGINT, and reuses its
// data on the next run.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>

#include "api/client.h"
#include "tests/support/cli_process.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

using testing::CliProcess;

// Starts `fupin-ledger demo --json` and waits for its ready line.
CliProcess StartDemo(const std::string& data) {
  return testing::StartCliProcess(
      {"demo", "--data", data, "--listen", "127.0.0.1:0", "--events", "10000", "--json"});
}

int Stop(const CliProcess& demo) { return testing::StopCliProcess(demo, SIGINT); }

TEST(DemoCommand, ServesTheCampaignAndStopsCleanly) {
  std::string data = testing::MakeTempDir("fupin-demo");
  CliProcess demo = StartDemo(data);
  ASSERT_TRUE(demo.ready.contains("url"));
  std::string url(demo.ready["url"].as_string());
  std::string token(demo.ready["supervisor_token"].as_string());
  int64_t tree_size = demo.ready["tree_size"].as_int64();
  EXPECT_GT(tree_size, 10000);

  auto anonymous = std::move(api::HttpClient::Create(url)).value();
  Result<api::ClientResponse> health = anonymous->Get("/healthz");
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ(health->status, 200u);

  auto supervisor = std::move(api::HttpClient::Create(url, token)).value();
  // Two witnesses cosign every served checkpoint (docs/trust.md).
  ASSERT_EQ(demo.ready["witnesses"].as_array().size(), 2u);
  EXPECT_EQ(demo.ready["witness_quorum"].as_int64(), 2);
  EXPECT_EQ(demo.ready["witnesses"].at(0).at("name").as_string(), "湘西州扶贫办");
  EXPECT_EQ(demo.ready["witnesses"].at(1).at("name").as_string(), "省审计厅");
  EXPECT_TRUE(demo.ready["witnessed"].as_bool());
  Result<api::ClientResponse> note = anonymous->Get("/checkpoint");
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(note->status, 200u);
  EXPECT_NE(note->body.find("\xE2\x80\x94 湘西州扶贫办 "), std::string::npos) << note->body;
  EXPECT_NE(note->body.find("\xE2\x80\x94 省审计厅 "), std::string::npos) << note->body;

  // The loaded tail is signed within the checkpoint interval (1 s), and
  // cosigned within the witnesses' interval.
  int64_t signed_size = 0;
  for (int attempt = 0; attempt < 100 && signed_size < tree_size; ++attempt) {
    Result<api::ClientResponse> checkpoint = supervisor->Get("/v1/checkpoint");
    ASSERT_TRUE(checkpoint.ok());
    ASSERT_EQ(checkpoint->status, 200u);
    signed_size = boost::json::parse(checkpoint->body).at("tree_size").as_int64();
    if (signed_size < tree_size) usleep(100000);
  }
  // The rule engine appends its flags after the load, so the log may have
  // grown past the ready line's size.
  EXPECT_GE(signed_size, tree_size);
  Result<api::ClientResponse> records = supervisor->Get("/v1/events?from=0&limit=3");
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->status, 200u);
  EXPECT_EQ(boost::json::parse(records->body).at("records").as_array().size(), 3u);

  // The printed statistics example: 合计 first, then the 14 市州, each as
  // the server answers GET /v1/stats, covering every loaded record.
  ASSERT_TRUE(demo.ready.contains("stats_example"));
  const boost::json::array& rows = demo.ready["stats_example"].as_array();
  ASSERT_EQ(rows.size(), 15u);
  EXPECT_EQ(rows[0].at("region").as_string(), "430000");
  EXPECT_EQ(rows[0].at("level").as_string(), "province");
  EXPECT_GT(rows[0].at("sales_fen").as_int64(), 0);
  EXPECT_GT(rows[0].at("counters").as_int64(), 0);
  int64_t prefecture_sales = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].at("level").as_string(), "prefecture");
    prefecture_sales += rows[i].at("sales_fen").as_int64();
  }
  EXPECT_EQ(prefecture_sales, rows[0].at("sales_fen").as_int64());
  Result<api::ClientResponse> stats =
      supervisor->Get("/v1/stats?campaign=HN-2020-09&level=province");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(boost::json::parse(stats->body).at("rows").at(0), rows[0]);

  // The rule engine flags the campaign's fraud cases after the load.
  std::size_t flags = 0;
  for (int attempt = 0; attempt < 100 && flags == 0; ++attempt) {
    Result<api::ClientResponse> listed = supervisor->Get("/v1/flags?limit=5");
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->status, 200u) << listed->body;
    flags = boost::json::parse(listed->body).at("flags").as_array().size();
    if (flags == 0) usleep(100000);
  }
  EXPECT_GT(flags, 0u);

  // The web page (built by scripts/build-web.sh, which scripts/build.sh
  // runs) is served at /, and the key that signs resolutions in it exists.
  ASSERT_TRUE(demo.ready.contains("web"));
  ASSERT_TRUE(demo.ready["web"].is_string()) << "web/dist not built: run scripts/build-web.sh";
  EXPECT_EQ(demo.ready["web"].as_string(), url + "/");
  Result<api::ClientResponse> page = anonymous->Get("/");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, 200u);
  EXPECT_NE(page->body.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_TRUE(
      std::filesystem::is_regular_file(std::string(demo.ready["supervisor_key_file"].as_string())));
  EXPECT_EQ(demo.ready["supervisor_key_id"].as_string(), "supervisor-430000-1");

  // Three 市州 reported through the intake path (filled forms kept in the
  // data directory): 湘西州's inflated cells, and only those, fire FP-15.
  const boost::json::array intake = demo.ready["reports"].as_array();
  ASSERT_EQ(intake.size(), 3u);
  for (const boost::json::value& report : intake) {
    EXPECT_TRUE(std::filesystem::is_regular_file(std::string(report.at("file").as_string())));
  }
  boost::json::object xiangxi;
  for (int attempt = 0; attempt < 100; ++attempt) {
    Result<api::ClientResponse> review = supervisor->Get("/v1/reports?campaign=HN-2020-09");
    ASSERT_TRUE(review.ok());
    ASSERT_EQ(review->status, 200u) << review->body;
    const boost::json::value parsed = boost::json::parse(review->body);
    for (const auto& report : parsed.at("reports").as_array()) {
      const std::string region(report.at("region").as_string());
      if (region == "431200" || region == "430500") {
        EXPECT_FALSE(report.at("differs").as_bool()) << region;
      }
      if (region == "433100") xiangxi = report.as_object();
    }
    if (!xiangxi.empty() && xiangxi.at("flag_id").is_string()) break;
    usleep(100000);
  }
  ASSERT_FALSE(xiangxi.empty());
  EXPECT_TRUE(xiangxi.at("flag_id").is_string()) << "FP-15 never flagged the inflated report";
  int fires = 0;
  for (const auto& row : xiangxi.at("rows").as_array()) {
    for (const auto& column : row.at("columns").as_array()) fires += column.at("fires").as_bool();
  }
  EXPECT_EQ(fires, 2);

  EXPECT_EQ(Stop(demo), 0);

  // A second run reuses the ledger and the token.
  CliProcess again = StartDemo(data);
  ASSERT_TRUE(again.ready.contains("url"));
  EXPECT_EQ(again.ready["supervisor_token"].as_string(), token);
  EXPECT_GE(again.ready["tree_size"].as_int64(), tree_size);
  EXPECT_EQ(again.ready["log_id"].as_string(), demo.ready["log_id"].as_string());
  // The intake reports are submitted once per data directory.
  EXPECT_EQ(again.ready["reports"], demo.ready["reports"]);
  EXPECT_EQ(Stop(again), 0);
  EXPECT_TRUE(again.ready["mirror"].is_null());
  std::filesystem::remove_all(data);
}

TEST(DemoCommand, RunsAVerifyingMirrorBesideTheLedger) {
  std::string data = testing::MakeTempDir("fupin-demo-mirror");
  CliProcess demo =
      testing::StartCliProcess({"demo", "--data", data, "--listen", "127.0.0.1:0", "--events",
                                "10000", "--mirror", "--mirror-listen", "127.0.0.1:0", "--json"});
  ASSERT_TRUE(demo.ready.contains("mirror"));
  ASSERT_TRUE(demo.ready["mirror"].is_object()) << boost::json::serialize(demo.ready);
  const boost::json::object& m = demo.ready["mirror"].as_object();
  const std::string url(demo.ready["url"].as_string());
  const std::string token(demo.ready["supervisor_token"].as_string());
  const std::string mirror_url(m.at("url").as_string());
  EXPECT_EQ(m.at("mirror_of").as_string(), url);
  EXPECT_EQ(m.at("data").as_string(), data + "/mirror");
  EXPECT_EQ(m.at("web").as_string(), mirror_url + "/");

  auto source = std::move(api::HttpClient::Create(url, token)).value();
  auto mirror = std::move(api::HttpClient::Create(mirror_url, token)).value();
  // The mirror follows the published (witnessed) checkpoint to the end.
  std::string theirs;
  std::string ours;
  for (int attempt = 0; attempt < 300; ++attempt) {
    theirs = source->Get("/v1/checkpoint")->body;
    ours = mirror->Get("/v1/checkpoint")->body;
    if (theirs == ours && boost::json::parse(theirs).at("tree_size").as_int64() >=
                              demo.ready["tree_size"].as_int64()) {
      break;
    }
    usleep(100000);
  }
  EXPECT_EQ(ours, theirs);
  Result<api::ClientResponse> status = mirror->Get("/v1/mirror/status");
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->status, 200u) << status->body;
  EXPECT_TRUE(boost::json::parse(status->body).at("following").as_bool());
  Result<api::ClientResponse> write = mirror->Post("/v1/events", "{}");
  ASSERT_TRUE(write.ok());
  EXPECT_EQ(write->status, 405u);
  EXPECT_EQ(mirror->Get("/")->status, 200u);
  EXPECT_EQ(Stop(demo), 0);

  // Stopped cleanly: the mirror's directory verifies as a ledger's does.
  testing::CliResult verified = testing::RunCli({"verify", "--data", data + "/mirror"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  std::filesystem::remove_all(data);
}

TEST(DemoCommand, GuomiServesAnSm3LogWithSm2KeysThatVerifies) {
  std::string data = testing::MakeTempDir("fupin-demo-guomi");
  CliProcess demo = testing::StartCliProcess({"demo", "--guomi", "--data", data, "--listen",
                                              "127.0.0.1:0", "--events", "10000", "--json"});
  ASSERT_TRUE(demo.ready.contains("url"));
  EXPECT_EQ(demo.ready["hash"].as_string(), "sm3");
  const std::string url(demo.ready["url"].as_string());
  auto supervisor = std::move(api::HttpClient::Create(
                                  url, std::string(demo.ready["supervisor_token"].as_string())))
                        .value();
  Result<api::ClientResponse> checkpoint = supervisor->Get("/v1/checkpoint");
  ASSERT_TRUE(checkpoint.ok());
  ASSERT_EQ(checkpoint->status, 200u) << checkpoint->body;
  EXPECT_EQ(boost::json::parse(checkpoint->body).at("hash").as_string(), "sm3");
  // The witnesses cosign it: they check the SM3 log's proofs with SM3.
  EXPECT_TRUE(demo.ready["witnessed"].as_bool());
  Result<api::ClientResponse> keys =
      supervisor->Get("/v1/events?from=2&limit=100&type=key.registered");
  ASSERT_TRUE(keys.ok());
  EXPECT_NE(keys->body.find("\"alg\":\"sm2\""), std::string::npos);
  EXPECT_EQ(Stop(demo), 0);

  testing::CliResult verified = testing::RunCli({"verify", "--data", data, "--full"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  // Its hash is fixed: the directory is no plain demo's.
  testing::CliResult plain = testing::RunCli(
      {"demo", "--data", data, "--listen", "127.0.0.1:0", "--events", "10000", "--json"});
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_NE(plain.out.find("holds an SM3 ledger"), std::string::npos) << plain.out;
  std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace fupin
