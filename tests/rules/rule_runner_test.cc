// The live rule runner against the offline engine: on the golden campaign
// the flags it appends are exactly, in the same order and byte for byte,
// those a fresh engine decides by replaying the log; a restart appends
// nothing again; a read-only ledger is refused cleanly.
#include "rules/rule_runner.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "projections/record_scan.h"
#include "tests/support/fixtures.h"
#include "tests/support/loaded_campaign.h"

namespace fupin::rules {
namespace {

using fupin::testing::LoadedCampaign;

std::unique_ptr<LoadedCampaign> LoadGolden() {
  const std::string dir = fupin::testing::FixturePath("campaign-small");
  boost::json::object manifest =
      boost::json::parse(fupin::testing::ReadWholeFile(dir + "/manifest.json")).as_object();
  return std::make_unique<LoadedCampaign>(dir,
                                          std::string(manifest.at("admin_public_key").as_string()));
}

RuleConfig Defaults() {
  Result<RuleConfig> config = DefaultRuleConfig();
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return config.ok() ? *config : RuleConfig{};
}

// The event ids of every flag.raised record in the log, in log order.
std::vector<std::string> FlagEventIdsInLog(const Ledger& ledger) {
  std::vector<std::string> ids;
  Result<std::vector<StoredRecord>> records = ledger.ReadRecords(0, ledger.tree_size());
  EXPECT_TRUE(records.ok());
  if (!records.ok()) return ids;
  for (const StoredRecord& record : *records) {
    boost::json::object leaf = boost::json::parse(record.leaf_data).as_object();
    const boost::json::object& event = leaf.at("event").as_object();
    if (event.at("type").as_string() == "flag.raised") {
      ids.emplace_back(event.at("id").as_string());
      EXPECT_EQ(event.at("key").as_string(), ledger.info().system_key_id);
    }
  }
  return ids;
}

// What a fresh engine decides over the whole log (flags included: it
// ignores them), as event ids in decision order.
std::vector<std::string> ReplayedFlagIds(const Ledger& ledger) {
  Result<std::unique_ptr<RuleEngine>> engine = RuleEngine::Create(Defaults());
  EXPECT_TRUE(engine.ok());
  std::vector<std::string> ids;
  std::vector<RaisedFlag> raised;
  Status scanned =
      projections::ScanDecoded(ledger.store(), 0, ledger.tree_size(), projections::ScanOptions{},
                               [&](std::span<const projections::DecodedRecord> batch) {
                                 for (const projections::DecodedRecord& record : batch)
                                   (*engine)->Apply(record, raised);
                                 return Status::Ok();
                               });
  EXPECT_TRUE(scanned.ok()) << scanned.ToString();
  for (const RaisedFlag& flag : raised) ids.push_back(flag.event_id);
  return ids;
}

TEST(RuleRunner, LiveFlagsEqualAReplayOfTheLogAndARestartAddsNothing) {
  std::unique_ptr<LoadedCampaign> campaign = LoadGolden();
  Ledger& ledger = campaign->ledger();
  const uint64_t loaded = ledger.tree_size();
  {
    Result<std::unique_ptr<RuleRunner>> runner = RuleRunner::Open(ledger, Defaults());
    ASSERT_TRUE(runner.ok()) << runner.status().ToString();
    ASSERT_TRUE((*runner)->CatchUp().ok());
    RuleRunnerStats stats = (*runner)->stats();
    EXPECT_EQ(stats.position, ledger.tree_size());
    EXPECT_EQ(stats.lag, 0u);
    EXPECT_EQ(stats.flags_pending, 0u);
    EXPECT_EQ(stats.flags_appended, ledger.tree_size() - loaded);
    EXPECT_GT(stats.flags_appended, 40u);  // the fixture labels 46 cases
    EXPECT_EQ(stats.open_flags, stats.flags_appended);
  }
  std::vector<std::string> in_log = FlagEventIdsInLog(ledger);
  EXPECT_EQ(in_log.size(), ledger.tree_size() - loaded);
  EXPECT_EQ(in_log, ReplayedFlagIds(ledger));

  // A restart folds from zero, re-decides every flag and appends none.
  const uint64_t size = ledger.tree_size();
  Result<std::unique_ptr<RuleRunner>> again = RuleRunner::Open(ledger, Defaults());
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)->CatchUp().ok());
  EXPECT_EQ(ledger.tree_size(), size);
  EXPECT_EQ((*again)->stats().flags_appended, 0u);
  (*again)->Read([&](const RuleEngine& engine, const FlagBook& book) {
    EXPECT_EQ(book.size(), in_log.size());
    EXPECT_EQ(engine.flags().size(), in_log.size());
  });
}

TEST(RuleRunner, TheBackgroundThreadFollowsCommits) {
  std::unique_ptr<LoadedCampaign> campaign = LoadGolden();
  Ledger& ledger = campaign->ledger();
  Result<std::unique_ptr<RuleRunner>> runner = RuleRunner::Open(ledger, Defaults());
  ASSERT_TRUE(runner.ok());
  (*runner)->Start();
  (*runner)->Notify();
  // Folded to the end, its own flags included (they are records too).
  for (int i = 0; i < 400; ++i) {
    RuleRunnerStats stats = (*runner)->stats();
    if (stats.flags_appended > 0 && stats.lag == 0 && stats.flags_pending == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  (*runner)->Stop();
  EXPECT_GT((*runner)->stats().flags_appended, 0u);
  EXPECT_TRUE((*runner)->last_error().ok()) << (*runner)->last_error().ToString();
  EXPECT_EQ((*runner)->stats().lag, 0u);
  EXPECT_EQ(FlagEventIdsInLog(ledger), ReplayedFlagIds(ledger));
}

TEST(RuleRunner, AReadOnlyLedgerCannotTakeFlags) {
  std::unique_ptr<LoadedCampaign> campaign = LoadGolden();
  const std::string dir = campaign->dir();
  campaign->Close();
  LedgerOptions options;
  options.read_only = true;
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir, options);
  ASSERT_TRUE(ledger.ok());
  const uint64_t size = (*ledger)->tree_size();
  Result<std::unique_ptr<RuleRunner>> runner = RuleRunner::Open(**ledger, Defaults());
  ASSERT_TRUE(runner.ok());
  Status caught_up = (*runner)->CatchUp();
  EXPECT_EQ(caught_up.code(), ErrorCode::kUnavailable) << caught_up.ToString();
  // A retry delivers the same pending flags and folds no record twice.
  EXPECT_EQ((*runner)->CatchUp().code(), ErrorCode::kUnavailable);
  (*runner)->Read(
      [&](const RuleEngine& engine, const FlagBook&) { EXPECT_EQ(engine.position(), size); });
  EXPECT_GT((*runner)->stats().flags_pending, 40u);
  EXPECT_EQ((*ledger)->tree_size(), size);
}

TEST(RuleRunner, AnotherConfigurationKeepsTheFlagsAsRaised) {
  std::unique_ptr<LoadedCampaign> campaign = LoadGolden();
  Ledger& ledger = campaign->ledger();
  {
    Result<std::unique_ptr<RuleRunner>> runner = RuleRunner::Open(ledger, Defaults());
    ASSERT_TRUE(runner.ok());
    ASSERT_TRUE((*runner)->CatchUp().ok());
  }
  const uint64_t size = ledger.tree_size();
  // FP-03 at other ratios: the same products, other severities and
  // summaries; the flags in the log stay as they were raised.
  RuleConfig stricter = Defaults();
  stricter.rules.at("FP-03").params["warning_ratio"] = 1.2;
  stricter.rules.at("FP-03").params["alert_ratio"] = 1.25;
  Result<std::unique_ptr<RuleRunner>> runner = RuleRunner::Open(ledger, stricter);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  Status caught_up = (*runner)->CatchUp();
  EXPECT_TRUE(caught_up.ok()) << caught_up.ToString();
  EXPECT_EQ(ledger.tree_size(), size);
  EXPECT_EQ((*runner)->stats().flags_appended, 0u);
}

}  // namespace
}  // namespace fupin::rules
