// The projection against the generator's independently computed tables:
// the checked-in golden campaign (fixtures/campaign-small) and freshly
// generated campaigns of other seeds, loaded into a fresh ledger in file
// order; every cell of expected/stats.json must match.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/generator/campaign_generator.h"
#include "cli/generator/params.h"
#include "ledger/event.h"
#include "ledger/projections/ledger_projections.h"
#include "ledger/projections/statistics_format.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"

namespace fupin::projections {
namespace {

// SPEC §5: a batch holds at most 1000 events.
inline constexpr std::size_t kBatch = 1000;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A ledger in a temp dir holding genesis and then every line of
// `events_path`, appended in order.
class LoadedCampaign {
 public:
  LoadedCampaign(const std::string& campaign_dir, const std::string& admin_public_key) {
    dir_ = fupin::testing::MakeTempDir("fupin-campaign");
    // The test clock puts recorded_at in September 2020, inside the
    // generated keys' validity.
    EXPECT_TRUE(Ledger::Init(dir_, admin_public_key, "admin", fupin::testing::TestClock()).ok());
    LedgerOptions options;
    options.clock = fupin::testing::TestClock();
    ledger_ = std::move(Ledger::Open(dir_, options)).value();
    std::istringstream lines(ReadFile(campaign_dir + "/events.jsonl"));
    std::vector<Envelope> batch;
    auto flush = [&] {
      AppendResult result = ledger_->Append(std::move(batch));
      EXPECT_TRUE(result.ok()) << result.status.ToString();
      batch.clear();
    };
    for (std::string line; std::getline(lines, line);) {
      Result<Envelope> envelope = ParseEnvelope(line);
      if (!envelope.ok()) {
        ADD_FAILURE() << envelope.status().ToString();
        return;
      }
      batch.push_back(std::move(envelope).value());
      if (batch.size() == kBatch) flush();
    }
    if (!batch.empty()) flush();
  }
  ~LoadedCampaign() {
    ledger_.reset();
    std::filesystem::remove_all(dir_);
  }
  const Ledger& ledger() const { return *ledger_; }

 private:
  std::string dir_;
  std::unique_ptr<Ledger> ledger_;
};

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
  boost::json::object manifest = boost::json::parse(ReadFile(dir + "/manifest.json")).as_object();
  LoadedCampaign campaign(dir, std::string(manifest.at("admin_public_key").as_string()));
  ExpectTableMatches(campaign.ledger(), ReadFile(dir + "/expected/stats.json"));
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
    ExpectTableMatches(campaign.ledger(), ReadFile(options.out_dir + "/expected/stats.json"));
  }
  std::filesystem::remove_all(root);
}

INSTANTIATE_TEST_SUITE_P(Seeds, GeneratedCampaignTest, ::testing::Values(7u, 2020u));

}  // namespace
}  // namespace fupin::projections
