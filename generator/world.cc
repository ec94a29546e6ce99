// BuildWorld: keys, suppliers, households and products of the honest
// campaign. Outlets and promotions are in outlets.cc.
#include "generator/world.h"

#include <algorithm>
#include <map>

#include "generator/catalog.h"
#include "generator/keys.h"
#include "generator/outlets.h"
#include "generator/random.h"
#include "generator/text.h"
#include "generator/uscc.h"

namespace fupin::generator {
namespace {

// Where the 示范中心 (湖南省消费扶贫示范中心) stands: 长沙市雨花区.
inline constexpr std::string_view kDemoCenterCounty = "430111";

// A bijection on 32 bits (each step is invertible), keyed: pseudonyms that
// never collide and reveal nothing of the counter behind them.
uint32_t Permute32(uint32_t x, uint64_t key) {
  x ^= static_cast<uint32_t>(key);
  x ^= x >> 16;
  x *= 0x7FEB352Du;
  x ^= x >> 15;
  x *= 0x846CA68Bu;
  x ^= x >> 16;
  return x ^ static_cast<uint32_t>(key >> 32);
}

void BuildOfficeKeys(World& w) {
  const uint64_t seed = w.seed;
  KeyEntry admin = DeriveKey(seed, "admin", {"admin"}, {"000000"});
  admin.registered_by_init = true;
  w.keys.push_back(std::move(admin));
  w.county_certifier.assign(w.regions.all().size(), -1);
  for (int county : w.regions.counties()) {
    const std::string& code = w.region(county).code;
    w.county_certifier[static_cast<std::size_t>(county)] = static_cast<int>(w.keys.size());
    w.keys.push_back(DeriveKey(seed, "cert-" + code, {"certifier"}, {code}));
  }
  for (int pref : w.regions.prefectures()) {
    const std::string& code = w.region(pref).code;
    w.counter_operator.push_back(static_cast<int>(w.keys.size()));
    w.keys.push_back(DeriveKey(seed, "op-" + code + "-counters", {"operator"}, {code}));
    w.commerce_operator.push_back(static_cast<int>(w.keys.size()));
    w.keys.push_back(DeriveKey(seed, "op-" + code + "-commerce", {"operator"}, {code}));
  }
  w.demo_center_operator = static_cast<int>(w.keys.size());
  w.keys.push_back(
      DeriveKey(seed, "op-demo-center", {"operator"}, {std::string(kDemoCenterCounty)}));
  const auto platforms = OnlinePlatforms();
  for (int p = 0; p < w.params.online_platforms; ++p) {
    w.platform_operator.push_back(static_cast<int>(w.keys.size()));
    w.keys.push_back(
        DeriveKey(seed, "op-" + std::string(platforms[static_cast<std::size_t>(p)].key_suffix),
                  {"operator"}, {w.regions.province().code}));
  }
  for (int pref : w.regions.prefectures()) {
    const std::string& code = w.region(pref).code;
    w.reporter.push_back(static_cast<int>(w.keys.size()));
    w.keys.push_back(DeriveKey(seed, "reporter-" + code, {"reporter"}, {code}));
  }
  const std::string& province = w.regions.province().code;
  for (int i = 1; i <= 2; ++i) {
    w.keys.push_back(DeriveKey(seed, "supervisor-" + province + "-" + std::to_string(i),
                               {"supervisor"}, {province}));
  }
  for (int pref : w.regions.prefectures()) {
    const std::string& code = w.region(pref).code;
    w.keys.push_back(DeriveKey(seed, "supervisor-" + code, {"supervisor"}, {code}));
  }
}

void BuildSuppliers(World& w) {
  Rng rng(w.seed, "suppliers");
  const std::vector<int>& poverty = w.regions.poverty_counties();
  // Every poverty county has a supplier; the rest go to counties by a
  // random size (1..4), as some counties have far more cooperatives.
  std::vector<int64_t> county_size;
  for (std::size_t i = 0; i < poverty.size(); ++i) {
    county_size.push_back(rng.Between(1, 4));
  }
  std::vector<int> per_county(poverty.size(), 1);
  for (int extra = static_cast<int>(poverty.size()); extra < w.params.suppliers; ++extra) {
    ++per_county[rng.Weighted(county_size)];
  }
  const auto forms = SupplierForms();
  const auto words = SupplierWords();
  for (std::size_t c = 0; c < poverty.size(); ++c) {
    const Region& county = w.region(poverty[c]);
    for (int n = 1; n <= per_county[c]; ++n) {
      Supplier s;
      s.county = poverty[c];
      s.id = "SUP-" + county.code + "-" + Padded(n, 3);
      const SupplierForm& form = forms[rng.Below(forms.size())];
      s.name = county.name + std::string(words[rng.Below(words.size())]) + std::string(form.suffix);
      s.uscc = MakeUscc(form.uscc_prefix, county.code, rng.Next());
      w.suppliers.push_back(std::move(s));
    }
  }
}

void BuildHouseholds(World& w) {
  Rng rng(w.seed, "households");
  std::map<int, int> claimed_per_county;
  for (Supplier& s : w.suppliers) {
    const int n =
        static_cast<int>(rng.Between(kHouseholdsPerSupplierMin, kHouseholdsPerSupplierMax));
    for (int i = 0; i < n; ++i) s.households.push_back(NewHousehold(w, s.county, rng));
    claimed_per_county[s.county] += n;
  }
  for (const auto& [county, claimed] : claimed_per_county) {
    const int unclaimed = claimed * kUnclaimedHouseholdsPercent / 100;
    for (int i = 0; i < unclaimed; ++i) NewHousehold(w, county, rng);
  }
}

std::vector<BenefitMechanism> DrawMechanisms(Rng& rng) {
  static const std::vector<int64_t> kWeights = {30, 35, 10, 15, 10};
  std::vector<BenefitMechanism> out;
  out.push_back(static_cast<BenefitMechanism>(rng.Weighted(kWeights)));
  if (rng.Chance(350'000)) {
    auto second = static_cast<BenefitMechanism>(rng.Weighted(kWeights));
    if (second != out[0]) out.push_back(second);
  }
  return out;
}

bool HasEmployment(const Product& p) {
  return std::find(p.mechanisms.begin(), p.mechanisms.end(), BenefitMechanism::kEmployment) !=
         p.mechanisms.end();
}

// Kinds with too few products to form a peer group fold into the most
// common kind the county also makes, else the most common staple.
void BalanceKinds(World& w) {
  const auto kinds = ProductKinds();
  for (int round = 0; round < 4; ++round) {
    std::vector<int> count(kinds.size(), 0);
    for (const Product& p : w.products) ++count[static_cast<std::size_t>(p.kind)];
    auto rare = [&](int kind) {
      return count[static_cast<std::size_t>(kind)] < kMinProductsPerKind;
    };
    int best_staple = -1;
    for (std::size_t k = 0; k < kinds.size(); ++k) {
      if (kinds[k].staple &&
          (best_staple < 0 || count[k] > count[static_cast<std::size_t>(best_staple)])) {
        best_staple = static_cast<int>(k);
      }
    }
    bool moved = false;
    for (Product& p : w.products) {
      if (!rare(p.kind)) continue;
      int target = -1;
      for (std::string_view name : CountySpecialties(w.region(p.origin).code)) {
        const int k = FindKind(name);
        if (k >= 0 && !rare(k) &&
            (target < 0 ||
             count[static_cast<std::size_t>(k)] > count[static_cast<std::size_t>(target)])) {
          target = k;
        }
      }
      p.kind = target >= 0 ? target : best_staple;
      moved = true;
    }
    if (!moved) return;
  }
}

void NameProducts(World& w) {
  const auto kinds = ProductKinds();
  const auto grades = ProductGrades();
  std::vector<uint64_t> per_kind(kinds.size(), 0);
  const uint64_t key = StreamKey(w.seed, "product-names");
  for (std::size_t i = 0; i < w.products.size(); ++i) {
    Product& p = w.products[i];
    const ProductKind& kind = kinds[static_cast<std::size_t>(p.kind)];
    // Evenly spread over +/-kReferenceSpreadPermille within the kind.
    const uint64_t k = per_kind[static_cast<std::size_t>(p.kind)]++;
    const int64_t point = GoldenPoint(k, static_cast<uint32_t>(HashText(kind.name)));
    const int64_t offset =
        -kReferenceSpreadPermille + (point * 2 * kReferenceSpreadPermille) / (int64_t{1} << 32);
    p.reference_fen = (kind.base_price_fen * (1000 + offset) / 1000) / 10 * 10;
    const std::string_view grade = grades[HashBelow(key, i, grades.size())];
    p.name = RegionTable::ShortName(w.region(p.origin).name) + std::string(grade) +
             std::string(kind.name);
  }
}

void BuildProducts(World& w) {
  Rng rng(w.seed, "products");
  std::map<int, int> per_county;
  for (std::size_t si = 0; si < w.suppliers.size(); ++si) {
    Supplier& s = w.suppliers[si];
    const int n = static_cast<int>(rng.Weighted(
                      {kProductsPerSupplierWeights.begin(), kProductsPerSupplierWeights.end()})) +
                  1;
    const auto specialties = CountySpecialties(w.region(s.county).code);
    for (int i = 0; i < n; ++i) {
      Product p;
      p.supplier = static_cast<int>(si);
      p.origin = s.county;
      p.kind = FindKind(specialties[rng.Below(specialties.size())]);
      const std::string& code = w.region(s.county).code;
      const int number = ++per_county[s.county];
      p.id = "P-" + code + "-" + Padded(number, 4);
      p.certificate_no = "湘扶认〔2020〕" + code + Padded(number, 4) + "号";
      p.mechanisms = DrawMechanisms(rng);
      // Most were certified in mid-August; a few new certificates come
      // during the campaign.
      const bool late = rng.Chance(30'000);
      const int32_t day = late ? static_cast<int32_t>(rng.Between(kSept1 + 2, kSept1 + 14))
                               : static_cast<int32_t>(rng.Between(kAug1 + 12, kAug1 + 17));
      p.certified_at = At(day, rng.Between(9 * 3600, 17 * 3600));
      p.valid_from = day;
      p.valid_to = kJan31 + 334;  // 2021-12-31
      s.products.push_back(static_cast<int>(w.products.size()));
      w.products.push_back(std::move(p));
    }
    // Each claimed household goes to one of the supplier's products.
    for (std::size_t h = 0; h < s.households.size(); ++h) {
      Product& p = w.products[static_cast<std::size_t>(s.products[h % s.products.size()])];
      p.households.push_back(s.households[h]);
    }
  }
  BalanceKinds(w);
  NameProducts(w);
}

// Some households are also claimed by a second supplier of their county,
// never under employment (one job per household).
void AddSecondClaims(World& w) {
  Rng rng(w.seed, "second-claims");
  std::map<int, std::vector<int>> suppliers_of_county;
  for (std::size_t i = 0; i < w.suppliers.size(); ++i) {
    suppliers_of_county[w.suppliers[i].county].push_back(static_cast<int>(i));
  }
  for (Product& p : w.products) {
    for (int h : p.households) {
      Household& hh = w.households[static_cast<std::size_t>(h)];
      ++hh.claims;
      if (HasEmployment(p)) hh.employment = true;
    }
  }
  for (std::size_t si = 0; si < w.suppliers.size(); ++si) {
    const Supplier& s = w.suppliers[si];
    const std::vector<int>& peers = suppliers_of_county[s.county];
    if (peers.size() < 2) continue;
    for (int h : s.households) {
      if (!rng.Chance(kSecondClaimPercent * 10'000)) continue;
      const int other = peers[rng.Below(peers.size())];
      if (other == static_cast<int>(si)) continue;
      const Supplier& o = w.suppliers[static_cast<std::size_t>(other)];
      Product& target =
          w.products[static_cast<std::size_t>(o.products[rng.Below(o.products.size())])];
      Household& hh = w.households[static_cast<std::size_t>(h)];
      if (HasEmployment(target) || hh.claims != 1) continue;
      target.households.push_back(h);
      hh.claims = 2;
      hh.exclusive = false;
    }
  }
  for (Product& p : w.products) {
    p.people_claimed = 0;
    for (int h : p.households) {
      p.people_claimed += w.households[static_cast<std::size_t>(h)].members;
    }
  }
  for (Product& p : w.products) {
    for (int h : p.households) {
      if (w.households[static_cast<std::size_t>(h)].claims > 1) {
        w.households[static_cast<std::size_t>(h)].exclusive = false;
      }
    }
  }
}

void BuildSupplierKeys(World& w) {
  for (Supplier& s : w.suppliers) {
    s.key = static_cast<int>(w.keys.size());
    w.keys.push_back(DeriveKey(w.seed, "supplier-" + s.id.substr(4), {"supplier"},
                               {w.region(s.county).code}, s.id));
  }
}

}  // namespace

std::string HouseholdPseudonym(const World& w, int county, uint32_t ordinal) {
  const uint64_t key = StreamKey(w.seed, "household-pseudonym");
  return "H" + w.region(county).code + "-" + Hex(Permute32(ordinal, key), 8);
}

int NewHousehold(World& w, int county, Rng& rng) {
  Household h;
  h.county = county;
  h.id = HouseholdPseudonym(w, county, static_cast<uint32_t>(w.households.size()));
  h.members = static_cast<int>(rng.Weighted({kMembersWeights.begin(), kMembersWeights.end()})) + 1;
  h.poor = !rng.Chance(kExitedPercent * 10'000);
  w.households.push_back(std::move(h));
  return static_cast<int>(w.households.size() - 1);
}

std::string OrgId(const World& w, int slot, int org) {
  return "gov-" + w.region(w.regions.prefectures()[static_cast<std::size_t>(slot)]).code + "-" +
         Padded(org + 1, 2);
}

int World::PrefectureSlot(int region_index) const {
  const int pref = regions.all()[static_cast<std::size_t>(region_index)].prefecture;
  const std::vector<int>& prefs = regions.prefectures();
  return static_cast<int>(std::find(prefs.begin(), prefs.end(), pref) - prefs.begin());
}

Result<World> BuildWorld(uint64_t seed, const ScaleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(RegionTable regions, RegionTable::Hunan());
  World w;
  w.seed = seed;
  w.params = params;
  w.regions = std::move(regions);
  BuildOfficeKeys(w);
  BuildSuppliers(w);
  BuildHouseholds(w);
  BuildProducts(w);
  AddSecondClaims(w);
  BuildSupplierKeys(w);
  BuildOutlets(w);
  BuildPromotions(w);
  return w;
}

}  // namespace fupin::generator
