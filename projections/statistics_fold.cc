// StatisticsProjection::Apply: how each record changes the facts and the
// campaign tallies.
#include <algorithm>
#include <utility>
#include <variant>

#include "ledger/time.h"
#include "projections/reconciliation.h"
#include "projections/statistics_projection.h"

namespace fupin::projections {
namespace {

bool InWindow(const CampaignInfo& campaign, int32_t day) {
  return campaign.starts_day <= day && day <= campaign.ends_day;
}

// In operation at any time in the window: deployed on or before its last
// day, and not closed before its first.
bool Operates(const OutletFact& outlet, const CampaignInfo& campaign) {
  return outlet.deployed_day <= campaign.ends_day && !(outlet.closed_day < campaign.starts_day);
}

void AddCounted(std::vector<std::pair<uint32_t, int64_t>>& counted, uint32_t region, int sign) {
  auto it = std::lower_bound(counted.begin(), counted.end(), region,
                             [](const auto& entry, uint32_t r) { return entry.first < r; });
  if (it == counted.end() || it->first != region) it = counted.insert(it, {region, 0});
  it->second += sign;
  // No zero entries: the state stays a function of the counted sales alone.
  if (it->second == 0) counted.erase(it);
}

}  // namespace

void StatisticsProjection::Apply(const DecodedRecord& record) {
  state_.position = record.seq + 1;
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, RegionDefined>) {
          OnRegion(e);
        } else if constexpr (std::is_same_v<T, CampaignDefined>) {
          OnCampaign(e, record.seq);
        } else if constexpr (std::is_same_v<T, HouseholdRegistered>) {
          OnHousehold(e);
        } else if constexpr (std::is_same_v<T, ProductCertified>) {
          OnCertified(e, record);
        } else if constexpr (std::is_same_v<T, ProductRevoked>) {
          OnRevoked(e, record);
        } else if constexpr (std::is_same_v<T, OutletDeployed>) {
          OnDeployed(e, record.occurred_day);
        } else if constexpr (std::is_same_v<T, OutletClosed>) {
          OnClosed(e, record.occurred_day);
        } else if constexpr (std::is_same_v<T, PromotionHeld>) {
          OnPromotion(e);
        } else if constexpr (std::is_same_v<T, SaleRecorded>) {
          OnSale(e, record);
        } else if constexpr (std::is_same_v<T, SaleRefunded>) {
          OnRefund(e);
        } else if constexpr (std::is_same_v<T, ReportSubmitted>) {
          OnReport(e, record.seq);
        }
      },
      record.body);
}

void StatisticsProjection::OnRegion(const RegionDefined& e) {
  if (state_.region_index.contains(e.code)) return;  // validation refuses it
  if (state_.regions.size() >= kMaxRegions) return;  // beyond any real region table
  RegionNode node;
  node.code = e.code;
  node.name = e.name;
  node.level = e.level;
  if (auto parent = state_.region_index.find(e.parent); parent != state_.region_index.end()) {
    node.parent = parent->second;
  }
  state_.region_index.emplace(e.code, static_cast<uint32_t>(state_.regions.size()));
  state_.regions.push_back(std::move(node));
  for (CampaignTally& tally : state_.tallies) {
    tally.outlets.emplace_back();
    tally.promotions.push_back(0);
    tally.sales_fen.push_back(0);
  }
}

void StatisticsProjection::AddOutlet(const OutletFact& outlet, int sign,
                                     const CampaignInfo& campaign, CampaignTally& tally) const {
  if (Operates(outlet, campaign)) tally.outlets[outlet.region][outlet.kind] += sign;
}

CampaignTally StatisticsProjection::BuildTally(const CampaignInfo& campaign) const {
  CampaignTally tally;
  tally.outlets.resize(state_.regions.size());
  tally.promotions.resize(state_.regions.size());
  tally.sales_fen.resize(state_.regions.size());
  tally.counted.resize(state_.products.size());
  for (const OutletFact& outlet : state_.outlets) AddOutlet(outlet, +1, campaign, tally);
  for (const PromotionFact& promotion : state_.promotions) {
    if (InWindow(campaign, promotion.held_on_day)) ++tally.promotions[promotion.region];
  }
  for (const SaleFact& sale : state_.sales) {
    if (sale.eligible == 0 || !InWindow(campaign, ShanghaiDay(sale.occurred_ms))) continue;
    tally.sales_fen[sale.region] += sale.amount_fen - sale.refunded_fen;
    AddCounted(tally.counted[sale.product], sale.region, +1);
  }
  return tally;
}

void StatisticsProjection::OnCampaign(const CampaignDefined& e, uint64_t seq) {
  for (const CampaignInfo& known : state_.campaigns) {
    if (known.id == e.campaign_id) return;  // validation refuses it
  }
  CampaignInfo campaign;
  campaign.id = e.campaign_id;
  campaign.name = e.name;
  campaign.starts_on = e.starts_on;
  campaign.ends_on = e.ends_on;
  campaign.starts_day = e.starts_on_day;
  campaign.ends_day = e.ends_on_day;
  campaign.targets = e.targets;
  campaign.seq = seq;
  // A campaign may be defined after facts of its window were recorded.
  state_.tallies.push_back(BuildTally(campaign));
  state_.campaigns.push_back(std::move(campaign));
}

uint32_t StatisticsProjection::InternHousehold(const std::string& id) {
  bool added = false;
  const uint32_t index = state_.household_ids.Intern(id, &added);
  if (added) state_.households.emplace_back();
  return index;
}

void StatisticsProjection::OnHousehold(const HouseholdRegistered& e) {
  HouseholdFact& household = state_.households[InternHousehold(e.household_id)];
  household.members = e.members;  // a new registration updates the members
  household.registered = 1;
}

bool StatisticsProjection::Eligible(const ProductFacts& product, int64_t at_ms, int32_t day) const {
  // The last timeline entry at or before at_ms (entries are sorted by
  // (occurred_ms, seq), so ties resolve to the later record).
  auto after = std::upper_bound(
      product.timeline.begin(), product.timeline.end(), at_ms,
      [](int64_t ms, const ProductEvent& entry) { return ms < entry.occurred_ms; });
  if (after == product.timeline.begin()) return false;  // not yet certified
  const ProductEvent& standing = *std::prev(after);
  return standing.revocation == 0 && standing.valid_from_day <= day && day <= standing.valid_to_day;
}

void StatisticsProjection::CountSale(const SaleFact& sale, int sign) {
  const int32_t day = ShanghaiDay(sale.occurred_ms);
  for (std::size_t c = 0; c < state_.campaigns.size(); ++c) {
    if (!InWindow(state_.campaigns[c], day)) continue;
    CampaignTally& tally = state_.tallies[c];
    tally.sales_fen[sale.region] += sign * (sale.amount_fen - sale.refunded_fen);
    if (tally.counted.size() <= sale.product) tally.counted.resize(sale.product + 1);
    AddCounted(tally.counted[sale.product], sale.region, sign);
  }
}

void StatisticsProjection::Reevaluate(uint32_t product_index) {
  const ProductFacts& product = state_.products[product_index];
  for (uint32_t s : product.sales) {
    SaleFact& sale = state_.sales[s];
    const uint16_t eligible = Eligible(product, sale.occurred_ms, ShanghaiDay(sale.occurred_ms));
    if (eligible == sale.eligible) continue;
    if (sale.eligible != 0) CountSale(sale, -1);
    sale.eligible = eligible;
    if (eligible != 0) CountSale(sale, +1);
  }
}

namespace {

void InsertByTime(std::vector<ProductEvent>& timeline, const ProductEvent& entry) {
  auto at = std::upper_bound(
      timeline.begin(), timeline.end(), entry, [](const ProductEvent& a, const ProductEvent& b) {
        return std::pair(a.occurred_ms, a.seq) < std::pair(b.occurred_ms, b.seq);
      });
  timeline.insert(at, entry);
}

}  // namespace

void StatisticsProjection::OnCertified(const ProductCertified& e, const DecodedRecord& record) {
  bool added = false;
  const uint32_t index = state_.product_ids.Intern(e.product_id, &added);
  if (added) state_.products.emplace_back();
  ProductEvent entry;
  entry.occurred_ms = record.occurred_at_ms;
  entry.seq = record.seq;
  entry.valid_from_day = e.valid_from_day;
  entry.valid_to_day = e.valid_to_day;
  InsertByTime(state_.products[index].timeline, entry);
  for (const std::string& household : e.benefit.households) {
    const uint32_t h = InternHousehold(household);  // may grow households
    std::vector<uint32_t>& claimed = state_.products[index].households;
    auto at = std::lower_bound(claimed.begin(), claimed.end(), h);
    if (at == claimed.end() || *at != h) claimed.insert(at, h);
  }
  Reevaluate(index);
}

void StatisticsProjection::OnRevoked(const ProductRevoked& e, const DecodedRecord& record) {
  std::optional<uint32_t> product = state_.product_ids.Find(e.product_id);
  if (!product) return;  // validation refuses it
  ProductEvent entry;
  entry.occurred_ms = record.occurred_at_ms;
  entry.seq = record.seq;
  entry.revocation = 1;
  InsertByTime(state_.products[*product].timeline, entry);
  Reevaluate(*product);
}

void StatisticsProjection::OnDeployed(const OutletDeployed& e, int32_t day) {
  auto region = state_.region_index.find(e.region);
  if (region == state_.region_index.end()) return;  // validation refuses it
  OutletFact outlet;
  outlet.region = region->second;
  outlet.deployed_day = day;
  outlet.kind = static_cast<uint32_t>(e.kind);
  bool added = false;
  state_.outlet_ids.Intern(e.outlet_id, &added);
  if (!added) return;  // validation refuses a second deployment
  state_.outlets.push_back(outlet);
  for (std::size_t c = 0; c < state_.campaigns.size(); ++c) {
    AddOutlet(outlet, +1, state_.campaigns[c], state_.tallies[c]);
  }
}

void StatisticsProjection::OnClosed(const OutletClosed& e, int32_t day) {
  std::optional<uint32_t> index = state_.outlet_ids.Find(e.outlet_id);
  if (!index) return;
  OutletFact& outlet = state_.outlets[*index];
  if (outlet.closed_day != kNeverClosed) return;  // validation refuses it
  for (std::size_t c = 0; c < state_.campaigns.size(); ++c) {
    AddOutlet(outlet, -1, state_.campaigns[c], state_.tallies[c]);
  }
  outlet.closed_day = day;
  for (std::size_t c = 0; c < state_.campaigns.size(); ++c) {
    AddOutlet(outlet, +1, state_.campaigns[c], state_.tallies[c]);
  }
}

void StatisticsProjection::OnPromotion(const PromotionHeld& e) {
  auto region = state_.region_index.find(e.region);
  if (region == state_.region_index.end()) return;
  state_.promotions.push_back({region->second, e.held_on_day});
  for (std::size_t c = 0; c < state_.campaigns.size(); ++c) {
    if (InWindow(state_.campaigns[c], e.held_on_day))
      ++state_.tallies[c].promotions[region->second];
  }
}

void StatisticsProjection::OnSale(const SaleRecorded& e, const DecodedRecord& record) {
  std::optional<uint32_t> product = state_.product_ids.Find(e.product_id);
  std::optional<uint32_t> outlet = state_.outlet_ids.Find(e.outlet_id);
  if (!product || !outlet) return;  // validation refuses both
  SaleFact sale;
  sale.occurred_ms = record.occurred_at_ms;
  sale.amount_fen = e.amount_fen;
  sale.product = *product;
  sale.region = static_cast<uint16_t>(state_.outlets[*outlet].region);
  sale.eligible = Eligible(state_.products[sale.product], sale.occurred_ms, record.occurred_day);
  bool added = false;
  const uint32_t index = state_.sale_ids.Intern(e.sale_id, &added);
  if (!added) return;  // validation refuses a second sale id
  state_.sales.push_back(sale);
  state_.products[sale.product].sales.push_back(index);
  if (sale.eligible != 0) CountSale(sale, +1);
}

void StatisticsProjection::OnRefund(const SaleRefunded& e) {
  std::optional<uint32_t> index = state_.sale_ids.Find(e.sale_id);
  if (!index) return;
  SaleFact& sale = state_.sales[*index];
  sale.refunded_fen += e.amount_fen;
  if (sale.eligible == 0) return;
  const int32_t day = ShanghaiDay(sale.occurred_ms);
  for (std::size_t c = 0; c < state_.campaigns.size(); ++c) {
    if (InWindow(state_.campaigns[c], day))
      state_.tallies[c].sales_fen[sale.region] -= e.amount_fen;
  }
}

void StatisticsProjection::OnReport(const ReportSubmitted& e, uint64_t seq) {
  std::optional<ReportReconciliation> reconciled = ReconcileReport(state_, e, seq);
  if (reconciled) state_.reports.push_back(std::move(*reconciled));
}

}  // namespace fupin::projections
