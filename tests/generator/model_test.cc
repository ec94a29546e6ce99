// Pieces of the generator's model: scales, 统一社会信用代码, the region table,
// and the amounts whose first digits follow Benford's law.
#include <gtest/gtest.h>

#include <cmath>

#include "generator/params.h"
#include "generator/regions.h"
#include "generator/sale_model.h"
#include "generator/uscc.h"
#include "ledger/event_types.h"

namespace fupin::generator {
namespace {

TEST(Scale, AcceptsTheNamedScalesAndEventCounts) {
  EXPECT_EQ(ParseScale("small")->target_events, kSmallEvents);
  EXPECT_EQ(ParseScale("medium")->target_events, kMediumEvents);
  EXPECT_GE(ParseScale("large")->target_events, 10'000'000);
  EXPECT_EQ(ParseScale("123456")->target_events, 123456);
}

TEST(Scale, RefusesOtherTextAndTooFewEvents) {
  EXPECT_EQ(ParseScale("huge").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseScale("12k").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseScale("").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseScale("9999").status().code(), ErrorCode::kInvalidArgument);
}

TEST(Scale, ShrinksThePlanTargetsInProportion) {
  const ScaleParams full = DeriveScaleParams(*ParseScale("large"));
  EXPECT_EQ(full.counters_target_changsha, 10'000);
  EXPECT_EQ(full.counters_target_other, 2'000);
  EXPECT_EQ(full.counters_target_total, 30'000);
  EXPECT_EQ(full.sales_target_fen, 400'000'000'000);
  const ScaleParams small = DeriveScaleParams(*ParseScale("small"));
  EXPECT_EQ(small.sales_target_fen, 600'000'000);  // 0.15% of 40亿元
  EXPECT_EQ(small.counters_target_changsha, 15);
  for (int cases : small.fraud) EXPECT_GE(cases, 1);
}

TEST(Uscc, GeneratedCodesPassTheCheckCharacter) {
  for (uint64_t entropy = 0; entropy < 2000; ++entropy) {
    const std::string code = MakeUscc(entropy % 2 == 0 ? "91" : "93", "433127", entropy * 7919);
    EXPECT_EQ(code.size(), 18u);
    EXPECT_TRUE(IsValidUscc(code)) << code;
  }
}

TEST(Regions, HunanHasItsPrefecturesCountiesAndPovertyCounties) {
  Result<RegionTable> table = RegionTable::Hunan();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->province().code, "430000");
  EXPECT_EQ(table->prefectures().size(), 14u);
  EXPECT_EQ(table->counties().size(), 123u);  // 122 + 洪江区 431271
  EXPECT_EQ(table->poverty_counties().size(), 51u);
  EXPECT_GE(table->Find("431121"), 0);  // 祁阳县, 2020 vintage
  EXPECT_EQ(RegionTable::ShortName("城步苗族自治县"), "城步");
  EXPECT_EQ(RegionTable::ShortName("攸县"), "攸县");
}

TEST(SaleModel, SteeredAmountsFollowBenfordAndStayInTheBand) {
  DigitTally tally;
  Rng rng(1, "benford-test");
  for (int i = 0; i < 3000; ++i) {
    const int64_t price = 2000 + static_cast<int64_t>(rng.Below(20000));
    const int64_t lo = price * 93 / 100;
    const int64_t hi = price * 107 / 100;
    const std::array<int64_t, 10> scores = tally.Deficits();
    const PricedQuantity pq =
        ChooseAmount(DrawQuantity(BuyerKind::kIndividual, rng), lo, hi, &scores, rng);
    ASSERT_GE(pq.unit_price_fen, lo);
    ASSERT_LE(pq.unit_price_fen, hi);
    tally.Count(pq.amount());
  }
  const std::array<int64_t, 10> deficits = tally.Deficits();
  double mad = 0;
  for (int d = 1; d <= 9; ++d) {
    // Deficit / total ~ |expected share - actual share|.
    mad += std::abs(static_cast<double>(deficits[static_cast<std::size_t>(d)]) / 1e9) / 3001.0;
  }
  EXPECT_LT(mad / 9, 0.002);  // FP-20 flags above 0.015
}

}  // namespace
}  // namespace fupin::generator
