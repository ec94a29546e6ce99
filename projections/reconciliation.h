// Report reconciliation: each report.submitted row against the statistics
// table at the report's seq, column by column (input to rule FP-15).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/event_types.h"
#include "projections/statistics_state.h"

namespace fupin::projections {

// SPEC §4 FP-15's default: sales and coverage may differ by up to 5 % (in
// basis points, so the comparison stays in integers). The rule engine
// passes its configured value; this is only the default.
inline constexpr int64_t kDefaultReportToleranceBp = 500;

// The reconciliation of `report` against the campaign's table at `seq`
// (the state must be at position seq + 1); nullopt when the campaign is
// unknown to the state (validation refuses such reports).
std::optional<ReportReconciliation> ReconcileReport(const StatisticsState& state,
                                                    const ReportSubmitted& report, uint64_t seq);

struct ColumnDifference {
  std::string_view column;  // the report.submitted field name
  int64_t submitted = 0;
  int64_t projected = 0;
  int64_t difference = 0;  // submitted - projected
  bool is_count = true;    // false for sales_fen and poor_people_covered
};

// The eight columns of a reconciled row, in report.submitted field order.
std::vector<ColumnDifference> Differences(const ReconciledRow& row);

// Half of the official form's unit for sales (0.01 万元 = 10,000 fen): what
// rounding a ledger figure to the form can change it by.
inline constexpr int64_t kFormRoundingFen = 5'000;

// FP-15's test for one column: a count differs at all, or sales_fen or
// poor_people_covered differ by more than tolerance_bp / 10000 of the
// projected value (any difference when the projected value is 0); sales
// within kFormRoundingFen of the projection never differ.
bool ColumnFires(const ColumnDifference& d, int64_t tolerance_bp = kDefaultReportToleranceBp);

// FP-15's test for one row: any count differs, or sales_fen or
// poor_people_covered differ from the projection by more than
// tolerance_bp / 10000 of the projected value (any difference when the
// projected value is 0; sales within kFormRoundingFen never). A row whose
// region has no row differs.
bool RowDiffers(const ReconciledRow& row, int64_t tolerance_bp = kDefaultReportToleranceBp);

}  // namespace fupin::projections
