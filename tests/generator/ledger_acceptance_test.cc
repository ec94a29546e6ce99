// Every event of a generated campaign is accepted by the ledger, in file
// order, right after `init` with the generated admin key.
#include <gtest/gtest.h>

#include <filesystem>

#include "ledger/event.h"
#include "ledger/ledger.h"
#include "tests/generator/generated_campaign.h"
#include "tests/support/event_builder.h"

namespace fupin::generator {
namespace {

using testing::GeneratedCampaign;
using testing::Lines;

// SPEC §5: a batch holds at most 1000 events.
constexpr std::size_t kBatch = 1000;

TEST(GeneratedCampaignLedger, EveryEventOfASmallCampaignIsAccepted) {
  GeneratedCampaign campaign(7, "small");
  const std::string data = fupin::testing::MakeTempDir("fupin-gen-ledger");
  Result<GenesisInfo> genesis = Ledger::Init(data + "/ledger", campaign.summary().admin_public_key,
                                             "admin", fupin::testing::TestClock());
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  LedgerOptions options;
  options.clock = fupin::testing::TestClock();
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(data + "/ledger", options);
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();

  const std::vector<std::string> lines = Lines(campaign.Read("events.jsonl"));
  ASSERT_EQ(lines.size(), campaign.summary().events);
  std::size_t rejected = 0;
  for (std::size_t start = 0; start < lines.size(); start += kBatch) {
    std::vector<Envelope> batch;
    for (std::size_t i = start; i < std::min(lines.size(), start + kBatch); ++i) {
      Result<Envelope> envelope = ParseEnvelope(lines[i]);
      ASSERT_TRUE(envelope.ok()) << "line " << i + 1 << ": " << envelope.status().ToString();
      batch.push_back(std::move(envelope).value());
    }
    AppendResult result = (*ledger)->Append(std::move(batch));
    if (!result.ok()) {
      ++rejected;
      ADD_FAILURE() << "line " << start + result.failed_index + 1 << ": "
                    << result.status.ToString() << "\n"
                    << lines[start + result.failed_index];
      break;
    }
  }
  EXPECT_EQ(rejected, 0u);
  EXPECT_EQ((*ledger)->tree_size(), 2 + lines.size());
  EXPECT_EQ(static_cast<int64_t>((*ledger)->tree_size()) - 1, campaign.summary().as_of);
  ledger->reset();
  std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace fupin::generator
