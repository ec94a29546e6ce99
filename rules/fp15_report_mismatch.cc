// FP-15 report_mismatch (SPEC §4): a submitted 附件统计表 row differs from
// the statistics projection at the report's seq: any count differs, or
// sales or coverage differ by more than tolerance_ratio of the projected
// value. The statistics projection reconciles every report.submitted
// (projections/reconciliation.h); this rule judges it.
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "projections/reconciliation.h"
#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

// The column's heading in the 附件统计表.
std::string_view ColumnLabel(std::string_view column) {
  if (column == "online_zones") return "线上专区数";
  if (column == "offline_zones") return "线下专区数";
  if (column == "pavilions") return "专馆数";
  if (column == "counters") return "专柜数";
  if (column == "livestream_bases") return "直播基地";
  if (column == "promotions") return "大型产销活动";
  if (column == "sales_fen") return "销售扶贫产品";
  if (column == "poor_people_covered") return "覆盖贫困人口";
  return column;
}

std::string ValueText(const projections::ColumnDifference& d, int64_t value) {
  return d.column == "sales_fen" ? FormatYuan(value) + " 元" : std::to_string(value);
}

class ReportMismatchRule final : public Rule {
 public:
  ReportMismatchRule(FlagSeverity severity, int64_t tolerance_bp)
      : severity_(severity), tolerance_bp_(tolerance_bp) {}

  std::string_view id() const override { return "FP-15"; }
  std::string_view name() const override { return "report_mismatch"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    if (record.type != EventType::kReportSubmitted) return;
    const auto& reports = world.statistics.reports;
    auto report = std::find_if(reports.rbegin(), reports.rend(),
                               [&](const auto& r) { return r.seq == record.seq; });
    if (report == reports.rend()) return;  // campaign unknown to the projection

    boost::json::array rows;
    std::string first_difference;
    int64_t differing_columns = 0;
    for (const projections::ReconciledRow& row : report->rows) {
      if (!projections::RowDiffers(row, tolerance_bp_)) continue;
      boost::json::array columns;
      if (!row.region_known && first_difference.empty()) {
        first_difference = "地区 " + row.submitted.region + " 不在统计表中";
      }
      for (const projections::ColumnDifference& d : projections::Differences(row)) {
        if (!projections::ColumnFires(d, tolerance_bp_)) continue;
        ++differing_columns;
        columns.push_back({{"column", d.column},
                           {"submitted", d.submitted},
                           {"projected", d.projected},
                           {"difference", d.difference}});
        if (first_difference.empty()) first_difference = Describe(world, row, d);
      }
      rows.push_back({{"region", row.submitted.region},
                      {"region_known", row.region_known},
                      {"columns", std::move(columns)}});
    }
    if (rows.empty()) return;

    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "region:" + report->region;
    draft.region = report->region;
    draft.window = report->campaign_id;
    draft.evidence = {record.seq};
    draft.summary = RegionLabel(world.entities, report->region) + " 报送的活动 " +
                    report->campaign_id + " 统计表有 " + std::to_string(rows.size()) +
                    " 行与账本不符：" + first_difference;
    if (differing_columns > 1) draft.summary += " 等 " + std::to_string(differing_columns) + " 处";
    draft.details = {{"campaign_id", report->campaign_id},
                     {"tolerance_bp", tolerance_bp_},
                     {"rows_differing", static_cast<int64_t>(rows.size())},
                     {"rows", std::move(rows)}};
    sink.Raise(std::move(draft));
  }

 private:
  static std::string Describe(const World& world, const projections::ReconciledRow& row,
                              const projections::ColumnDifference& d) {
    std::string text = RegionLabel(world.entities, row.submitted.region) + " " +
                       std::string(ColumnLabel(d.column)) + " 报 " + ValueText(d, d.submitted) +
                       "、账本 " + ValueText(d, d.projected);
    if (!d.is_count && d.projected != 0) {
      text += "（差 " + FormatPercent(d.difference, std::llabs(d.projected)) + "%）";
    }
    return text;
  }

  FlagSeverity severity_;
  int64_t tolerance_bp_;
};

}  // namespace

int64_t ReportToleranceBp(const RuleConfig& config) {
  auto entry = config.rules.find("FP-15");
  if (entry == config.rules.end()) return projections::kDefaultReportToleranceBp;
  const boost::json::value* ratio = entry->second.params.if_contains("tolerance_ratio");
  if (ratio == nullptr || !ratio->is_number()) return projections::kDefaultReportToleranceBp;
  return ToBasisPoints(ratio->to_number<double>());
}

Result<std::unique_ptr<Rule>> MakeReportMismatch(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  FUPIN_ASSIGN_OR_RETURN(double tolerance, params.Number("tolerance_ratio", 0.0, 1.0));
  return std::unique_ptr<Rule>(
      std::make_unique<ReportMismatchRule>(severity, ToBasisPoints(tolerance)));
}

}  // namespace fupin::rules
