// `fupin-ledger rules`: eval and check, their exit codes and every refusal.
// (The quality bar itself runs in tests/rules/rules_eval_test.cc.)
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/cli_runner.h"
#include "tests/support/fixtures.h"
#include "tests/support/loaded_campaign.h"

namespace fupin::cli {
namespace {

using fupin::testing::CliResult;
using fupin::testing::RunCli;

std::string WriteTemp(const std::string& dir, const std::string& name, const std::string& text) {
  std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// The golden fixture loaded into a ledger once for every test here.
class RulesCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = fupin::testing::FixturePath("campaign-small");
    boost::json::object manifest =
        boost::json::parse(fupin::testing::ReadWholeFile(dir + "/manifest.json")).as_object();
    campaign_ = new fupin::testing::LoadedCampaign(
        dir, std::string(manifest.at("admin_public_key").as_string()));
    campaign_->Close();
    labels_ = dir + "/labels.jsonl";
  }
  static void TearDownTestSuite() {
    delete campaign_;
    campaign_ = nullptr;
  }
  void SetUp() override { scratch_ = fupin::testing::MakeTempDir("fupin-rules-cli"); }
  void TearDown() override { std::filesystem::remove_all(scratch_); }

  static fupin::testing::LoadedCampaign* campaign_;
  static std::string labels_;
  std::string scratch_;
};

fupin::testing::LoadedCampaign* RulesCommand::campaign_ = nullptr;
std::string RulesCommand::labels_;

TEST_F(RulesCommand, EvalPrintsATablePerRule) {
  CliResult result = RunCli({"rules", "eval", "--data", campaign_->dir(), "--labels", labels_});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("precision"), std::string::npos) << result.out;
  for (int rule = 1; rule <= 20; ++rule) {
    std::string id = rule < 10 ? "FP-0" + std::to_string(rule) : "FP-" + std::to_string(rule);
    EXPECT_NE(result.out.find(id), std::string::npos) << id;
  }
}

TEST_F(RulesCommand, AStricterConfigMissesCasesAndFailsTheBar) {
  // FP-03 at 10x the reference finds none of the labelled overpricing.
  std::string config = WriteTemp(
      scratch_, "strict.json", R"({"rules":{"FP-03":{"warning_ratio":10.0,"alert_ratio":20.0}}})");
  CliResult result = RunCli({"rules", "eval", "--data", campaign_->dir(), "--labels", labels_,
                             "--config", config, "--min-recall", "0.95", "--json"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  boost::json::value report = boost::json::parse(result.out);
  EXPECT_FALSE(report.at("passed").as_bool());
  for (const auto& row : report.at("rules").as_array()) {
    const bool fp03 = row.at("rule").as_string() == "FP-03";
    EXPECT_EQ(row.at("passed").as_bool(), !fp03) << boost::json::serialize(row);
    if (fp03) {
      EXPECT_EQ(row.at("flagged").as_int64(), 0);
      EXPECT_EQ(row.at("false_negatives").as_int64(), row.at("labels").as_int64());
    }
  }
}

TEST_F(RulesCommand, EvalRefusesBadInputWithExitTwo) {
  std::string bad_config = WriteTemp(scratch_, "bad.json", R"({"rules":{"FP-03":{"ratio":2}}})");
  std::string bad_labels = WriteTemp(scratch_, "labels.jsonl", "{\"rule\":\"FP-01\"}\n");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"rules", "eval", "--data", campaign_->dir(), "--labels", scratch_ + "/none.jsonl"},
       "cannot read labels"},
      {{"rules", "eval", "--data", campaign_->dir(), "--labels", bad_labels}, "labels.jsonl:1"},
      {{"rules", "eval", "--data", campaign_->dir(), "--labels", labels_, "--config", bad_config},
       "FP-03.ratio"},
      {{"rules", "eval", "--data", scratch_ + "/no-ledger", "--labels", labels_}, "not_found"},
      {{"rules", "eval", "--data", campaign_->dir(), "--labels", labels_, "--min-recall", "2"},
       "--min-recall"},
  };
  for (const Case& c : cases) {
    CliResult result = RunCli(c.args);
    EXPECT_EQ(result.exit_code, 2) << c.message << ": " << result.err;
    EXPECT_NE(result.err.find(c.message), std::string::npos) << result.err;
  }
}

TEST_F(RulesCommand, CheckValidatesAConfiguration) {
  CliResult defaults = RunCli({"rules", "check", "--json"});
  EXPECT_EQ(defaults.exit_code, 0) << defaults.err;
  EXPECT_EQ(boost::json::parse(defaults.out).at("enabled").as_array().size(), 20u);

  std::string off = WriteTemp(scratch_, "off.json", R"({"rules":{"FP-20":{"enabled":false}}})");
  CliResult partial = RunCli({"rules", "check", "--config", off, "--json"});
  EXPECT_EQ(partial.exit_code, 0) << partial.err;
  EXPECT_EQ(boost::json::parse(partial.out).at("enabled").as_array().size(), 19u);

  std::string bad = WriteTemp(scratch_, "bad.json", R"({"rules":{"FP-07":{"min_suppliers":0}}})");
  CliResult refused = RunCli({"rules", "check", "--config", bad});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("FP-07.min_suppliers"), std::string::npos) << refused.err;
  CliResult missing = RunCli({"rules", "check", "--config", scratch_ + "/none.json"});
  EXPECT_EQ(missing.exit_code, 2);  // I/O, not a finding
  EXPECT_NE(missing.err.find("cannot read"), std::string::npos) << missing.err;
  std::string duplicate = WriteTemp(scratch_, "dup.json", R"({"rules":{"FP-07":{},"FP-07":{}}})");
  CliResult twice = RunCli({"rules", "check", "--config", duplicate});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find("duplicate"), std::string::npos) << twice.err;
}

}  // namespace
}  // namespace fupin::cli
