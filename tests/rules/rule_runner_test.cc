// The live rule runner against the offline engine: on the golden campaign
// the flags it appends are exactly, in the same order and byte for byte,
// those a fresh engine decides by replaying the log; a restart starts from
// the saved state and appends nothing again; a saved state of another log,
// version or configuration is discarded; a read-only ledger is refused
// cleanly.
#include "rules/rule_runner.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "projections/projection_layout.h"
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

  // A restart starts where the runner stopped (it saved then) and appends
  // nothing; one told not to use the saved state folds from zero,
  // re-decides every flag and appends none either.
  const uint64_t size = ledger.tree_size();
  for (bool persist : {true, false}) {
    SCOPED_TRACE(persist ? "from the saved state" : "from zero");
    Result<std::unique_ptr<RuleRunner>> again =
        RuleRunner::Open(ledger, Defaults(), {.persist = persist});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ((*again)->stats().restored_at, persist ? size : 0u);
    EXPECT_EQ((*again)->stats().position, persist ? size : 0u);
    EXPECT_FALSE((*again)->stats().discarded_state);
    ASSERT_TRUE((*again)->CatchUp().ok());
    EXPECT_EQ(ledger.tree_size(), size);
    EXPECT_EQ((*again)->stats().flags_appended, 0u);
    (*again)->Read([&](const RuleEngine& engine, const FlagBook& book) {
      EXPECT_EQ(book.size(), in_log.size());
      EXPECT_EQ(book.open(), in_log.size());
      EXPECT_EQ(engine.flags().size(), in_log.size());
    });
  }
}

// The engine's state and the book of a runner folded from zero over the
// whole log.
std::pair<std::string, std::string> StateOf(const RuleRunner& runner) {
  std::pair<std::string, std::string> state;
  runner.Read([&](const RuleEngine& engine, const FlagBook& book) {
    state = {engine.EncodeState(), book.EncodeState()};
  });
  return state;
}

std::pair<std::string, std::string> StateFromZero(Ledger& ledger) {
  Result<std::unique_ptr<RuleRunner>> runner =
      RuleRunner::Open(ledger, Defaults(), {.persist = false});
  EXPECT_TRUE(runner.ok());
  EXPECT_TRUE((*runner)->CatchUp().ok());
  return StateOf(**runner);
}

// The saved state's two entries in Cf::kProjections.
std::vector<DbPut> SavedState(const Ledger& ledger) {
  std::vector<DbPut> puts;
  for (const std::string& key : {projections::HeadKey("rules"), projections::StateKey("rules")}) {
    Result<std::optional<std::string>> value = ledger.store().Get(Cf::kProjections, key);
    EXPECT_TRUE(value.ok() && value->has_value()) << key;
    if (value.ok() && value->has_value()) puts.push_back({Cf::kProjections, key, **value});
  }
  return puts;
}

TEST(RuleRunner, ARunnerRestoredMidwayFoldsOnToTheSameState) {
  std::unique_ptr<LoadedCampaign> campaign = LoadGolden();
  Ledger& ledger = campaign->ledger();
  std::vector<DbPut> midway;
  uint64_t saved_at = 0;
  {
    // Saves every 5,000 records while it catches up (a budget too large
    // to space them further).
    Result<std::unique_ptr<RuleRunner>> runner = RuleRunner::Open(
        ledger, Defaults(),
        {.fold_step = 1000, .persist_every = 5000, .save_bytes_per_record = uint64_t{1} << 40});
    ASSERT_TRUE(runner.ok());
    ASSERT_TRUE((*runner)->CatchUp().ok());
    saved_at = (*runner)->stats().saved_at;
    midway = SavedState(ledger);
  }  // Stop saves at the end; put the midway save back
  ASSERT_GE(saved_at, 10'000u);
  ASSERT_LT(saved_at, ledger.tree_size());
  ASSERT_TRUE(ledger.store().Write(midway, /*sync=*/false).ok());

  const auto whole = StateFromZero(ledger);
  Result<std::unique_ptr<RuleRunner>> restored = RuleRunner::Open(ledger, Defaults());
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ((*restored)->stats().restored_at, saved_at);
  EXPECT_FALSE((*restored)->stats().discarded_state);
  const uint64_t size = ledger.tree_size();
  ASSERT_TRUE((*restored)->CatchUp().ok());
  EXPECT_EQ(ledger.tree_size(), size);  // the flags after the save are in the log already
  EXPECT_EQ((*restored)->stats().flags_appended, 0u);
  EXPECT_TRUE(StateOf(**restored) == whole)
      << "the restored runner's state differs from a fold from zero";
}

// Stop does not wait for a long fold (the first start on a large log) to
// reach the end: it ends at the next step, saves there, and the next start
// goes on from that save to the same state as a fold from zero.
TEST(RuleRunner, StopEndsALongFoldAtItsNextStepAndTheNextStartGoesOn) {
  std::unique_ptr<LoadedCampaign> campaign = LoadGolden();
  Ledger& ledger = campaign->ledger();
  uint64_t stopped_at = 0;
  {
    Result<std::unique_ptr<RuleRunner>> runner =
        RuleRunner::Open(ledger, Defaults(), {.fold_step = 100});
    ASSERT_TRUE(runner.ok());
    (*runner)->Start();
    (*runner)->Stop();  // 15,000 records take at least 150 steps
    stopped_at = (*runner)->stats().position;
    EXPECT_LT(stopped_at, ledger.tree_size());
    EXPECT_EQ((*runner)->stats().saved_at, stopped_at);
    EXPECT_TRUE((*runner)->last_error().ok()) << (*runner)->last_error().ToString();
  }
  const auto whole = StateFromZero(ledger);
  Result<std::unique_ptr<RuleRunner>> again = RuleRunner::Open(ledger, Defaults());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->stats().restored_at, stopped_at);
  ASSERT_TRUE((*again)->CatchUp().ok());
  EXPECT_TRUE(StateOf(**again) == whole);
}

TEST(RuleRunner, ASavedStateOfAnotherLogVersionOrConfigurationIsDiscarded) {
  std::unique_ptr<LoadedCampaign> source = LoadGolden();
  {
    Result<std::unique_ptr<RuleRunner>> runner = RuleRunner::Open(source->ledger(), Defaults());
    ASSERT_TRUE(runner.ok());
    ASSERT_TRUE((*runner)->CatchUp().ok());
  }
  const std::vector<DbPut> saved = SavedState(source->ledger());
  ASSERT_EQ(saved.size(), 2u);
  Result<projections::ProjectionHead> head = projections::DecodeHead(saved[0].value);
  ASSERT_TRUE(head.ok());

  // Another log: the same campaign loaded into another ledger (its own
  // system key signs its flags), so the record at the saved position has
  // another leaf hash.
  std::unique_ptr<LoadedCampaign> other = LoadGolden();
  Ledger& ledger = other->ledger();
  {
    Result<std::unique_ptr<RuleRunner>> runner =
        RuleRunner::Open(ledger, Defaults(), {.persist = false});
    ASSERT_TRUE(runner.ok());
    ASSERT_TRUE((*runner)->CatchUp().ok());
  }
  ASSERT_GE(ledger.tree_size(), head->position);
  Result<StoredRecord> last = ledger.ReadRecord(head->position - 1);
  ASSERT_TRUE(last.ok());
  ASSERT_NE(last->leaf_hash, head->last_leaf_hash);
  const auto whole = StateFromZero(ledger);

  auto open_with = [&](const std::vector<DbPut>& puts, const RuleConfig& config) {
    EXPECT_TRUE(ledger.store().Write(puts, /*sync=*/false).ok());
    Result<std::unique_ptr<RuleRunner>> runner = RuleRunner::Open(ledger, config);
    EXPECT_TRUE(runner.ok());
    return std::move(runner).value();
  };
  auto expect_folded_from_zero = [&](RuleRunner& runner) {
    EXPECT_TRUE(runner.stats().discarded_state);
    EXPECT_EQ(runner.stats().restored_at, 0u);
    EXPECT_EQ(runner.stats().position, 0u);
    ASSERT_TRUE(runner.CatchUp().ok());
    EXPECT_EQ(runner.stats().flags_appended, 0u);
    EXPECT_TRUE(StateOf(runner) == whole);
  };
  {
    SCOPED_TRACE("another log");
    std::unique_ptr<RuleRunner> runner = open_with(saved, Defaults());
    expect_folded_from_zero(*runner);
  }
  {
    SCOPED_TRACE("another version");
    projections::ProjectionHead newer = *head;
    newer.projection_version = kRuleStateVersion + 1;
    newer.last_leaf_hash = last->leaf_hash;  // this log, so only the version differs
    std::unique_ptr<RuleRunner> runner = open_with(
        {{Cf::kProjections, projections::HeadKey("rules"), projections::EncodeHead(newer)}},
        Defaults());
    expect_folded_from_zero(*runner);
  }
  {
    SCOPED_TRACE("another configuration");
    // A state this ledger saved itself, under the defaults.
    {
      Result<std::unique_ptr<RuleRunner>> own = RuleRunner::Open(ledger, Defaults());
      ASSERT_TRUE(own.ok());
      ASSERT_TRUE((*own)->CatchUp().ok());
    }
    Result<projections::ProjectionHead> own = projections::DecodeHead(SavedState(ledger)[0].value);
    ASSERT_TRUE(own.ok());
    EXPECT_EQ(own->last_leaf_hash, ledger.ReadRecord(own->position - 1)->leaf_hash);
    RuleConfig stricter = Defaults();
    stricter.rules.at("FP-03").params["warning_ratio"] = 1.2;
    stricter.rules.at("FP-03").params["alert_ratio"] = 1.25;
    Result<std::unique_ptr<RuleRunner>> opened = RuleRunner::Open(ledger, stricter);
    ASSERT_TRUE(opened.ok());
    std::unique_ptr<RuleRunner> runner = std::move(opened).value();
    EXPECT_TRUE(runner->stats().discarded_state);
    EXPECT_EQ(runner->stats().position, 0u);
    ASSERT_TRUE(runner->CatchUp().ok());
    EXPECT_EQ(runner->stats().flags_appended, 0u);
  }
  {
    SCOPED_TRACE("damaged");
    std::vector<DbPut> damaged = SavedState(ledger);
    damaged[1].value.resize(damaged[1].value.size() / 2);
    std::unique_ptr<RuleRunner> runner = open_with(damaged, Defaults());
    expect_folded_from_zero(*runner);
  }
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
