// Test support for projections: the seeded world of TestLedger plus a
// second operator with province scope, helpers that append real signed
// events at chosen business times, and an independent fold from zero.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <memory>
#include <string>
#include <vector>

#include "projections/entity_projection.h"
#include "projections/ledger_projections.h"
#include "projections/record_scan.h"
#include "projections/statistics_projection.h"
#include "projections/statistics_table.h"
#include "tests/support/event_builder.h"

namespace fupin::projections::testing {

inline constexpr const char* kSeedDay = "2020-08-01T09:00:00+08:00";
inline constexpr const char* kInWindow = "2020-09-10T10:00:00+08:00";

// Folds `projection` from zero over records [0, position) with the scan
// alone: no runner, no stored state.
inline void FoldFromZero(const Ledger& ledger, uint64_t position, Projection& projection) {
  Status folded = ScanDecoded(ledger.store(), 0, position, ScanOptions{},
                              [&](std::span<const DecodedRecord> batch) {
                                for (const DecodedRecord& r : batch) projection.Apply(r);
                                return Status::Ok();
                              });
  ASSERT_TRUE(folded.ok()) << folded.ToString();
}

// The seeded world (regions 430000 > 430100 > 430102 and 433100 > 433127,
// campaign CAMP-1 for 2020-09-01..30, product P-1 claiming H-1 with 4
// members, counter C-1 in 430102) and a province-wide operator.
class StatsWorld {
 public:
  StatsWorld() {
    ledger.SeedWorld();
    ledger.MustAppend(ledger.admin.Sign(
        "key.registered", fupin::testing::KeyBody(province_op, {"operator"}, {"430000"}),
        kSeedDay));
  }

  Ledger& log() { return ledger.ledger(); }
  uint64_t size() { return log().tree_size(); }

  void Outlet(const std::string& id, const std::string& kind, const std::string& region,
              const std::string& occurred_at = kSeedDay) {
    ledger.MustAppend(province_op.Sign(
        "outlet.deployed",
        {{"outlet_id", id}, {"kind", kind}, {"name", "测试网点 " + id}, {"region", region}},
        occurred_at));
  }
  void Close(const std::string& id, const std::string& occurred_at) {
    ledger.MustAppend(
        province_op.Sign("outlet.closed", {{"outlet_id", id}, {"reason", "撤柜"}}, occurred_at));
  }
  void Household(const std::string& id, const std::string& region, int64_t members) {
    ledger.MustAppend(ledger.certifier.Sign(
        "household.registered",
        {{"household_id", id}, {"region", region}, {"members", members}, {"status", "poor"}},
        kSeedDay));
  }
  void Certify(const std::string& product, const std::vector<std::string>& households,
               const std::string& occurred_at, const std::string& valid_from = "2020-01-01",
               const std::string& valid_to = "2021-12-31") {
    boost::json::array claimed;
    for (const std::string& h : households) claimed.emplace_back(h);
    ledger.MustAppend(ledger.certifier.Sign("product.certified",
                                            {{"product_id", product},
                                             {"name", "测试产品 " + product},
                                             {"category", "茶油"},
                                             {"spec", "1L"},
                                             {"unit", "瓶"},
                                             {"supplier_id", "SUP-1"},
                                             {"origin_region", "433127"},
                                             {"reference_price_fen", 8800},
                                             {"certificate_no", "XFP-" + product},
                                             {"valid_from", valid_from},
                                             {"valid_to", valid_to},
                                             {"annual_value_fen", 500000000},
                                             {"benefit",
                                              {{"mechanisms", {"employment"}},
                                               {"households", std::move(claimed)},
                                               {"people_claimed", 4}}}},
                                            occurred_at));
  }
  void Revoke(const std::string& product, const std::string& occurred_at) {
    ledger.MustAppend(ledger.certifier.Sign(
        "product.revoked", {{"product_id", product}, {"reason", "抽检不合格"}}, occurred_at));
  }
  void Sale(const std::string& id, int64_t amount_fen, const std::string& occurred_at,
            const std::string& product = "P-1", const std::string& outlet = "C-1") {
    ledger.MustAppend(province_op.Sign("sale.recorded",
                                       {{"sale_id", id},
                                        {"product_id", product},
                                        {"outlet_id", outlet},
                                        {"quantity", 1},
                                        {"unit_price_fen", amount_fen},
                                        {"amount_fen", amount_fen},
                                        {"buyer_kind", "individual"},
                                        {"buyer_ref", "B-1"}},
                                       occurred_at));
  }
  void Refund(const std::string& sale, int64_t amount_fen, const std::string& occurred_at,
              const std::string& outlet = "C-1") {
    ledger.MustAppend(province_op.Sign(
        "sale.refunded",
        {{"sale_id", sale}, {"outlet_id", outlet}, {"amount_fen", amount_fen}, {"reason", "退货"}},
        occurred_at));
  }
  void Promotion(const std::string& id, const std::string& region, const std::string& held_on) {
    ledger.MustAppend(province_op.Sign("promotion.held",
                                       {{"promotion_id", id},
                                        {"name", "产销对接会 " + id},
                                        {"region", region},
                                        {"held_on", held_on}},
                                       kSeedDay));
  }

  // A report.submitted of CAMP-1 by `region` with one row per given row.
  void Report(const std::string& region, const std::vector<ReportRow>& rows) {
    boost::json::array list;
    for (const ReportRow& r : rows) {
      list.push_back({{"region", r.region},
                      {"online_zones", r.online_zones},
                      {"offline_zones", r.offline_zones},
                      {"pavilions", r.pavilions},
                      {"counters", r.counters},
                      {"livestream_bases", r.livestream_bases},
                      {"promotions", r.promotions},
                      {"sales_fen", r.sales_fen},
                      {"poor_people_covered", r.poor_people_covered}});
    }
    ledger.MustAppend(ledger.reporter.Sign(
        "report.submitted",
        {{"campaign_id", "CAMP-1"}, {"region", region}, {"rows", std::move(list)}},
        "2020-10-05T10:00:00+08:00"));
  }

  // The statistics state folded from zero over the whole log (or a prefix).
  std::unique_ptr<StatisticsProjection> Fold(uint64_t position) {
    auto projection = std::make_unique<StatisticsProjection>();
    FoldFromZero(log(), position, *projection);
    return projection;
  }
  StatisticsTable Table(const std::string& campaign = "CAMP-1") {
    return TableAt(size(), campaign);
  }
  StatisticsTable TableAt(uint64_t position, const std::string& campaign = "CAMP-1") {
    Result<StatisticsTable> table = BuildStatisticsTable(Fold(position)->state(), campaign);
    EXPECT_TRUE(table.ok()) << table.status().ToString();
    return table.ok() ? std::move(table).value() : StatisticsTable{};
  }

  fupin::testing::TestLedger ledger;
  fupin::testing::TestSigner province_op{8, "operator-province"};
};

// The row of `region`; fails the test when absent.
inline StatisticsRow RowOf(const StatisticsTable& table, const std::string& region) {
  for (const StatisticsRow& row : table.rows) {
    if (row.region == region) return row;
  }
  ADD_FAILURE() << "no row for " << region;
  return {};
}

}  // namespace fupin::projections::testing
