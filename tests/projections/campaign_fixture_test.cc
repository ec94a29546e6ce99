// The projection against the generator's independently computed tables:
// the checked-in golden campaign (fixtures/campaign-small) and freshly
// generated campaigns of other seeds, loaded into a fresh ledger in file
// order; every cell of expected/stats.json must match.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "generator/campaign_generator.h"
#include "generator/params.h"
#include "ledger/event.h"
#include "projections/ledger_projections.h"
#include "projections/statistics_format.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"
#include "tests/support/loaded_campaign.h"

namespace fupin::projections {
namespace {

using fupin::testing::LoadedCampaign;

using fupin::testing::ReadWholeFile;

// Compares the projection's table with expected/stats.json cell by cell.
void ExpectTableMatches(const Ledger& ledger, const std::string& expected_json) {
  boost::json::object expected = boost::json::parse(expected_json).as_object();
  RunnerOptions options;
  options.persist = false;
  auto projections = std::move(LedgerProjections::Open(ledger, options)).value();
  ASSERT_TRUE(projections->runner().CatchUp().ok());
  Result<StatisticsTable> table =
      projections->Statistics(std::string(expected.at("campaign").as_string()), std::nullopt);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  boost::json::object actual = StatisticsJson(*table);
  EXPECT_EQ(actual.at("as_of"), expected.at("as_of"));
  const boost::json::array& want = expected.at("rows").as_array();
  const boost::json::array& got = actual.at("rows").as_array();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    for (const auto& [field, value] : want[i].as_object()) {
      EXPECT_EQ(got[i].as_object().at(field), value)
          << "row " << i << " (" << want[i].at("region") << ") " << field;
    }
  }
}

TEST(CampaignFixtureTest, GoldenSmallCampaignMatchesItsExpectedTable) {
  const std::string dir = fupin::testing::FixturePath("campaign-small");
  ASSERT_TRUE(std::filesystem::exists(dir + "/expected/stats.json"))
      << "fixtures/campaign-small is missing; see fixtures/campaign-small/README.md";
  boost::json::object manifest =
      boost::json::parse(ReadWholeFile(dir + "/manifest.json")).as_object();
  LoadedCampaign campaign(dir, std::string(manifest.at("admin_public_key").as_string()));
  ExpectTableMatches(campaign.ledger(), ReadWholeFile(dir + "/expected/stats.json"));
}

class GeneratedCampaignTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(GeneratedCampaignTest, ProjectionMatchesTheGeneratorsTable) {
  const std::string root = fupin::testing::MakeTempDir("fupin-generated");
  generator::GenerateOptions options;
  options.seed = GetParam();
  options.scale = *generator::ParseScale("small");
  options.out_dir = root + "/campaign";
  Result<generator::GenerateSummary> summary = generator::GenerateCampaign(options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  {
    LoadedCampaign campaign(options.out_dir, summary->admin_public_key);
    ExpectTableMatches(campaign.ledger(), ReadWholeFile(options.out_dir + "/expected/stats.json"));
  }
  std::filesystem::remove_all(root);
}

INSTANTIATE_TEST_SUITE_P(Seeds, GeneratedCampaignTest, ::testing::Values(7u, 2020u));

}  // namespace
}  // namespace fupin::projections
