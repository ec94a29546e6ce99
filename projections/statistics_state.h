// The state of the statistics projection (SPEC §3): the facts the 附件统计表
// is computed from, kept so that every figure can be evaluated exactly at
// the current position, plus per-campaign tallies maintained incrementally.
//
// Why facts and not only counters: certifications, revocations and refunds
// may be recorded after a sale but dated (occurred_at) before it, and the
// definitions are about occurred_at. So each product keeps its
// certification timeline by occurred_at and its sales, and a late
// certification or revocation re-evaluates that product's sales; tallies
// then change by exactly the sales whose standing changed.
//
// Indexes (region, outlet, product, household, sale) are positions in the
// vectors below, assigned in log order; ids are interned in IdTables whose
// index is that position.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "ledger/event_types.h"
#include "projections/id_table.h"

namespace fupin::projections {

inline constexpr uint32_t kNoIndex = std::numeric_limits<uint32_t>::max();
// An outlet not closed is "closed" after every date.
inline constexpr int32_t kNeverClosed = std::numeric_limits<int32_t>::max();
// Columns per outlet kind, in OutletKind order.
inline constexpr std::size_t kOutletKindCount = 5;

struct RegionNode {
  std::string code;
  std::string name;
  RegionLevel level = RegionLevel::kCounty;
  uint32_t parent = kNoIndex;  // kNoIndex for the province
};

// Block-copied into snapshots: fixed-width members, no padding.
struct OutletFact {
  uint32_t region = 0;
  int32_t deployed_day = 0;  // Shanghai day of outlet.deployed
  int32_t closed_day = kNeverClosed;
  uint32_t kind = 0;  // OutletKind
};

struct PromotionFact {
  uint32_t region = 0;
  int32_t held_on_day = 0;
};

// One per sale, so kept at 32 bytes: the date is derived from occurred_ms
// (ShanghaiDay) when needed, and a region index fits 16 bits (GB/T 2260
// has a few thousand county-level codes).
struct SaleFact {
  int64_t occurred_ms = 0;
  int64_t amount_fen = 0;
  int64_t refunded_fen = 0;  // all refunds recorded so far
  uint32_t product = 0;
  uint16_t region = 0;  // the outlet's region
  // Whether the product was certified (and not revoked, and valid) at the
  // sale's occurred_at, by the facts recorded so far.
  uint16_t eligible = 0;
};
static_assert(sizeof(SaleFact) == 32);
// Regions beyond this index cannot be a sale's region (see SaleFact).
inline constexpr uint32_t kMaxRegions = 1u << 16;

// One certification or revocation of a product, by business time.
struct ProductEvent {
  int64_t occurred_ms = 0;
  uint64_t seq = 0;
  int32_t valid_from_day = 0;  // certifications only
  int32_t valid_to_day = 0;
  uint32_t revocation = 0;  // 1 for product.revoked
  uint32_t reserved = 0;    // keeps the record free of padding
};

struct ProductFacts {
  // Certifications and revocations sorted by (occurred_ms, seq): the
  // product's standing at an instant is the last entry at or before it.
  std::vector<ProductEvent> timeline;
  // Households named by any of its certifications' benefit claims, sorted.
  std::vector<uint32_t> households;
  std::vector<uint32_t> sales;  // sale indexes, in log order
};

struct HouseholdFact {
  int64_t members = 0;
  uint32_t registered = 0;  // 0 while only named in claims
  uint32_t reserved = 0;
};

struct CampaignInfo {
  std::string id;
  std::string name;
  std::string starts_on;
  std::string ends_on;
  int32_t starts_day = 0;
  int32_t ends_day = 0;
  CampaignTargets targets;
  uint64_t seq = 0;  // of campaign.defined
};

// Per campaign, per region index (the fact's own region; rows roll these
// up their region tree when the table is built).
struct CampaignTally {
  std::vector<std::array<int64_t, kOutletKindCount>> outlets;
  std::vector<int64_t> promotions;
  std::vector<int64_t> sales_fen;
  // Per product index: (region index, counted sales there), sorted by
  // region. Coverage needs to know where each product had a counted sale.
  std::vector<std::vector<std::pair<uint32_t, int64_t>>> counted;
};

// One row of a submitted report against the projection at the report.
struct ReconciledRow {
  ReportRow submitted;
  ReportRow projected;       // region's row of the table at the report's seq
  bool region_known = true;  // false when the row's region has no row
};

struct ReportReconciliation {
  uint64_t seq = 0;
  std::string campaign_id;
  std::string region;  // the reporting region
  std::vector<ReconciledRow> rows;
};

struct StatisticsState {
  std::vector<RegionNode> regions;
  std::map<std::string, uint32_t, std::less<>> region_index;

  std::vector<OutletFact> outlets;
  IdTable outlet_ids;  // index i names outlets[i]

  std::vector<PromotionFact> promotions;

  std::vector<ProductFacts> products;
  IdTable product_ids;

  std::vector<HouseholdFact> households;
  IdTable household_ids;

  std::vector<SaleFact> sales;
  IdTable sale_ids;

  std::vector<CampaignInfo> campaigns;  // in log order
  std::vector<CampaignTally> tallies;   // parallel to campaigns

  std::vector<ReportReconciliation> reports;  // in log order

  uint64_t position = 0;  // records applied
};

}  // namespace fupin::projections
