// The snapshot encoding of StatisticsState (version
// StatisticsProjection::kVersion): members in declaration order, fact
// arrays and id arenas as single blocks; lookup tables are rebuilt.
#include <utility>

#include "projections/snapshot_io.h"
#include "projections/statistics_projection.h"

namespace fupin::projections {
namespace {

using snapshot_io::Reader;
using snapshot_io::Writer;

void WriteTargets(Writer& w, const CampaignTargets& t) {
  w.I64(t.sales_fen);
  w.I64(t.counters_total);
  w.List(t.counters_by_region, [](Writer& out, const std::pair<std::string, int64_t>& entry) {
    out.Str(entry.first);
    out.I64(entry.second);
  });
  w.I64(t.counters_min_per_prefecture);
  w.I64(t.pavilions_min_per_region);
  w.I64(t.offline_zones_min_per_prefecture);
}

void ReadTargets(Reader& r, CampaignTargets& t) {
  t.sales_fen = r.I64();
  t.counters_total = r.I64();
  r.List(t.counters_by_region, [](Reader& in, std::pair<std::string, int64_t>& entry) {
    entry.first = in.Str();
    entry.second = in.I64();
  });
  t.counters_min_per_prefecture = r.I64();
  t.pavilions_min_per_region = r.I64();
  t.offline_zones_min_per_prefecture = r.I64();
}

void WriteReportRow(Writer& w, const ReportRow& row) {
  w.Str(row.region);
  for (int64_t v : {row.online_zones, row.offline_zones, row.pavilions, row.counters,
                    row.livestream_bases, row.promotions, row.sales_fen, row.poor_people_covered}) {
    w.I64(v);
  }
}

void ReadReportRow(Reader& r, ReportRow& row) {
  row.region = r.Str();
  for (int64_t* v :
       {&row.online_zones, &row.offline_zones, &row.pavilions, &row.counters, &row.livestream_bases,
        &row.promotions, &row.sales_fen, &row.poor_people_covered}) {
    *v = r.I64();
  }
}

void WriteIds(Writer& w, const IdTable& ids) {
  w.Str(ids.arena());
  w.Records(ids.ends());
}

void ReadIds(Reader& r, IdTable& ids) {
  std::string arena = r.Str();
  std::vector<uint64_t> ends;
  r.Records(ends);
  Result<IdTable> table = IdTable::FromArena(std::move(arena), std::move(ends));
  if (!table.ok()) throw cereal::Exception(table.status().message());
  ids = std::move(table).value();
}

void WriteTally(Writer& w, const CampaignTally& tally) {
  w.Records(tally.outlets);
  w.Records(tally.promotions);
  w.Records(tally.sales_fen);
  w.List(tally.counted, [](Writer& out, const std::vector<std::pair<uint32_t, int64_t>>& list) {
    out.List(list, [](Writer& o, const std::pair<uint32_t, int64_t>& entry) {
      o.U32(entry.first);
      o.I64(entry.second);
    });
  });
}

void ReadTally(Reader& r, CampaignTally& tally) {
  r.Records(tally.outlets);
  r.Records(tally.promotions);
  r.Records(tally.sales_fen);
  r.List(tally.counted, [](Reader& in, std::vector<std::pair<uint32_t, int64_t>>& list) {
    in.List(list, [](Reader& i, std::pair<uint32_t, int64_t>& entry) {
      entry.first = i.U32();
      entry.second = i.I64();
    });
  });
}

// Every index in the state points inside its vector, so a damaged snapshot
// is refused instead of read out of bounds later.
Status CheckBounds(const StatisticsState& s) {
  auto bad = [](std::string_view what) {
    return Status(ErrorCode::kDataLoss, "statistics state: " + std::string(what) + " out of range");
  };
  const std::size_t regions = s.regions.size();
  for (const RegionNode& node : s.regions) {
    if (node.parent != kNoIndex && node.parent >= regions) return bad("region parent");
  }
  for (const OutletFact& o : s.outlets) {
    if (o.region >= regions || o.kind >= kOutletKindCount) return bad("outlet");
  }
  if (s.outlet_ids.size() != s.outlets.size()) return bad("outlet ids");
  if (s.product_ids.size() != s.products.size()) return bad("product ids");
  for (const PromotionFact& p : s.promotions) {
    if (p.region >= regions) return bad("promotion region");
  }
  for (const ProductFacts& p : s.products) {
    for (uint32_t h : p.households) {
      if (h >= s.households.size()) return bad("claimed household");
    }
    for (uint32_t sale : p.sales) {
      if (sale >= s.sales.size()) return bad("product sale");
    }
  }
  if (s.household_ids.size() != s.households.size()) return bad("household ids");
  for (const SaleFact& sale : s.sales) {
    if (sale.product >= s.products.size() || sale.region >= regions) return bad("sale");
  }
  if (s.sale_ids.size() != s.sales.size()) return bad("sale ids");
  if (s.tallies.size() != s.campaigns.size()) return bad("tallies");
  for (const CampaignTally& t : s.tallies) {
    if (t.outlets.size() != regions || t.promotions.size() != regions ||
        t.sales_fen.size() != regions || t.counted.size() > s.products.size()) {
      return bad("tally size");
    }
    for (const auto& list : t.counted) {
      for (const auto& entry : list) {
        if (entry.first >= regions) return bad("counted region");
      }
    }
  }
  return Status::Ok();
}

void RebuildRegionIndex(StatisticsState& s) {
  for (uint32_t i = 0; i < s.regions.size(); ++i) s.region_index.emplace(s.regions[i].code, i);
}

}  // namespace

std::string StatisticsProjection::EncodeState() const {
  const StatisticsState& s = state_;
  Writer w;
  w.U64(s.position);
  w.List(s.regions, [](Writer& out, const RegionNode& node) {
    out.Str(node.code);
    out.Str(node.name);
    out.U8(static_cast<uint8_t>(node.level));
    out.U32(node.parent);
  });
  w.Records(s.outlets);
  WriteIds(w, s.outlet_ids);
  w.Records(s.promotions);
  w.List(s.products, [](Writer& out, const ProductFacts& p) {
    out.Records(p.timeline);
    out.Records(p.households);
    out.Records(p.sales);
  });
  WriteIds(w, s.product_ids);
  w.Records(s.households);
  WriteIds(w, s.household_ids);
  w.Records(s.sales);
  WriteIds(w, s.sale_ids);
  w.List(s.campaigns, [](Writer& out, const CampaignInfo& c) {
    out.Str(c.id);
    out.Str(c.name);
    out.Str(c.starts_on);
    out.Str(c.ends_on);
    out.I32(c.starts_day);
    out.I32(c.ends_day);
    WriteTargets(out, c.targets);
    out.U64(c.seq);
  });
  w.List(s.tallies, WriteTally);
  w.List(s.reports, [](Writer& out, const ReportReconciliation& report) {
    out.U64(report.seq);
    out.Str(report.campaign_id);
    out.Str(report.region);
    out.List(report.rows, [](Writer& o, const ReconciledRow& row) {
      WriteReportRow(o, row.submitted);
      WriteReportRow(o, row.projected);
      o.Bool(row.region_known);
    });
  });
  return w.Finish();
}

Status StatisticsProjection::DecodeState(std::string_view bytes) {
  StatisticsState s;
  Status status = snapshot_io::Decode("statistics state", bytes, [&](Reader& r) {
    s.position = r.U64();
    r.List(s.regions, [](Reader& in, RegionNode& node) {
      node.code = in.Str();
      node.name = in.Str();
      uint8_t level = in.U8();
      if (level < static_cast<uint8_t>(RegionLevel::kProvince) ||
          level > static_cast<uint8_t>(RegionLevel::kCounty)) {
        throw cereal::Exception("region level out of range");
      }
      node.level = static_cast<RegionLevel>(level);
      node.parent = in.U32();
    });
    r.Records(s.outlets);
    ReadIds(r, s.outlet_ids);
    r.Records(s.promotions);
    r.List(s.products, [](Reader& in, ProductFacts& p) {
      in.Records(p.timeline);
      in.Records(p.households);
      in.Records(p.sales);
    });
    ReadIds(r, s.product_ids);
    r.Records(s.households);
    ReadIds(r, s.household_ids);
    r.Records(s.sales);
    ReadIds(r, s.sale_ids);
    r.List(s.campaigns, [](Reader& in, CampaignInfo& c) {
      c.id = in.Str();
      c.name = in.Str();
      c.starts_on = in.Str();
      c.ends_on = in.Str();
      c.starts_day = in.I32();
      c.ends_day = in.I32();
      ReadTargets(in, c.targets);
      c.seq = in.U64();
    });
    r.List(s.tallies, ReadTally);
    r.List(s.reports, [](Reader& in, ReportReconciliation& report) {
      report.seq = in.U64();
      report.campaign_id = in.Str();
      report.region = in.Str();
      in.List(report.rows, [](Reader& i, ReconciledRow& row) {
        ReadReportRow(i, row.submitted);
        ReadReportRow(i, row.projected);
        row.region_known = i.Bool();
      });
    });
    return CheckBounds(s);
  });
  FUPIN_RETURN_IF_ERROR(status);
  RebuildRegionIndex(s);
  state_ = std::move(s);
  return Status::Ok();
}

}  // namespace fupin::projections
