// FP-15 report_mismatch: submitted 附件统计表 rows against the statistics
// projection at the report.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/rules/rule_harness.h"

namespace fupin::rules {
namespace {

using testing::RuleHarness;

// The projection of the world below, for 长沙市 and 芙蓉区 alike: one
// counter, one sale of 1,000.00 元 in the window, one household of 3.
ReportRow Projected(const std::string& region) {
  ReportRow row;
  row.region = region;
  row.counters = 1;
  row.sales_fen = 100'000;
  row.poor_people_covered = 3;
  return row;
}

class Fp15ReportMismatch : public ::testing::Test {
 protected:
  explicit Fp15ReportMismatch(const std::string& overrides = "{}")
      : h_(RuleHarness::Make(&MakeReportMismatch, "FP-15", overrides)) {
    h_.SeedWorld();
    h_.AddHousehold("H-1", 3);
    h_.AddProduct(h_.ProductBody("P-1", 3500, {"H-1"}));
    h_.AddOutlet("C-1");
    h_.AddSale("S-1", "P-1", "C-1", 1, 100'000, "2020-09-10T10:00:00+08:00");
  }
  // 长沙市's report of its own row and 芙蓉区's.
  uint64_t Report(const ReportRow& city, const ReportRow& county) {
    return h_.Add(ReportSubmitted{"CAMP-1", "430100", {city, county}}, "2020-10-12T10:00:00+08:00");
  }
  uint64_t ReportCounty(const ReportRow& county) { return Report(Projected("430100"), county); }
  RuleHarness h_;
};

TEST_F(Fp15ReportMismatch, ReportEqualToTheProjectionDoesNotFire) {
  Report(Projected("430100"), Projected("430102"));
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp15ReportMismatch, CountDifferingByOneFires) {
  ReportRow county = Projected("430102");
  county.counters = 2;
  const uint64_t report = ReportCounty(county);
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(d.severity, FlagSeverity::kAlert);
  EXPECT_EQ(d.subject, "region:430100");
  EXPECT_EQ(d.region, "430100");
  EXPECT_EQ(d.window, "CAMP-1");
  EXPECT_EQ(d.evidence, std::vector<uint64_t>{report});
  EXPECT_EQ(d.summary,
            "长沙市(430100) 报送的活动 CAMP-1 统计表有 1 行与账本不符：芙蓉区(430102) 专柜数 报 "
            "2、账本 1");
  EXPECT_EQ(d.details.at("rows_differing").as_int64(), 1);
  EXPECT_EQ(d.details.at("tolerance_bp").as_int64(), 500);
  const boost::json::object& row = d.details.at("rows").as_array().at(0).as_object();
  EXPECT_EQ(row.at("region").as_string(), "430102");
  const boost::json::array& columns = row.at("columns").as_array();
  ASSERT_EQ(columns.size(), 1u);
  EXPECT_EQ(columns[0].at("column").as_string(), "counters");
  EXPECT_EQ(columns[0].at("submitted").as_int64(), 2);
  EXPECT_EQ(columns[0].at("projected").as_int64(), 1);
  EXPECT_EQ(columns[0].at("difference").as_int64(), 1);
}

TEST_F(Fp15ReportMismatch, SalesExactlyFivePercentHighOrLowDoNotFire) {
  ReportRow county = Projected("430102");
  county.sales_fen = 105'000;
  ReportCounty(county);
  county.sales_fen = 95'000;
  ReportCounty(county);
  EXPECT_TRUE(h_.drafts().empty());
}

TEST_F(Fp15ReportMismatch, SalesOneFenBeyondFivePercentFire) {
  ReportRow county = Projected("430102");
  county.sales_fen = 105'001;
  ReportCounty(county);
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(
      h_.drafts()[0].summary,
      "长沙市(430100) 报送的活动 CAMP-1 统计表有 1 行与账本不符：芙蓉区(430102) 销售扶贫产品 报 "
      "1050.01 元、账本 1000.00 元（差 5.0%）");
  county.sales_fen = 94'999;
  ReportCounty(county);
  EXPECT_EQ(h_.drafts().size(), 2u);
}

TEST_F(Fp15ReportMismatch, CoverageBeyondToleranceFiresAndEveryDifferingRowIsListed) {
  ReportRow city = Projected("430100");
  city.poor_people_covered = 4;  // 33 % more than 3
  ReportRow county = Projected("430102");
  county.pavilions = 1;
  county.sales_fen = 200'000;
  Report(city, county);
  ASSERT_EQ(h_.drafts().size(), 1u);
  const FlagDraft& d = h_.drafts()[0];
  EXPECT_EQ(
      d.summary,
      "长沙市(430100) 报送的活动 CAMP-1 统计表有 2 行与账本不符：长沙市(430100) 覆盖贫困人口 报 4、"
      "账本 3（差 33.3%） 等 3 处");
  EXPECT_EQ(d.details.at("rows_differing").as_int64(), 2);
  EXPECT_EQ(d.details.at("rows").as_array().at(1).at("columns").as_array().size(), 2u);
}

class Fp15ReportMismatchConfigured : public Fp15ReportMismatch {
 protected:
  Fp15ReportMismatchConfigured() : Fp15ReportMismatch(R"({"tolerance_ratio":0.10})") {}
};

TEST_F(Fp15ReportMismatchConfigured, ToleranceComesFromTheConfig) {
  ReportRow county = Projected("430102");
  county.sales_fen = 110'000;
  ReportCounty(county);
  EXPECT_TRUE(h_.drafts().empty());
  county.sales_fen = 110'001;
  ReportCounty(county);
  ASSERT_EQ(h_.drafts().size(), 1u);
  EXPECT_EQ(h_.drafts()[0].details.at("tolerance_bp").as_int64(), 1000);
}

}  // namespace
}  // namespace fupin::rules
