#include <algorithm>

#include "generator/catalog.h"
#include "generator/fraud_planner.h"

namespace fupin::generator {
namespace internal {

bool HasEmployment(const Product& p) {
  return std::find(p.mechanisms.begin(), p.mechanisms.end(), BenefitMechanism::kEmployment) !=
         p.mechanisms.end();
}

Planner::Planner(World& w, LabelBook& labels)
    : w_(w), labels_(labels), rng_(w.seed, "fraud-plan"), carried_(w.products.size(), 0) {
  for (const Outlet& o : w.outlets) {
    for (int p : o.assortment) ++carried_[static_cast<std::size_t>(p)];
  }
  kind_volume_.assign(ProductKinds().size(), 0);
  for (std::size_t i = 0; i < w.products.size(); ++i) {
    kind_volume_[static_cast<std::size_t>(w.products[i].kind)] += carried_[i];
  }
}

FraudPlan Planner::Run() {
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

int Planner::PickProduct(int min_outlets, const std::function<bool(const Product&)>& extra) {
  return PickIndex<Product>(w_.products, [&](const Product& p, int i) {
    const Supplier& s = w_.suppliers[static_cast<std::size_t>(p.supplier)];
    return !p.tainted && !s.used && DayOf(p.certified_at) < kSept1 &&
           carried_[static_cast<std::size_t>(i)] >= min_outlets && extra(p);
  });
}

int Planner::PickOutlet(std::initializer_list<OutletKind> kinds, bool busy) {
  return PickIndex<Outlet>(w_.outlets, [&](const Outlet& o, int) {
    return !o.tainted && !o.zombie && DayOf(o.deployed_at) < kSept1 && o.closed_at == kNever &&
           !o.assortment.empty() && std::find(kinds.begin(), kinds.end(), o.kind) != kinds.end() &&
           (!busy || HasBusyProduct(o));
  });
}

bool Planner::HasBusyProduct(const Outlet& o) const {
  for (int pi : o.assortment) {
    if (BusyProduct(w_.products[static_cast<std::size_t>(pi)])) return true;
  }
  return false;
}

bool Planner::BusyProduct(const Product& p) const {
  return !p.tainted && !w_.suppliers[static_cast<std::size_t>(p.supplier)].sham &&
         DayOf(p.certified_at) < kSept1 && p.revoked_at == kNever && BusyKind(p.kind);
}

bool Planner::BusyKind(int kind) const {
  const int64_t most = *std::max_element(kind_volume_.begin(), kind_volume_.end());
  return kind_volume_[static_cast<std::size_t>(kind)] * 2 >= most;
}

int Planner::PickAssortmentProduct(const Outlet& o) {
  std::vector<int> candidates;
  for (int pi : o.assortment) {
    if (BusyProduct(w_.products[static_cast<std::size_t>(pi)])) candidates.push_back(pi);
  }
  return candidates.empty() ? -1 : candidates[rng_.Below(candidates.size())];
}

Product& Planner::Taint(int p) {
  Product& product = w_.products[static_cast<std::size_t>(p)];
  product.tainted = true;
  return product;
}

std::string Planner::ProductSubject(int p) const {
  return "product:" + w_.products[static_cast<std::size_t>(p)].id;
}

std::string Planner::OutletSubject(int o) const {
  return "outlet:" + w_.outlets[static_cast<std::size_t>(o)].id;
}

int Planner::Days(int lo, int hi) {
  return static_cast<int>(kSept1 + rng_.Between(lo - 1, hi - 1));
}

int Planner::Count(int lo, int hi) { return static_cast<int>(rng_.Between(lo, hi)); }

void Planner::RecountPeople(Product& p) {
  p.people_claimed = 0;
  for (int h : p.households) p.people_claimed += w_.households[static_cast<std::size_t>(h)].members;
}

int Planner::PavilionOf(int county) const {
  for (std::size_t i = 0; i < w_.outlets.size(); ++i) {
    const Outlet& o = w_.outlets[i];
    if (o.kind == OutletKind::kPavilion && o.region == county) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace internal

FraudPlan PlanFrauds(World& w, LabelBook& labels) { return internal::Planner(w, labels).Run(); }

}  // namespace fupin::generator
