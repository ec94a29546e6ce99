// Trading frauds (FP-01, 02, 05, 08, 11, 12, 13, 17, 18, 19, 20), the
// honest top-up purchases, and the edge-case sales at the window's end.
#include <algorithm>
#include <optional>

#include "generator/random.h"
#include "generator/text.h"
#include "generator/trade.h"

namespace fupin::generator {
namespace {

// Honest top-ups are bought in lots of at most 5,000元.
inline constexpr int64_t kTopUpLotFen = 500'000;
// Bulk purchases that push a product past its capacity: 20,000元 lots.
inline constexpr int64_t kCapacityLotFen = 2'000'000;

BizTime DaytimeOn(int32_t day, Rng& rng) { return At(day, rng.Between(10 * 3600, 20 * 3600 - 1)); }

}  // namespace

void TradeSimulation::AddFraudSales(int32_t day) {
  for (const SaleFraud& f : plan_.sales) {
    Rng rng(w_.seed, "fraud-sales",
            (static_cast<uint64_t>(day) << 32) | static_cast<uint64_t>(f.case_id + 1));
    outlet_day_buyers_.clear();
    switch (f.kind) {
      case SaleFraudKind::kAfterRevocation:
      case SaleFraudKind::kAfterExpiry:
      case SaleFraudKind::kBeforeCertification:
        AddUncertifiedSales(f, day, rng);
        break;
      case SaleFraudKind::kAfterClosing:
      case SaleFraudKind::kBeforeDeployment:
        AddInactiveOutletSales(f, day, rng);
        break;
      case SaleFraudKind::kPriceJump:
        AddPriceJump(f, day, rng);
        break;
      case SaleFraudKind::kBurst:
        AddBurst(f, day, rng);
        break;
      case SaleFraudKind::kRepeatBuyer:
      case SaleFraudKind::kDuplicates:
        AddRepeatedPurchases(f, day, rng);
        break;
      case SaleFraudKind::kBackdated:
        AddBackdatedSales(f, day, rng);
        break;
      case SaleFraudKind::kForcedPurchase:
        AddForcedPurchase(f, day);
        break;
      case SaleFraudKind::kCapacity:
        AddCapacitySales(f, day, rng);
        break;
      case SaleFraudKind::kShamSales:
        AddShamSales(f, day, rng);
        break;
    }
  }
}

int TradeSimulation::OpenOutletFor(int product, int32_t on, Rng& rng) const {
  std::vector<int> open;
  for (int o : w_.product_outlets[static_cast<std::size_t>(product)]) {
    const Outlet& outlet = w_.outlets[static_cast<std::size_t>(o)];
    if (!outlet.zombie && !outlet.tainted && InOperation(outlet, on)) open.push_back(o);
  }
  return open.empty() ? -1 : open[rng.Below(open.size())];
}

void TradeSimulation::PushTimedFraudSale(SaleIntent s, const SaleFraud& f, BizTime at,
                                         BizTime book_at) {
  s.at = at;
  s.book_at = book_at;
  s.fixed_time = true;
  s.case_id = f.case_id;
  s.refundable = false;
  day_sales_.push_back(std::move(s));
}

void TradeSimulation::PushPricedFraudSale(SaleIntent s, const SaleFraud& f, int slot) {
  s.fixed_price = true;
  s.case_id = f.case_id;
  s.refundable = false;
  tallies_[static_cast<std::size_t>(slot)].Count(s.pq.amount());
  day_sales_.push_back(std::move(s));
}

TradeSimulation::SaleIntent TradeSimulation::IndividualSale(int outlet, int product, int32_t on,
                                                            Rng& rng) {
  // The draws in this order keep every generated campaign byte-identical
  // (fixtures/campaign-small).
  const int64_t quantity = DrawQuantity(BuyerKind::kIndividual, rng);
  const Buyer buyer = DrawBuyer(outlet, BuyerKind::kIndividual, rng);
  return MakeSale(outlet, product, on, buyer, quantity, rng);
}

void TradeSimulation::AddUncertifiedSales(const SaleFraud& f, int32_t day, Rng& rng) {
  if (day != f.day) return;
  const bool before = f.kind == SaleFraudKind::kBeforeCertification;
  for (int k = 0; k < f.count; ++k) {
    // After a revocation or expiry: sold on that day or the five after.
    // Before certification: sold up to three days earlier, booked today.
    const int32_t on = before ? f.day - 1 - static_cast<int32_t>(rng.Below(3))
                              : f.day + static_cast<int32_t>(rng.Below(6));
    const int outlet = OpenOutletFor(f.product, on, rng);
    if (outlet < 0) continue;
    std::optional<BizTime> booked;
    if (before) booked = At(day, rng.Between(10 * 3600, 15 * 3600));
    const BizTime at = DaytimeOn(on, rng);
    SaleIntent sale = IndividualSale(outlet, f.product, on, rng);
    PushTimedFraudSale(std::move(sale), f, at, booked.value_or(at));
  }
}

void TradeSimulation::AddInactiveOutletSales(const SaleFraud& f, int32_t day, Rng& rng) {
  if (day != f.day) return;
  const bool after = f.kind == SaleFraudKind::kAfterClosing;
  const Outlet& o = w_.outlets[static_cast<std::size_t>(f.outlet)];
  for (int k = 0; k < f.count; ++k) {
    const int32_t on = after ? f.day + static_cast<int32_t>(rng.Below(6))
                             : f.day - 1 - static_cast<int32_t>(rng.Below(3));
    const int product = PickSellable(o, on, rng);
    if (product < 0) continue;
    const BizTime at = DaytimeOn(on, rng);
    // Sold before the deployment, booked once the counter was there.
    const BizTime booked = after ? at : At(day, rng.Between(11 * 3600, 15 * 3600));
    SaleIntent sale = IndividualSale(f.outlet, product, on, rng);
    PushTimedFraudSale(std::move(sale), f, at, booked);
  }
}

void TradeSimulation::AddPriceJump(const SaleFraud& f, int32_t day, Rng& rng) {
  if (day < f.day || day >= f.day + f.count) return;
  const std::vector<int64_t>& history = jump_prices_[static_cast<std::size_t>(f.outlet)];
  if (history.empty()) return;
  const int64_t highest = *std::max_element(history.begin(), history.end());
  SaleIntent s;
  s.outlet = f.outlet;
  s.product = f.product;
  s.buyer = DrawBuyer(f.outlet, BuyerKind::kIndividual, rng);
  s.pq.quantity = DrawQuantity(BuyerKind::kIndividual, rng);
  s.pq.unit_price_fen = highest * rng.Between(kJumpMinPermille, kJumpMaxPermille) / 1000;
  PushPricedFraudSale(std::move(s), f, OutletSlot(f.outlet));
}

void TradeSimulation::AddBurst(const SaleFraud& f, int32_t day, Rng& rng) {
  if (day != f.day) return;
  const Outlet& o = w_.outlets[static_cast<std::size_t>(f.outlet)];
  // All within 50 minutes of one clock hour (14:02-14:52 or 15:02-15:52),
  // however the hour is counted.
  const BizTime start = At(day, (14 + static_cast<int>(rng.Below(2))) * 3600 + 120);
  const int64_t gap = 50 * 60 / f.count;
  for (int k = 0; k < f.count; ++k) {
    const int product = PickSellable(o, day, rng);
    if (product < 0) continue;
    const BizTime at =
        start + k * gap + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(gap)));
    SaleIntent sale = IndividualSale(f.outlet, product, day, rng);
    PushTimedFraudSale(std::move(sale), f, at, at);
  }
}

void TradeSimulation::AddRepeatedPurchases(const SaleFraud& f, int32_t day, Rng& rng) {
  if (day != f.day) return;
  const Outlet& o = w_.outlets[static_cast<std::size_t>(f.outlet)];
  const int slot = w_.PrefectureSlot(o.region);
  const bool repeat = f.kind == SaleFraudKind::kRepeatBuyer;
  Buyer buyer;
  buyer.slot = slot;
  buyer.kind = repeat ? BuyerKind::kIndividual : BuyerKind::kEnterprise;
  buyer.a = repeat ? static_cast<uint32_t>(individual_pool_[static_cast<std::size_t>(slot)] + 7 +
                                           static_cast<uint64_t>(f.case_id))
                   : static_cast<uint32_t>(
                         rng.Below(static_cast<uint64_t>(w_.params.enterprises_per_prefecture)));
  SaleIntent base;
  for (int k = 0; k < f.count; ++k) {
    if (repeat || k == 0) {
      const int product = !repeat && f.product >= 0 &&
                                  Sellable(w_.products[static_cast<std::size_t>(f.product)], day)
                              ? f.product
                              : PickSellable(o, day, rng);
      if (product < 0 && !repeat) break;
      if (product < 0) continue;
      base = MakeSale(f.outlet, product, day, buyer, DrawQuantity(buyer.kind, rng), rng);
    } else {
      tallies_[static_cast<std::size_t>(slot)].Count(base.pq.amount());
    }
    base.case_id = f.case_id;
    base.fixed_price = !repeat;
    base.refundable = false;
    day_sales_.push_back(base);
  }
}

void TradeSimulation::AddBackdatedSales(const SaleFraud& f, int32_t day, Rng& rng) {
  if (day != f.day) return;
  const Outlet& o = w_.outlets[static_cast<std::size_t>(f.outlet)];
  const int32_t booked = std::min<int32_t>(
      kSept30,
      f.day + 2 + static_cast<int32_t>(rng.Between(kBackdateMinDays, kBackdateMaxDays - 2)));
  for (int k = 0; k < f.count; ++k) {
    const int32_t on = f.day + static_cast<int32_t>(rng.Below(3));
    const int product = PickSellable(o, on, rng);
    if (product < 0) continue;
    const BizTime booked_at = At(booked, rng.Between(21 * 3600 + 1800, 23 * 3600 + 1800));
    const BizTime at = DaytimeOn(on, rng);
    SaleIntent sale = IndividualSale(f.outlet, product, on, rng);
    PushTimedFraudSale(std::move(sale), f, at, booked_at);
  }
}

void TradeSimulation::AddForcedPurchase(const SaleFraud& f, int32_t day) {
  if (day != f.day) return;
  const Product& p = w_.products[static_cast<std::size_t>(f.product)];
  if (!Sellable(p, day)) return;
  // Every member of staff takes the same package: one price, one quantity
  // for the whole case.
  Rng package(w_.seed, "forced-package", static_cast<uint64_t>(f.case_id));
  SaleIntent s;
  s.outlet = f.outlet;
  s.product = f.product;
  s.pq.quantity = package.Between(1, 2);
  s.pq.unit_price_fen = ReferenceOn(p, f.day) / 10 * 10;
  s.buyer.kind = BuyerKind::kBudgetUnit;
  s.buyer.slot = f.slot;
  s.buyer.a = static_cast<uint32_t>(f.org);
  // All on one day, spread over the opening hours: within any three-day
  // window, however the days are counted.
  for (int k = 0; k < f.count; ++k) {
    s.buyer.b = static_cast<uint32_t>(200 + k);  // each a different person
    PushPricedFraudSale(s, f, f.slot);
  }
}

void TradeSimulation::AddCapacitySales(const SaleFraud& f, int32_t day, Rng& rng) {
  if (day != f.day) return;
  const Product& p = w_.products[static_cast<std::size_t>(f.product)];
  const int64_t target = p.annual_value_fen * 13 / 10;
  int64_t missing = target - product_sold_fen_[static_cast<std::size_t>(f.product)];
  for (int k = 0; k < 400 && missing > 0; ++k) {
    const int outlet = OpenOutletFor(f.product, day, rng);
    if (outlet < 0) break;
    const int64_t lot = std::min(missing, kCapacityLotFen);
    Buyer buyer;
    buyer.kind = BuyerKind::kEnterprise;
    buyer.slot = OutletSlot(outlet);
    buyer.a = static_cast<uint32_t>(
        rng.Below(static_cast<uint64_t>(w_.params.enterprises_per_prefecture)));
    SaleIntent s = MakeSale(outlet, f.product, day, buyer,
                            std::max<int64_t>(1, lot / ReferenceOn(p, day)), rng);
    s.refundable = false;
    missing -= s.pq.amount();
    day_sales_.push_back(std::move(s));
  }
}

void TradeSimulation::AddShamSales(const SaleFraud& f, int32_t day, Rng& rng) {
  if (day != f.day) return;
  const Product& p = w_.products[static_cast<std::size_t>(f.product)];
  const int64_t price = ReferenceOn(p, day);
  const int count =
      static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(f.count, f.target_fen / price)));
  const int64_t quantity = std::max<int64_t>(1, f.target_fen / count / price);
  for (int k = 0; k < count; ++k) {
    SaleIntent s;
    s.outlet = f.outlet;
    s.product = f.product;
    s.buyer = DrawBuyer(f.outlet, BuyerKind::kIndividual, rng);
    s.pq = {quantity, price};
    PushPricedFraudSale(std::move(s), f, OutletSlot(f.outlet));
  }
}

int TradeSimulation::OutletSlot(int outlet) const {
  return w_.PrefectureSlot(w_.outlets[static_cast<std::size_t>(outlet)].region);
}

void TradeSimulation::AddTopUps(int32_t day) {
  if (day != kSept30 - 2) return;
  for (std::size_t si = 0; si < w_.suppliers.size(); ++si) {
    const Supplier& s = w_.suppliers[si];
    if (s.sham) continue;
    int64_t missing = kMinSalesPerHouseholdFen * supplier_claimed_[si] - supplier_counted_fen_[si];
    Rng rng(w_.seed, "top-ups", si);
    for (int tries = 0; tries < 64 && missing > 0; ++tries) {
      const int product = s.products[rng.Below(s.products.size())];
      const Product& p = w_.products[static_cast<std::size_t>(product)];
      if (!Sellable(p, day) || !Sellable(p, kSept30)) continue;
      std::vector<int> open;
      for (int o : w_.product_outlets[static_cast<std::size_t>(product)]) {
        const Outlet& outlet = w_.outlets[static_cast<std::size_t>(o)];
        if (!outlet.zombie && !outlet.tainted && InOperation(outlet, day)) {
          open.push_back(o);
        }
      }
      if (open.empty()) continue;
      const int outlet = open[rng.Below(open.size())];
      outlet_day_buyers_.clear();
      const Buyer buyer = DrawBuyer(outlet, BuyerKind::kBudgetUnit, rng);
      const int64_t lot = std::min(missing, kTopUpLotFen);
      SaleIntent sale = MakeSale(outlet, product, day, buyer,
                                 std::max<int64_t>(1, lot / ReferenceOn(p, day)), rng);
      missing -= sale.pq.amount();
      day_sales_.push_back(std::move(sale));
    }
  }
}

void TradeSimulation::AddLateRefunds(int32_t day) {
  if (day != kOct1 + 1) return;
  for (const LateRefunds& r : plan_.late_refunds) {
    std::vector<KeptSale>& sales = kept_[static_cast<std::size_t>(r.outlet)];
    Rng rng(w_.seed, "late-refunds", static_cast<uint64_t>(r.case_id));
    for (std::size_t i = sales.size(); i > 1; --i) std::swap(sales[i - 1], sales[rng.Below(i)]);
    const int64_t window = outlet_window_fen_[static_cast<std::size_t>(r.outlet)];
    const int64_t target = window * r.percent / 100;
    int64_t refunded = 0;
    for (std::size_t i = 0; i < sales.size() && refunded < target; ++i) {
      const KeptSale& k = sales[i];
      if (refunded + k.amount_fen > target + target / 10 && refunded * 10 > target * 9) continue;
      RefundIntent refund;
      const int32_t on = day + static_cast<int32_t>(i % 7);
      refund.at = At(on, rng.Between(9 * 3600, 21 * 3600));
      refund.sale_id = k.sale_id;
      refund.outlet = r.outlet;
      refund.product = k.product;
      refund.sale_at = k.at;
      refund.amount_fen = k.amount_fen;
      refund.case_id = r.case_id;
      refunded += k.amount_fen;
      if (on == day) {
        day_refunds_.push_back(std::move(refund));
      } else {
        pending_refunds_[on].push_back(std::move(refund));
      }
    }
    const Outlet& o = w_.outlets[static_cast<std::size_t>(r.outlet)];
    labels_.SetDescription(r.case_id, o.name + "活动结束后一周内退款" + Yuan(refunded) +
                                          "元，占其活动期间销售额" + Yuan(window) + "元的" +
                                          std::to_string(window > 0 ? refunded * 100 / window : 0) +
                                          "%");
    sales.clear();
    sales.shrink_to_fit();
  }
}

void TradeSimulation::AddFabricatedSales(int32_t day) {
  for (const FabricatedSales& f : plan_.fabricated) {
    Rng rng(w_.seed, "fabricated",
            (static_cast<uint64_t>(day) << 8) | static_cast<uint64_t>(f.slot));
    std::vector<int> outlets;
    std::vector<int64_t> weights;
    for (int o : outlets_by_slot_[static_cast<std::size_t>(f.slot)]) {
      const Outlet& outlet = w_.outlets[static_cast<std::size_t>(o)];
      if (!outlet.zombie && !outlet.tainted && !outlet.assortment.empty() &&
          InOperation(outlet, day)) {
        outlets.push_back(o);
        weights.push_back(outlet.weight);
      }
    }
    if (outlets.empty()) continue;
    int64_t honest = 0;
    for (const SaleIntent& s : day_sales_) {
      honest += w_.PrefectureSlot(w_.outlets[static_cast<std::size_t>(s.outlet)].region) == f.slot
                    ? 1
                    : 0;
    }
    const int64_t count =
        std::max<int64_t>(kFabricatedMinPerDay, honest * f.percent / (100 - f.percent));
    for (int64_t k = 0; k < count; ++k) {
      const int outlet = outlets[rng.Weighted(weights)];
      const int product = PickSellable(w_.outlets[static_cast<std::size_t>(outlet)], day, rng);
      if (product < 0) continue;
      // Made-up amounts: first digits 4-8, the "plausible middle" people
      // invent, instead of the spread real amounts have.
      std::array<int64_t, 10> scores{};
      scores[static_cast<std::size_t>(rng.Between(4, 8))] = 1;
      int64_t lo = 0;
      int64_t hi = 0;
      PriceBand(outlet, product, day, lo, hi);
      SaleIntent s;
      s.outlet = outlet;
      s.product = product;
      outlet_day_buyers_.clear();
      s.buyer = DrawBuyer(outlet, BuyerKind::kIndividual, rng);
      s.pq = ChooseAmount(DrawQuantity(BuyerKind::kIndividual, rng), lo, hi, &scores, rng);
      s.case_id = f.case_id;
      s.refundable = false;
      tallies_[static_cast<std::size_t>(f.slot)].Count(s.pq.amount());
      day_sales_.push_back(std::move(s));
    }
  }
}

void TradeSimulation::AddEdgeSales(int32_t day) {
  if (day != kSept30 && day != kOct1) return;
  // SPEC §3 edge: a sale at 23:59:59 on 30 Sept counts, one at 00:00:00 on
  // 1 Oct does not; both at the same online zone of 长沙.
  for (int oi : outlets_by_slot_[0]) {
    const Outlet& o = w_.outlets[static_cast<std::size_t>(oi)];
    if (o.kind != OutletKind::kZoneOnline || o.tainted) continue;
    Rng rng(w_.seed, "edge-sales", static_cast<uint64_t>(day));
    const int product = PickSellable(o, kSept30, rng);
    if (product < 0) continue;
    outlet_day_buyers_.clear();
    SaleIntent s = MakeSale(oi, product, day, DrawBuyer(oi, BuyerKind::kIndividual, rng),
                            DrawQuantity(BuyerKind::kIndividual, rng), rng);
    s.at = s.book_at = day == kSept30 ? At(kSept30, 23, 59, 59) : At(kOct1, 0, 0, 0);
    s.fixed_time = true;
    s.refundable = false;
    day_sales_.push_back(std::move(s));
    break;
  }
  if (day != kOct1) return;
  // A few sales on 1 Oct, after the window: recorded, not counted.
  for (std::size_t slot = 0; slot < outlets_by_slot_.size(); ++slot) {
    for (int oi : outlets_by_slot_[slot]) {
      const Outlet& o = w_.outlets[static_cast<std::size_t>(oi)];
      if (o.kind != OutletKind::kPavilion || o.tainted || o.assortment.empty() ||
          !InOperation(o, day))
        continue;
      Rng rng(w_.seed, "october-sales", static_cast<uint64_t>(oi));
      const int product = PickSellable(o, day, rng);
      if (product < 0) continue;
      outlet_day_buyers_.clear();
      SaleIntent s = MakeSale(oi, product, day, DrawBuyer(oi, BuyerKind::kIndividual, rng),
                              DrawQuantity(BuyerKind::kIndividual, rng), rng);
      s.refundable = false;
      day_sales_.push_back(std::move(s));
      break;
    }
  }
}

}  // namespace fupin::generator
