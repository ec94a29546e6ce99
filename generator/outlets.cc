#include "generator/outlets.h"

#include <algorithm>
#include <array>

#include "generator/catalog.h"
#include "generator/random.h"
#include "generator/text.h"

namespace fupin::generator {
namespace {

// Counters carry a dozen products, zones a shelf of twenty.
inline constexpr int kCounterAssortmentMin = 10;
inline constexpr int kCounterAssortmentMax = 16;
inline constexpr int kZoneAssortment = 20;
// Share of a counter's assortment from its own 市州 (the rest province-wide).
inline constexpr int kLocalAssortmentPercent = 50;
// Non-poverty counties without a county pavilion yet (the targets
// projection reports them short).
inline constexpr int kCountiesWithoutPavilion = 2;
// Where the 示范中心 stands: 长沙市雨花区.
inline constexpr std::string_view kDemoCenterCounty = "430111";

struct Pools {
  std::vector<int> province;
  std::vector<std::vector<int>> by_prefecture;  // by slot
  std::vector<std::vector<int>> by_county;      // by region index
};

Pools MakePools(const World& w) {
  Pools pools;
  pools.by_prefecture.resize(w.regions.prefectures().size());
  pools.by_county.resize(w.regions.all().size());
  for (std::size_t i = 0; i < w.products.size(); ++i) {
    const int p = static_cast<int>(i);
    pools.province.push_back(p);
    pools.by_prefecture[static_cast<std::size_t>(w.PrefectureSlot(w.products[i].origin))].push_back(
        p);
    pools.by_county[static_cast<std::size_t>(w.products[i].origin)].push_back(p);
  }
  return pools;
}

// Adds up to `count` distinct products of `pool` to `out`.
void Sample(const std::vector<int>& pool, int count, Rng& rng, std::vector<int>& out) {
  if (pool.empty()) return;
  const int wanted = std::min<int>(count, static_cast<int>(pool.size()));
  for (int tries = 0, added = 0; added < wanted && tries < wanted * 8; ++tries) {
    const int p = pool[rng.Below(pool.size())];
    if (std::find(out.begin(), out.end(), p) != out.end()) continue;
    out.push_back(p);
    ++added;
  }
}

std::vector<int> MixedAssortment(const Pools& pools, int slot, int count, Rng& rng) {
  std::vector<int> out;
  Sample(pools.by_prefecture[static_cast<std::size_t>(slot)], count * kLocalAssortmentPercent / 100,
         rng, out);
  Sample(pools.province, count - static_cast<int>(out.size()), rng, out);
  return out;
}

BizTime SetupTime(Rng& rng, int32_t first_day, int32_t last_day) {
  return At(static_cast<int32_t>(rng.Between(first_day, last_day)),
            rng.Between(9 * 3600, 18 * 3600));
}

int RandomCounty(const World& w, int pref, Rng& rng) {
  const std::vector<int>& counties = w.regions.CountiesOf(pref);
  return counties[rng.Below(counties.size())];
}

void AddCounters(World& w, const Pools& pools, Rng& rng) {
  const std::vector<int>& prefs = w.regions.prefectures();
  std::vector<int> short_slots;
  while (static_cast<int>(short_slots.size()) < kShortPrefectures) {
    const int slot = static_cast<int>(rng.Below(prefs.size()));
    if (std::find(short_slots.begin(), short_slots.end(), slot) == short_slots.end()) {
      short_slots.push_back(slot);
    }
  }
  const auto venues = CounterVenues();
  std::vector<int> per_county(w.regions.all().size(), 0);
  auto add_counter = [&](int slot, BizTime deployed) {
    const int pref = prefs[static_cast<std::size_t>(slot)];
    const int county = RandomCounty(w, pref, rng);
    const Region& r = w.region(county);
    const std::string_view venue = venues[rng.Below(venues.size())];
    Outlet o;
    o.kind = OutletKind::kCounter;
    o.id = "C-" + r.code + "-" + Padded(++per_county[static_cast<std::size_t>(county)], 4);
    o.name = "消费扶贫智能专柜·" + RegionTable::ShortName(r.name) + std::string(venue);
    o.venue = r.name + std::string(venue);
    char device[24];
    std::snprintf(device, sizeof(device), "ZG-2020-%06llX",
                  static_cast<unsigned long long>(rng.Below(1 << 24)));
    o.device_id = device;
    o.region = county;
    o.prefecture = pref;
    o.key = w.counter_operator[static_cast<std::size_t>(slot)];
    o.deployed_at = deployed;
    o.weight = kCounterWeight;
    o.assortment = MixedAssortment(
        pools, slot, static_cast<int>(rng.Between(kCounterAssortmentMin, kCounterAssortmentMax)),
        rng);
    w.outlets.push_back(std::move(o));
    return static_cast<int>(w.outlets.size() - 1);
  };
  for (std::size_t slot = 0; slot < prefs.size(); ++slot) {
    const bool changsha = w.region(prefs[slot]).code == "430100";
    const int64_t target =
        changsha ? w.params.counters_target_changsha : w.params.counters_target_other;
    const bool short_of_target = std::find(short_slots.begin(), short_slots.end(),
                                           static_cast<int>(slot)) != short_slots.end();
    const int64_t percent = short_of_target ? 100 - rng.Between(3, kShortfallPercentMax)
                                            : 100 + rng.Between(0, kCounterSurplusPercentMax);
    const int64_t n = std::max<int64_t>(1, (target * percent + 50) / 100);
    for (int64_t i = 0; i < n; ++i) {
      const bool late = rng.Chance(kLateCounterPercent * 10'000);
      const int idx =
          add_counter(static_cast<int>(slot), late ? SetupTime(rng, kSept1 + 1, kSept1 + 19)
                                                   : SetupTime(rng, kAug1 + 18, kAug1 + 30));
      if (!late && rng.Chance(kClosedOutletPerMille * 1000)) {
        Outlet& o = w.outlets[static_cast<std::size_t>(idx)];
        o.closed_at = SetupTime(rng, kSept1 + 7, kSept1 + 24);
        o.close_reason = "设备故障，撤柜维修";
      }
    }
  }
  // Edge cases of SPEC §3: a counter closed before the window, one
  // deployed after it; neither is "in operation" in the campaign.
  Outlet& before = w.outlets[static_cast<std::size_t>(add_counter(0, At(kAug1 + 19, 10, 0)))];
  before.closed_at = At(kAug1 + 27, 16, 30);
  before.close_reason = "场地租约到期，活动开始前撤柜";
  add_counter(1, At(kOct1 + 2, 10, 0));
}

void AddPavilions(World& w, const Pools& pools, Rng& rng) {
  const std::vector<int>& prefs = w.regions.prefectures();
  for (std::size_t slot = 0; slot < prefs.size(); ++slot) {
    const Region& pref = w.region(prefs[slot]);
    Outlet o;
    o.kind = OutletKind::kPavilion;
    o.id = "PV-" + pref.code + "-01";
    o.name = pref.name + "消费扶贫馆";
    o.venue = RegionTable::ShortName(pref.name) + "市民中心";
    o.region = prefs[slot];
    o.prefecture = prefs[slot];
    o.key = w.commerce_operator[slot];
    o.deployed_at = SetupTime(rng, kAug1 + 18, kAug1 + 25);
    o.weight = kPrefecturePavilionWeight;
    o.assortment = pools.by_prefecture[slot];
    if (o.assortment.empty()) Sample(pools.province, 40, rng, o.assortment);
    w.outlets.push_back(std::move(o));
  }
  std::vector<int> skipped;
  while (static_cast<int>(skipped.size()) < kCountiesWithoutPavilion) {
    const std::vector<int>& counties = w.regions.counties();
    const int c = counties[rng.Below(counties.size())];
    if (!w.region(c).poverty_county &&
        std::find(skipped.begin(), skipped.end(), c) == skipped.end()) {
      skipped.push_back(c);
    }
  }
  for (int county : w.regions.counties()) {
    if (std::find(skipped.begin(), skipped.end(), county) != skipped.end()) continue;
    const Region& r = w.region(county);
    const int slot = w.PrefectureSlot(county);
    Outlet o;
    o.kind = OutletKind::kPavilion;
    o.id = "PV-" + r.code + "-01";
    o.name = r.name + "消费扶贫专馆";
    o.region = county;
    o.prefecture = r.prefecture;
    o.key = w.commerce_operator[static_cast<std::size_t>(slot)];
    o.deployed_at = SetupTime(rng, kAug1 + 18, kAug1 + 30);
    o.weight = kCountyPavilionWeight;
    o.assortment = pools.by_county[static_cast<std::size_t>(county)];
    if (o.assortment.empty()) {
      o.assortment = MixedAssortment(pools, slot, kZoneAssortment, rng);
    }
    w.outlets.push_back(std::move(o));
  }
  const int center = w.regions.Find(kDemoCenterCounty);
  for (int county : w.regions.poverty_counties()) {
    const Region& r = w.region(county);
    Outlet o;
    o.kind = OutletKind::kPavilion;
    o.id = "PV-DC-" + r.code;
    o.name = "湖南省消费扶贫示范中心·" + RegionTable::ShortName(r.name) + "馆";
    o.venue = "湖南省消费扶贫示范中心（长沙市雨花区）";
    o.region = center;
    o.prefecture = w.region(center).prefecture;
    o.key = w.demo_center_operator;
    o.deployed_at = SetupTime(rng, kAug1 + 20, kAug1 + 28);
    o.weight = kDemoCenterPavilionWeight;
    o.assortment = pools.by_county[static_cast<std::size_t>(county)];
    w.outlets.push_back(std::move(o));
  }
}

void AddZonesAndBases(World& w, const Pools& pools, Rng& rng) {
  const std::vector<int>& prefs = w.regions.prefectures();
  const auto markets = Supermarkets();
  const auto platforms = OnlinePlatforms();
  for (std::size_t slot = 0; slot < prefs.size(); ++slot) {
    const int pref = prefs[slot];
    const Region& pr = w.region(pref);
    for (int i = 1; i <= w.params.offline_zones_per_prefecture; ++i) {
      const int county = RandomCounty(w, pref, rng);
      const std::string market(markets[rng.Below(markets.size())]);
      Outlet o;
      o.kind = OutletKind::kZoneOffline;
      o.id = "ZF-" + pr.code + "-" + Padded(i, 2);
      o.name = market + RegionTable::ShortName(w.region(county).name) + "店扶贫专区";
      o.venue = market + w.region(county).name + "店";
      o.region = county;
      o.prefecture = pref;
      o.key = w.commerce_operator[slot];
      o.deployed_at = SetupTime(rng, kAug1 + 20, kAug1 + 30);
      o.weight = kOfflineZoneWeight;
      o.assortment = MixedAssortment(pools, static_cast<int>(slot), kZoneAssortment, rng);
      w.outlets.push_back(std::move(o));
    }
    for (int p = 0; p < w.params.online_platforms; ++p) {
      const Platform& platform = platforms[static_cast<std::size_t>(p)];
      Outlet o;
      o.kind = OutletKind::kZoneOnline;
      o.id = "ZN-" + std::string(platform.key_suffix) + "-" + pr.code;
      o.name = std::string(platform.short_name) + "·" + RegionTable::ShortName(pr.name) + "扶贫馆";
      o.platform = std::string(platform.name);
      o.region = pref;
      o.prefecture = pref;
      o.key = w.platform_operator[static_cast<std::size_t>(p)];
      o.deployed_at = SetupTime(rng, kAug1 + 15, kAug1 + 25);
      o.weight = kOnlineZoneWeight;
      o.assortment = pools.by_prefecture[slot];
      if (o.assortment.empty()) Sample(pools.province, 60, rng, o.assortment);
      w.outlets.push_back(std::move(o));
    }
    std::vector<int> candidates;
    for (int c : w.regions.CountiesOf(pref)) {
      if (w.region(c).poverty_county) candidates.push_back(c);
    }
    if (candidates.empty()) candidates = w.regions.CountiesOf(pref);
    for (int i = 1; i <= w.params.livestream_per_prefecture; ++i) {
      const int county = candidates[rng.Below(candidates.size())];
      const Region& r = w.region(county);
      Outlet o;
      o.kind = OutletKind::kLivestreamBase;
      o.id = "LS-" + pr.code + "-" + Padded(i, 2);
      o.name = RegionTable::ShortName(r.name) + "电商直播基地";
      o.venue = r.name + "电子商务产业园";
      o.region = county;
      o.prefecture = pref;
      o.key = w.commerce_operator[slot];
      o.deployed_at = SetupTime(rng, kAug1 + 18, kAug1 + 30);
      o.weight = kLivestreamWeight;
      o.assortment = pools.by_county[static_cast<std::size_t>(county)];
      Sample(pools.by_prefecture[slot], 10, rng, o.assortment);
      if (o.assortment.empty()) Sample(pools.province, 20, rng, o.assortment);
      w.outlets.push_back(std::move(o));
    }
  }
}

}  // namespace

void BuildOutlets(World& w) {
  Rng rng(w.seed, "outlets");
  const Pools pools = MakePools(w);
  AddCounters(w, pools, rng);
  AddPavilions(w, pools, rng);
  AddZonesAndBases(w, pools, rng);
}

void BuildPromotions(World& w) {
  Rng rng(w.seed, "promotions");
  static constexpr std::array<std::string_view, 5> kNames = {
      "消费扶贫产销对接会", "农特产品展销会", "消费扶贫直播带货节", "扶贫产品进机关活动",
      "消费扶贫爱心集市"};
  const std::vector<int>& prefs = w.regions.prefectures();
  for (std::size_t slot = 0; slot < prefs.size(); ++slot) {
    const int pref = prefs[slot];
    for (int i = 1; i <= w.params.promotions_per_prefecture; ++i) {
      Promotion p;
      p.region = rng.Chance(400'000) ? pref : RandomCounty(w, pref, rng);
      p.id = "PR-" + w.region(pref).code + "-" + Padded(i, 2);
      p.name = RegionTable::ShortName(w.region(p.region).name) +
               std::string(kNames[rng.Below(kNames.size())]);
      p.held_on = static_cast<int32_t>(
          kSept1 +
          GoldenPoint(static_cast<uint64_t>(i), static_cast<uint32_t>(slot * 0x12345u)) % 30);
      p.key = w.commerce_operator[slot];
      w.promotions.push_back(std::move(p));
    }
  }
  // Edge cases: a warm-up before the window, a fair after it.
  Promotion before;
  before.id = "PR-" + w.region(prefs[0]).code + "-W1";
  before.name = RegionTable::ShortName(w.region(prefs[0]).name) + "消费扶贫月预热活动";
  before.region = prefs[0];
  before.held_on = kAug1 + 27;
  before.key = w.commerce_operator[0];
  w.promotions.push_back(std::move(before));
  Promotion after;
  after.id = "PR-" + w.region(prefs[5]).code + "-G1";
  after.name = RegionTable::ShortName(w.region(prefs[5]).name) + "国庆消费扶贫集市";
  after.region = prefs[5];
  after.held_on = kOct1 + 1;
  after.key = w.commerce_operator[5];
  w.promotions.push_back(std::move(after));
}

void PlanProductChanges(World& w) {
  Rng rng(w.seed, "product-changes");
  for (Product& p : w.products) {
    if (p.tainted || DayOf(p.certified_at) >= kSept1) continue;
    if (rng.Chance(kRepricePercent * 10'000)) {
      const int64_t delta = rng.Between(10, kRepriceMaxPermille);
      const int64_t sign = rng.Chance(500'000) ? 1 : -1;
      // Before opening hours: the day's sales use the new reference.
      p.repriced_at = At(static_cast<int32_t>(rng.Between(kSept1 + 7, kSept1 + 21)),
                         rng.Between(7 * 3600, 8 * 3600 - 1));
      p.repriced_to_fen = p.reference_fen * (1000 + sign * delta) / 1000 / 10 * 10;
    } else if (rng.Chance(kRevokedProductPerMille * 1000) &&
               w.suppliers[static_cast<std::size_t>(p.supplier)].products.size() >= 2) {
      // Sales stop from that day on; the supplier has other products.
      p.revoked_at = At(static_cast<int32_t>(rng.Between(kSept1 + 9, kSept1 + 24)),
                        rng.Between(10 * 3600, 11 * 3600));
      p.tainted = true;
    }
  }
}

}  // namespace fupin::generator
