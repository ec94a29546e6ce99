// Placeholder factories for FP-11 .. FP-20 while they are written; this
// file is deleted when the rules land.
#include "rules/catalog.h"

namespace fupin::rules {
namespace {
Result<std::unique_ptr<Rule>> Pending(RuleParams& params) {
  return Status(ErrorCode::kInternal, params.rule_id() + " is not built yet");
}
}  // namespace
Result<std::unique_ptr<Rule>> MakeSalesExceedCapacity(RuleParams& p) { return Pending(p); }
Result<std::unique_ptr<Rule>> MakeCounterVelocity(RuleParams& p) { return Pending(p); }
Result<std::unique_ptr<Rule>> MakeDuplicateAmounts(RuleParams& p) { return Pending(p); }
Result<std::unique_ptr<Rule>> MakeZombieCounter(RuleParams& p) { return Pending(p); }
Result<std::unique_ptr<Rule>> MakeReportMismatch(RuleParams& p) { return Pending(p); }
Result<std::unique_ptr<Rule>> MakePeopleClaimedInflated(RuleParams& p) { return Pending(p); }
Result<std::unique_ptr<Rule>> MakeRefundAfterCampaign(RuleParams& p) { return Pending(p); }
Result<std::unique_ptr<Rule>> MakeBackdatedEvent(RuleParams& p) { return Pending(p); }
Result<std::unique_ptr<Rule>> MakeForcedPurchase(RuleParams& p) { return Pending(p); }
Result<std::unique_ptr<Rule>> MakeBenfordDeviation(RuleParams& p) { return Pending(p); }
}  // namespace fupin::rules
