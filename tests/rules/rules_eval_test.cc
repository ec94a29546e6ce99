// The quality bar of the rule engine (issue: recall >= 0.95 and precision
// >= 0.90 for every rule): generated campaigns of several seeds, small and
// medium, loaded into a ledger, evaluated by `fupin-ledger rules eval`
// against the generator's labels. The generator's fraud model is documented
// independently of the rules (docs/generator.md); nothing here tunes one to
// the other.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <string>

#include "generator/campaign_generator.h"
#include "generator/params.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fixtures.h"
#include "tests/support/loaded_campaign.h"

namespace fupin::rules {
namespace {

using fupin::testing::CliResult;
using fupin::testing::LoadedCampaign;
using fupin::testing::RunCli;

// Runs `rules eval` with the bar on a ledger of the campaign in `dir` and
// checks every rule, printing the rule's misses when it fails.
void ExpectRulesMeetTheBar(const std::string& campaign_dir, const std::string& admin_key) {
  LoadedCampaign campaign(campaign_dir, admin_key);
  campaign.Close();
  CliResult result =
      RunCli({"rules", "eval", "--data", campaign.dir(), "--labels", campaign_dir + "/labels.jsonl",
              "--min-precision", "0.90", "--min-recall", "0.95", "--json"});
  boost::system::error_code ec;
  boost::json::value report = boost::json::parse(result.out, ec);
  ASSERT_FALSE(ec) << result.out << result.err;
  const boost::json::array& rules = report.at("rules").as_array();
  ASSERT_GE(rules.size(), 20u);
  for (const boost::json::value& row : rules) {
    const std::string rule(row.at("rule").as_string());
    EXPECT_GT(row.at("labels").as_int64(), 0) << rule << " has no labelled case to find";
    EXPECT_TRUE(row.at("passed").as_bool())
        << rule << ": precision " << row.at("precision").as_string() << ", recall "
        << row.at("recall").as_string() << "\n  false positives "
        << boost::json::serialize(row.at("false_positive_subjects")) << "\n  false negatives "
        << boost::json::serialize(row.at("false_negative_subjects"));
  }
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(report.at("passed").as_bool());
}

TEST(RulesEval, GoldenFixtureMeetsTheBar) {
  const std::string dir = fupin::testing::FixturePath("campaign-small");
  boost::json::object manifest =
      boost::json::parse(fupin::testing::ReadWholeFile(dir + "/manifest.json")).as_object();
  ExpectRulesMeetTheBar(dir, std::string(manifest.at("admin_public_key").as_string()));
}

class GeneratedCampaignEval : public ::testing::TestWithParam<std::pair<uint64_t, std::string>> {};

TEST_P(GeneratedCampaignEval, MeetsTheBar) {
  const auto& [seed, scale] = GetParam();
  const std::string root = fupin::testing::MakeTempDir("fupin-rules-eval");
  generator::GenerateOptions options;
  options.seed = seed;
  Result<generator::Scale> parsed = generator::ParseScale(scale);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  options.scale = *parsed;
  options.out_dir = root + "/campaign";
  options.threads = 2;
  Result<generator::GenerateSummary> summary = generator::GenerateCampaign(options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ExpectRulesMeetTheBar(options.out_dir, summary->admin_public_key);
  std::filesystem::remove_all(root);
}

// The medium campaign (250,000 events) takes ~50 s in the Release run and
// ~10 min under ASan+UBSan; the sanitizer run checks memory safety, so it
// evaluates a 60,000-event campaign of the same seed instead, and the bar
// at medium scale is held by the Release run (both run in CI).
#ifdef FUPIN_SANITIZE_BUILD
inline constexpr const char* kMediumScale = "60000";
#else
inline constexpr const char* kMediumScale = "medium";
#endif

INSTANTIATE_TEST_SUITE_P(SmallAndMedium, GeneratedCampaignEval,
                         ::testing::Values(std::pair<uint64_t, std::string>{7, "small"},
                                           std::pair<uint64_t, std::string>{2020, "small"},
                                           std::pair<uint64_t, std::string>{31, "30000"},
                                           std::pair<uint64_t, std::string>{11, kMediumScale}),
                         [](const auto& info) {
                           return "seed" + std::to_string(info.param.first) + "_" +
                                  info.param.second;
                         });

}  // namespace
}  // namespace fupin::rules
