#include "replay/state.h"

#include <sstream>

#include "ledger/event_types.h"
#include "projections/ledger_projections.h"
#include "projections/official_form.h"
#include "projections/statistics_format.h"
#include "projections/targets_format.h"
#include "replay/labels.h"
#include "replay/replay_source.h"

namespace fupin::replay {
namespace {

namespace bj = boost::json;
namespace pj = fupin::projections;

void ListRegionEntities(const pj::EntityCatalog& catalog, const std::string& region,
                        std::vector<RegionEntity>& out) {
  for (const auto& [id, p] : catalog.products) {
    if (RegionCovers(region, p.origin_region)) {
      out.push_back({"product", id, p.name, p.origin_region, p.revoked ? "revoked" : "certified"});
    }
  }
  for (const auto& [id, s] : catalog.suppliers) {
    if (RegionCovers(region, s.region))
      out.push_back({"supplier", id, s.name, s.region, "registered"});
  }
  for (const auto& [id, h] : catalog.households) {
    if (RegionCovers(region, h.region)) {
      out.push_back({"household", id, "", h.region, std::string(HouseholdStatusName(h.status))});
    }
  }
  for (const auto& [id, o] : catalog.outlets) {
    if (RegionCovers(region, o.region)) {
      out.push_back({"outlet", id, o.name, o.region, o.closed ? "closed" : "active"});
    }
  }
}

bj::object Counts(const pj::EntityCatalog& c) {
  int64_t revoked_products = 0;
  for (const auto& [id, p] : c.products) revoked_products += p.revoked ? 1 : 0;
  int64_t exited = 0;
  for (const auto& [id, h] : c.households) exited += h.status == HouseholdStatus::kExited ? 1 : 0;
  int64_t closed = 0;
  bj::object by_kind;
  for (const auto& [id, o] : c.outlets) {
    closed += o.closed ? 1 : 0;
    if (!o.closed) {
      bj::value& n = by_kind[OutletKindName(o.kind)];
      n = (n.is_int64() ? n.as_int64() : 0) + 1;
    }
  }
  int64_t revoked_keys = 0;
  for (const auto& [id, k] : c.keys) revoked_keys += k.revoked ? 1 : 0;
  const auto size = [](const auto& map) { return static_cast<int64_t>(map.size()); };
  return {
      {"products",
       {{"total", size(c.products)},
        {"certified", size(c.products) - revoked_products},
        {"revoked", revoked_products}}},
      {"suppliers", size(c.suppliers)},
      {"households",
       {{"total", size(c.households)}, {"poor", size(c.households) - exited}, {"exited", exited}}},
      {"outlets",
       {{"total", size(c.outlets)},
        {"active", size(c.outlets) - closed},
        {"closed", closed},
        {"active_by_kind", std::move(by_kind)}}},
      {"keys", {{"total", size(c.keys)}, {"revoked", revoked_keys}}},
      {"regions", size(c.regions)},
      {"campaigns", size(c.campaigns)}};
}

}  // namespace

Result<ReplayState> StateAt(const Ledger& ledger, const StateQuery& query,
                            const std::function<void(uint64_t, uint64_t)>& progress) {
  ReplayState out;
  out.tree_size = ledger.tree_size();
  out.as_of = query.as_of;
  if (query.as_of >= out.tree_size) {
    return Status(ErrorCode::kInvalidArgument, "as_of " + std::to_string(query.as_of) +
                                                   " is beyond the log (tree size " +
                                                   std::to_string(out.tree_size) + ")");
  }
  FUPIN_ASSIGN_OR_RETURN(StoredRecord record, ledger.ReadRecord(query.as_of));
  FUPIN_ASSIGN_OR_RETURN(LeafFields leaf, ParseLeaf(record.leaf_data));
  out.recorded_at = leaf.recorded_at;

  pj::RunnerOptions options;
  options.persist = false;
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<pj::LedgerProjections> opened,
                         pj::LedgerProjections::Open(ledger, options));
  const uint64_t position = query.as_of + 1;
  // Two folds (statistics, then entities): progress counts both.
  Result<std::unique_ptr<pj::Projection>> statistics = opened->runner().StateAt(
      pj::LedgerProjections::kStatistics, position, [&](uint64_t done, uint64_t) {
        if (progress) progress(done, 2 * position);
      });
  if (!statistics.ok()) return statistics.status();
  Result<std::unique_ptr<pj::Projection>> entities = opened->runner().StateAt(
      pj::LedgerProjections::kEntities, position, [&](uint64_t done, uint64_t) {
        if (progress) progress(position + done, 2 * position);
      });
  if (!entities.ok()) return entities.status();
  out.entities.reset(static_cast<pj::EntityProjection*>(std::move(entities).value().release()));
  const pj::StatisticsState& stats =
      static_cast<const pj::StatisticsProjection&>(**statistics).state();

  std::vector<std::string> campaigns;
  if (!query.campaign.empty()) {
    campaigns.push_back(query.campaign);
  } else {
    for (const auto& [id, c] : out.entities->catalog().campaigns) campaigns.push_back(id);
  }
  for (const std::string& campaign : campaigns) {
    FUPIN_ASSIGN_OR_RETURN(pj::StatisticsTable table, pj::BuildStatisticsTable(stats, campaign));
    FUPIN_ASSIGN_OR_RETURN(pj::TargetsReport targets, pj::BuildTargets(stats, campaign));
    FUPIN_ASSIGN_OR_RETURN(pj::StatisticsTable filtered,
                           pj::FilterRows(std::move(table), {query.region, {}}));
    out.campaigns.push_back({std::move(filtered), std::move(targets)});
  }
  if (!query.region.empty()) {
    if (!out.entities->catalog().regions.contains(query.region)) {
      return Status(ErrorCode::kNotFound, "region " + query.region + " is not defined at seq " +
                                              std::to_string(query.as_of));
    }
    ListRegionEntities(out.entities->catalog(), query.region, out.region_entities);
  }
  return out;
}

bj::object StateJson(const ReplayState& state, const StateQuery& query) {
  bj::array campaigns;
  for (const CampaignState& c : state.campaigns) {
    campaigns.push_back(
        {{"statistics", pj::StatisticsJson(c.table)}, {"targets", pj::TargetsJson(c.targets)}});
  }
  bj::object entities{{"counts", Counts(state.entities->catalog())}};
  if (!query.region.empty()) {
    bj::array list;
    for (const RegionEntity& e : state.region_entities) {
      list.push_back({{"kind", e.kind},
                      {"id", e.id},
                      {"name", e.name},
                      {"region", e.region},
                      {"status", e.status}});
    }
    entities["region"] = query.region;
    entities["list"] = std::move(list);
  }
  return {{"as_of", state.as_of},
          {"tree_size", state.tree_size},
          {"recorded_at", state.recorded_at},
          {"campaigns", std::move(campaigns)},
          {"entities", std::move(entities)}};
}

std::string RenderStateText(const ReplayState& state, const StateQuery& query) {
  std::ostringstream out;
  out << "账本状态：截至序号 " << state.as_of << "（记录时间 " << state.recorded_at << "；账本共 "
      << state.tree_size << " 条记录）\n";
  for (const CampaignState& c : state.campaigns) {
    out << "\n"
        << pj::FormTitle(c.table.campaign_name) << "（" << c.table.campaign_id << "，"
        << c.table.starts_on << " 至 " << c.table.ends_on << "）\n";
    const std::size_t first = 16;
    const std::size_t cell = 22;  // the widest header, 设立线上专区数(个), and a gap
    // 市县 and the eight figures of the official form.
    for (std::size_t i = 0; i <= pj::kFigureCount; ++i) {
      const std::string_view header = pj::kFormHeaders[pj::kNameColumn + i];
      out << (i == 0 ? PadRight(header, first) : PadLeft(header, cell));
    }
    out << '\n';
    for (const pj::StatisticsRow& row : c.table.rows) {
      const std::vector<std::string> cells = {
          std::to_string(row.online_zones),     std::to_string(row.offline_zones),
          std::to_string(row.pavilions),        std::to_string(row.counters),
          std::to_string(row.livestream_bases), std::to_string(row.promotions),
          pj::FormatWanYuan(row.sales_fen),     std::to_string(row.poor_people_covered)};
      out << PadRight(pj::RowLabel(row), first);
      for (std::size_t i = 0; i < cells.size(); ++i) {
        out << PadLeft(cells[i], cell);
      }
      out << '\n';
    }
    std::size_t unmet = 0;
    for (const pj::TargetCheck& check : c.targets.checks) unmet += check.met() ? 0 : 1;
    out << "目标：" << c.targets.checks.size() << " 项，未完成 " << unmet << " 项\n";
    for (const pj::TargetCheck& check : c.targets.checks) {
      if (check.met()) continue;
      out << "  未完成 " << check.target << " " << check.name << "（" << check.region << "）：要求 "
          << check.required << "，实际 " << check.actual << '\n';
    }
  }
  const pj::EntityCatalog& catalog = state.entities->catalog();
  out << "\n实体：产品 " << catalog.products.size() << "，供应商 " << catalog.suppliers.size()
      << "，贫困户 " << catalog.households.size() << "，网点 " << catalog.outlets.size()
      << "，密钥 " << catalog.keys.size() << "，地区 " << catalog.regions.size() << "，活动 "
      << catalog.campaigns.size() << '\n';
  if (!query.region.empty()) {
    out << "\n地区 " << query.region << " 的实体（" << state.region_entities.size() << "）：\n";
    for (const RegionEntity& e : state.region_entities) {
      out << "  " << PadRight(EntityKindLabel(e.kind), 8) << PadRight(e.id, 20)
          << PadRight(e.name, 30) << PadRight(e.region, 8) << " " << e.status << '\n';
    }
  }
  return out.str();
}

}  // namespace fupin::replay
