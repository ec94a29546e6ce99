#include "projections/reconciliation.h"

#include <cstdlib>

#include "projections/statistics_table.h"

namespace fupin::projections {
namespace {

ReportRow ToReportRow(const StatisticsRow& row) {
  ReportRow out;
  out.region = row.region;
  out.online_zones = row.online_zones;
  out.offline_zones = row.offline_zones;
  out.pavilions = row.pavilions;
  out.counters = row.counters;
  out.livestream_bases = row.livestream_bases;
  out.promotions = row.promotions;
  out.sales_fen = row.sales_fen;
  out.poor_people_covered = row.poor_people_covered;
  return out;
}

// |submitted - projected| > tolerance of projected, in integers. Amounts
// stay below 2^53 and tolerances below 10^4 basis points, so the products
// fit in int64.
bool BeyondTolerance(int64_t submitted, int64_t projected, int64_t tolerance_bp) {
  const int64_t difference = std::llabs(submitted - projected);
  if (projected == 0) return difference != 0;
  return difference * 10'000 > tolerance_bp * std::llabs(projected);
}

}  // namespace

std::optional<ReportReconciliation> ReconcileReport(const StatisticsState& state,
                                                    const ReportSubmitted& report, uint64_t seq) {
  Result<StatisticsTable> table = BuildStatisticsTable(state, report.campaign_id);
  if (!table.ok()) return std::nullopt;
  ReportReconciliation out;
  out.seq = seq;
  out.campaign_id = report.campaign_id;
  out.region = report.region;
  for (const ReportRow& submitted : report.rows) {
    ReconciledRow row;
    row.submitted = submitted;
    row.projected.region = submitted.region;
    row.region_known = false;
    for (const StatisticsRow& projected : table->rows) {
      if (projected.region == submitted.region) {
        row.projected = ToReportRow(projected);
        row.region_known = true;
        break;
      }
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

std::vector<ColumnDifference> Differences(const ReconciledRow& row) {
  const ReportRow& s = row.submitted;
  const ReportRow& p = row.projected;
  auto column = [](std::string_view name, int64_t submitted, int64_t projected, bool is_count) {
    return ColumnDifference{name, submitted, projected, submitted - projected, is_count};
  };
  return {
      column("online_zones", s.online_zones, p.online_zones, true),
      column("offline_zones", s.offline_zones, p.offline_zones, true),
      column("pavilions", s.pavilions, p.pavilions, true),
      column("counters", s.counters, p.counters, true),
      column("livestream_bases", s.livestream_bases, p.livestream_bases, true),
      column("promotions", s.promotions, p.promotions, true),
      column("sales_fen", s.sales_fen, p.sales_fen, false),
      column("poor_people_covered", s.poor_people_covered, p.poor_people_covered, false),
  };
}

bool ColumnFires(const ColumnDifference& d, int64_t tolerance_bp) {
  if (d.is_count) return d.difference != 0;
  // The official form states sales to 0.01 万元: a figure rounded to the
  // form is never a mismatch, however small the county's sales.
  if (d.column == "sales_fen" && std::llabs(d.difference) <= kFormRoundingFen) return false;
  return BeyondTolerance(d.submitted, d.projected, tolerance_bp);
}

bool RowDiffers(const ReconciledRow& row, int64_t tolerance_bp) {
  if (!row.region_known) return true;
  for (const ColumnDifference& d : Differences(row)) {
    if (ColumnFires(d, tolerance_bp)) return true;
  }
  return false;
}

}  // namespace fupin::projections
