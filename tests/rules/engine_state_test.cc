// The rule engine's saved state (engine.h, "Saved state") and the flag
// book's: an engine restored at any point of the golden campaign (where
// every rule of the catalog fires) decides exactly the flags of one that
// never stopped; a state saved under another configuration, or damaged,
// is refused.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "projections/record_scan.h"
#include "rules/engine.h"
#include "rules/flag_book.h"
#include "rules/rule_runner.h"
#include "tests/support/fixtures.h"
#include "tests/support/loaded_campaign.h"

namespace fupin::rules {
namespace {

using projections::DecodedRecord;

RuleConfig Defaults() {
  Result<RuleConfig> config = DefaultRuleConfig();
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return config.ok() ? *config : RuleConfig{};
}

std::unique_ptr<RuleEngine> NewEngine(const RuleConfig& config = Defaults()) {
  Result<std::unique_ptr<RuleEngine>> engine = RuleEngine::Create(config);
  EXPECT_TRUE(engine.ok()) << engine.status().ToString();
  return engine.ok() ? std::move(engine).value() : nullptr;
}

// The golden campaign's records, decoded once for every test.
class RuleEngineStateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = fupin::testing::FixturePath("campaign-small");
    boost::json::object manifest =
        boost::json::parse(fupin::testing::ReadWholeFile(dir + "/manifest.json")).as_object();
    fupin::testing::LoadedCampaign campaign(
        dir, std::string(manifest.at("admin_public_key").as_string()));
    records_ = new std::vector<DecodedRecord>();
    Status scanned = projections::ScanDecoded(
        campaign.ledger().store(), 0, campaign.ledger().tree_size(), projections::ScanOptions{},
        [](std::span<const DecodedRecord> batch) {
          records_->insert(records_->end(), batch.begin(), batch.end());
          return Status::Ok();
        });
    ASSERT_TRUE(scanned.ok()) << scanned.ToString();
  }
  static void TearDownTestSuite() {
    delete records_;
    records_ = nullptr;
  }

  static void Fold(RuleEngine& engine, std::size_t from, std::size_t to,
                   std::vector<RaisedFlag>& raised) {
    for (std::size_t i = from; i < to; ++i) engine.Apply((*records_)[i], raised);
  }

  // Each decided flag as its flag.raised event: everything the log gets.
  static std::vector<std::string> Events(const std::vector<RaisedFlag>& raised) {
    std::vector<std::string> events;
    for (const RaisedFlag& flag : raised) {
      events.push_back(boost::json::serialize(FlagRaisedEvent(flag)) + " decided at " +
                       std::to_string(flag.decided_at));
    }
    return events;
  }

  static std::vector<DecodedRecord>* records_;
};

std::vector<DecodedRecord>* RuleEngineStateTest::records_ = nullptr;

TEST_F(RuleEngineStateTest, ARestoredEngineDecidesWhatOneThatNeverStoppedDecides) {
  const std::size_t total = records_->size();
  ASSERT_GT(total, 15'000u);
  std::unique_ptr<RuleEngine> whole = NewEngine();
  std::vector<RaisedFlag> whole_raised;
  Fold(*whole, 0, total, whole_raised);
  ASSERT_GE(whole_raised.size(), 46u);  // every labelled case, all 20 rules

  // Split points spread over the log, the first and the last included:
  // each rule's state is saved while it is full of work in progress.
  for (std::size_t split = 1; split < total; split += total / 17) {
    SCOPED_TRACE("restored at position " + std::to_string(split));
    std::unique_ptr<RuleEngine> first = NewEngine();
    std::vector<RaisedFlag> raised;
    Fold(*first, 0, split, raised);
    const std::string saved = first->EncodeState();

    std::unique_ptr<RuleEngine> restored = NewEngine();
    Status decoded = restored->DecodeState(saved);
    ASSERT_TRUE(decoded.ok()) << decoded.ToString();
    EXPECT_EQ(restored->position(), split);
    EXPECT_EQ(restored->clock_ms(), first->clock_ms());
    EXPECT_EQ(restored->EncodeState(), saved);  // nothing lost in the round trip

    Fold(*restored, split, total, raised);
    EXPECT_EQ(Events(raised), Events(whole_raised));
    EXPECT_EQ(restored->EncodeState(), whole->EncodeState());
    EXPECT_EQ(restored->open_flags(), whole->open_flags());
    EXPECT_EQ(restored->raised_counts(), whole->raised_counts());
  }
}

TEST_F(RuleEngineStateTest, AStateSavedUnderAnotherConfigurationIsRefused) {
  std::unique_ptr<RuleEngine> engine = NewEngine();
  std::vector<RaisedFlag> raised;
  Fold(*engine, 0, records_->size() / 2, raised);
  const std::string saved = engine->EncodeState();

  RuleConfig stricter = Defaults();
  stricter.rules.at("FP-03").params["warning_ratio"] = 1.2;
  std::unique_ptr<RuleEngine> other = NewEngine(stricter);
  Status decoded = other->DecodeState(saved);
  EXPECT_EQ(decoded.code(), ErrorCode::kInvalidArgument) << decoded.ToString();
  EXPECT_NE(decoded.message().find("another rule configuration"), std::string::npos);

  // Limits are part of the configuration too.
  Result<std::unique_ptr<RuleEngine>> fewer =
      RuleEngine::Create(Defaults(), RuleEngineLimits{.max_evidence = 10});
  ASSERT_TRUE(fewer.ok());
  EXPECT_EQ((*fewer)->DecodeState(saved).code(), ErrorCode::kInvalidArgument);

  // And an engine that has folded takes no state.
  EXPECT_EQ(engine->DecodeState(saved).code(), ErrorCode::kInvalidArgument);
}

TEST_F(RuleEngineStateTest, DamagedBytesAreRefusedAsDataLoss) {
  std::unique_ptr<RuleEngine> engine = NewEngine();
  std::vector<RaisedFlag> raised;
  Fold(*engine, 0, records_->size() / 2, raised);
  const std::string saved = engine->EncodeState();
  // Cut anywhere past the config digest: always refused, never a crash.
  for (std::size_t cut = 40; cut < saved.size(); cut += saved.size() / 97 + 1) {
    std::unique_ptr<RuleEngine> restored = NewEngine();
    Status decoded = restored->DecodeState(std::string_view(saved).substr(0, cut));
    EXPECT_EQ(decoded.code(), ErrorCode::kDataLoss) << "cut at " << cut;
  }
  std::unique_ptr<RuleEngine> restored = NewEngine();
  EXPECT_EQ(restored->DecodeState(saved + "x").code(), ErrorCode::kDataLoss);
}

TEST_F(RuleEngineStateTest, TheFlagBookRoundTrips) {
  FlagBook book;
  for (const DecodedRecord& record : *records_) book.Apply(record);
  // The golden campaign carries no flags; fold an engine's decisions in
  // as the runner would see them in the log.
  std::unique_ptr<RuleEngine> engine = NewEngine();
  std::vector<RaisedFlag> raised;
  Fold(*engine, 0, records_->size(), raised);
  ASSERT_FALSE(raised.empty());
  uint64_t seq = records_->size();
  for (const RaisedFlag& flag : raised) {
    DecodedRecord record;
    record.seq = seq++;
    record.type = EventType::kFlagRaised;
    record.occurred_at_ms = flag.occurred_at_ms;
    record.body = flag.body;
    book.Apply(record);
  }
  DecodedRecord resolution;
  resolution.seq = seq++;
  resolution.type = EventType::kFlagResolved;
  resolution.key_id = "supervisor-1";
  resolution.body = FlagResolved{raised.front().body.flag_id, FlagResolution::kDismissed, "已核实"};
  book.Apply(resolution);

  const std::string saved = book.EncodeState();
  FlagBook restored;
  ASSERT_TRUE(restored.DecodeState(saved).ok());
  EXPECT_EQ(restored.EncodeState(), saved);
  EXPECT_EQ(restored.size(), book.size());
  EXPECT_EQ(restored.open(), book.open());
  const FlagEntry* dismissed = restored.Find(raised.front().body.flag_id);
  ASSERT_NE(dismissed, nullptr);
  EXPECT_EQ(dismissed->status(), FlagStatus::kDismissed);
  EXPECT_EQ(dismissed->resolution->note, "已核实");
  EXPECT_EQ(boost::json::serialize(dismissed->raised.details),
            boost::json::serialize(raised.front().body.details));

  FlagBook damaged;
  EXPECT_EQ(damaged.DecodeState(saved.substr(0, saved.size() - 3)).code(), ErrorCode::kDataLoss);
  EXPECT_EQ(damaged.size(), 0u);
  EXPECT_EQ(damaged.open(), 0u);
}

}  // namespace
}  // namespace fupin::rules
