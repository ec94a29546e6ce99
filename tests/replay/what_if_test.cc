// replay what-if: with the configuration that raised the log's flags the
// difference is empty; with one FP-03 threshold changed it is exactly the
// flags the hand-made prices predict.
#include "replay/what_if.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "rules/rule_runner.h"
#include "tests/replay/replay_world.h"
#include "tests/support/fixtures.h"

namespace fupin::replay::testing {
namespace {

rules::RuleConfig Defaults() {
  Result<rules::RuleConfig> config = rules::DefaultRuleConfig();
  EXPECT_TRUE(config.ok());
  return config.ok() ? *config : rules::RuleConfig{};
}

// P-1 (reference 35.00 元) sold at 1.20x, P-2 (88.00) at 1.36x, P-3
// (88.00) at 1.59x: by default no flag, a warning and an alert (FP-03
// warns above 1.30, alerts above 1.50). The live rule runner then appends
// the flags to the log, signed by the system key.
class WhatIfTest : public ::testing::Test {
 protected:
  WhatIfTest() : dir_(fupin::testing::MakeTempDir("fupin-what-if")) {
    w_.Certify("P-2", {"H-1"}, kSeedDay);
    w_.Certify("P-3", {"H-1"}, kSeedDay);
    before_sales_ = w_.size() - 1;
    w_.Sale("S-1", 4200, kInWindow, "P-1");
    w_.Sale("S-2", 12000, kInWindow, "P-2");
    w_.Sale("S-3", 14000, kInWindow, "P-3");
    Result<std::unique_ptr<rules::RuleRunner>> runner =
        rules::RuleRunner::Open(w_.log(), Defaults());
    EXPECT_TRUE(runner.ok());
    if (runner.ok()) {
      EXPECT_TRUE((*runner)->CatchUp().ok());
    }
  }
  ~WhatIfTest() override { std::filesystem::remove_all(dir_); }

  WhatIfReport Run(const std::string& override_json) {
    const std::string path = dir_ + "/rules.json";
    std::ofstream(path) << override_json;
    Result<rules::RuleConfig> config = rules::LoadRuleConfigFile(path);
    EXPECT_TRUE(config.ok()) << config.status().ToString();
    Result<WhatIfReport> report =
        WhatIf(w_.log(), config.ok() ? *config : Defaults(), w_.size() - 1);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : WhatIfReport{};
  }

  std::string dir_;
  StatsWorld w_;
  uint64_t before_sales_ = 0;
};

TEST_F(WhatIfTest, TheConfigurationThatRaisedTheFlagsShowsNoDifference) {
  WhatIfReport report = Run(R"({"rules":{}})");
  EXPECT_TRUE(report.empty());
  EXPECT_GE(report.actual_flags, 2u);  // FP-03 on P-2 and P-3 at least
  EXPECT_EQ(report.actual_flags, report.replayed_flags);
}

TEST_F(WhatIfTest, ALowerAlertRatioTurnsOneWarningIntoAnAlert) {
  WhatIfReport report = Run(R"({"rules":{"FP-03":{"alert_ratio":1.35}}})");
  EXPECT_TRUE(report.added.empty());
  EXPECT_TRUE(report.vanished.empty());
  ASSERT_EQ(report.changed.size(), 1u);
  EXPECT_EQ(report.changed[0].actual.rule, "FP-03");
  EXPECT_EQ(report.changed[0].actual.subject, "product:P-2");
  EXPECT_EQ(report.changed[0].actual.severity, FlagSeverity::kWarning);
  EXPECT_EQ(report.changed[0].replayed.severity, FlagSeverity::kAlert);
}

TEST_F(WhatIfTest, ALowerWarningRatioAddsExactlyTheFlagOfTheCheapestSale) {
  WhatIfReport report = Run(R"({"rules":{"FP-03":{"warning_ratio":1.10}}})");
  EXPECT_TRUE(report.vanished.empty());
  EXPECT_TRUE(report.changed.empty());
  ASSERT_EQ(report.added.size(), 1u);
  EXPECT_EQ(report.added[0].rule, "FP-03");
  EXPECT_EQ(report.added[0].subject, "product:P-1");
  EXPECT_EQ(report.added[0].severity, FlagSeverity::kWarning);
  EXPECT_EQ(report.added[0].region, "433127");
}

TEST_F(WhatIfTest, DisablingTheRuleMakesItsFlagsVanishPerRuleAndRegion) {
  WhatIfReport report = Run(R"({"rules":{"FP-03":{"enabled":false}}})");
  EXPECT_TRUE(report.added.empty());
  EXPECT_TRUE(report.changed.empty());
  ASSERT_EQ(report.vanished.size(), 2u);
  boost::json::object json = WhatIfJson(report);
  const boost::json::array& tally = json.at("by_rule_region").as_array();
  ASSERT_EQ(tally.size(), 1u);
  EXPECT_EQ(tally[0].at("rule").as_string(), "FP-03");
  EXPECT_EQ(tally[0].at("region").as_string(), "433127");
  EXPECT_EQ(tally[0].at("vanished").as_int64(), 2);
}

TEST_F(WhatIfTest, AsOfBeforeTheSalesSeesNoFlagsOnEitherSide) {
  Result<WhatIfReport> report = WhatIf(w_.log(), Defaults(), before_sales_);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->actual_flags, 0u);
  EXPECT_TRUE(report->empty());
}

}  // namespace
}  // namespace fupin::replay::testing
