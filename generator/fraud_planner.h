// Internal to fraud_plan*.cc: the planner that chooses the cases of
// PlanFrauds. Its helpers (fraud_plan.cc) pick uninvolved entities; the
// registry cases (claims, references, origins, capacities) are in
// fraud_registry.cc, the trading cases (outlets, sales, reports) in
// fraud_trading.cc. Not thread-safe; one planner per campaign.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "generator/fraud_plan.h"
#include "generator/random.h"
#include "generator/text.h"

namespace fupin::generator::internal {

bool HasEmployment(const Product& p);

class Planner {
 public:
  Planner(World& w, LabelBook& labels);
  // Plans every case of every rule; call once.
  FraudPlan Run();

 private:
  // --- Registry cases (fraud_registry.cc) ---
  void ShamSupplier();                            // FP-08
  void GhostHouseholds();                         // FP-06
  void OverclaimedHousehold(bool employment);     // FP-07
  void UnpaidBenefits();                          // FP-09
  void UncertifiedSale(int variant);              // FP-01
  void AboveReference();                          // FP-03
  void PeerOutlier();                             // FP-04
  void ForeignOrigin(bool other_poverty_county);  // FP-10
  void OverCapacity();                            // FP-11
  void InflatedPeople();                          // FP-16
  std::vector<int> Claimants(int household);
  std::vector<int> OtherSuppliers(int household, bool employment);
  const std::vector<int>& SuppliersOf(int county);

  // --- Trading cases (fraud_trading.cc) ---
  void ZombieCounter();                         // FP-14
  void InactiveOutlet(bool before_deployment);  // FP-02
  void PriceJump();                             // FP-05
  void Velocity(bool repeat_buyer);             // FP-12
  void Duplicates();                            // FP-13
  void RefundsAfterCampaign();                  // FP-17
  void Backdated();                             // FP-18
  void ForcedPurchase();                        // FP-19
  void InflatedReportCase(int variant);         // FP-15
  void Fabricated();                            // FP-20

  // --- Helpers (fraud_plan.cc) ---
  // A random index of `items` satisfying `ok`, or -1.
  template <typename T>
  int PickIndex(const std::vector<T>& items, const std::function<bool(const T&, int)>& ok) {
    std::vector<int> candidates;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (ok(items[i], static_cast<int>(i))) candidates.push_back(static_cast<int>(i));
    }
    if (candidates.empty()) return -1;
    return candidates[rng_.Below(candidates.size())];
  }
  // An honest product certified before the window, of an uninvolved
  // supplier, carried by at least `min_outlets` outlets.
  int PickProduct(
      int min_outlets,
      const std::function<bool(const Product&)>& extra = [](const Product&) { return true; });
  // An outlet of one of `kinds`, in operation for the whole window (and,
  // with `busy`, carrying a product of a busy category).
  int PickOutlet(std::initializer_list<OutletKind> kinds, bool busy = false);
  bool HasBusyProduct(const Outlet& o) const;
  bool BusyProduct(const Product& p) const;
  // Identical amounts (FP-13, FP-19) and the FP-05 run go to products of
  // the busiest categories, where they stay a small share of the peers.
  bool BusyKind(int kind) const;
  // An untouched product of `o`'s assortment, certified before the
  // window, never revoked, of a busy category; -1 if none.
  int PickAssortmentProduct(const Outlet& o);
  Product& Taint(int p);
  std::string ProductSubject(int p) const;
  std::string OutletSubject(int o) const;
  // A day of September, `lo`..`hi` (days of the month).
  int Days(int lo, int hi);
  int Count(int lo, int hi);
  void RecountPeople(Product& p);
  // The pavilion of a county, or -1.
  int PavilionOf(int county) const;

  World& w_;
  LabelBook& labels_;
  Rng rng_;
  std::vector<int> carried_;          // outlets carrying each product
  std::vector<int64_t> kind_volume_;  // outlets carrying each kind
  uint64_t ghost_counter_ = 0;
  std::vector<std::vector<int>> suppliers_of_;  // by county
  FraudPlan plan_;
};

}  // namespace fupin::generator::internal
