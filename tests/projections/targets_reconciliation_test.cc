// Target progress against campaign.defined, and report reconciliation.
#include <gtest/gtest.h>

#include "projections/reconciliation.h"
#include "projections/targets_format.h"
#include "tests/projections/stats_world.h"

namespace fupin::projections {
namespace {

using testing::StatsWorld;

TargetsReport TargetsOf(StatsWorld& w) {
  Result<TargetsReport> report = BuildTargets(w.Fold(w.size())->state(), "CAMP-1");
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  return report.ok() ? std::move(report).value() : TargetsReport{};
}

const TargetCheck* Find(const TargetsReport& report, std::string_view target,
                        std::string_view region) {
  for (const TargetCheck& check : report.checks) {
    if (check.target == target && check.region == region) return &check;
  }
  return nullptr;
}

TEST(TargetsTest, ChangshaIsCheckedAgainstItsOwnCounterTarget) {
  StatsWorld w;  // CAMP-1: 长沙 10,000 counters, other prefectures >= 2,000
  TargetsReport report = TargetsOf(w);
  const TargetCheck* changsha = Find(report, "counters_by_region", "430100");
  ASSERT_NE(changsha, nullptr);
  EXPECT_EQ(changsha->required, 10000);
  EXPECT_EQ(changsha->actual, 1);
  EXPECT_EQ(Find(report, "counters_min_per_prefecture", "430100"), nullptr);
  const TargetCheck* xiangxi = Find(report, "counters_min_per_prefecture", "433100");
  ASSERT_NE(xiangxi, nullptr);
  EXPECT_EQ(xiangxi->required, 2000);
}

TEST(TargetsTest, PavilionsAreCheckedInEveryPrefectureAndCounty) {
  StatsWorld w;
  w.Outlet("PV-1", "pavilion", "430102");
  TargetsReport report = TargetsOf(w);
  EXPECT_TRUE(Find(report, "pavilions_min_per_region", "430102")->met());
  EXPECT_TRUE(Find(report, "pavilions_min_per_region", "430100")->met());
  EXPECT_FALSE(Find(report, "pavilions_min_per_region", "433127")->met());
  EXPECT_EQ(Find(report, "pavilions_min_per_region", "430000"), nullptr);
}

TEST(TargetsTest, OfflineZonesAreCheckedPerPrefecture) {
  StatsWorld w;
  for (int i = 0; i < 3; ++i) w.Outlet("ZF-" + std::to_string(i), "zone_offline", "433127");
  TargetsReport report = TargetsOf(w);
  EXPECT_TRUE(Find(report, "offline_zones_min_per_prefecture", "433100")->met());
  EXPECT_FALSE(Find(report, "offline_zones_min_per_prefecture", "430100")->met());
}

TEST(TargetsTest, SalesAreCheckedAgainstTheProvinceTotal) {
  StatsWorld w;
  w.Sale("S-1", 1'000'000, testing::kInWindow);
  TargetsReport report = TargetsOf(w);
  const TargetCheck* sales = Find(report, "sales_fen", "430000");
  ASSERT_NE(sales, nullptr);
  EXPECT_EQ(sales->required, 400'000'000'000);
  EXPECT_EQ(sales->actual, 1'000'000);
  EXPECT_FALSE(report.all_met());
}

TEST(TargetsTest, JsonListsTheShortfallsWithExactProgress) {
  StatsWorld w;
  boost::json::object json = TargetsJson(TargetsOf(w));
  EXPECT_FALSE(json.at("met").as_bool());
  bool found = false;
  for (const boost::json::value& item : json.at("shortfalls").as_array()) {
    const boost::json::object& check = item.as_object();
    if (check.at("target") == "counters_by_region") {
      found = true;
      EXPECT_EQ(check.at("progress_percent"), "0.01");  // 1 of 10,000
    }
  }
  EXPECT_TRUE(found);
}

TEST(ReconciliationTest, ReportIsComparedWithTheTableAtItsSeq) {
  StatsWorld w;
  w.Sale("S-1", 10'000, testing::kInWindow);
  w.Report("430100", {ReportRow{"430100", 0, 0, 0, 1, 0, 0, 10'000, 4}});
  w.Sale("S-2", 99'999, testing::kInWindow);  // after the report: not compared
  std::unique_ptr<StatisticsProjection> folded = w.Fold(w.size());
  const StatisticsState& state = folded->state();
  ASSERT_EQ(state.reports.size(), 1u);
  const ReconciledRow& row = state.reports[0].rows[0];
  EXPECT_EQ(row.projected.sales_fen, 10'000);
  EXPECT_FALSE(RowDiffers(row));
}

TEST(ReconciliationTest, AnyCountDifferenceMakesTheRowDiffer) {
  ReconciledRow row;
  row.submitted.counters = 3;
  row.projected.counters = 2;
  EXPECT_TRUE(RowDiffers(row));
}

TEST(ReconciliationTest, SalesWithinFivePercentDoNotDiffer) {
  ReconciledRow row;
  row.projected.sales_fen = 100'000;
  row.submitted.sales_fen = 105'000;
  EXPECT_FALSE(RowDiffers(row));
  row.submitted.sales_fen = 105'001;
  EXPECT_TRUE(RowDiffers(row));
}

TEST(ReconciliationTest, CoverageBeyondFivePercentDiffers) {
  ReconciledRow row;
  row.projected.poor_people_covered = 100;
  row.submitted.poor_people_covered = 94;
  EXPECT_TRUE(RowDiffers(row));
}

TEST(ReconciliationTest, DifferencesListEveryColumn) {
  ReconciledRow row;
  row.submitted.promotions = 5;
  row.projected.promotions = 2;
  std::vector<ColumnDifference> differences = Differences(row);
  ASSERT_EQ(differences.size(), 8u);
  EXPECT_EQ(differences[5].column, "promotions");
  EXPECT_EQ(differences[5].difference, 3);
}

}  // namespace
}  // namespace fupin::projections
