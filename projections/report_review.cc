#include "projections/report_review.h"

#include <algorithm>

namespace fupin::projections {

std::vector<ReportReconciliation> LatestPerRegion(std::vector<ReportReconciliation> all) {
  std::map<std::string, ReportReconciliation> latest;
  for (ReportReconciliation& report : all) latest[report.region] = std::move(report);
  std::vector<ReportReconciliation> out;
  out.reserve(latest.size());
  for (auto& [region, report] : latest) out.push_back(std::move(report));
  return out;
}

boost::json::object ReportReviewJson(const ReportReview& review) {
  auto name_of = [&](const std::string& code) {
    auto found = review.names.find(code);
    return found == review.names.end() ? std::string() : found->second;
  };
  boost::json::array reports;
  for (const ReviewedReport& report : review.reports) {
    boost::json::array rows;
    bool report_differs = false;
    for (const ReconciledRow& row : report.rows) {
      boost::json::array columns;
      for (const ColumnDifference& d : Differences(row)) {
        columns.push_back({{"column", d.column},
                           {"submitted", d.submitted},
                           {"projected", d.projected},
                           {"difference", d.difference},
                           {"fires", ColumnFires(d, review.tolerance_bp)}});
      }
      const bool differs = RowDiffers(row, review.tolerance_bp);
      report_differs = report_differs || differs;
      rows.push_back({{"region", row.submitted.region},
                      {"name", name_of(row.submitted.region)},
                      {"region_known", row.region_known},
                      {"differs", differs},
                      {"columns", std::move(columns)}});
    }
    reports.push_back({{"region", report.region},
                       {"name", name_of(report.region)},
                       {"seq", report.seq},
                       {"event_id", report.event_id},
                       {"key", report.key},
                       {"occurred_at", report.occurred_at},
                       {"flag_id", report.flag_id ? boost::json::value(*report.flag_id) : nullptr},
                       {"differs", report_differs},
                       {"rows", std::move(rows)}});
  }
  return {{"campaign", review.campaign_id},
          {"as_of", review.as_of},
          {"tolerance_bp", review.tolerance_bp},
          {"reports", std::move(reports)}};
}

}  // namespace fupin::projections
