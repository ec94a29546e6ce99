#include "cli/generator/fraud_plan.h"

#include <algorithm>
#include <functional>

#include "cli/generator/catalog.h"
#include "cli/generator/random.h"

namespace fupin::generator {
namespace {

std::string Yuan(int64_t fen) {
  std::string cents = std::to_string(fen % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  return std::to_string(fen / 100) + "." + cents;
}

std::string MonthDay(int32_t day) {
  const std::string d = FormatDay(day);  // YYYY-MM-DD
  return std::to_string(std::stoi(d.substr(5, 2))) + "月" +
         std::to_string(std::stoi(d.substr(8, 2))) + "日";
}

bool HasEmployment(const Product& p) {
  return std::find(p.mechanisms.begin(), p.mechanisms.end(),
                   BenefitMechanism::kEmployment) != p.mechanisms.end();
}

class Planner {
 public:
  Planner(World& w, LabelBook& labels)
      : w_(w), labels_(labels), rng_(w.seed, "fraud-plan"),
        carried_(w.products.size(), 0) {
    for (const Outlet& o : w.outlets) {
      for (int p : o.assortment) ++carried_[static_cast<std::size_t>(p)];
    }
    kind_volume_.assign(ProductKinds().size(), 0);
    for (std::size_t i = 0; i < w.products.size(); ++i) {
      kind_volume_[static_cast<std::size_t>(w.products[i].kind)] += carried_[i];
    }
  }

  FraudPlan Run() {
    const FraudCounts& n = w_.params.fraud;
    // Supplier-wide cases first: they need suppliers no other case touched.
    for (int i = 0; i < n[7]; ++i) ShamSupplier();
    for (int i = 0; i < n[5]; ++i) GhostHouseholds();
    for (int i = 0; i < n[6]; ++i) OverclaimedHousehold(i % 2 == 1);
    for (int i = 0; i < n[8]; ++i) UnpaidBenefits();
    for (int i = 0; i < n[0]; ++i) UncertifiedSale(i % 3);
    for (int i = 0; i < n[2]; ++i) AboveReference();
    for (int i = 0; i < n[3]; ++i) PeerOutlier();
    for (int i = 0; i < n[9]; ++i) ForeignOrigin(i % 2 == 1);
    for (int i = 0; i < n[10]; ++i) OverCapacity();
    for (int i = 0; i < n[15]; ++i) InflatedPeople();
    for (int i = 0; i < n[13]; ++i) ZombieCounter();
    for (int i = 0; i < n[1]; ++i) InactiveOutlet(i % 2 == 1);
    for (int i = 0; i < n[4]; ++i) PriceJump();
    for (int i = 0; i < n[11]; ++i) Velocity(i % 2 == 1);
    for (int i = 0; i < n[12]; ++i) Duplicates();
    for (int i = 0; i < n[16]; ++i) RefundsAfterCampaign();
    for (int i = 0; i < n[17]; ++i) Backdated();
    for (int i = 0; i < n[18]; ++i) ForcedPurchase();
    for (int i = 0; i < n[14]; ++i) InflatedReportCase(i % 3);
    for (int i = 0; i < n[19]; ++i) Fabricated();
    return std::move(plan_);
  }

 private:
  template <typename T>
  int PickIndex(const std::vector<T>& items,
                const std::function<bool(const T&, int)>& ok) {
    std::vector<int> candidates;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (ok(items[i], static_cast<int>(i))) candidates.push_back(static_cast<int>(i));
    }
    if (candidates.empty()) return -1;
    return candidates[rng_.Below(candidates.size())];
  }

  // An honest product certified before the window, of an uninvolved
  // supplier, carried by at least `min_outlets` outlets.
  int PickProduct(int min_outlets, const std::function<bool(const Product&)>& extra =
                                       [](const Product&) { return true; }) {
    return PickIndex<Product>(w_.products, [&](const Product& p, int i) {
      const Supplier& s = w_.suppliers[static_cast<std::size_t>(p.supplier)];
      return !p.tainted && !s.used && DayOf(p.certified_at) < kSept1 &&
             carried_[static_cast<std::size_t>(i)] >= min_outlets && extra(p);
    });
  }

  // An outlet of one of `kinds`, in operation for the whole window (and,
  // with `busy`, carrying a product of a busy category).
  int PickOutlet(std::initializer_list<OutletKind> kinds, bool busy = false) {
    return PickIndex<Outlet>(w_.outlets, [&](const Outlet& o, int) {
      return !o.tainted && !o.zombie && DayOf(o.deployed_at) < kSept1 &&
             o.closed_at == kNever && !o.assortment.empty() &&
             std::find(kinds.begin(), kinds.end(), o.kind) != kinds.end() &&
             (!busy || HasBusyProduct(o));
    });
  }

  bool HasBusyProduct(const Outlet& o) const {
    for (int pi : o.assortment) {
      if (BusyProduct(w_.products[static_cast<std::size_t>(pi)])) return true;
    }
    return false;
  }

  bool BusyProduct(const Product& p) const {
    return !p.tainted && !w_.suppliers[static_cast<std::size_t>(p.supplier)].sham &&
           DayOf(p.certified_at) < kSept1 && p.revoked_at == kNever && BusyKind(p.kind);
  }

  // Identical amounts (FP-13, FP-19) go to products of the busiest
  // categories, where they stay a small share of the peers' prices.
  bool BusyKind(int kind) const {
    const int64_t most = *std::max_element(kind_volume_.begin(), kind_volume_.end());
    return kind_volume_[static_cast<std::size_t>(kind)] * 2 >= most;
  }

  // An untouched product of `o`'s assortment, certified before the
  // window, never revoked, of a busy category; -1 if none.
  int PickAssortmentProduct(const Outlet& o) {
    std::vector<int> candidates;
    for (int pi : o.assortment) {
      if (BusyProduct(w_.products[static_cast<std::size_t>(pi)])) candidates.push_back(pi);
    }
    return candidates.empty() ? -1 : candidates[rng_.Below(candidates.size())];
  }

  Product& Taint(int p) {
    Product& product = w_.products[static_cast<std::size_t>(p)];
    product.tainted = true;
    return product;
  }
  std::string ProductSubject(int p) { return "product:" + w_.products[static_cast<std::size_t>(p)].id; }
  std::string OutletSubject(int o) { return "outlet:" + w_.outlets[static_cast<std::size_t>(o)].id; }
  int Days(int lo, int hi) { return static_cast<int>(kSept1 + rng_.Between(lo - 1, hi - 1)); }
  int Count(int lo, int hi) { return static_cast<int>(rng_.Between(lo, hi)); }

  void RecountPeople(Product& p) {
    p.people_claimed = 0;
    for (int h : p.households) p.people_claimed += w_.households[static_cast<std::size_t>(h)].members;
  }

  int PavilionOf(int county) {
    for (std::size_t i = 0; i < w_.outlets.size(); ++i) {
      const Outlet& o = w_.outlets[i];
      if (o.kind == OutletKind::kPavilion && o.region == county) return static_cast<int>(i);
    }
    return -1;
  }

  // FP-08: a supplier claims many households and sells almost nothing.
  void ShamSupplier() {
    const int si = PickIndex<Supplier>(w_.suppliers, [&](const Supplier& s, int) {
      return !s.used && PavilionOf(s.county) >= 0;
    });
    if (si < 0) return;
    Supplier& s = w_.suppliers[static_cast<std::size_t>(si)];
    s.used = s.sham = true;
    const int n = Count(kShamHouseholdsMin, kShamHouseholdsMax);
    Rng rng(w_.seed, "sham-households", static_cast<uint64_t>(si));
    while (static_cast<int>(s.households.size()) < n) {
      const int h = NewHousehold(w_, s.county, rng);
      w_.households[static_cast<std::size_t>(h)].claims = 1;
      Product& p = w_.products[static_cast<std::size_t>(
          s.products[s.households.size() % s.products.size()])];
      p.households.push_back(h);
      if (HasEmployment(p)) w_.households[static_cast<std::size_t>(h)].employment = true;
      s.households.push_back(h);
    }
    const int64_t per_household = rng_.Between(20, 70) * 100;
    const int c = labels_.Open(
        "FP-08", "supplier:" + s.id,
        "供应商" + s.name + "申报带贫" + std::to_string(n) + "户，活动期间销售额约" +
            Yuan(per_household * n) + "元，户均不足100元（约" + Yuan(per_household) + "元）");
    s.cases.push_back(c);
    for (int pi : s.products) {
      Product& p = Taint(pi);
      RecountPeople(p);
      p.cases.push_back(c);
    }
    SaleFraud f{SaleFraudKind::kShamSales};
    f.case_id = c;
    f.product = s.products[0];
    for (int pi : s.products) {
      if (w_.products[static_cast<std::size_t>(pi)].certified_at <
          w_.products[static_cast<std::size_t>(f.product)].certified_at) {
        f.product = pi;
      }
    }
    f.outlet = PavilionOf(s.county);
    // After the product exists: its certification may fall in the window.
    f.day = std::max<int32_t>(Days(5, 25), DayOf(w_.products[static_cast<std::size_t>(f.product)].certified_at) + 1);
    f.count = Count(2, 5);
    f.target_fen = per_household * n;
    plan_.sales.push_back(f);
  }

  // FP-06: claims and payments name households that were never registered.
  void GhostHouseholds() {
    const int si = PickIndex<Supplier>(w_.suppliers, [&](const Supplier& s, int) { return !s.used; });
    if (si < 0) return;
    Supplier& s = w_.suppliers[static_cast<std::size_t>(si)];
    s.used = true;
    const int c = labels_.Open("FP-06", "supplier:" + s.id, "");
    s.cases.push_back(c);
    int ghosts = 0;
    const int products = std::min<int>(static_cast<int>(s.products.size()), Count(1, 2));
    for (int k = 0; k < products; ++k) {
      Product& p = Taint(s.products[static_cast<std::size_t>(k)]);
      p.cases.push_back(c);
      for (int g = Count(1, 3); g > 0; --g) {
        const std::string id =
            HouseholdPseudonym(w_, s.county, 0x40000000u + static_cast<uint32_t>(ghost_counter_++));
        p.ghost_households.push_back(id);
        plan_.ghost_payments.emplace_back(si, id);
        ++ghosts;
      }
    }
    labels_.SetDescription(c, "供应商" + s.name + "的带贫名单和收益发放中有" +
                                  std::to_string(ghosts) + "户未登记的贫困户");
  }

  // FP-07: one household in the claims of three suppliers, or of two under
  // employment. Looks for it from a random supplier on, so the search
  // stays linear in the suppliers.
  void OverclaimedHousehold(bool employment) {
    const std::size_t wanted = employment ? 1 : 2;
    const std::size_t n = w_.suppliers.size();
    const std::size_t start = rng_.Below(n);
    int hi = -1;
    std::vector<int> others;
    for (std::size_t k = 0; k < n && hi < 0; ++k) {
      const Supplier& s = w_.suppliers[(start + k) % n];
      if (s.used) continue;
      for (int h : s.households) {
        const Household& hh = w_.households[static_cast<std::size_t>(h)];
        if (hh.claims != 1 || !hh.exclusive || hh.employment != employment) continue;
        others = OtherSuppliers(h, employment);
        if (others.size() >= wanted) {
          hi = h;
          break;
        }
      }
    }
    if (hi < 0) return;
    Household& h = w_.households[static_cast<std::size_t>(hi)];
    const int c = labels_.Open(
        "FP-07", "household:" + h.id,
        employment ? "同一贫困户被两家供应商同时以“就业”方式申报带贫"
                   : "同一贫困户被三家供应商同时申报带贫");
    for (int p : Claimants(hi)) {
      Taint(p).cases.push_back(c);
      w_.suppliers[static_cast<std::size_t>(w_.products[static_cast<std::size_t>(p)].supplier)].used = true;
    }
    for (std::size_t k = 0; k < wanted; ++k) {
      const int si = others[rng_.Below(others.size())];
      others.erase(std::find(others.begin(), others.end(), si));
      Supplier& s = w_.suppliers[static_cast<std::size_t>(si)];
      s.used = true;
      for (int pi : s.products) {
        Product& p = w_.products[static_cast<std::size_t>(pi)];
        if (p.tainted || HasEmployment(p) != employment) continue;
        p.households.push_back(hi);
        RecountPeople(p);
        Taint(pi).cases.push_back(c);
        break;
      }
    }
    h.claims = static_cast<int>(wanted) + 1;
    h.exclusive = false;
  }

  std::vector<int> Claimants(int household) {
    std::vector<int> out;
    for (std::size_t i = 0; i < w_.products.size(); ++i) {
      const std::vector<int>& hh = w_.products[i].households;
      if (std::find(hh.begin(), hh.end(), household) != hh.end()) out.push_back(static_cast<int>(i));
    }
    return out;
  }

  // Uninvolved suppliers of the household's county, other than its own,
  // with an untouched product whose mechanisms include employment exactly
  // when `employment`.
  std::vector<int> OtherSuppliers(int household, bool employment) {
    const Household& h = w_.households[static_cast<std::size_t>(household)];
    std::vector<int> out;
    for (int si : SuppliersOf(h.county)) {
      const Supplier& s = w_.suppliers[static_cast<std::size_t>(si)];
      if (s.used) continue;
      if (std::find(s.households.begin(), s.households.end(), household) != s.households.end()) continue;
      for (int pi : s.products) {
        const Product& p = w_.products[static_cast<std::size_t>(pi)];
        if (!p.tainted && HasEmployment(p) == employment) {
          out.push_back(si);
          break;
        }
      }
    }
    return out;
  }

  const std::vector<int>& SuppliersOf(int county) {
    if (suppliers_of_.empty()) {
      suppliers_of_.resize(w_.regions.all().size());
      for (std::size_t i = 0; i < w_.suppliers.size(); ++i) {
        suppliers_of_[static_cast<std::size_t>(w_.suppliers[i].county)].push_back(static_cast<int>(i));
      }
    }
    return suppliers_of_[static_cast<std::size_t>(county)];
  }

  // FP-09: a supplier pays only part of a product's households in time.
  void UnpaidBenefits() {
    const int pi = PickProduct(1, [&](const Product& p) {
      if (p.households.size() < 4 || !p.ghost_households.empty()) return false;
      for (int h : p.households) {
        if (!w_.households[static_cast<std::size_t>(h)].exclusive) return false;
      }
      return true;
    });
    if (pi < 0) return;
    Product& p = Taint(pi);
    Supplier& s = w_.suppliers[static_cast<std::size_t>(p.supplier)];
    s.used = true;
    const int n = static_cast<int>(p.households.size());
    const int percent = Count(kUnpaidPaidMinPercent, kUnpaidPaidMaxPercent);
    const int paid = std::min(n - 1, n * percent / 100);
    UnpaidClaim claim;
    claim.product = pi;
    std::vector<int> order = p.households;
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng_.Below(i)]);
    for (int k = paid; k < n; ++k) {
      ((k - paid) % 2 == 0 ? claim.late : claim.unpaid).push_back(order[static_cast<std::size_t>(k)]);
    }
    claim.case_id = labels_.Open(
        "FP-09", ProductSubject(pi),
        "产品" + p.name + "申报带贫" + std::to_string(n) + "户，截至活动结束后90天仅" +
            std::to_string(paid) + "户收到收益（" + std::to_string(paid * 100 / n) + "%）");
    p.cases.push_back(claim.case_id);
    s.cases.push_back(claim.case_id);
    plan_.unpaid.push_back(std::move(claim));
  }

  // FP-01: sold after revocation, after expiry, or before certification.
  void UncertifiedSale(int variant) {
    // The supplier has other products, so its campaign sales are not
    // only those of this one.
    const int pi = PickProduct(2, [&](const Product& p) {
      return w_.suppliers[static_cast<std::size_t>(p.supplier)].products.size() >= 2;
    });
    if (pi < 0) return;
    Product& p = Taint(pi);
    w_.suppliers[static_cast<std::size_t>(p.supplier)].used = true;
    SaleFraud f{SaleFraudKind::kAfterRevocation};
    f.product = pi;
    f.count = Count(2, 4);
    std::string what;
    if (variant == 0) {
      const int32_t day = Days(12, 18);
      p.revoked_at = At(day, 10, static_cast<int>(rng_.Between(0, 59)));
      f.day = day + 1;
      what = "于" + MonthDay(day) + "被撤销扶贫产品认定后仍继续销售";
    } else if (variant == 1) {
      f.kind = SaleFraudKind::kAfterExpiry;
      p.valid_to = Days(10, 15);
      f.day = p.valid_to + 2;
      what = "认定有效期" + MonthDay(p.valid_to) + "届满后仍继续销售";
    } else {
      f.kind = SaleFraudKind::kBeforeCertification;
      const int32_t day = Days(10, 16);
      p.certified_at = At(day, 9, 30);
      p.valid_from = day;
      f.day = day;
      f.count = Count(2, 3);
      what = "在" + MonthDay(day) + "获得认定之前已按扶贫产品销售";
    }
    f.case_id = labels_.Open("FP-01", ProductSubject(pi), "产品" + p.name + what);
    if (variant == 0) p.revocation_case = f.case_id;
    if (variant != 0) p.cases.push_back(f.case_id);
    plan_.sales.push_back(f);
  }

  // FP-03: the certified reference is under-declared; sales go at the
  // market price, 1.32-1.40x the reference.
  void AboveReference() {
    const int pi = PickProduct(2, [](const Product& p) { return p.repriced_at == kNever; });
    if (pi < 0) return;
    Product& p = Taint(pi);
    const ProductKind& kind = ProductKinds()[static_cast<std::size_t>(p.kind)];
    p.reference_fen = kind.base_price_fen *
                      rng_.Between(kUnderDeclaredMinPermille, kUnderDeclaredMaxPermille) / 1000 / 10 * 10;
    p.price_lo_permille = kOverpriceMinPermille;
    p.price_hi_permille = kOverpriceMaxPermille;
    const int c = labels_.Open(
        "FP-03", ProductSubject(pi),
        "产品" + p.name + "认定参考价" + Yuan(p.reference_fen) +
            "元，实际售价为参考价的1.32至1.40倍");
    p.cases.push_back(c);
    p.sale_case = c;
  }

  // FP-04: the reference (and so every price) is 1.45-1.6x the category's.
  void PeerOutlier() {
    const int pi = PickProduct(2);
    if (pi < 0) return;
    Product& p = Taint(pi);
    const ProductKind& kind = ProductKinds()[static_cast<std::size_t>(p.kind)];
    p.reference_fen = kind.base_price_fen *
                      rng_.Between(kPeerOutlierMinPermille, kPeerOutlierMaxPermille) / 1000 / 10 * 10;
    const int c = labels_.Open(
        "FP-04", ProductSubject(pi),
        "产品" + p.name + "参考价" + Yuan(p.reference_fen) + "元/" + std::string(kind.unit) +
            "，同类（" + std::string(kind.category) + "）常见价约" + Yuan(kind.base_price_fen) + "元");
    p.cases.push_back(c);
    p.sale_case = c;
  }

  // FP-10: the origin is not a poverty county, or not the supplier's.
  void ForeignOrigin(bool other_poverty_county) {
    const int pi = PickProduct(1);
    if (pi < 0) return;
    Product& p = Taint(pi);
    const int supplier_county = w_.suppliers[static_cast<std::size_t>(p.supplier)].county;
    std::vector<int> candidates;
    for (int c : w_.regions.counties()) {
      const Region& r = w_.region(c);
      if (c == supplier_county || r.poverty_county != other_poverty_county) continue;
      if (other_poverty_county && r.prefecture != w_.region(supplier_county).prefecture) continue;
      candidates.push_back(c);
    }
    if (candidates.empty()) {
      for (int c : w_.regions.poverty_counties()) {
        if (c != supplier_county) candidates.push_back(c);
      }
    }
    p.origin = candidates[rng_.Below(candidates.size())];
    const int c = labels_.Open(
        "FP-10", ProductSubject(pi),
        "产品" + p.name + "产地登记为" + w_.region(p.origin).name +
            (other_poverty_county ? "，与供应商所在县" + w_.region(supplier_county).name + "不符"
                                  : "，不是贫困县"));
    p.cases.push_back(c);
  }

  // FP-11: more sold than the certified annual value allows.
  void OverCapacity() {
    int most = 0;
    for (std::size_t i = 0; i < w_.products.size(); ++i) {
      if (!w_.products[i].tainted) most = std::max(most, carried_[i]);
    }
    const int pi = PickProduct(std::max(2, most / 2));
    if (pi < 0) return;
    Product& p = Taint(pi);
    p.capacity_percent = Count(kCapacityMinPercent, kCapacityMaxPercent);
    const int c = labels_.Open("FP-11", ProductSubject(pi),
                               "产品" + p.name + "累计销售额超过认定商品价值量的1.2倍");
    p.cases.push_back(c);
    p.capacity_case = c;
    SaleFraud f{SaleFraudKind::kCapacity};
    f.case_id = c;
    f.product = pi;
    f.day = Days(27, 29);
    plan_.sales.push_back(f);
  }

  // FP-16: people_claimed above the members of the listed households.
  void InflatedPeople() {
    const int pi = PickProduct(1, [](const Product& p) { return p.ghost_households.empty(); });
    if (pi < 0) return;
    Product& p = Taint(pi);
    const int64_t listed = p.people_claimed;
    p.people_claimed = std::max(listed + 2, listed * (100 + Count(kPeopleInflationMinPercent,
                                                                  kPeopleInflationMaxPercent)) / 100);
    const int c = labels_.Open(
        "FP-16", ProductSubject(pi),
        "产品" + p.name + "申报带贫" + std::to_string(p.people_claimed) + "人，所列" +
            std::to_string(p.households.size()) + "户登记人口合计" + std::to_string(listed) + "人");
    p.cases.push_back(c);
  }

  // FP-14: a counter deployed for the count that never sells.
  void ZombieCounter() {
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
  void InactiveOutlet(bool before_deployment) {
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
    f.case_id = labels_.Open(
        "FP-02", OutletSubject(oi),
        before_deployment ? "专柜" + o.id + "于" + MonthDay(f.day) + "投放，此前已有销售记录"
                          : "专柜" + o.id + "于" + MonthDay(f.day - 1) + "撤除后仍有销售记录");
    if (before_deployment) {
      o.cases.push_back(f.case_id);
    } else {
      o.close_case = f.case_id;
    }
    plan_.sales.push_back(f);
  }

  // FP-05: after steady prices, a product's price at one outlet jumps.
  void PriceJump() {
    const int oi = PickOutlet({OutletKind::kZoneOnline, OutletKind::kPavilion, OutletKind::kZoneOffline});
    if (oi < 0) return;
    Outlet& o = w_.outlets[static_cast<std::size_t>(oi)];
    std::vector<int> candidates;
    for (int pi : o.assortment) {
      const Product& p = w_.products[static_cast<std::size_t>(pi)];
      const Supplier& s = w_.suppliers[static_cast<std::size_t>(p.supplier)];
      if (!p.tainted && !s.sham && DayOf(p.certified_at) < kSept1 && p.repriced_at == kNever &&
          BusyKind(p.kind) && p.revoked_at == kNever) {
        candidates.push_back(pi);
      }
    }
    if (candidates.empty()) return;
    o.tainted = true;
    SaleFraud f{SaleFraudKind::kPriceJump};
    f.outlet = oi;
    f.product = candidates[rng_.Below(candidates.size())];
    Taint(f.product);
    f.day = Days(18, 24);
    f.count = Count(2, 4);
    f.case_id = labels_.Open(
        "FP-05", OutletSubject(oi),
        o.name + "的" + w_.products[static_cast<std::size_t>(f.product)].name + "自" + MonthDay(f.day) +
            "起售价突然上涨两成以上");
    plan_.sales.push_back(f);
  }

  void Velocity(bool repeat_buyer) {
    const int oi = repeat_buyer
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
        repeat_buyer ? o.name + "在" + MonthDay(f.day) + "同一买家购买" + std::to_string(f.count) + "次"
                     : o.name + "在" + MonthDay(f.day) + "一小时内录入" + std::to_string(f.count) + "笔销售");
    plan_.sales.push_back(f);
  }

  void Duplicates() {
    const int oi = PickOutlet({OutletKind::kCounter, OutletKind::kPavilion, OutletKind::kZoneOffline}, true);
    if (oi < 0) return;
    Outlet& o = w_.outlets[static_cast<std::size_t>(oi)];
    o.tainted = true;
    SaleFraud f{SaleFraudKind::kDuplicates};
    f.outlet = oi;
    f.product = PickAssortmentProduct(o);
    if (f.product >= 0) Taint(f.product);
    f.day = Days(5, 28);
    f.count = Count(kDuplicateMin, kDuplicateMax);
    f.case_id = labels_.Open(
        "FP-13", OutletSubject(oi),
        o.name + "在" + MonthDay(f.day) + "同一买家以相同金额重复购买同一产品" + std::to_string(f.count) + "次");
    plan_.sales.push_back(f);
  }

  void RefundsAfterCampaign() {
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

  void Backdated() {
    const int oi = PickOutlet({OutletKind::kZoneOnline});
    if (oi < 0) return;
    Outlet& o = w_.outlets[static_cast<std::size_t>(oi)];
    o.tainted = true;
    SaleFraud f{SaleFraudKind::kBackdated};
    f.outlet = oi;
    f.day = Days(3, 12);
    f.count = Count(4, 8);
    f.case_id = labels_.Open("FP-18", OutletSubject(oi),
                             o.name + "在活动后期补录" + std::to_string(f.count) + "笔" + MonthDay(f.day) +
                                 "前后的销售（迟录超过7天）");
    plan_.sales.push_back(f);
  }

  void ForcedPurchase() {
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
      if (other.kind == SaleFraudKind::kForcedPurchase && other.slot == f.slot && other.org == f.org) {
        f.org = (f.org + 1) % w_.params.orgs_per_prefecture;
      }
    }
    f.day = Days(7, 24);
    f.count = Count(kForcedPurchasesMin, kForcedPurchasesMax);
    const std::string org = OrgId(w_, f.slot, f.org);
    f.case_id = labels_.Open("FP-19", "org:" + org,
                             "单位" + org + "在" + MonthDay(f.day) + "起两天内以相同金额集中采购" +
                                 std::to_string(f.count) + "次（摊派）");
    plan_.sales.push_back(f);
  }

  void InflatedReportCase(int variant) {
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
    static constexpr std::array<std::string_view, 3> kWhat = {
        "销售额", "专柜数和销售额", "覆盖贫困人口"};
    r.case_id = labels_.Open("FP-15", "region:" + pref.code,
                             pref.name + "上报的统计表虚报" + std::string(kWhat[static_cast<std::size_t>(variant)]) +
                                 "（约" + std::to_string(r.percent) + "%）");
    plan_.reports.push_back(r);
  }

  void Fabricated() {
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

  World& w_;
  LabelBook& labels_;
  Rng rng_;
  std::vector<int> carried_;
  std::vector<int64_t> kind_volume_;
  uint64_t ghost_counter_ = 0;
  std::vector<std::vector<int>> suppliers_of_;
  FraudPlan plan_;
};

}  // namespace

FraudPlan PlanFrauds(World& w, LabelBook& labels) {
  return Planner(w, labels).Run();
}

}  // namespace fupin::generator
