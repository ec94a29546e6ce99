// The statistics table (附件统计表, SPEC §3) of a generated campaign,
// computed the simplest possible way from the facts the generator itself
// produced: plain maps, no ledger records, no projection code. It exists
// to check the real projection against an independent implementation.
//
// State is bounded by the number of entities (regions, outlets, products,
// households), not by the number of sales: a sale adds to one sum and one
// (product, region) flag; a refund re-derives whether its sale counted
// from the product facts and the sale's time. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fupin::generator {

struct StatsRegion {
  std::string code;
  std::string name;
  std::string level;   // province, prefecture, county
  std::string parent;  // empty for the province
};

struct StatsRow {
  std::string region;
  std::string name;
  std::string level;
  int64_t online_zones = 0;
  int64_t offline_zones = 0;
  int64_t pavilions = 0;
  int64_t counters = 0;
  int64_t livestream_bases = 0;
  int64_t promotions = 0;
  int64_t sales_fen = 0;
  int64_t poor_people_covered = 0;
};

class ExpectedStatistics {
 public:
  // Regions in definition order (parents first). Dates "YYYY-MM-DD".
  ExpectedStatistics(std::string campaign_id, const std::string& starts_on,
                     const std::string& ends_on, std::vector<StatsRegion> regions);

  // Facts, as the events state them. Times are the events' occurred_at in
  // Unix milliseconds; kinds are the wire names ("counter", "zone_online").
  void OutletDeployed(const std::string& outlet_id, const std::string& kind,
                      const std::string& region, int64_t occurred_ms);
  void OutletClosed(const std::string& outlet_id, int64_t occurred_ms);
  void PromotionHeld(const std::string& region, const std::string& held_on);
  void HouseholdRegistered(const std::string& household_id, int64_t members);
  void ProductCertified(const std::string& product_id, int64_t occurred_ms,
                        const std::string& valid_from, const std::string& valid_to,
                        std::vector<std::string> households);
  void ProductRevoked(const std::string& product_id, int64_t occurred_ms);
  void SaleRecorded(const std::string& product_id, const std::string& outlet_id,
                    int64_t occurred_ms, int64_t amount_fen);
  // A refund of a sale of `product_id` made at `sale_occurred_ms`.
  void SaleRefunded(const std::string& product_id, const std::string& outlet_id,
                    int64_t sale_occurred_ms, int64_t amount_fen);

  // The table now: the province (合计), then each prefecture followed by
  // its counties, in definition order.
  std::vector<StatsRow> Rows() const;
  const std::string& campaign_id() const { return campaign_id_; }

 private:
  struct Outlet {
    std::string kind;
    std::string region;
    int32_t deployed_day = 0;
    bool closed = false;
    int32_t closed_day = 0;
  };
  struct Product {
    int64_t certified_ms = 0;
    int32_t valid_from = 0;
    int32_t valid_to = 0;
    bool revoked = false;
    int64_t revoked_ms = 0;
    std::vector<std::string> households;
  };

  // True when a sale of the product at that time counts (SPEC §3).
  bool Counts(const std::string& product_id, int64_t occurred_ms) const;
  // The region and its ancestors.
  std::vector<std::string> Chain(const std::string& region) const;

  std::string campaign_id_;
  int32_t starts_ = 0;
  int32_t ends_ = 0;
  std::vector<StatsRegion> regions_;
  // Plain hash maps: every use below is a lookup or an order-independent
  // sum, so their iteration order never shows in the table.
  std::unordered_map<std::string, std::string> parent_;
  std::unordered_map<std::string, Outlet> outlets_;
  std::unordered_map<std::string, int64_t> promotions_;  // by region
  std::unordered_map<std::string, int64_t> members_;     // registered households
  std::unordered_map<std::string, Product> products_;
  std::unordered_map<std::string, int64_t> sales_;  // by outlet region
  // Product -> outlet regions where it has at least one counted sale.
  std::unordered_map<std::string, std::set<std::string>> sold_in_;
};

// {"campaign","as_of","rows":[…]} exactly as GET /v1/stats (SPEC §3), one
// row per line; sales_wan_yuan is sales_fen / 10^6 rounded half up to two
// decimals.
std::string StatsJson(const std::string& campaign_id, int64_t as_of,
                      const std::vector<StatsRow>& rows);
// The same table as CSV (UTF-8 with BOM): the seed's column headers, with
// the region code first and the exact fen last.
std::string StatsCsv(const std::vector<StatsRow>& rows);
// "12345.67" for 123456700000 fen.
std::string WanYuan(int64_t fen);

}  // namespace fupin::generator
