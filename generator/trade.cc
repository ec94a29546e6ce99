// The honest trading days; the injected trading frauds are in
// trade_fraud.cc.
#include "generator/trade.h"

#include <algorithm>

#include "generator/event_bodies.h"
#include "generator/random.h"
#include "generator/text.h"
#include "generator/volume.h"

namespace fupin::generator {
namespace {

// A category's first sales are judged against few peers, where one
// unlucky draw of the price jitter looks like an outlier (robust z > 3.5
// against 8-30 peers happens for ~1% of uniform draws). Until a category
// has this many sales, a price more than kPeerGuardZ robust deviations
// from its peers' median is pulled back to that distance, as a shop
// prices a new product next to its neighbours on the shelf.
inline constexpr std::size_t kEarlyPeerSales = 150;
inline constexpr int64_t kPeerGuardZMilli = 2000;
// Robust z = 0.6745 (x - median) / MAD, in thousandths.
inline constexpr int64_t kRobustZFactorMilli = 675;
// FP-05 pairs start their steady run once the first week has settled
// every category's peer prices (their discount would look like an outlier
// against the handful of peers of the first days); ten or more steady
// sales still precede the jump on day 18-24.
inline constexpr int32_t kJumpRunFirstDay = kSept1 + 7;

// Sales on a day relative to an ordinary weekday: weekends are busier for
// shoppers, the opening day has the launch ceremonies, and the last week
// runs into 中秋/国庆 (1 Oct 2020), the gift season.
int64_t DayFactor(int32_t day) {
  if (day == kSept1) return 130;
  if (day >= kSept1 + 24) return 150;
  const int weekday = Weekday(day);
  return weekday >= 5 ? 125 : 100;
}

// Opening hours by kind, seconds of the day.
void OpeningHours(OutletKind kind, int64_t& open, int64_t& close) {
  switch (kind) {
    case OutletKind::kCounter:
      open = 8 * 3600, close = 20 * 3600;
      return;
    case OutletKind::kPavilion:
      open = 9 * 3600, close = 21 * 3600;
      return;
    case OutletKind::kZoneOffline:
      open = 8 * 3600 + 1800, close = 22 * 3600;
      return;
    case OutletKind::kZoneOnline:
      open = 7 * 3600, close = 23 * 3600 + 59 * 60;
      return;
    case OutletKind::kLivestreamBase:
      open = 10 * 3600, close = 23 * 3600 + 1800;
      return;
  }
}

}  // namespace

TradeSimulation::TradeSimulation(World& w, const FraudPlan& plan, LabelBook& labels,
                                 EventSink& sink, ExpectedStatistics& stats)
    : w_(w),
      plan_(plan),
      labels_(labels),
      sink_(sink),
      stats_(stats),
      entities_(w, sink, stats, labels) {
  const std::size_t slots = w.regions.prefectures().size();
  product_sold_fen_.assign(w.products.size(), 0);
  supplier_counted_fen_.assign(w.suppliers.size(), 0);
  supplier_claimed_.assign(w.suppliers.size(), 0);
  for (std::size_t si = 0; si < w.suppliers.size(); ++si) {
    std::vector<int> households;
    int64_t ghosts = 0;
    for (int pi : w.suppliers[si].products) {
      const Product& p = w.products[static_cast<std::size_t>(pi)];
      households.insert(households.end(), p.households.begin(), p.households.end());
      ghosts += static_cast<int64_t>(p.ghost_households.size());
    }
    std::sort(households.begin(), households.end());
    households.erase(std::unique(households.begin(), households.end()), households.end());
    supplier_claimed_[si] = static_cast<int64_t>(households.size()) + ghosts;
  }
  const std::size_t outlets = w.outlets.size();
  outlet_window_fen_.assign(outlets, 0);
  outlet_late_refund_fen_.assign(outlets, 0);
  outlet_sold_.assign(outlets, false);
  outlet_latest_.assign(outlets, 0);
  outlet_case_.assign(outlets, -1);
  kept_.resize(outlets);
  jump_prices_.resize(outlets);
  jump_product_.assign(outlets, -1);
  jump_day_.assign(outlets, 0);
  for (const LateRefunds& r : plan.late_refunds) {
    outlet_case_[static_cast<std::size_t>(r.outlet)] = r.case_id;
  }
  for (const SaleFraud& f : plan.sales) {
    if (f.kind != SaleFraudKind::kPriceJump) continue;
    jump_product_[static_cast<std::size_t>(f.outlet)] = f.product;
    jump_day_[static_cast<std::size_t>(f.outlet)] = f.day;
  }
  tallies_.resize(slots);
  early_peers_.resize(64);
  steered_.assign(slots, true);
  for (const FabricatedSales& f : plan.fabricated)
    steered_[static_cast<std::size_t>(f.slot)] = false;

  outlets_by_slot_.resize(slots);
  std::vector<int64_t> slot_weight(slots, 0);
  for (std::size_t i = 0; i < outlets; ++i) {
    const Outlet& o = w.outlets[i];
    const int slot = w.PrefectureSlot(o.region);
    outlets_by_slot_[static_cast<std::size_t>(slot)].push_back(static_cast<int>(i));
    slot_weight[static_cast<std::size_t>(slot)] +=
        static_cast<int64_t>(o.weight) * OperatingDays(o);
  }
  // Individuals come back about three times in the month.
  individual_pool_.assign(slots, 0);
  for (std::size_t s = 0; s < slots; ++s) {
    individual_pool_[s] = std::max<int64_t>(
        500, w.planned_sales * slot_weight[s] / std::max<int64_t>(1, w.total_weight) / 3);
  }
  open_weight_.assign(kSept30 - kSept1 + 1, 0);
  for (int32_t d = kSept1; d <= kSept30; ++d) {
    for (const Outlet& o : w.outlets) {
      if (!o.zombie && !o.assortment.empty() && InOperation(o, d)) {
        open_weight_[static_cast<std::size_t>(d - kSept1)] += o.weight;
      }
    }
    weight_norm_ += DayFactor(d) * open_weight_[static_cast<std::size_t>(d - kSept1)];
  }

  auto add = [&](BizTime at, ItemKind kind, int index) {
    if (DayOf(at) >= kSept1) entity_items_[DayOf(at)].push_back({at, 0, kind, index});
  };
  for (std::size_t i = 0; i < outlets; ++i) {
    const Outlet& o = w.outlets[i];
    add(o.deployed_at, ItemKind::kDeploy, static_cast<int>(i));
    if (o.closed_at != kNever) add(o.closed_at, ItemKind::kClose, static_cast<int>(i));
  }
  for (std::size_t i = 0; i < w.products.size(); ++i) {
    const Product& p = w.products[i];
    add(p.certified_at, ItemKind::kCertify, static_cast<int>(i));
    if (p.repriced_at != kNever) add(p.repriced_at, ItemKind::kReprice, static_cast<int>(i));
    if (p.revoked_at != kNever) add(p.revoked_at, ItemKind::kRevoke, static_cast<int>(i));
  }
  for (std::size_t i = 0; i < w.promotions.size(); ++i) {
    add(EntityEvents::PromotionTime(w.promotions[i]), ItemKind::kPromotion, static_cast<int>(i));
  }
}

void TradeSimulation::Run(const std::function<void(int32_t day)>& on_day) {
  for (int32_t day = kSept1; day <= kLastTradeDay; ++day) {
    RunDay(day);
    on_day(day);
  }
  for (const FabricatedSales& f : plan_.fabricated) {
    const Label& label = labels_.at(f.case_id);
    const int64_t total = tallies_[static_cast<std::size_t>(f.slot)].total();
    labels_.SetDescription(
        f.case_id, w_.region(w_.regions.prefectures()[static_cast<std::size_t>(f.slot)]).name +
                       "的" + std::to_string(total) + "笔销售中有" +
                       std::to_string(label.event_count) +
                       "笔为虚构（金额首位数字集中在4至8），首位数字分布偏离本福特定律");
  }
}

void TradeSimulation::RunDay(int32_t day) {
  day_sales_.clear();
  day_refunds_.clear();
  day_items_.clear();
  org_purchases_today_.clear();
  AddEntityEvents(day);
  if (InWindow(day)) {
    AddHonestSales(day);
    AddFabricatedSales(day);
  }
  AddFraudSales(day);
  AddTopUps(day);
  AddEdgeSales(day);
  AssignTimes(day);
  CarryOver(day);
  AddLateRefunds(day);
  if (auto it = pending_refunds_.find(day); it != pending_refunds_.end()) {
    for (RefundIntent& r : it->second) day_refunds_.push_back(std::move(r));
    pending_refunds_.erase(it);
  }
  for (std::size_t i = 0; i < day_sales_.size(); ++i) {
    day_items_.push_back(
        {day_sales_[i].book_at, item_order_++, ItemKind::kSale, static_cast<int>(i)});
  }
  for (std::size_t i = 0; i < day_refunds_.size(); ++i) {
    day_items_.push_back(
        {day_refunds_[i].at, item_order_++, ItemKind::kRefund, static_cast<int>(i)});
  }
  std::sort(day_items_.begin(), day_items_.end(), [](const Item& a, const Item& b) {
    return a.at != b.at ? a.at < b.at : a.order < b.order;
  });
  for (const Item& item : day_items_) Emit(item);
}

void TradeSimulation::AddEntityEvents(int32_t day) {
  auto it = entity_items_.find(day);
  if (it == entity_items_.end()) return;
  for (Item item : it->second) {
    item.order = item_order_++;
    day_items_.push_back(item);
  }
}

bool TradeSimulation::InOperation(const Outlet& o, int32_t day) const {
  return DayOf(o.deployed_at) <= day && (o.closed_at == kNever || DayOf(o.closed_at) > day);
}

bool TradeSimulation::Sellable(const Product& p, int32_t day) const {
  if (p.certified_at >= At(day, 0) || day < p.valid_from || day > p.valid_to) return false;
  if (p.revoked_at != kNever && DayOf(p.revoked_at) <= day) return false;
  if (w_.suppliers[static_cast<std::size_t>(p.supplier)].sham) return false;
  const std::size_t index = static_cast<std::size_t>(&p - w_.products.data());
  return p.capacity_percent > 0 ||
         product_sold_fen_[index] < p.annual_value_fen / 100 * kSoldOutPercent;
}

int64_t TradeSimulation::ReferenceOn(const Product& p, int32_t day) const {
  return p.repriced_at != kNever && DayOf(p.repriced_at) <= day ? p.repriced_to_fen
                                                                : p.reference_fen;
}

void TradeSimulation::PriceBand(int outlet, int product, int32_t day, int64_t& lo,
                                int64_t& hi) const {
  const Product& p = w_.products[static_cast<std::size_t>(product)];
  const int64_t ref = ReferenceOn(p, day);
  int lo_permille = p.price_lo_permille;
  int hi_permille = p.price_hi_permille;
  if (jump_product_[static_cast<std::size_t>(outlet)] == product) {
    // FP-05 pairs sell steadily at a discount before the jump, so that the
    // jumped price (+23-26%) is still an ordinary price for the category.
    lo_permille = kJumpBaseMinPermille;
    hi_permille = kJumpBaseMaxPermille;
  }
  lo = (ref * lo_permille + 999) / 1000;
  hi = std::max(lo, ref * hi_permille / 1000);
}

const std::array<int64_t, 10>* TradeSimulation::Steering(int slot) {
  if (!steered_[static_cast<std::size_t>(slot)]) return nullptr;
  scores_ = tallies_[static_cast<std::size_t>(slot)].Deficits();
  return &scores_;
}

TradeSimulation::SaleIntent TradeSimulation::MakeSale(int outlet, int product, int32_t day,
                                                      Buyer buyer, int64_t natural, Rng& rng) {
  const int slot = w_.PrefectureSlot(w_.outlets[static_cast<std::size_t>(outlet)].region);
  int64_t lo = 0;
  int64_t hi = 0;
  PriceBand(outlet, product, day, lo, hi);
  SaleIntent s;
  s.outlet = outlet;
  s.product = product;
  s.buyer = buyer;
  s.pq = ChooseAmount(natural, lo, hi, Steering(slot), rng);
  tallies_[static_cast<std::size_t>(slot)].Count(s.pq.amount());
  return s;
}

TradeSimulation::Buyer TradeSimulation::DrawBuyer(int outlet, BuyerKind kind, Rng& rng) {
  const Outlet& o = w_.outlets[static_cast<std::size_t>(outlet)];
  Buyer b;
  b.kind = kind;
  b.slot = w_.PrefectureSlot(o.region);
  if (kind == BuyerKind::kBudgetUnit) {
    for (int tries = 0; tries < 4; ++tries) {
      b.a = static_cast<uint32_t>(rng.Below(static_cast<uint64_t>(w_.params.orgs_per_prefecture)));
      int& today = org_purchases_today_[{b.slot, b.a}];
      if (today < kMaxBuyerPurchasesPerDay) {
        ++today;
        b.b = static_cast<uint32_t>(rng.Below(200));
        return b;
      }
    }
    b.kind = BuyerKind::kIndividual;  // the unit's quota for today is used
  }
  const uint64_t pool =
      b.kind == BuyerKind::kEnterprise
          ? static_cast<uint64_t>(w_.params.enterprises_per_prefecture)
          : static_cast<uint64_t>(individual_pool_[static_cast<std::size_t>(b.slot)]);
  for (int tries = 0; tries < 8; ++tries) {
    b.a = static_cast<uint32_t>(rng.Below(pool));
    auto seen = std::find_if(outlet_day_buyers_.begin(), outlet_day_buyers_.end(),
                             [&](const auto& e) { return e.first == b; });
    if (seen == outlet_day_buyers_.end()) {
      outlet_day_buyers_.emplace_back(b, 1);
      return b;
    }
    if (seen->second < kMaxBuyerPurchasesPerDay) {
      ++seen->second;
      return b;
    }
  }
  // A fresh pseudonym beyond the pool: a first-time buyer.
  b.kind = BuyerKind::kIndividual;
  b.a = static_cast<uint32_t>(individual_pool_[static_cast<std::size_t>(b.slot)] +
                              rng.Below(1u << 30));
  return b;
}

int TradeSimulation::PickSellable(const Outlet& o, int32_t day, Rng& rng) const {
  const std::size_t index = static_cast<std::size_t>(&o - w_.outlets.data());
  for (int tries = 0; tries < 6; ++tries) {
    const int p = o.assortment[rng.Below(o.assortment.size())];
    // The FP-05 product sells at its outlet only in the planned steady
    // run (from kJumpRunFirstDay) and then only at the jumped price.
    if (jump_product_[index] == p && (day >= jump_day_[index] || day < kJumpRunFirstDay)) continue;
    if (Sellable(w_.products[static_cast<std::size_t>(p)], day)) return p;
  }
  return -1;
}

std::string TradeSimulation::BuyerRef(const Buyer& b) const {
  const std::string& pref =
      w_.region(w_.regions.prefectures()[static_cast<std::size_t>(b.slot)]).code;
  switch (b.kind) {
    case BuyerKind::kIndividual:
      return "u" +
             Hex(Mix64(StreamKey(w_.seed, "buyers") ^ (static_cast<uint64_t>(b.slot) << 40) ^ b.a) &
                     0xFFFFFFFFFFFFull,
                 12, false);
    case BuyerKind::kEnterprise:
      return "ent-" + pref + "-" + Padded(b.a + 1, 3);
    case BuyerKind::kBudgetUnit:
      return OrgId(w_, b.slot, static_cast<int>(b.a)) + "/p" + Padded(b.b + 1, 4);
  }
  return "u0";
}

void TradeSimulation::AddHonestSales(int32_t day) {
  const int64_t factor = DayFactor(day);
  for (std::size_t oi = 0; oi < w_.outlets.size(); ++oi) {
    const Outlet& o = w_.outlets[oi];
    if (o.zombie || o.assortment.empty() || !InOperation(o, day)) continue;
    Rng rng(w_.seed, "sales", (static_cast<uint64_t>(day) << 32) | oi);
    const int64_t expected_milli = w_.planned_sales * o.weight * factor * 1000 / weight_norm_;
    int64_t n = expected_milli / 1000 +
                (static_cast<int64_t>(rng.Below(1000)) < expected_milli % 1000 ? 1 : 0);
    int64_t open = 0;
    int64_t close = 0;
    OpeningHours(o.kind, open, close);
    n = std::min<int64_t>(n, kMaxSalesPerHour * (close - open) / 3600 / 2);
    // Every counter sells within its first three days (else it would be a
    // zombie), and before it closes.
    const int32_t first = std::max(kSept1, DayOf(o.deployed_at));
    const int32_t last = o.closed_at == kNever ? kSept30 : DayOf(o.closed_at) - 1;
    if (n == 0 && o.kind == OutletKind::kCounter && !outlet_sold_[oi] &&
        (day - first >= 2 || day >= last)) {
      n = 1;
    }
    outlet_day_buyers_.clear();
    for (int64_t k = 0; k < n; ++k) {
      const int product = PickSellable(o, day, rng);
      if (product < 0) continue;
      const BuyerKind kind = DrawBuyerKind(o.kind, rng);
      const Buyer buyer = DrawBuyer(static_cast<int>(oi), kind, rng);
      day_sales_.push_back(
          MakeSale(static_cast<int>(oi), product, day, buyer, DrawQuantity(buyer.kind, rng), rng));
    }
    // FP-05 pairs: the product sells at the outlet every day before the
    // jump, so the jump stands out against a steady history.
    if (jump_product_[oi] >= 0 && day >= kJumpRunFirstDay && day < jump_day_[oi] &&
        Sellable(w_.products[static_cast<std::size_t>(jump_product_[oi])], day)) {
      const Buyer buyer = DrawBuyer(static_cast<int>(oi), BuyerKind::kIndividual, rng);
      day_sales_.push_back(MakeSale(static_cast<int>(oi), jump_product_[oi], day, buyer,
                                    DrawQuantity(BuyerKind::kIndividual, rng), rng));
    }
  }
}

void TradeSimulation::AssignTimes(int32_t day) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < day_sales_.size(); ++i) {
    if (!day_sales_[i].fixed_time) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return day_sales_[a].outlet < day_sales_[b].outlet;
  });
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin;
    const int outlet = day_sales_[order[begin]].outlet;
    while (end < order.size() && day_sales_[order[end]].outlet == outlet) ++end;
    const Outlet& o = w_.outlets[static_cast<std::size_t>(outlet)];
    int64_t open = 0;
    int64_t close = 0;
    OpeningHours(o.kind, open, close);
    if (DayOf(o.deployed_at) == day) open = std::max(open, o.deployed_at - At(day, 0) + 600);
    if (o.closed_at != kNever && DayOf(o.closed_at) == day) {
      close = std::min(close, o.closed_at - At(day, 0) - 600);
    }
    if (close <= open) close = open + 60 * static_cast<int64_t>(end - begin);
    // Stratified: one sale in each of n equal slots of the opening hours,
    // so no hour holds a burst.
    const int64_t n = static_cast<int64_t>(end - begin);
    const int64_t slot = std::max<int64_t>(1, (close - open) / n);
    Rng rng(w_.seed, "times", (static_cast<uint64_t>(day) << 32) | static_cast<uint64_t>(outlet));
    for (int64_t k = 0; k < n; ++k) {
      SaleIntent& s = day_sales_[order[begin + static_cast<std::size_t>(k)]];
      s.at =
          At(day, open + k * slot + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(slot))));
      s.book_at = s.at;
      const Product& p = w_.products[static_cast<std::size_t>(s.product)];
      // A few honest sales are booked a few days late (a till offline, a
      // paper receipt typed in later).
      if (s.case_id < 0 && s.refundable && o.closed_at == kNever && p.revoked_at == kNever &&
          rng.Chance(kLateBookingPerMille * 1000)) {
        s.book_at =
            s.at + rng.Between(1, kLateBookingMaxDays) * kSecondsPerDay + rng.Between(0, 4 * 3600);
      }
    }
    begin = end;
  }
}

void TradeSimulation::CarryOver(int32_t day) {
  std::vector<SaleIntent> today;
  for (SaleIntent& s : day_sales_) {
    const int32_t book_day = DayOf(s.book_at);
    if (book_day > day) {
      pending_sales_[book_day].push_back(std::move(s));
    } else {
      today.push_back(std::move(s));
    }
  }
  if (auto it = pending_sales_.find(day); it != pending_sales_.end()) {
    for (SaleIntent& s : it->second) today.push_back(std::move(s));
    pending_sales_.erase(it);
  }
  day_sales_ = std::move(today);
}

void TradeSimulation::Emit(const Item& item) {
  switch (item.kind) {
    case ItemKind::kDeploy:
      entities_.EmitDeployment(item.index);
      return;
    case ItemKind::kClose:
      entities_.EmitClosing(item.index);
      return;
    case ItemKind::kCertify:
      entities_.EmitCertification(item.index);
      return;
    case ItemKind::kReprice:
      entities_.EmitRepricing(item.index);
      return;
    case ItemKind::kRevoke:
      entities_.EmitRevocation(item.index);
      return;
    case ItemKind::kPromotion:
      entities_.EmitPromotion(item.index);
      return;
    case ItemKind::kSale:
      EmitSale(day_sales_[static_cast<std::size_t>(item.index)]);
      return;
    case ItemKind::kRefund:
      EmitRefund(day_refunds_[static_cast<std::size_t>(item.index)]);
      return;
  }
}

void TradeSimulation::EmitSale(SaleIntent& s) {
  const std::size_t oi = static_cast<std::size_t>(s.outlet);
  const std::size_t pi = static_cast<std::size_t>(s.product);
  const Outlet& o = w_.outlets[oi];
  const Product& p = w_.products[pi];
  GuardPeerPrice(s);
  const std::string sale_id = "S" + Padded(static_cast<int64_t>(++sale_counter_), 10);
  const int64_t amount = s.pq.amount();
  const std::string id = sink_.Emit(
      "sale.recorded", s.at, w_.keys[static_cast<std::size_t>(o.key)],
      SaleBody(sale_id, p, o, s.pq.quantity, s.pq.unit_price_fen, s.buyer.kind, BuyerRef(s.buyer)));
  stats_.SaleRecorded(p.id, o.id, UnixMillis(s.at), amount);
  if (s.case_id >= 0) labels_.AddEvent(s.case_id, id);
  if (p.sale_case >= 0) labels_.AddEvent(p.sale_case, id);
  if (p.capacity_case >= 0 && (product_sold_fen_[pi] + amount) * 10 > p.annual_value_fen * 12) {
    labels_.AddEvent(p.capacity_case, id);
  }
  product_sold_fen_[pi] += amount;
  const int32_t day = DayOf(s.at);
  if (InWindow(day)) {
    outlet_window_fen_[oi] += amount;
    outlet_sold_[oi] = true;
    const bool counts = p.certified_at <= s.at && day >= p.valid_from && day <= p.valid_to &&
                        (p.revoked_at == kNever || p.revoked_at > s.at);
    if (counts) supplier_counted_fen_[static_cast<std::size_t>(p.supplier)] += amount;
    if (outlet_case_[oi] >= 0) kept_[oi].push_back({sale_id, s.product, s.at, amount});
  }
  outlet_latest_[oi] = std::max(outlet_latest_[oi], s.at);
  std::vector<std::pair<int, int64_t>>& peers = early_peers_[static_cast<std::size_t>(p.kind)];
  if (peers.size() < kEarlyPeerSales) peers.emplace_back(s.product, s.pq.unit_price_fen);
  if (jump_product_[oi] == s.product && s.case_id < 0) {
    std::vector<int64_t>& prices = jump_prices_[oi];
    prices.push_back(s.pq.unit_price_fen);
    if (prices.size() > 7) prices.erase(prices.begin());
  }
  if (s.refundable && outlet_case_[oi] < 0) ScheduleRefund(s, sale_id);
}

void TradeSimulation::GuardPeerPrice(SaleIntent& s) {
  const Product& p = w_.products[static_cast<std::size_t>(s.product)];
  const std::vector<std::pair<int, int64_t>>& list = early_peers_[static_cast<std::size_t>(p.kind)];
  if (list.size() >= kEarlyPeerSales || s.fixed_price || p.sale_case >= 0 ||
      jump_product_[static_cast<std::size_t>(s.outlet)] == s.product) {
    return;
  }
  std::vector<int64_t> peers;
  for (const auto& [product, price] : list) {
    if (product != s.product) peers.push_back(price);
  }
  if (peers.size() < 8) return;
  auto median = [](std::vector<int64_t> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] * 2 : v[n / 2 - 1] + v[n / 2];  // doubled
  };
  const int64_t med2 = median(peers);
  std::vector<int64_t> deviations;
  for (int64_t x : peers) deviations.push_back(std::abs(2 * x - med2));
  const int64_t mad4 = median(deviations);  // 4 x MAD
  if (mad4 == 0) return;
  const int64_t x = s.pq.unit_price_fen;
  // |z| * 1000 = 675 * |2x - med2| * 2 / mad4
  const int64_t z_milli = kRobustZFactorMilli * std::abs(2 * x - med2) * 2 / mad4;
  if (z_milli <= kPeerGuardZMilli) return;
  // Move x towards the median until |z| = kPeerGuardZ.
  const int64_t reach = kPeerGuardZMilli * mad4 / (kRobustZFactorMilli * 4);  // in fen
  const int64_t median_fen = med2 / 2;
  int64_t lo = 0;
  int64_t hi = 0;
  PriceBand(s.outlet, s.product, DayOf(s.at), lo, hi);
  const int64_t adjusted =
      std::clamp(x > median_fen ? median_fen + reach : median_fen - reach, lo, hi);
  DigitTally& tally = tallies_[static_cast<std::size_t>(
      w_.PrefectureSlot(w_.outlets[static_cast<std::size_t>(s.outlet)].region))];
  tally.Remove(s.pq.amount());
  s.pq.unit_price_fen = adjusted;
  tally.Count(s.pq.amount());
}

void TradeSimulation::ScheduleRefund(const SaleIntent& s, const std::string& sale_id) {
  Rng rng(w_.seed, "refunds", sale_counter_);
  if (!rng.Chance(kRefundPerMille * 1000)) return;
  const int32_t day =
      DayOf(std::max(s.at, s.book_at)) + static_cast<int32_t>(rng.Between(1, kRefundMaxDelayDays));
  if (day > kLastTradeDay) return;
  const int64_t amount = s.pq.amount();
  RefundIntent r;
  r.at = At(day, rng.Between(9 * 3600, 21 * 3600));
  r.sale_id = sale_id;
  r.outlet = s.outlet;
  r.product = s.product;
  r.sale_at = s.at;
  r.amount_fen =
      rng.Chance(700'000) ? amount : std::max<int64_t>(1, amount * rng.Between(10, 50) / 100);
  const std::size_t oi = static_cast<std::size_t>(s.outlet);
  if (day > kSept30) {
    // Honest outlets refund little after the campaign.
    if ((outlet_late_refund_fen_[oi] + r.amount_fen) * 100 >
        outlet_window_fen_[oi] * kHonestLateRefundPercent) {
      return;
    }
    outlet_late_refund_fen_[oi] += r.amount_fen;
  }
  pending_refunds_[day].push_back(std::move(r));
}

void TradeSimulation::EmitRefund(const RefundIntent& r) {
  const Outlet& o = w_.outlets[static_cast<std::size_t>(r.outlet)];
  const Product& p = w_.products[static_cast<std::size_t>(r.product)];
  static constexpr std::array<std::string_view, 3> kReasons = {"买家取消订单", "商品破损退货",
                                                               "发货延迟，买家申请退款"};
  const std::string_view reason =
      r.case_id >= 0 ? "活动结束后批量退货" : kReasons[Mix64(sale_counter_ + r.amount_fen) % 3];
  const std::string id = sink_.Emit("sale.refunded", r.at, w_.keys[static_cast<std::size_t>(o.key)],
                                    RefundBody(r.sale_id, o, r.amount_fen, reason));
  stats_.SaleRefunded(p.id, o.id, UnixMillis(r.sale_at), r.amount_fen);
  if (r.case_id >= 0) labels_.AddEvent(r.case_id, id);
}

}  // namespace fupin::generator
