#include "generator/volume.h"

#include <algorithm>

#include "generator/random.h"
#include "generator/sale_model.h"

namespace fupin::generator {
namespace {

// Benefit payments per supplier after the campaign (October and December).
inline constexpr int kPaymentsPerSupplier = 2;

int64_t NonSaleEvents(const World& w, const FraudPlan& plan) {
  int64_t n = static_cast<int64_t>(w.regions.all().size()) + 1;  // + campaign
  for (const KeyEntry& k : w.keys) n += k.registered_by_init ? 0 : 1;
  n += static_cast<int64_t>(w.suppliers.size() * (1 + kPaymentsPerSupplier));
  n += static_cast<int64_t>(w.households.size() + w.products.size() + w.outlets.size() +
                            w.promotions.size());
  for (const Outlet& o : w.outlets) n += o.closed_at != kNever ? 1 : 0;
  for (const Product& p : w.products) {
    n += (p.repriced_at != kNever ? 1 : 0) + (p.revoked_at != kNever ? 1 : 0);
  }
  n += static_cast<int64_t>(w.regions.prefectures().size() + plan.unpaid.size());
  return n;
}

}  // namespace

int OperatingDays(const Outlet& o) {
  if (o.zombie) return 0;
  const int32_t first = std::max(kSept1, DayOf(o.deployed_at));
  const int32_t last = o.closed_at == kNever ? kSept30 : std::min(kSept30, DayOf(o.closed_at) - 1);
  return std::max(0, last - first + 1);
}

Status PlanVolumes(World& w, const FraudPlan& plan) {
  for (Outlet& o : w.outlets) {
    std::erase_if(o.assortment, [&](int p) {
      return w.suppliers[static_cast<std::size_t>(w.products[static_cast<std::size_t>(p)].supplier)]
          .sham;
    });
  }
  w.product_outlets.assign(w.products.size(), {});
  for (std::size_t i = 0; i < w.outlets.size(); ++i) {
    for (int p : w.outlets[i].assortment) {
      w.product_outlets[static_cast<std::size_t>(p)].push_back(static_cast<int>(i));
    }
  }
  const int64_t budget = w.params.scale.target_events - NonSaleEvents(w, plan);
  int64_t sales = budget * 1000 / (1000 + kRefundPerMille);
  // Fabricated sales (FP-20) come on top of a prefecture's honest ones.
  std::vector<int64_t> slot_weight(w.regions.prefectures().size(), 0);
  w.total_weight = 0;
  for (const Outlet& o : w.outlets) {
    const int64_t wd = static_cast<int64_t>(o.weight) * OperatingDays(o);
    w.total_weight += wd;
    slot_weight[static_cast<std::size_t>(w.PrefectureSlot(o.region))] += wd;
  }
  int64_t extra_permille = 0;
  for (const FabricatedSales& f : plan.fabricated) {
    extra_permille += slot_weight[static_cast<std::size_t>(f.slot)] * 1000 / w.total_weight *
                      f.percent / (100 - f.percent);
  }
  sales = sales * 1000 / (1000 + extra_permille);
  if (sales < budget / 2 || w.total_weight == 0) {
    return Status(ErrorCode::kInvalidArgument,
                  "scale " + w.params.scale.name + " leaves too few sales for the world's " +
                      std::to_string(NonSaleEvents(w, plan)) + " registry events");
  }
  w.planned_sales = sales;

  for (Product& p : w.products) p.expected_sales_fen = 0;
  for (const Outlet& o : w.outlets) {
    if (o.assortment.empty()) continue;
    // Expected units sold at the outlet, in thousandths.
    const int64_t units_milli = w.planned_sales * o.weight * OperatingDays(o) * 1000 /
                                w.total_weight * ExpectedQuantityMilli(o.kind) / 1000;
    for (int pi : o.assortment) {
      Product& p = w.products[static_cast<std::size_t>(pi)];
      p.expected_sales_fen +=
          units_milli * p.reference_fen / (1000 * static_cast<int64_t>(o.assortment.size()));
    }
  }
  Rng rng(w.seed, "annual-values");
  for (Product& p : w.products) {
    int64_t annual = 0;
    if (p.capacity_percent > 0) {
      annual = std::max<int64_t>(p.expected_sales_fen, 1'000'000) * p.capacity_percent / 100;
    } else {
      annual = std::max(
          kMinAnnualValueFen,
          p.expected_sales_fen * rng.Between(kAnnualValueFactorMin, kAnnualValueFactorMax));
    }
    p.annual_value_fen = (annual + 9'999) / 10'000 * 10'000;  // whole 100元
  }
  return Status::Ok();
}

}  // namespace fupin::generator
