// The province's review of the 市州 reports (上报核对): each 市州's latest
// report.submitted against the statistics table at the report's seq, cell
// by cell, with the differences FP-15 flags marked. Served as JSON by
// GET /v1/reports and downloadable as XLSX.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger/status.h"
#include "projections/reconciliation.h"

namespace fupin::projections {

struct ReviewedReport {
  std::string region;  // the reporting 市州
  uint64_t seq = 0;
  std::string event_id;
  std::string key;
  std::string occurred_at;
  std::optional<std::string> flag_id;  // the FP-15 flag citing the report
  std::vector<ReconciledRow> rows;
};

struct ReportReview {
  std::string campaign_id;
  std::string campaign_name;
  uint64_t as_of = 0;
  int64_t tolerance_bp = kDefaultReportToleranceBp;
  std::map<std::string, std::string> names;  // region code -> name
  std::vector<ReviewedReport> reports;       // one per 市州, by code
};

// Keeps the latest of each region's reconciliations (log order in, code
// order out).
std::vector<ReportReconciliation> LatestPerRegion(std::vector<ReportReconciliation> all);

// {"campaign","as_of","tolerance_bp","reports":[{"region","name","seq",
//  "event_id","key","occurred_at","flag_id","differs","rows":[{"region",
//  "name","region_known","differs","columns":[{"column","submitted",
//  "projected","difference","fires"}…]}…]}…]} (docs/api.md).
boost::json::object ReportReviewJson(const ReportReview& review);

// One sheet, 上报核对: a line per report row and column (市州, 报送序号,
// 市县, 区划代码, 指标, 上报, 账本, 差额, 超出阈值, 预警), differences FP-15
// flags filled red. Errors: kIoError from the temp file.
Result<std::string> RenderReportReviewXlsx(const ReportReview& review);

}  // namespace fupin::projections
