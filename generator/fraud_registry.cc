// Registry frauds: benefit claims, references, origins and capacities
// (FP-01, 03, 04, 06, 07, 08, 09, 10, 11, 16), applied to the world.
#include <algorithm>

#include "generator/catalog.h"
#include "generator/fraud_planner.h"

namespace fupin::generator::internal {

// FP-08: a supplier claims many households and sells almost nothing.
void Planner::ShamSupplier() {
  const int si = PickIndex<Supplier>(
      w_.suppliers, [&](const Supplier& s, int) { return !s.used && PavilionOf(s.county) >= 0; });
  if (si < 0) return;
  Supplier& s = w_.suppliers[static_cast<std::size_t>(si)];
  s.used = s.sham = true;
  const int n = Count(kShamHouseholdsMin, kShamHouseholdsMax);
  Rng rng(w_.seed, "sham-households", static_cast<uint64_t>(si));
  while (static_cast<int>(s.households.size()) < n) {
    const int h = NewHousehold(w_, s.county, rng);
    w_.households[static_cast<std::size_t>(h)].claims = 1;
    Product& p =
        w_.products[static_cast<std::size_t>(s.products[s.households.size() % s.products.size()])];
    p.households.push_back(h);
    if (HasEmployment(p)) w_.households[static_cast<std::size_t>(h)].employment = true;
    s.households.push_back(h);
  }
  const int64_t per_household = rng_.Between(20, 70) * 100;
  const int c = labels_.Open("FP-08", "supplier:" + s.id,
                             "供应商" + s.name + "申报带贫" + std::to_string(n) +
                                 "户，活动期间销售额约" + Yuan(per_household * n) +
                                 "元，户均不足100元（约" + Yuan(per_household) + "元）");
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
  f.day = std::max<int32_t>(
      Days(5, 25), DayOf(w_.products[static_cast<std::size_t>(f.product)].certified_at) + 1);
  f.count = Count(2, 5);
  f.target_fen = per_household * n;
  plan_.sales.push_back(f);
}

// FP-06: claims and payments name households that were never registered.
void Planner::GhostHouseholds() {
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
void Planner::OverclaimedHousehold(bool employment) {
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
  const int c = labels_.Open("FP-07", "household:" + h.id,
                             employment ? "同一贫困户被两家供应商同时以“就业”方式申报带贫"
                                        : "同一贫困户被三家供应商同时申报带贫");
  for (int p : Claimants(hi)) {
    Taint(p).cases.push_back(c);
    w_.suppliers[static_cast<std::size_t>(w_.products[static_cast<std::size_t>(p)].supplier)].used =
        true;
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

std::vector<int> Planner::Claimants(int household) {
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
std::vector<int> Planner::OtherSuppliers(int household, bool employment) {
  const Household& h = w_.households[static_cast<std::size_t>(household)];
  std::vector<int> out;
  for (int si : SuppliersOf(h.county)) {
    const Supplier& s = w_.suppliers[static_cast<std::size_t>(si)];
    if (s.used) continue;
    if (std::find(s.households.begin(), s.households.end(), household) != s.households.end())
      continue;
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

const std::vector<int>& Planner::SuppliersOf(int county) {
  if (suppliers_of_.empty()) {
    suppliers_of_.resize(w_.regions.all().size());
    for (std::size_t i = 0; i < w_.suppliers.size(); ++i) {
      suppliers_of_[static_cast<std::size_t>(w_.suppliers[i].county)].push_back(
          static_cast<int>(i));
    }
  }
  return suppliers_of_[static_cast<std::size_t>(county)];
}

// FP-09: a supplier pays only part of a product's households in time.
void Planner::UnpaidBenefits() {
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
  claim.case_id = labels_.Open("FP-09", ProductSubject(pi),
                               "产品" + p.name + "申报带贫" + std::to_string(n) +
                                   "户，截至活动结束后90天仅" + std::to_string(paid) +
                                   "户收到收益（" + std::to_string(paid * 100 / n) + "%）");
  p.cases.push_back(claim.case_id);
  s.cases.push_back(claim.case_id);
  plan_.unpaid.push_back(std::move(claim));
}

// FP-01: sold after revocation, after expiry, or before certification.
void Planner::UncertifiedSale(int variant) {
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
void Planner::AboveReference() {
  const int pi = PickProduct(2, [](const Product& p) { return p.repriced_at == kNever; });
  if (pi < 0) return;
  Product& p = Taint(pi);
  const ProductKind& kind = ProductKinds()[static_cast<std::size_t>(p.kind)];
  p.reference_fen = kind.base_price_fen *
                    rng_.Between(kUnderDeclaredMinPermille, kUnderDeclaredMaxPermille) / 1000 / 10 *
                    10;
  p.price_lo_permille = kOverpriceMinPermille;
  p.price_hi_permille = kOverpriceMaxPermille;
  const int c = labels_.Open("FP-03", ProductSubject(pi),
                             "产品" + p.name + "认定参考价" + Yuan(p.reference_fen) +
                                 "元，实际售价为参考价的1.32至1.40倍");
  p.cases.push_back(c);
  p.sale_case = c;
}

// FP-04: the reference (and so every price) is 1.45-1.6x the category's.
void Planner::PeerOutlier() {
  const int pi = PickProduct(2);
  if (pi < 0) return;
  Product& p = Taint(pi);
  const ProductKind& kind = ProductKinds()[static_cast<std::size_t>(p.kind)];
  p.reference_fen = kind.base_price_fen *
                    rng_.Between(kPeerOutlierMinPermille, kPeerOutlierMaxPermille) / 1000 / 10 * 10;
  const int c = labels_.Open("FP-04", ProductSubject(pi),
                             "产品" + p.name + "参考价" + Yuan(p.reference_fen) + "元/" +
                                 std::string(kind.unit) + "，同类（" + std::string(kind.category) +
                                 "）常见价约" + Yuan(kind.base_price_fen) + "元");
  p.cases.push_back(c);
  p.sale_case = c;
}

// FP-10: the origin is not a poverty county, or not the supplier's.
void Planner::ForeignOrigin(bool other_poverty_county) {
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
void Planner::OverCapacity() {
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
void Planner::InflatedPeople() {
  const int pi = PickProduct(1, [](const Product& p) { return p.ghost_households.empty(); });
  if (pi < 0) return;
  Product& p = Taint(pi);
  const int64_t listed = p.people_claimed;
  p.people_claimed = std::max(
      listed + 2,
      listed * (100 + Count(kPeopleInflationMinPercent, kPeopleInflationMaxPercent)) / 100);
  const int c = labels_.Open("FP-16", ProductSubject(pi),
                             "产品" + p.name + "申报带贫" + std::to_string(p.people_claimed) +
                                 "人，所列" + std::to_string(p.households.size()) +
                                 "户登记人口合计" + std::to_string(listed) + "人");
  p.cases.push_back(c);
}

}  // namespace fupin::generator::internal
