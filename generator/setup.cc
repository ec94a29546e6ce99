#include "generator/setup.h"

#include <algorithm>
#include <tuple>

namespace fupin::generator {
namespace {

// The i-th of n events spread evenly over `days` days from `first_day`
// 09:00 on, in order.
BizTime Spread(int32_t first_day, int days, std::size_t i, std::size_t n) {
  return At(first_day, 9 * 3600) + static_cast<int64_t>(i) * days * kSecondsPerDay /
                                       static_cast<int64_t>(std::max<std::size_t>(1, n));
}

}  // namespace

void EmitSetup(const World& w, EntityEvents& entities) {
  const std::size_t regions = w.regions.all().size();
  for (std::size_t i = 0; i < regions; ++i) {
    entities.EmitRegion(static_cast<int>(i), At(kAug1, 9 * 3600 + static_cast<int64_t>(i)));
  }
  std::vector<int> office_keys;
  std::vector<int> supplier_keys;
  for (std::size_t k = 0; k < w.keys.size(); ++k) {
    if (w.keys[k].registered_by_init) continue;
    (w.keys[k].supplier_id.empty() ? office_keys : supplier_keys).push_back(static_cast<int>(k));
  }
  for (std::size_t i = 0; i < office_keys.size(); ++i) {
    entities.EmitKey(office_keys[i], At(kAug1 + 1, 9 * 3600 + 10 * static_cast<int64_t>(i)));
  }
  entities.EmitCampaign(At(kAug1 + 2, 10, 0));
  for (std::size_t i = 0; i < w.suppliers.size(); ++i) {
    entities.EmitSupplier(static_cast<int>(i), Spread(kAug1 + 3, 3, i, w.suppliers.size()));
  }
  for (std::size_t i = 0; i < supplier_keys.size(); ++i) {
    entities.EmitKey(supplier_keys[i], At(kAug1 + 6, 9 * 3600 + 10 * static_cast<int64_t>(i)));
  }
  for (std::size_t i = 0; i < w.households.size(); ++i) {
    entities.EmitHousehold(static_cast<int>(i), Spread(kAug1 + 7, 4, i, w.households.size()));
  }
  // Products, outlets, closings and promotions dated in August, by time.
  enum Kind { kProduct, kDeploy, kClose, kPromotion };
  std::vector<std::tuple<BizTime, int, int>> items;  // time, kind, index
  for (std::size_t i = 0; i < w.products.size(); ++i) {
    if (DayOf(w.products[i].certified_at) < kSept1) {
      items.emplace_back(w.products[i].certified_at, kProduct, static_cast<int>(i));
    }
  }
  for (std::size_t i = 0; i < w.outlets.size(); ++i) {
    const Outlet& o = w.outlets[i];
    if (DayOf(o.deployed_at) < kSept1)
      items.emplace_back(o.deployed_at, kDeploy, static_cast<int>(i));
    if (o.closed_at != kNever && DayOf(o.closed_at) < kSept1) {
      items.emplace_back(o.closed_at, kClose, static_cast<int>(i));
    }
  }
  for (std::size_t i = 0; i < w.promotions.size(); ++i) {
    const BizTime at = EntityEvents::PromotionTime(w.promotions[i]);
    if (DayOf(at) < kSept1) items.emplace_back(at, kPromotion, static_cast<int>(i));
  }
  std::sort(items.begin(), items.end());
  for (const auto& [at, kind, index] : items) {
    switch (kind) {
      case kProduct:
        entities.EmitCertification(index);
        break;
      case kDeploy:
        entities.EmitDeployment(index);
        break;
      case kClose:
        entities.EmitClosing(index);
        break;
      case kPromotion:
        entities.EmitPromotion(index);
        break;
    }
  }
}

}  // namespace fupin::generator
