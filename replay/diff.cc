#include "replay/diff.h"

#include <array>
#include <map>
#include <set>
#include <sstream>

#include "projections/ledger_projections.h"
#include "projections/record_scan.h"
#include "replay/labels.h"

namespace fupin::replay {
namespace {

namespace bj = boost::json;
namespace pj = fupin::projections;

struct Column {
  std::string_view name;
  std::string_view label;
  int64_t pj::StatisticsRow::*field;
};

inline constexpr std::array<Column, 8> kColumns = {{
    {"online_zones", "线上专区数", &pj::StatisticsRow::online_zones},
    {"offline_zones", "线下专区数", &pj::StatisticsRow::offline_zones},
    {"pavilions", "专馆数", &pj::StatisticsRow::pavilions},
    {"counters", "专柜数", &pj::StatisticsRow::counters},
    {"livestream_bases", "直播基地", &pj::StatisticsRow::livestream_bases},
    {"promotions", "大型产销活动(场)", &pj::StatisticsRow::promotions},
    {"sales_fen", "销售扶贫产品(分)", &pj::StatisticsRow::sales_fen},
    {"poor_people_covered", "覆盖贫困人口(人)", &pj::StatisticsRow::poor_people_covered},
}};

std::string_view KindColumn(OutletKind kind) {
  switch (kind) {
    case OutletKind::kCounter:
      return "counters";
    case OutletKind::kPavilion:
      return "pavilions";
    case OutletKind::kZoneOnline:
      return "online_zones";
    case OutletKind::kZoneOffline:
      return "offline_zones";
    case OutletKind::kLivestreamBase:
      return "livestream_bases";
  }
  return "";
}

// A record of (from, to] that can move some cells. Regions are resolved
// after the scan (product and household causes need every sale up to to).
struct Candidate {
  uint64_t seq = 0;
  std::vector<std::string_view> columns;  // empty: every column
  std::vector<std::string> regions;       // direct regions
  std::string product;                    // regions of this product's sales
  std::string household;                  // regions of sales of claiming products
  std::string own_row;                    // region.defined: only this row
  bool all_rows = false;                  // campaign.defined
};

// What the scan learns about the log up to `to`.
struct LogFacts {
  std::map<std::string, std::pair<std::string, OutletKind>> outlets;  // id -> region, kind
  std::map<std::string, std::set<std::string>> product_sale_regions;
  std::map<std::string, std::set<std::string>> household_products;
  std::vector<Candidate> candidates;
};

void Learn(const pj::DecodedRecord& r, uint64_t from, const std::string& campaign, LogFacts& f) {
  const bool in_range = r.seq > from;
  Candidate c;
  c.seq = r.seq;
  bool cause = false;
  if (const auto* e = std::get_if<OutletDeployed>(&r.body)) {
    f.outlets[e->outlet_id] = {e->region, e->kind};
    c.columns = {KindColumn(e->kind)};
    c.regions = {e->region};
    cause = true;
  } else if (const auto* e = std::get_if<OutletClosed>(&r.body)) {
    auto it = f.outlets.find(e->outlet_id);
    if (it != f.outlets.end()) {
      c.columns = {KindColumn(it->second.second)};
      c.regions = {it->second.first};
      cause = true;
    }
  } else if (const auto* e = std::get_if<PromotionHeld>(&r.body)) {
    c.columns = {"promotions"};
    c.regions = {e->region};
    cause = true;
  } else if (const auto* e = std::get_if<SaleRecorded>(&r.body)) {
    auto it = f.outlets.find(e->outlet_id);
    if (it != f.outlets.end()) {
      f.product_sale_regions[e->product_id].insert(it->second.first);
      c.regions = {it->second.first};
    }
    c.columns = {"sales_fen", "poor_people_covered"};
    cause = true;
  } else if (const auto* e = std::get_if<SaleRefunded>(&r.body)) {
    auto it = f.outlets.find(e->outlet_id);
    if (it != f.outlets.end()) c.regions = {it->second.first};
    c.columns = {"sales_fen", "poor_people_covered"};
    cause = true;
  } else if (const auto* e = std::get_if<ProductCertified>(&r.body)) {
    for (const std::string& h : e->benefit.households)
      f.household_products[h].insert(e->product_id);
    c.columns = {"sales_fen", "poor_people_covered"};
    c.product = e->product_id;
    cause = true;
  } else if (const auto* e = std::get_if<ProductRevoked>(&r.body)) {
    c.columns = {"sales_fen", "poor_people_covered"};
    c.product = e->product_id;
    cause = true;
  } else if (const auto* e = std::get_if<HouseholdRegistered>(&r.body)) {
    c.columns = {"poor_people_covered"};
    c.household = e->household_id;
    cause = true;
  } else if (const auto* e = std::get_if<CampaignDefined>(&r.body)) {
    c.all_rows = e->campaign_id == campaign;
    cause = c.all_rows;
  } else if (const auto* e = std::get_if<RegionDefined>(&r.body)) {
    c.own_row = e->code;
    cause = true;
  }
  if (in_range && cause) f.candidates.push_back(std::move(c));
}

bool Touches(const Candidate& c, const CellChange& cell, const LogFacts& f) {
  if (!c.columns.empty()) {
    bool column = false;
    for (std::string_view name : c.columns) column = column || name == cell.column;
    if (!column) return false;
  }
  if (c.all_rows) return true;
  if (!c.own_row.empty()) return c.own_row == cell.region;
  for (const std::string& region : c.regions) {
    if (RegionCovers(cell.region, region)) return true;
  }
  auto sold_under = [&](const std::string& product) {
    auto it = f.product_sale_regions.find(product);
    if (it == f.product_sale_regions.end()) return false;
    for (const std::string& region : it->second) {
      if (RegionCovers(cell.region, region)) return true;
    }
    return false;
  };
  if (!c.product.empty() && sold_under(c.product)) return true;
  if (!c.household.empty()) {
    auto it = f.household_products.find(c.household);
    if (it != f.household_products.end()) {
      for (const std::string& product : it->second) {
        if (sold_under(product)) return true;
      }
    }
  }
  return false;
}

}  // namespace

Result<StatisticsDiff> DiffStatistics(const Ledger& ledger, uint64_t from, uint64_t to,
                                      const std::string& campaign,
                                      const std::function<void(uint64_t, uint64_t)>& progress) {
  const uint64_t size = ledger.tree_size();
  if (to >= size) {
    return Status(ErrorCode::kInvalidArgument, "--to " + std::to_string(to) +
                                                   " is beyond the log (last seq " +
                                                   std::to_string(size - 1) + ")");
  }
  if (from >= to) return Status(ErrorCode::kInvalidArgument, "--from must be below --to");
  pj::RunnerOptions options;
  options.persist = false;
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<pj::LedgerProjections> opened,
                         pj::LedgerProjections::Open(ledger, options));
  const uint64_t total = 3 * (to + 1);
  auto fold = [&](uint64_t position, uint64_t offset) {
    return opened->runner().StateAt(pj::LedgerProjections::kStatistics, position,
                                    [&](uint64_t done, uint64_t) {
                                      if (progress) progress(offset + done, total);
                                    });
  };
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<pj::Projection> before, fold(from + 1, 0));
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<pj::Projection> after, fold(to + 1, to + 1));
  const auto& before_state = static_cast<const pj::StatisticsProjection&>(*before).state();
  const auto& after_state = static_cast<const pj::StatisticsProjection&>(*after).state();

  std::vector<std::string> campaigns;
  if (!campaign.empty()) {
    campaigns.push_back(campaign);
  } else {
    FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<pj::EntityProjection> entities, opened->EntitiesAt(to));
    for (const auto& [id, c] : entities->catalog().campaigns) campaigns.push_back(id);
  }

  StatisticsDiff diff{from, to, {}};
  for (const std::string& id : campaigns) {
    FUPIN_ASSIGN_OR_RETURN(pj::StatisticsTable new_table,
                           pj::BuildStatisticsTable(after_state, id));
    // A campaign defined inside (from, to] starts from an empty table.
    Result<pj::StatisticsTable> old_table = pj::BuildStatisticsTable(before_state, id);
    std::map<std::string, const pj::StatisticsRow*> old_rows;
    if (old_table.ok()) {
      for (const pj::StatisticsRow& row : old_table->rows) old_rows[row.region] = &row;
    }
    CampaignDiff campaign_diff{id, {}};
    for (const pj::StatisticsRow& row : new_table.rows) {
      static const pj::StatisticsRow kEmpty;
      auto it = old_rows.find(row.region);
      const pj::StatisticsRow& old = it == old_rows.end() ? kEmpty : *it->second;
      for (const Column& column : kColumns) {
        if (old.*column.field == row.*column.field) continue;
        campaign_diff.changes.push_back({row.region,
                                         row.name,
                                         std::string(column.name),
                                         old.*column.field,
                                         row.*column.field,
                                         {},
                                         0});
      }
    }
    // Attribution needs the log up to `to`.
    LogFacts facts;
    Status scanned = pj::ScanDecoded(ledger.store(), 0, to + 1, pj::ScanOptions{},
                                     [&](std::span<const pj::DecodedRecord> batch) {
                                       for (const pj::DecodedRecord& r : batch) {
                                         Learn(r, from, id, facts);
                                       }
                                       if (progress) {
                                         progress(2 * (to + 1) + batch.back().seq + 1, total);
                                       }
                                       return Status::Ok();
                                     });
    if (!scanned.ok()) return scanned;
    for (CellChange& cell : campaign_diff.changes) {
      for (const Candidate& c : facts.candidates) {
        if (!Touches(c, cell, facts)) continue;
        if (cell.causes.size() < kListedCauses) cell.causes.push_back(c.seq);
        ++cell.causes_total;
      }
    }
    diff.campaigns.push_back(std::move(campaign_diff));
  }
  return diff;
}

bj::object DiffJson(const StatisticsDiff& diff) {
  bj::array campaigns;
  for (const CampaignDiff& c : diff.campaigns) {
    bj::array changes;
    for (const CellChange& cell : c.changes) {
      changes.push_back({{"region", cell.region},
                         {"name", cell.name},
                         {"column", cell.column},
                         {"before", cell.before},
                         {"after", cell.after},
                         {"delta", cell.after - cell.before},
                         {"causes", bj::array(cell.causes.begin(), cell.causes.end())},
                         {"causes_total", cell.causes_total}});
    }
    campaigns.push_back({{"campaign", c.campaign}, {"changes", std::move(changes)}});
  }
  return {{"from", diff.from}, {"to", diff.to}, {"campaigns", std::move(campaigns)}};
}

std::string RenderDiffText(const StatisticsDiff& diff) {
  std::ostringstream out;
  out << "统计表变化：序号 " << diff.from << " → " << diff.to << '\n';
  for (const CampaignDiff& c : diff.campaigns) {
    out << "\n活动 " << c.campaign << "：" << c.changes.size() << " 处变化\n";
    if (c.changes.empty()) continue;
    out << PadRight("地区", 24) << PadRight("栏目", 20) << PadLeft("之前", 14)
        << PadLeft("之后", 14) << "  原因记录（序号）\n";
    for (const CellChange& cell : c.changes) {
      std::string_view label = cell.column;
      for (const Column& column : kColumns) {
        if (column.name == cell.column) label = column.label;
      }
      out << PadRight(cell.name + " " + cell.region, 24) << PadRight(label, 20)
          << PadLeft(std::to_string(cell.before), 14) << PadLeft(std::to_string(cell.after), 14)
          << "  ";
      for (std::size_t i = 0; i < cell.causes.size(); ++i) out << (i ? "," : "") << cell.causes[i];
      if (cell.causes_total > cell.causes.size()) {
        out << " 等共 " << cell.causes_total << " 条";
      }
      out << '\n';
    }
  }
  return out.str();
}

}  // namespace fupin::replay
