// Trading frauds: outlets, sales, refunds and reports (FP-02, 05, 12, 13,
// 14, 15, 17, 18, 19, 20), planned for the trade simulation to carry out.
#include <algorithm>
#include <array>

#include "generator/fraud_planner.h"

namespace fupin::generator::internal {

// FP-14: a counter deployed for the count that never sells.
void Planner::ZombieCounter() {
  const int oi = PickOutlet({OutletKind::kCounter});
  if (oi < 0) return;
  Outlet& o = w_.outlets[static_cast<std::size_t>(oi)];
  o.zombie = o.tainted = true;
  o.cases.push_back(labels_.Open(
      "FP-14", OutletSubject(oi),
      "智能专柜" + o.id + "于" + MonthDay(DayOf(o.deployed_at)) + "投放，活动期间无一笔销售"));
}

// FP-02: sales at a counter after it was closed, or before it was
// deployed.
void Planner::InactiveOutlet(bool before_deployment) {
  const int oi = PickOutlet({OutletKind::kCounter});
  if (oi < 0) return;
  Outlet& o = w_.outlets[static_cast<std::size_t>(oi)];
  o.tainted = true;
  SaleFraud f{before_deployment ? SaleFraudKind::kBeforeDeployment : SaleFraudKind::kAfterClosing};
  f.outlet = oi;
  if (before_deployment) {
    f.day = Days(12, 18);
    o.deployed_at = At(f.day, 10, 0);
    f.count = Count(2, 3);
  } else {
    const int32_t day = Days(14, 20);
    o.closed_at = At(day, 17, static_cast<int>(rng_.Between(0, 59)));
    o.close_reason = "专柜撤除";
    f.day = day + 1;
    f.count = Count(2, 4);
  }
  f.case_id = labels_.Open("FP-02", OutletSubject(oi),
                           before_deployment
                               ? "专柜" + o.id + "于" + MonthDay(f.day) + "投放，此前已有销售记录"
                               : "专柜" + o.id + "于" + MonthDay(f.day - 1) + "撤除后仍有销售记录");
  if (before_deployment) {
    o.cases.push_back(f.case_id);
  } else {
    o.close_case = f.case_id;
  }
  plan_.sales.push_back(f);
}

// FP-05: after steady prices, a product's price at one outlet jumps.
void Planner::PriceJump() {
  // Repricings are planned after the frauds and skip tainted products, so
  // the product's reference stays put until the jump.
  const int oi =
      PickOutlet({OutletKind::kZoneOnline, OutletKind::kPavilion, OutletKind::kZoneOffline}, true);
  if (oi < 0) return;
  Outlet& o = w_.outlets[static_cast<std::size_t>(oi)];
  o.tainted = true;
  SaleFraud f{SaleFraudKind::kPriceJump};
  f.outlet = oi;
  f.product = PickAssortmentProduct(o);
  Taint(f.product);
  f.day = Days(18, 24);
  f.count = Count(2, 4);
  f.case_id = labels_.Open("FP-05", OutletSubject(oi),
                           o.name + "的" + w_.products[static_cast<std::size_t>(f.product)].name +
                               "自" + MonthDay(f.day) + "起售价突然上涨两成以上");
  plan_.sales.push_back(f);
}

void Planner::Velocity(bool repeat_buyer) {
  const int oi =
      repeat_buyer
          ? PickOutlet({OutletKind::kCounter, OutletKind::kZoneOffline, OutletKind::kPavilion})
          : PickOutlet({OutletKind::kCounter});
  if (oi < 0) return;
  Outlet& o = w_.outlets[static_cast<std::size_t>(oi)];
  o.tainted = true;
  SaleFraud f{repeat_buyer ? SaleFraudKind::kRepeatBuyer : SaleFraudKind::kBurst};
  f.outlet = oi;
  f.day = Days(7, 26);
  f.count = repeat_buyer ? Count(kRepeatBuyerMin, kRepeatBuyerMax) : Count(kBurstMin, kBurstMax);
  f.case_id = labels_.Open(
      "FP-12", OutletSubject(oi),
      repeat_buyer
          ? o.name + "在" + MonthDay(f.day) + "同一买家购买" + std::to_string(f.count) + "次"
          : o.name + "在" + MonthDay(f.day) + "一小时内录入" + std::to_string(f.count) + "笔销售");
  plan_.sales.push_back(f);
}

void Planner::Duplicates() {
  const int oi =
      PickOutlet({OutletKind::kCounter, OutletKind::kPavilion, OutletKind::kZoneOffline}, true);
  if (oi < 0) return;
  Outlet& o = w_.outlets[static_cast<std::size_t>(oi)];
  o.tainted = true;
  SaleFraud f{SaleFraudKind::kDuplicates};
  f.outlet = oi;
  f.product = PickAssortmentProduct(o);
  if (f.product >= 0) Taint(f.product);
  f.day = Days(5, 28);
  f.count = Count(kDuplicateMin, kDuplicateMax);
  f.case_id = labels_.Open("FP-13", OutletSubject(oi),
                           o.name + "在" + MonthDay(f.day) + "同一买家以相同金额重复购买同一产品" +
                               std::to_string(f.count) + "次");
  plan_.sales.push_back(f);
}

void Planner::RefundsAfterCampaign() {
  const int oi = PickOutlet({OutletKind::kZoneOnline, OutletKind::kLivestreamBase});
  if (oi < 0) return;
  Outlet& o = w_.outlets[static_cast<std::size_t>(oi)];
  o.tainted = true;
  LateRefunds r;
  r.outlet = oi;
  r.percent = Count(kLateRefundMinPercent, kLateRefundMaxPercent);
  r.case_id = labels_.Open("FP-17", OutletSubject(oi), "");
  plan_.late_refunds.push_back(r);
}

void Planner::Backdated() {
  const int oi = PickOutlet({OutletKind::kZoneOnline});
  if (oi < 0) return;
  Outlet& o = w_.outlets[static_cast<std::size_t>(oi)];
  o.tainted = true;
  SaleFraud f{SaleFraudKind::kBackdated};
  f.outlet = oi;
  f.day = Days(3, 12);
  f.count = Count(4, 8);
  f.case_id = labels_.Open("FP-18", OutletSubject(oi),
                           o.name + "在活动后期补录" + std::to_string(f.count) + "笔" +
                               MonthDay(f.day) + "前后的销售（迟录超过7天）");
  plan_.sales.push_back(f);
}

void Planner::ForcedPurchase() {
  const int oi = PickOutlet({OutletKind::kPavilion, OutletKind::kZoneOffline}, true);
  if (oi < 0) return;
  Outlet& o = w_.outlets[static_cast<std::size_t>(oi)];
  const int product = PickAssortmentProduct(o);
  if (product < 0) return;
  o.tainted = true;
  SaleFraud f{SaleFraudKind::kForcedPurchase};
  f.outlet = oi;
  f.product = product;
  Taint(product);  // no repricing or revocation in its way
  f.slot = w_.PrefectureSlot(o.region);
  f.org = static_cast<int>(rng_.Below(static_cast<uint64_t>(w_.params.orgs_per_prefecture)));
  for (const SaleFraud& other : plan_.sales) {
    if (other.kind == SaleFraudKind::kForcedPurchase && other.slot == f.slot &&
        other.org == f.org) {
      f.org = (f.org + 1) % w_.params.orgs_per_prefecture;
    }
  }
  f.day = Days(7, 24);
  f.count = Count(kForcedPurchasesMin, kForcedPurchasesMax);
  const std::string org = OrgId(w_, f.slot, f.org);
  f.case_id = labels_.Open("FP-19", "org:" + org,
                           "单位" + org + "在" + MonthDay(f.day) + "以相同金额集中采购" +
                               std::to_string(f.count) + "次（摊派）");
  plan_.sales.push_back(f);
}

void Planner::InflatedReportCase(int variant) {
  std::vector<int> used;
  for (const InflatedReport& r : plan_.reports) used.push_back(r.slot);
  int slot = 0;
  do {
    slot = static_cast<int>(rng_.Below(w_.regions.prefectures().size()));
  } while (std::find(used.begin(), used.end(), slot) != used.end());
  InflatedReport r;
  r.slot = slot;
  r.variant = variant;
  r.percent = Count(kReportInflationMinPercent, kReportInflationMaxPercent);
  const Region& pref = w_.region(w_.regions.prefectures()[static_cast<std::size_t>(slot)]);
  static constexpr std::array<std::string_view, 3> kWhat = {"销售额", "专柜数和销售额",
                                                            "覆盖贫困人口"};
  r.case_id = labels_.Open("FP-15", "region:" + pref.code,
                           pref.name + "上报的统计表虚报" +
                               std::string(kWhat[static_cast<std::size_t>(variant)]) + "（约" +
                               std::to_string(r.percent) + "%）");
  plan_.reports.push_back(r);
}

void Planner::Fabricated() {
  std::vector<int> used;
  for (const FabricatedSales& f : plan_.fabricated) used.push_back(f.slot);
  int slot = 0;
  do {
    slot = static_cast<int>(1 + rng_.Below(w_.regions.prefectures().size() - 1));  // not 长沙
  } while (std::find(used.begin(), used.end(), slot) != used.end());
  FabricatedSales f;
  f.slot = slot;
  f.percent = Count(kFabricatedMinPercent, kFabricatedMaxPercent);
  const Region& pref = w_.region(w_.regions.prefectures()[static_cast<std::size_t>(slot)]);
  f.case_id = labels_.Open("FP-20", "region:" + pref.code, "");
  plan_.fabricated.push_back(f);
}

}  // namespace fupin::generator::internal
