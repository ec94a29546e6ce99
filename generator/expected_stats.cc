#include "generator/expected_stats.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "ledger/time.h"

namespace fupin::generator {
namespace {

int32_t Day(const std::string& date) {
  Result<int32_t> day = ParseDate(date);
  return day.ok() ? *day : 0;
}

}  // namespace

ExpectedStatistics::ExpectedStatistics(std::string campaign_id, const std::string& starts_on,
                                       const std::string& ends_on, std::vector<StatsRegion> regions)
    : campaign_id_(std::move(campaign_id)),
      starts_(Day(starts_on)),
      ends_(Day(ends_on)),
      regions_(std::move(regions)) {
  for (const StatsRegion& r : regions_) parent_[r.code] = r.parent;
}

std::vector<std::string> ExpectedStatistics::Chain(const std::string& region) const {
  std::vector<std::string> chain;
  std::string code = region;
  while (!code.empty()) {
    chain.push_back(code);
    auto it = parent_.find(code);
    if (it == parent_.end()) break;
    code = it->second;
  }
  return chain;
}

void ExpectedStatistics::OutletDeployed(const std::string& outlet_id, const std::string& kind,
                                        const std::string& region, int64_t occurred_ms) {
  Outlet& o = outlets_[outlet_id];
  o.kind = kind;
  o.region = region;
  o.deployed_day = ShanghaiDay(occurred_ms);
}

void ExpectedStatistics::OutletClosed(const std::string& outlet_id, int64_t occurred_ms) {
  Outlet& o = outlets_[outlet_id];
  o.closed = true;
  o.closed_day = ShanghaiDay(occurred_ms);
}

void ExpectedStatistics::PromotionHeld(const std::string& region, const std::string& held_on) {
  const int32_t day = Day(held_on);
  if (day >= starts_ && day <= ends_) ++promotions_[region];
}

void ExpectedStatistics::HouseholdRegistered(const std::string& household_id, int64_t members) {
  members_[household_id] = members;
}

void ExpectedStatistics::ProductCertified(const std::string& product_id, int64_t occurred_ms,
                                          const std::string& valid_from,
                                          const std::string& valid_to,
                                          std::vector<std::string> households) {
  Product& p = products_[product_id];
  p.certified_ms = occurred_ms;
  p.valid_from = Day(valid_from);
  p.valid_to = Day(valid_to);
  p.households = std::move(households);
}

void ExpectedStatistics::ProductRevoked(const std::string& product_id, int64_t occurred_ms) {
  Product& p = products_[product_id];
  p.revoked = true;
  p.revoked_ms = occurred_ms;
}

bool ExpectedStatistics::Counts(const std::string& product_id, int64_t occurred_ms) const {
  const int32_t day = ShanghaiDay(occurred_ms);
  if (day < starts_ || day > ends_) return false;
  auto it = products_.find(product_id);
  if (it == products_.end()) return false;
  const Product& p = it->second;
  if (p.certified_ms > occurred_ms) return false;
  if (day < p.valid_from || day > p.valid_to) return false;
  if (p.revoked && p.revoked_ms <= occurred_ms) return false;
  return true;
}

void ExpectedStatistics::SaleRecorded(const std::string& product_id, const std::string& outlet_id,
                                      int64_t occurred_ms, int64_t amount_fen) {
  if (!Counts(product_id, occurred_ms)) return;
  const std::string& region = outlets_[outlet_id].region;
  sales_[region] += amount_fen;
  std::set<std::string>& regions = sold_in_[product_id];
  if (!regions.contains(region)) regions.insert(region);
}

void ExpectedStatistics::SaleRefunded(const std::string& product_id, const std::string& outlet_id,
                                      int64_t sale_occurred_ms, int64_t amount_fen) {
  if (!Counts(product_id, sale_occurred_ms)) return;
  sales_[outlets_[outlet_id].region] -= amount_fen;
}

std::vector<StatsRow> ExpectedStatistics::Rows() const {
  // Every fact is added to its region and each ancestor's row.
  std::map<std::string, StatsRow> by_region;
  for (const StatsRegion& r : regions_) {
    StatsRow& row = by_region[r.code];
    row.region = r.code;
    row.name = r.name;
    row.level = r.level;
  }
  for (const auto& [id, o] : outlets_) {
    const bool in_operation = o.deployed_day <= ends_ && !(o.closed && o.closed_day < starts_);
    if (!in_operation) continue;
    for (const std::string& code : Chain(o.region)) {
      StatsRow& row = by_region[code];
      if (o.kind == "zone_online") ++row.online_zones;
      if (o.kind == "zone_offline") ++row.offline_zones;
      if (o.kind == "pavilion") ++row.pavilions;
      if (o.kind == "counter") ++row.counters;
      if (o.kind == "livestream_base") ++row.livestream_bases;
    }
  }
  for (const auto& [region, n] : promotions_) {
    for (const std::string& code : Chain(region)) by_region[code].promotions += n;
  }
  for (const auto& [region, fen] : sales_) {
    for (const std::string& code : Chain(region)) by_region[code].sales_fen += fen;
  }
  // Coverage: distinct registered households of the products sold in the
  // row's region, each counted once per row.
  std::map<std::string, std::set<std::string>> products_of_row;
  for (const auto& [product, regions] : sold_in_) {
    for (const std::string& region : regions) {
      for (const std::string& code : Chain(region)) products_of_row[code].insert(product);
    }
  }
  for (const auto& [code, products] : products_of_row) {
    std::set<std::string> households;
    for (const std::string& product : products) {
      for (const std::string& h : products_.at(product).households) {
        if (members_.count(h) != 0) households.insert(h);
      }
    }
    int64_t people = 0;
    for (const std::string& h : households) people += members_.at(h);
    by_region[code].poor_people_covered = people;
  }
  std::vector<StatsRow> rows;
  for (const StatsRegion& r : regions_) {
    if (r.level == "province") rows.push_back(by_region[r.code]);
  }
  for (const StatsRegion& pref : regions_) {
    if (pref.level != "prefecture") continue;
    rows.push_back(by_region[pref.code]);
    for (const StatsRegion& county : regions_) {
      if (county.parent == pref.code) rows.push_back(by_region[county.code]);
    }
  }
  return rows;
}

std::string WanYuan(int64_t fen) {
  // 1万元 = 10^6 fen; two decimals = units of 10^4 fen, rounded half up.
  const bool negative = fen < 0;
  const int64_t magnitude = negative ? -fen : fen;
  const int64_t cents = (magnitude + 5'000) / 10'000;
  std::string frac = std::to_string(cents % 100);
  if (frac.size() < 2) frac.insert(0, "0");
  return (negative ? "-" : "") + std::to_string(cents / 100) + "." + frac;
}

std::string StatsJson(const std::string& campaign_id, int64_t as_of,
                      const std::vector<StatsRow>& rows) {
  std::string out = "{\"campaign\":" + boost::json::serialize(boost::json::value(campaign_id)) +
                    ",\"as_of\":" + std::to_string(as_of) + ",\"rows\":[\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const StatsRow& r = rows[i];
    boost::json::object row;
    row["region"] = r.region;
    row["name"] = r.name;
    row["level"] = r.level;
    row["online_zones"] = r.online_zones;
    row["offline_zones"] = r.offline_zones;
    row["pavilions"] = r.pavilions;
    row["counters"] = r.counters;
    row["livestream_bases"] = r.livestream_bases;
    row["promotions"] = r.promotions;
    row["sales_fen"] = r.sales_fen;
    row["sales_wan_yuan"] = WanYuan(r.sales_fen);
    row["poor_people_covered"] = r.poor_people_covered;
    out += boost::json::serialize(row);
    out += i + 1 < rows.size() ? ",\n" : "\n";
  }
  out += "]}\n";
  return out;
}

std::string StatsCsv(const std::vector<StatsRow>& rows) {
  std::string out = "\xEF\xBB\xBF";  // BOM: Excel then reads UTF-8
  out +=
      "区划代码,市县,线上专区数,线下专区数,专馆数,专柜数,直播基地,"
      "大型产销活动(场),销售扶贫产品(万元),覆盖贫困人口(人),销售额(分)\r\n";
  for (const StatsRow& r : rows) {
    out += r.region + "," + (r.level == "province" ? std::string("合计") : r.name) + "," +
           std::to_string(r.online_zones) + "," + std::to_string(r.offline_zones) + "," +
           std::to_string(r.pavilions) + "," + std::to_string(r.counters) + "," +
           std::to_string(r.livestream_bases) + "," + std::to_string(r.promotions) + "," +
           WanYuan(r.sales_fen) + "," + std::to_string(r.poor_people_covered) + "," +
           std::to_string(r.sales_fen) + "\r\n";
  }
  return out;
}

}  // namespace fupin::generator
