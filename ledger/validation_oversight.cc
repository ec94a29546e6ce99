// State checks of the oversight types: report.submitted, flag.*.
#include <string>

#include "ledger/validation_internal.h"

namespace fupin::internal {

Status CheckState(const ReportSubmitted& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_RETURN_IF_ERROR(
      RequireEntity<CampaignState>(view, EntityKind::kCampaign, e.campaign_id, "body.campaign_id")
          .status());
  FUPIN_RETURN_IF_ERROR(RequireRegion(view, e.region, "body.region"));
  for (std::size_t i = 0; i < e.rows.size(); ++i) {
    FUPIN_RETURN_IF_ERROR(
        RequireRegion(view, e.rows[i].region, "body.rows[" + std::to_string(i) + "].region"));
  }
  // A report is a fact on its stream (report:CAMPAIGN:REGION); resubmitting
  // appends a newer version and needs no entity state.
  out.scope_regions.push_back(e.region);
  return Status::Ok();
}

Status CheckState(const FlagRaised& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_RETURN_IF_ERROR(RequireAbsent(view, EntityKind::kFlag, e.flag_id, "body.flag_id"));
  FUPIN_RETURN_IF_ERROR(RequireRegion(view, e.region, "body.region"));
  out.scope_regions.push_back(e.region);
  out.writes.push_back({EntityKind::kFlag, e.flag_id, FlagState{e.region, false}});
  return Status::Ok();
}

Status CheckState(const FlagResolved& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_ASSIGN_OR_RETURN(
      const FlagState* flag_found,
      RequireEntity<FlagState>(view, EntityKind::kFlag, e.flag_id, "body.flag_id"));
  const FlagState& flag = *flag_found;
  if (flag.resolved) {
    return Status(ErrorCode::kFlagAlreadyResolved,
                  "body.flag_id: flag \"" + e.flag_id + "\" is already resolved");
  }
  out.scope_regions.push_back(flag.region);
  FlagState updated = flag;
  updated.resolved = true;
  out.writes.push_back({EntityKind::kFlag, e.flag_id, std::move(updated)});
  return Status::Ok();
}

}  // namespace fupin::internal
