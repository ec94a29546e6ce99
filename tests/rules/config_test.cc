// The rule configuration: defaults, catalog, overrides and their errors.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "rules/catalog.h"
#include "rules/rule_config.h"
#include "tests/rules/rule_harness.h"

namespace fupin::rules::testing {
namespace {

RuleConfig Defaults() {
  Result<RuleConfig> config = DefaultRuleConfig();
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return config.ok() ? *config : RuleConfig{};
}

Result<RuleConfig> ParseText(std::string_view text) { return ParseRuleConfigText(text); }

RuleConfig Parse(std::string_view text) {
  Result<RuleConfig> config = ParseText(text);
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return config.ok() ? *config : RuleConfig{};
}

// Expects kInvalidArgument whose message names `path`.
void ExpectInvalid(const Status& status, const std::string& path) {
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument) << status.ToString();
  EXPECT_NE(status.message().find(path), std::string::npos) << status.message();
  EXPECT_EQ(status.message().rfind("rules config: ", 0), 0u) << status.message();
}

TEST(RuleConfigTest, DefaultsParseWithEveryCatalogRuleEnabled) {
  RuleConfig config = Defaults();
  ASSERT_EQ(config.rules.size(), 20u);
  for (const RuleInfo& info : RuleCatalog()) {
    auto entry = config.rules.find(info.id);
    ASSERT_NE(entry, config.rules.end()) << info.id;
    EXPECT_TRUE(entry->second.enabled) << info.id;
    EXPECT_FALSE(entry->second.params.contains("enabled")) << info.id;
  }
  EXPECT_EQ(config.clock_types,
            (std::vector<EventType>{EventType::kSaleRecorded, EventType::kSaleRefunded,
                                    EventType::kBenefitPaid, EventType::kReportSubmitted}));
}

TEST(RuleConfigTest, CatalogListsTheSpecRulesInIdOrder) {
  const std::array<std::string_view, 20> names = {"uncertified_sale",
                                                  "inactive_outlet",
                                                  "price_above_reference",
                                                  "price_peer_outlier",
                                                  "price_jump",
                                                  "unknown_household",
                                                  "household_overclaimed",
                                                  "benefit_without_sales",
                                                  "benefit_unpaid",
                                                  "origin_not_poverty_area",
                                                  "sales_exceed_capacity",
                                                  "counter_velocity",
                                                  "duplicate_amounts",
                                                  "zombie_counter",
                                                  "report_mismatch",
                                                  "people_claimed_inflated",
                                                  "refund_after_campaign",
                                                  "backdated_event",
                                                  "forced_purchase",
                                                  "benford_deviation"};
  const std::vector<RuleInfo>& catalog = RuleCatalog();
  ASSERT_EQ(catalog.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string id = (i < 9 ? "FP-0" : "FP-") + std::to_string(i + 1);
    EXPECT_EQ(catalog[i].id, id);
    EXPECT_EQ(catalog[i].name, names[i]);
    EXPECT_NE(catalog[i].factory, nullptr);
  }
}

TEST(RuleConfigTest, BuiltRulesReportTheirCatalogIdAndName) {
  RuleConfig config = Defaults();
  for (int i = 11; i <= 20; ++i) config.rules.at("FP-" + std::to_string(i)).enabled = false;
  Result<std::vector<std::unique_ptr<Rule>>> rules = BuildRules(config);
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  ASSERT_EQ(rules->size(), 10u);
  for (std::size_t i = 0; i < rules->size(); ++i) {
    EXPECT_EQ((*rules)[i]->id(), RuleCatalog()[i].id);
    EXPECT_EQ((*rules)[i]->name(), RuleCatalog()[i].name);
  }
}

TEST(RuleConfigTest, OverrideReplacesOnlyTheParametersItGives) {
  RuleConfig merged_config;
  {
    Result<RuleConfig> merged = MergeRuleConfig(
        Defaults(), Parse(R"({"rules":{"FP-03":{"alert_ratio":2.0},"FP-12":{"enabled":false}}})"));
    ASSERT_TRUE(merged.ok()) << merged.status().ToString();
    merged_config = *merged;
  }
  const boost::json::object& fp03 = merged_config.rules.at("FP-03").params;
  EXPECT_EQ(fp03.at("alert_ratio").as_double(), 2.0);
  EXPECT_EQ(fp03.at("warning_ratio").as_double(), 1.30);
  EXPECT_FALSE(merged_config.rules.at("FP-12").enabled);
  EXPECT_EQ(merged_config.rules.at("FP-12").params, Defaults().rules.at("FP-12").params);
  EXPECT_EQ(merged_config.rules.at("FP-05").params, Defaults().rules.at("FP-05").params);
  EXPECT_EQ(merged_config.clock_types, Defaults().clock_types);
}

TEST(RuleConfigTest, OverrideMayReplaceTheClockTypes) {
  Result<RuleConfig> merged = MergeRuleConfig(
      Defaults(), Parse(R"({"business_clock":{"advancing_types":["sale.recorded"]}})"));
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->clock_types, std::vector<EventType>{EventType::kSaleRecorded});
}

TEST(RuleConfigTest, IntegerOverrideOfANumberParameterIsAccepted) {
  Result<RuleConfig> merged =
      MergeRuleConfig(Defaults(), Parse(R"({"rules":{"FP-03":{"alert_ratio":2}}})"));
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  RuleParams params("FP-03", merged->rules.at("FP-03").params);
  EXPECT_TRUE(MakePriceAboveReference(params).ok());
}

TEST(RuleConfigTest, UnknownRuleIdIsRefused) {
  Result<RuleConfig> config = ParseText(R"({"rules":{"FP-99":{"enabled":true}}})");
  ExpectInvalid(config.status(), "\"FP-99\"");
}

TEST(RuleConfigTest, UnknownParameterInAnOverrideIsRefused) {
  Result<RuleConfig> merged =
      MergeRuleConfig(Defaults(), Parse(R"({"rules":{"FP-03":{"alert_ration":2.0}}})"));
  ExpectInvalid(merged.status(), "FP-03.alert_ration");
}

TEST(RuleConfigTest, UnknownParameterOfADisabledRuleIsRefused) {
  Result<RuleConfig> merged =
      MergeRuleConfig(Defaults(), Parse(R"({"rules":{"FP-14":{"enabled":false,"min_day":3}}})"));
  ExpectInvalid(merged.status(), "FP-14.min_day");
}

TEST(RuleConfigTest, WrongTypeInAnOverrideIsRefused) {
  Result<RuleConfig> merged =
      MergeRuleConfig(Defaults(), Parse(R"({"rules":{"FP-04":{"window_days":"30"}}})"));
  ExpectInvalid(merged.status(), "FP-04.window_days");
}

TEST(RuleConfigTest, FractionForAnIntegerParameterIsRefused) {
  Result<RuleConfig> merged =
      MergeRuleConfig(Defaults(), Parse(R"({"rules":{"FP-05":{"history":7.5}}})"));
  ExpectInvalid(merged.status(), "FP-05.history");
}

TEST(RuleConfigTest, WrongTypeReachingAFactoryIsRefused) {
  RuleParams params = DefaultParams("FP-03", R"({"warning_ratio":"x"})");
  Result<std::unique_ptr<Rule>> rule = MakePriceAboveReference(params);
  ExpectInvalid(rule.status(), "FP-03.warning_ratio");
  EXPECT_NE(rule.status().message().find("got \"x\""), std::string::npos)
      << rule.status().message();
}

TEST(RuleConfigTest, OutOfRangeValueIsRefusedByBuildRules) {
  Result<RuleConfig> merged =
      MergeRuleConfig(Defaults(), Parse(R"({"rules":{"FP-09":{"min_paid_ratio":1.5}}})"));
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  Result<std::vector<std::unique_ptr<Rule>>> rules = BuildRules(*merged);
  ExpectInvalid(rules.status(), "FP-09.min_paid_ratio");
  EXPECT_NE(rules.status().message().find("in [0, 1], got 1.5"), std::string::npos)
      << rules.status().message();
}

TEST(RuleConfigTest, BadSeverityIsRefused) {
  RuleParams params = DefaultParams("FP-06", R"({"severity":"critical"})");
  ExpectInvalid(MakeUnknownHousehold(params).status(), "FP-06.severity");
}

TEST(RuleConfigTest, ParameterNoFactoryReadsIsRefusedByBuildRules) {
  RuleConfig config = Defaults();
  config.rules.at("FP-01").params["threshold"] = 3;
  Result<std::vector<std::unique_ptr<Rule>>> rules = BuildRules(config);
  ExpectInvalid(rules.status(), "FP-01.threshold");
}

TEST(RuleConfigTest, MissingParameterIsRefusedByBuildRules) {
  RuleConfig config = Defaults();
  config.rules.at("FP-07").params.erase("min_suppliers");
  Result<std::vector<std::unique_ptr<Rule>>> rules = BuildRules(config);
  ExpectInvalid(rules.status(), "FP-07.min_suppliers");
}

TEST(RuleConfigTest, RuleMissingFromTheConfigIsRefusedByBuildRules) {
  RuleConfig config = Defaults();
  config.rules.erase("FP-02");
  ExpectInvalid(BuildRules(config).status(), "FP-02");
}

TEST(RuleConfigTest, DisabledRulesAreNotBuilt) {
  RuleConfig config = Defaults();
  for (auto& [id, entry] : config.rules) entry.enabled = id == "FP-05";
  // A disabled rule's factory never runs, so its parameters are not read.
  config.rules.at("FP-03").params["alert_ratio"] = "not a number";
  Result<std::vector<std::unique_ptr<Rule>>> rules = BuildRules(config);
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  ASSERT_EQ(rules->size(), 1u);
  EXPECT_EQ((*rules)[0]->id(), "FP-05");
}

TEST(RuleConfigTest, MalformedDocumentsAreRefused) {
  // Text that is not JSON keeps the strict parser's code.
  EXPECT_EQ(ParseText("{").status().code(), ErrorCode::kMalformedJson);
  EXPECT_EQ(ParseText("{").status().message().rfind("rules config: ", 0), 0u);
  EXPECT_EQ(ParseText(R"({"version":1,"version":1})").status().code(), ErrorCode::kDuplicateKey);
  ExpectInvalid(ParseText("[]").status(), "JSON object");
  ExpectInvalid(ParseText(R"({"version":2})").status(), "version");
  ExpectInvalid(ParseText(R"({"rulez":{}})").status(), "\"rulez\"");
  ExpectInvalid(ParseText(R"({"rules":{"FP-01":{"enabled":"yes"}}})").status(), "FP-01.enabled");
  ExpectInvalid(ParseText(R"({"rules":{"FP-01":3}})").status(), "FP-01");
}

TEST(RuleConfigTest, BadClockTypesAreRefused) {
  ExpectInvalid(ParseText(R"({"business_clock":{"advancing_types":["sale.made"]}})").status(),
                "business_clock.advancing_types");
  ExpectInvalid(ParseText(R"({"business_clock":{"advancing_types":["flag.raised"]}})").status(),
                "business_clock.advancing_types");
  ExpectInvalid(ParseText(R"({"business_clock":{"advancing_types":[]}})").status(),
                "business_clock.advancing_types");
  ExpectInvalid(ParseText(R"({"business_clock":{"types":[]}})").status(), "business_clock.types");
}

}  // namespace
}  // namespace fupin::rules::testing
