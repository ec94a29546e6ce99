// RuleEngine: dedupe, generations, flag ids, determinism, the business
// clock and evidence limits, over hand-made records.
#include "rules/engine.h"

#include <gtest/gtest.h>

#include <regex>
#include <span>

#include "ledger/codec.h"
#include "ledger/crypto.h"
#include "tests/rules/rule_harness.h"

namespace fupin::rules::testing {
namespace {

// The defaults with FP-11..FP-20 disabled: these tests are about the
// engine, driven by FP-01..FP-10.
RuleConfig EngineConfig() {
  std::string override = R"({"rules":{)";
  for (int i = 11; i <= 20; ++i) {
    override +=
        (i == 11 ? "" : ",") + std::string("\"FP-") + std::to_string(i) + R"(":{"enabled":false})";
  }
  override += "}}";
  Result<RuleConfig> defaults = DefaultRuleConfig();
  Result<RuleConfig> parsed = ParseRuleConfigText(override);
  EXPECT_TRUE(defaults.ok() && parsed.ok());
  Result<RuleConfig> merged = MergeRuleConfig(*defaults, *parsed);
  EXPECT_TRUE(merged.ok()) << merged.status().ToString();
  return *merged;
}

// Builds the records of a small world, in log order.
class Log {
 public:
  uint64_t Add(EventBody body, const std::string& occurred_at) {
    DecodedRecord record;
    record.seq = records_.size();
    record.type = TypeOf(body);
    Result<int64_t> ms = ParseRfc3339Millis(occurred_at);
    EXPECT_TRUE(ms.ok()) << occurred_at;
    record.occurred_at_ms = ms.ok() ? *ms : 0;
    record.occurred_day = ShanghaiDay(record.occurred_at_ms);
    record.stream = StreamOf(body);
    record.key_id = "test-key";
    record.body = std::move(body);
    records_.push_back(std::move(record));
    return records_.back().seq;
  }
  // Regions, campaign CAMP-1 (September 2020), supplier SUP-1, households
  // H-1 and H-2, product P-1 (reference 35.00 元) and counter C-1.
  void Seed() {
    Add(RegionDefined{"430000", "湖南省", RegionLevel::kProvince, "", false}, kSetup);
    Add(RegionDefined{"430100", "长沙市", RegionLevel::kPrefecture, "430000", false}, kSetup);
    Add(RegionDefined{"430102", "芙蓉区", RegionLevel::kCounty, "430100", false}, kSetup);
    Add(RegionDefined{"433100", "湘西州", RegionLevel::kPrefecture, "430000", false}, kSetup);
    Add(RegionDefined{"433127", "永顺县", RegionLevel::kCounty, "433100", true}, kSetup);
    CampaignDefined campaign;
    campaign.campaign_id = "CAMP-1";
    campaign.name = "测试消费扶贫月";
    campaign.starts_on = "2020-09-01";
    campaign.ends_on = "2020-09-30";
    campaign.starts_on_day = Day(campaign.starts_on);
    campaign.ends_on_day = Day(campaign.ends_on);
    Add(campaign, kSetup);
    Add(SupplierRegistered{"SUP-1", "供应商", "91430000MA4L000000", "433127"}, kSetup);
    Add(HouseholdRegistered{"H-1", "433127", 3, HouseholdStatus::kPoor}, kSetup);
    Add(HouseholdRegistered{"H-2", "433127", 2, HouseholdStatus::kPoor}, kSetup);
    ProductCertified p;
    p.product_id = "P-1";
    p.name = "茶油";
    p.category = "茶油";
    p.spec = "1L";
    p.unit = "瓶";
    p.supplier_id = "SUP-1";
    p.origin_region = "433127";
    p.reference_price_fen = 3500;
    p.certificate_no = "XFP-1";
    p.valid_from = "2020-01-01";
    p.valid_to = "2021-12-31";
    p.valid_from_day = Day(p.valid_from);
    p.valid_to_day = Day(p.valid_to);
    p.annual_value_fen = 500'000'000;
    p.benefit.mechanisms = {BenefitMechanism::kOrderPurchase};
    p.benefit.households = {"H-1", "H-2"};
    p.benefit.people_claimed = 5;
    certified_ = Add(p, kSetup);
    OutletDeployed o;
    o.outlet_id = "C-1";
    o.kind = OutletKind::kCounter;
    o.name = "专柜";
    o.region = "430102";
    Add(o, kSetup);
  }
  uint64_t Sale(const std::string& id, int64_t unit_price_fen, const std::string& at) {
    SaleRecorded s;
    s.sale_id = id;
    s.product_id = "P-1";
    s.outlet_id = "C-1";
    s.quantity = 1;
    s.unit_price_fen = unit_price_fen;
    s.amount_fen = unit_price_fen;
    return Add(s, at);
  }
  uint64_t Revoke(const std::string& at) { return Add(ProductRevoked{"P-1", "抽检不合格"}, at); }

  const std::vector<DecodedRecord>& records() const { return records_; }
  uint64_t certified() const { return certified_; }

 private:
  static constexpr const char* kSetup = "2020-08-01T09:00:00+08:00";
  std::vector<DecodedRecord> records_;
  uint64_t certified_ = 0;
};

class RuleEngineTest : public ::testing::Test {
 protected:
  RuleEngineTest() { log_.Seed(); }

  std::unique_ptr<RuleEngine> NewEngine(RuleEngineLimits limits = {}) {
    Result<std::unique_ptr<RuleEngine>> engine = RuleEngine::Create(EngineConfig(), limits);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    return engine.ok() ? std::move(*engine) : nullptr;
  }
  // Applies the records not yet applied to `engine`.
  std::vector<RaisedFlag> Run(RuleEngine& engine) {
    std::vector<RaisedFlag> raised;
    for (std::size_t i = engine.position(); i < log_.records().size(); ++i) {
      engine.Apply(log_.records()[i], raised);
    }
    return raised;
  }
  Log log_;
};

TEST_F(RuleEngineTest, RepeatRaiseAddsEvidenceInsteadOfASecondFlag) {
  auto engine = NewEngine();
  log_.Revoke("2020-09-03T10:00:00+08:00");
  log_.Sale("S-1", 3500, "2020-09-05T10:00:00+08:00");
  const uint64_t second = log_.Sale("S-2", 3500, "2020-09-05T11:00:00+08:00");
  std::vector<RaisedFlag> raised = Run(*engine);
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].body.rule, "FP-01");
  ASSERT_EQ(engine->flags().size(), 1u);
  const FlagTrack& track = engine->flags().at(raised[0].body.flag_id);
  EXPECT_TRUE(track.open);
  EXPECT_EQ(track.extra_evidence, std::vector<uint64_t>{second});
  EXPECT_EQ(track.extra_evidence_total, 1u);
  EXPECT_EQ(engine->open_flags(), 1u);
  EXPECT_EQ(engine->raised_counts().at({"FP-01", "alert"}), 1u);
}

TEST_F(RuleEngineTest, ResolvedFlagReopensAsANewGeneration) {
  auto engine = NewEngine();
  log_.Revoke("2020-09-03T10:00:00+08:00");
  log_.Sale("S-1", 3500, "2020-09-05T10:00:00+08:00");
  std::vector<RaisedFlag> first = Run(*engine);
  ASSERT_EQ(first.size(), 1u);
  const std::string first_id = first[0].body.flag_id;

  log_.Add(FlagResolved{first_id, FlagResolution::kConfirmed, "已核实"},
           "2020-09-06T10:00:00+08:00");
  EXPECT_TRUE(Run(*engine).empty());
  EXPECT_FALSE(engine->flags().at(first_id).open);
  EXPECT_EQ(engine->open_flags(), 0u);

  log_.Sale("S-2", 3500, "2020-09-07T10:00:00+08:00");
  std::vector<RaisedFlag> second = Run(*engine);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(second[0].body.flag_id, first_id);
  EXPECT_NE(second[0].event_id, first[0].event_id);
  EXPECT_EQ(engine->flags().at(second[0].body.flag_id).generation, 1u);
  EXPECT_EQ(engine->flags().at(first_id).generation, 0u);
  EXPECT_EQ(engine->open_flags(), 1u);
  EXPECT_EQ(engine->raised_counts().at({"FP-01", "alert"}), 2u);
}

TEST_F(RuleEngineTest, FlagIdAndEventIdDeriveFromRuleSubjectWindowAndGeneration) {
  auto engine = NewEngine();
  log_.Revoke("2020-09-03T10:00:00+08:00");
  log_.Sale("S-1", 3500, "2020-09-05T10:00:00+08:00");
  std::vector<RaisedFlag> raised = Run(*engine);
  ASSERT_EQ(raised.size(), 1u);

  const crypto::Digest digest = crypto::Sha256("fupin-ledger/flag/v1\nFP-01\nproduct:P-1\n\n0");
  std::array<uint8_t, 16> bytes;
  std::copy_n(digest.begin(), 16, bytes.begin());
  const std::string hex = HexEncode(std::span<const uint8_t>(bytes));
  EXPECT_EQ(raised[0].body.flag_id, "F-" + hex);
  EXPECT_EQ(raised[0].body.flag_id.size(), 34u);

  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x80);
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);
  const std::string uuid_hex = HexEncode(std::span<const uint8_t>(bytes));
  const std::string& event_id = raised[0].event_id;
  ASSERT_EQ(event_id.size(), 36u);
  EXPECT_TRUE(std::regex_match(
      event_id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << event_id;
  std::string undashed = event_id;
  std::erase(undashed, '-');
  EXPECT_EQ(undashed, uuid_hex);
}

TEST_F(RuleEngineTest, RaisedFlagCarriesTheDraft) {
  auto engine = NewEngine();
  const uint64_t revoked = log_.Revoke("2020-09-03T10:00:00+08:00");
  const uint64_t sale = log_.Sale("S-1", 3500, "2020-09-05T10:00:00+08:00");
  std::vector<RaisedFlag> raised = Run(*engine);
  ASSERT_EQ(raised.size(), 1u);
  const RaisedFlag& flag = raised[0];
  EXPECT_EQ(flag.body.severity, FlagSeverity::kAlert);
  EXPECT_EQ(flag.body.subject, "product:P-1");
  EXPECT_EQ(flag.body.region, "433127");
  EXPECT_EQ(flag.body.evidence,
            (std::vector<int64_t>{static_cast<int64_t>(revoked), static_cast<int64_t>(sale)}));
  EXPECT_NE(flag.body.summary.find("撤销"), std::string::npos) << flag.body.summary;
  EXPECT_EQ(flag.body.details.at("sale_id").as_string(), "S-1");
  EXPECT_EQ(flag.window, "");
  EXPECT_EQ(flag.decided_at, sale);
  EXPECT_EQ(flag.occurred_at_ms, log_.records()[sale].occurred_at_ms);
}

TEST_F(RuleEngineTest, SameRecordsGiveTheSameFlags) {
  log_.Revoke("2020-09-03T10:00:00+08:00");
  for (int i = 0; i < 8; ++i) {
    log_.Sale("S-" + std::to_string(i), i < 7 ? 3500 : 9000,
              "2020-09-05T1" + std::to_string(i) + ":00:00+08:00");
  }
  log_.Sale("S-LATE", 3500, "2020-10-08T10:00:00+08:00");  // closes FP-08's window
  auto a = NewEngine();
  auto b = NewEngine();
  std::vector<RaisedFlag> first = Run(*a);
  std::vector<RaisedFlag> second = Run(*b);
  ASSERT_GE(first.size(), 3u);
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].event_id, second[i].event_id);
    EXPECT_EQ(first[i].body.flag_id, second[i].body.flag_id);
    EXPECT_EQ(first[i].body.rule, second[i].body.rule);
    EXPECT_EQ(first[i].body.subject, second[i].body.subject);
    EXPECT_EQ(first[i].body.evidence, second[i].body.evidence);
    EXPECT_EQ(first[i].body.summary, second[i].body.summary);
    EXPECT_EQ(first[i].body.details, second[i].body.details);
    EXPECT_EQ(first[i].occurred_at_ms, second[i].occurred_at_ms);
    EXPECT_EQ(first[i].decided_at, second[i].decided_at);
  }
}

TEST_F(RuleEngineTest, ClockMovesOnlyForwardAndOnlyOnAdvancingTypes) {
  auto engine = NewEngine();
  Run(*engine);
  EXPECT_EQ(engine->clock_ms(), 0);  // registry records do not move it

  OutletDeployed planned;
  planned.outlet_id = "C-2";
  planned.kind = OutletKind::kCounter;
  planned.name = "计划专柜";
  planned.region = "430102";
  log_.Add(planned, "2021-01-01T09:00:00+08:00");
  Run(*engine);
  EXPECT_EQ(engine->clock_ms(), 0);

  const uint64_t sale = log_.Sale("S-1", 3500, "2020-09-05T10:00:00+08:00");
  Run(*engine);
  EXPECT_EQ(engine->clock_ms(), log_.records()[sale].occurred_at_ms);

  FlagRaised flag;
  flag.flag_id = "F-00000000000000000000000000000000";
  flag.rule = "FP-01";
  flag.severity = FlagSeverity::kAlert;
  flag.subject = "product:P-1";
  flag.region = "433127";
  flag.evidence = {static_cast<int64_t>(sale)};
  flag.summary = "未来的旗标";
  log_.Add(flag, "2021-06-01T09:00:00+08:00");
  Run(*engine);
  EXPECT_EQ(engine->clock_ms(), log_.records()[sale].occurred_at_ms);

  log_.Sale("S-0", 3500, "2020-09-04T10:00:00+08:00");  // booked late
  Run(*engine);
  EXPECT_EQ(engine->clock_ms(), log_.records()[sale].occurred_at_ms);
}

TEST_F(RuleEngineTest, AbsenceFlagIsDecidedWhenTheClockClosesTheWindow) {
  auto engine = NewEngine();
  log_.Sale("S-1", 3500, "2020-09-05T10:00:00+08:00");  // 17.50 元 per household
  EXPECT_TRUE(Run(*engine).empty());
  const uint64_t closing = log_.Sale("S-2", 3500, "2020-10-08T00:00:00+08:00");
  std::vector<RaisedFlag> raised = Run(*engine);
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].body.rule, "FP-08");
  EXPECT_EQ(raised[0].window, "CAMP-1");
  EXPECT_EQ(raised[0].decided_at, closing);
  EXPECT_EQ(raised[0].occurred_at_ms, log_.records()[closing].occurred_at_ms);
  EXPECT_EQ(raised[0].body.evidence, std::vector<int64_t>{static_cast<int64_t>(log_.certified())});
}

TEST_F(RuleEngineTest, EvidenceIsCappedAtMaxEvidence) {
  auto engine = NewEngine({.max_evidence = 3, .max_extra_evidence = 1000});
  std::vector<uint64_t> seqs;
  for (int i = 0; i < 7; ++i) {
    seqs.push_back(log_.Sale("S-" + std::to_string(i), 3500,
                             "2020-09-05T1" + std::to_string(i) + ":00:00+08:00"));
  }
  log_.Sale("S-JUMP", 5000, "2020-09-05T18:00:00+08:00");
  std::vector<RaisedFlag> raised = Run(*engine);
  ASSERT_EQ(raised.size(), 2u);  // FP-03 (warning) and FP-05
  const RaisedFlag& jump = raised[1];
  ASSERT_EQ(jump.body.rule, "FP-05");
  EXPECT_EQ(jump.body.evidence,
            (std::vector<int64_t>{static_cast<int64_t>(seqs[0]), static_cast<int64_t>(seqs[1]),
                                  static_cast<int64_t>(seqs[2])}));
  EXPECT_EQ(jump.body.details.at("evidence_total").as_int64(), 8);
  EXPECT_FALSE(raised[0].body.details.contains("evidence_total"));
}

TEST_F(RuleEngineTest, ExtraEvidenceIsCappedAtMaxExtraEvidence) {
  auto engine = NewEngine({.max_evidence = 100, .max_extra_evidence = 2});
  log_.Revoke("2020-09-03T10:00:00+08:00");
  std::vector<uint64_t> sales;
  for (int i = 0; i < 5; ++i) {
    sales.push_back(log_.Sale("S-" + std::to_string(i), 3500,
                              "2020-09-05T1" + std::to_string(i) + ":00:00+08:00"));
  }
  std::vector<RaisedFlag> raised = Run(*engine);
  ASSERT_EQ(raised.size(), 1u);
  const FlagTrack& track = engine->flags().at(raised[0].body.flag_id);
  EXPECT_EQ(track.extra_evidence, (std::vector<uint64_t>{sales[1], sales[2]}));
  EXPECT_EQ(track.extra_evidence_total, 4u);
}

TEST(RuleEngineCreateTest, ConfigErrorsAreReturned) {
  RuleConfig config = EngineConfig();
  config.rules.at("FP-03").params["alert_ratio"] = 0.5;
  Result<std::unique_ptr<RuleEngine>> engine = RuleEngine::Create(config);
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(engine.status().message().find("FP-03.alert_ratio"), std::string::npos);
}

}  // namespace
}  // namespace fupin::rules::testing
