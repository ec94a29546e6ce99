// FP-20 benford_deviation: first-digit MAD of a prefecture's window sales,
// judged when the clock passes ends_on + grace_days.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/rules/rule_harness.h"

namespace fupin::rules {
namespace {

using testing::RuleHarness;

// Sales per first digit 1..9 (index 0 unused).
using Digits = std::array<int, 10>;
// 300 sales as close to Benford's law as whole counts get.
inline constexpr Digits kHonest = {0, 90, 53, 38, 29, 24, 20, 17, 15, 14};
// The same with 30 sales moved from digit 1 to digit 5: MAD 0.0231.
inline constexpr Digits kFabricated = {0, 60, 53, 38, 29, 54, 20, 17, 15, 14};

inline constexpr char kJudgedAt[] = "2020-10-08T00:00:00+08:00";

// The MAD the rule should find, computed independently in floating point.
double Mad(const Digits& digits) {
  double n = 0;
  for (int c : digits) n += c;
  double sum = 0;
  for (int d = 1; d <= 9; ++d) {
    sum += std::fabs(digits[static_cast<std::size_t>(d)] / n - std::log10(1.0 + 1.0 / d));
  }
  return sum / 9;
}

std::string Decimal(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6f", value);
  return text;
}

class Fp20BenfordDeviation : public ::testing::Test {
 protected:
  explicit Fp20BenfordDeviation(const std::string& overrides = "{}")
      : h_(RuleHarness::Make(&MakeBenfordDeviation, "FP-20", overrides)) {
    h_.SeedWorld();
    h_.AddProduct(h_.ProductBody("P-1"));
    h_.AddOutlet("C-CS", OutletKind::kCounter, "430102");  // 长沙市
    h_.AddOutlet("C-XX", OutletKind::kCounter, "433127");  // 湘西州
  }
  // Sales at `outlet` with first digits as `digits` says, one a minute
  // from 10 Sept 08:00; returns their seqs.
  std::vector<uint64_t> Sell(const std::string& outlet, const Digits& digits) {
    std::vector<uint64_t> seqs;
    for (int d = 1; d <= 9; ++d) {
      for (int k = 0; k < digits[static_cast<std::size_t>(d)]; ++k) {
        const int minute = minute_++;
        char at[64];
        std::snprintf(at, sizeof at, "2020-09-%02dT%02d:%02d:00+08:00", 10 + minute / 600,
                      8 + minute % 600 / 60, minute % 60);
        seqs.push_back(
            h_.AddSale("S-" + std::to_string(h_.next_seq()), "P-1", outlet, 1, d * 1000 + k, at));
      }
    }
    return seqs;
  }
  void AdvanceClockTo(const std::string& at) {
    h_.AddSale("S-" + std::to_string(h_.next_seq()), "P-1", "C-CS", 1, 100, at);
  }
  RuleHarness h_;
  int minute_ = 0;
};

TEST_F(Fp20BenfordDeviation, FabricatedPrefectureIsFlaggedWhenTheGraceEnds) {
  const std::vector<uint64_t> seqs = Sell("C-XX", kFabricated);
  AdvanceClockTo("2020-10-07T23:59:59+08:00");
  EXPECT_TRUE(h_.drafts().empty());
  AdvanceClockTo(kJudgedAt);
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.severity, FlagSeverity::kInfo);
  EXPECT_EQ(d.subject, "region:433100");
  EXPECT_EQ(d.region, "433100");
  EXPECT_EQ(d.window, "CAMP-1");
  EXPECT_EQ(d.evidence, (std::vector<uint64_t>{seqs.front(), seqs.back()}));
  EXPECT_EQ(d.summary,
            "湘西土家族苗族自治州(433100) 活动 CAMP-1 期间 300 笔销售金额的首位数字偏离本福特分布："
            "MAD 0.0231，阈值 0.0150");
  EXPECT_EQ(d.details.at("sales").as_int64(), 300);
  EXPECT_EQ(d.details.at("mad").as_string(), "0.0231");
  EXPECT_EQ(d.details.at("max_mad").as_string(), "0.0150");
  const boost::json::array& counts = d.details.at("first_digit_counts").as_array();
  ASSERT_EQ(counts.size(), 9u);
  EXPECT_EQ(counts[0].as_int64(), 60);
  EXPECT_EQ(counts[4].as_int64(), 54);
}

TEST_F(Fp20BenfordDeviation, OnlyTheDeviatingPrefectureIsFlagged) {
  Sell("C-CS", kHonest);
  Sell("C-XX", kFabricated);
  AdvanceClockTo(kJudgedAt);
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].subject, "region:433100");
}

TEST_F(Fp20BenfordDeviation, TwoHundredNinetyNineSalesAreTooFewToJudge) {
  Digits fewer = kFabricated;
  --fewer[5];
  Sell("C-XX", fewer);
  AdvanceClockTo(kJudgedAt);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp20BenfordDeviation, SalesOutsideTheWindowAreNotCounted) {
  Digits fewer = kFabricated;
  --fewer[5];
  Sell("C-XX", fewer);
  h_.AddSale("S-OCT", "P-1", "C-XX", 1, 5000, "2020-10-01T10:00:00+08:00");
  AdvanceClockTo(kJudgedAt);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp20BenfordDeviation, ACampaignIsJudgedOnce) {
  Sell("C-XX", kFabricated);
  AdvanceClockTo(kJudgedAt);
  AdvanceClockTo("2020-10-20T10:00:00+08:00");
  EXPECT_EQ(h_.drafts().size(), 1u);
}

class Fp20MadJustAboveTheThreshold : public Fp20BenfordDeviation {
 protected:
  Fp20MadJustAboveTheThreshold()
      : Fp20BenfordDeviation(R"({"max_mad":)" + Decimal(Mad(kFabricated) - 1e-6) + "}") {}
};

TEST_F(Fp20MadJustAboveTheThreshold, Fires) {
  Sell("C-XX", kFabricated);
  AdvanceClockTo(kJudgedAt);
  EXPECT_EQ(h_.drafts().size(), 1u);
}

class Fp20MadJustBelowTheThreshold : public Fp20BenfordDeviation {
 protected:
  Fp20MadJustBelowTheThreshold()
      : Fp20BenfordDeviation(R"({"max_mad":)" + Decimal(Mad(kFabricated) + 1e-6) + "}") {}
};

TEST_F(Fp20MadJustBelowTheThreshold, DoesNotFire) {
  Sell("C-XX", kFabricated);
  AdvanceClockTo(kJudgedAt);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST(Fp20BenfordDeviationConfig, ThresholdsSeverityAndGraceComeFromTheConfig) {
  RuleHarness h = RuleHarness::Make(&MakeBenfordDeviation, "FP-20",
                                    R"({"grace_days":0,"min_sales":3,"severity":"warning"})");
  h.SeedWorld();
  h.AddProduct(h.ProductBody("P-1"));
  h.AddOutlet("C-1", OutletKind::kCounter, "433127");
  h.AddSale("S-1", "P-1", "C-1", 1, 9000, "2020-09-10T10:00:00+08:00");
  h.AddSale("S-2", "P-1", "C-1", 1, 9100, "2020-09-10T11:00:00+08:00");
  h.AddSale("S-3", "P-1", "C-1", 1, 9200, "2020-09-10T12:00:00+08:00");
  h.AddSale("S-4", "P-1", "C-1", 1, 100, "2020-10-01T00:00:00+08:00");
  ASSERT_EQ(h.drafts().size(), 1u);
  EXPECT_EQ(h.drafts()[0].severity, FlagSeverity::kWarning);
  EXPECT_EQ(h.drafts()[0].details.at("sales").as_int64(), 3);
}

}  // namespace
}  // namespace fupin::rules
