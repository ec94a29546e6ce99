// Test support for rules: hand-made records folded through the entity and
// statistics projections and handed to one rule, as the engine would, with
// the flags it raises collected as drafts. No ledger, no signatures: the
// records are built directly as DecodedRecord, so a test can place a value
// exactly at, just below or just above a threshold.
//
// The world helpers (Region, Campaign, Supplier, Household, Product,
// Outlet, Sale, ...) build the typed bodies with sensible defaults; every
// Add returns the seq it got.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ledger/time.h"
#include "projections/statistics_projection.h"
#include "rules/catalog.h"
#include "rules/rule.h"
#include "rules/rule_config.h"

namespace fupin::rules::testing {

// The stream of a body as the ledger derives it (SPEC §2.5).
inline std::string StreamOf(const EventBody& body) {
  struct Visitor {
    std::string operator()(const KeyRegistered& b) { return "key:" + b.key_id; }
    std::string operator()(const KeyRevoked& b) { return "key:" + b.key_id; }
    std::string operator()(const RegionDefined& b) { return "region:" + b.code; }
    std::string operator()(const CampaignDefined& b) { return "campaign:" + b.campaign_id; }
    std::string operator()(const SupplierRegistered& b) { return "supplier:" + b.supplier_id; }
    std::string operator()(const HouseholdRegistered& b) { return "household:" + b.household_id; }
    std::string operator()(const ProductCertified& b) { return "product:" + b.product_id; }
    std::string operator()(const ProductRepriced& b) { return "product:" + b.product_id; }
    std::string operator()(const ProductRevoked& b) { return "product:" + b.product_id; }
    std::string operator()(const OutletDeployed& b) { return "outlet:" + b.outlet_id; }
    std::string operator()(const OutletClosed& b) { return "outlet:" + b.outlet_id; }
    std::string operator()(const PromotionHeld& b) { return "promotion:" + b.promotion_id; }
    std::string operator()(const SaleRecorded& b) { return "outlet:" + b.outlet_id; }
    std::string operator()(const SaleRefunded& b) { return "outlet:" + b.outlet_id; }
    std::string operator()(const BenefitPaid& b) { return "supplier:" + b.supplier_id; }
    std::string operator()(const ReportSubmitted& b) {
      return "report:" + b.campaign_id + ":" + b.region;
    }
    std::string operator()(const FlagRaised& b) { return "flag:" + b.flag_id; }
    std::string operator()(const FlagResolved& b) { return "flag:" + b.flag_id; }
  };
  return std::visit(Visitor{}, body);
}

// "2020-09-05" -> days since 1970-01-01 (the test fails on a bad date).
inline int32_t Day(const std::string& date) {
  Result<int32_t> day = ParseDate(date);
  EXPECT_TRUE(day.ok()) << date;
  return day.ok() ? *day : 0;
}

// The parameters of `rule_id` in rules/default-rules.json with `overrides`
// (a JSON object text, e.g. R"({"alert_ratio":2.0})") applied.
inline RuleParams DefaultParams(const std::string& rule_id, const std::string& overrides = "{}") {
  Result<RuleConfig> config = DefaultRuleConfig();
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  boost::json::object params =
      config.ok() ? config->rules.at(rule_id).params : boost::json::object{};
  boost::json::object extra = boost::json::parse(overrides).as_object();
  for (const auto& [name, value] : extra) params[name] = value;
  return RuleParams(rule_id, std::move(params));
}

class DraftSink final : public FlagSink {
 public:
  void Raise(FlagDraft draft) override { drafts.push_back(std::move(draft)); }
  std::vector<FlagDraft> drafts;
};

// Drives one rule over hand-made records. The business clock advances on
// sale.recorded, sale.refunded, benefit.paid and report.submitted (the
// default advancing_types).
class RuleHarness {
 public:
  explicit RuleHarness(std::unique_ptr<Rule> rule) : rule_(std::move(rule)) {}
  // The rule made by `factory` from its default parameters plus overrides.
  static RuleHarness Make(RuleFactory factory, const std::string& rule_id,
                          const std::string& overrides = "{}") {
    RuleParams params = DefaultParams(rule_id, overrides);
    Result<std::unique_ptr<Rule>> rule = factory(params);
    EXPECT_TRUE(rule.ok()) << rule.status().ToString();
    EXPECT_TRUE(params.CheckAllRead().ok()) << params.CheckAllRead().ToString();
    return RuleHarness(rule.ok() ? std::move(rule).value() : nullptr);
  }

  // Appends a record of `body` at business time `occurred_at` (RFC 3339);
  // returns its seq. `stream` defaults to the body's stream.
  uint64_t Add(EventBody body, const std::string& occurred_at, std::string stream = "") {
    DecodedRecord record;
    record.seq = next_seq_++;
    record.type = TypeOf(body);
    Result<int64_t> ms = ParseRfc3339Millis(occurred_at);
    EXPECT_TRUE(ms.ok()) << occurred_at;
    record.occurred_at_ms = ms.ok() ? *ms : 0;
    record.occurred_day = ShanghaiDay(record.occurred_at_ms);
    record.stream = stream.empty() ? StreamOf(body) : std::move(stream);
    record.key_id = "test-key";
    record.body = std::move(body);
    entities_.Apply(record);
    statistics_.Apply(record);
    const int64_t previous = clock_ms_;
    const EventType type = record.type;
    if ((type == EventType::kSaleRecorded || type == EventType::kSaleRefunded ||
         type == EventType::kBenefitPaid || type == EventType::kReportSubmitted) &&
        record.occurred_at_ms > clock_ms_) {
      clock_ms_ = record.occurred_at_ms;
    }
    World world{entities_.catalog(), statistics_.state(), clock_ms_};
    if (rule_) {
      rule_->OnRecord(record, world, sink_);
      if (clock_ms_ > previous) rule_->OnClock(previous, record, world, sink_);
    }
    return record.seq;
  }

  // --- The world, with defaults -------------------------------------------
  // Regions 430000 湖南省 > 430100 长沙市 > 430102 芙蓉区 (not poverty) and
  // 433100 湘西州 > 433127 永顺县 (poverty county); campaign CAMP-1 for
  // 2020-09-01..2020-09-30; supplier SUP-1 in 433127.
  void SeedWorld() {
    AddRegion("430000", "湖南省", RegionLevel::kProvince, "", false);
    AddRegion("430100", "长沙市", RegionLevel::kPrefecture, "430000", false);
    AddRegion("430102", "芙蓉区", RegionLevel::kCounty, "430100", false);
    AddRegion("433100", "湘西土家族苗族自治州", RegionLevel::kPrefecture, "430000", false);
    AddRegion("433127", "永顺县", RegionLevel::kCounty, "433100", true);
    CampaignDefined campaign;
    campaign.campaign_id = "CAMP-1";
    campaign.name = "测试消费扶贫月";
    campaign.starts_on = "2020-09-01";
    campaign.ends_on = "2020-09-30";
    campaign.starts_on_day = Day("2020-09-01");
    campaign.ends_on_day = Day("2020-09-30");
    Add(campaign, "2020-08-01T09:00:00+08:00");
    AddSupplier("SUP-1", "433127");
  }
  uint64_t AddRegion(const std::string& code, const std::string& name, RegionLevel level,
                     const std::string& parent, bool poverty) {
    return Add(RegionDefined{code, name, level, parent, poverty}, "2020-08-01T09:00:00+08:00");
  }
  uint64_t AddSupplier(const std::string& id, const std::string& region) {
    return Add(SupplierRegistered{id, "供应商 " + id, "91430000MA4L000000", region},
               "2020-08-01T09:00:00+08:00");
  }
  uint64_t AddHousehold(const std::string& id, int64_t members,
                        const std::string& region = "433127") {
    return Add(HouseholdRegistered{id, region, members, HouseholdStatus::kPoor},
               "2020-08-01T09:00:00+08:00");
  }
  // A product certified at `occurred_at`, valid 2020-01-01..2021-12-31.
  ProductCertified ProductBody(const std::string& id, int64_t reference_price_fen = 3500,
                               std::vector<std::string> households = {},
                               const std::string& supplier = "SUP-1") {
    ProductCertified p;
    p.product_id = id;
    p.name = "测试产品 " + id;
    p.category = "茶油";
    p.spec = "1L";
    p.unit = "瓶";
    p.supplier_id = supplier;
    p.origin_region = "433127";
    p.reference_price_fen = reference_price_fen;
    p.certificate_no = "XFP-" + id;
    p.valid_from = "2020-01-01";
    p.valid_to = "2021-12-31";
    p.valid_from_day = Day(p.valid_from);
    p.valid_to_day = Day(p.valid_to);
    p.annual_value_fen = 500'000'000;
    p.benefit.mechanisms = {BenefitMechanism::kOrderPurchase};
    p.benefit.households = std::move(households);
    p.benefit.people_claimed = 0;
    return p;
  }
  uint64_t AddProduct(ProductCertified product,
                      const std::string& occurred_at = "2020-08-01T09:00:00+08:00") {
    return Add(std::move(product), occurred_at);
  }
  uint64_t AddOutlet(const std::string& id, OutletKind kind = OutletKind::kCounter,
                     const std::string& region = "430102",
                     const std::string& occurred_at = "2020-08-01T09:00:00+08:00") {
    OutletDeployed o;
    o.outlet_id = id;
    o.kind = kind;
    o.name = "测试网点 " + id;
    o.region = region;
    return Add(std::move(o), occurred_at);
  }
  uint64_t AddSale(const std::string& sale_id, const std::string& product,
                   const std::string& outlet, int64_t quantity, int64_t unit_price_fen,
                   const std::string& occurred_at, BuyerKind buyer_kind = BuyerKind::kIndividual,
                   std::optional<std::string> buyer_ref = std::nullopt) {
    SaleRecorded s;
    s.sale_id = sale_id;
    s.product_id = product;
    s.outlet_id = outlet;
    s.quantity = quantity;
    s.unit_price_fen = unit_price_fen;
    s.amount_fen = quantity * unit_price_fen;
    s.buyer_kind = buyer_kind;
    s.buyer_ref = std::move(buyer_ref);
    return Add(std::move(s), occurred_at);
  }
  uint64_t AddRefund(const std::string& sale_id, const std::string& outlet, int64_t amount_fen,
                     const std::string& occurred_at) {
    return Add(SaleRefunded{sale_id, outlet, amount_fen, "退货"}, occurred_at);
  }

  const std::vector<FlagDraft>& drafts() const { return sink_.drafts; }
  int64_t clock_ms() const { return clock_ms_; }
  uint64_t next_seq() const { return next_seq_; }
  const Rule& rule() const { return *rule_; }

 private:
  std::unique_ptr<Rule> rule_;
  projections::EntityProjection entities_;
  projections::StatisticsProjection statistics_;
  DraftSink sink_;
  uint64_t next_seq_ = 0;
  int64_t clock_ms_ = 0;
};

}  // namespace fupin::rules::testing
