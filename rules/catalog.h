// Factories of the rules FP-01 .. FP-20 (SPEC §4), one per rule; each
// reads its parameters (rules/default-rules.json) through RuleParams.
// rules/catalog.cc lists them in RuleCatalog().
#pragma once

#include <memory>

#include "ledger/status.h"
#include "rules/rule.h"
#include "rules/rule_config.h"

namespace fupin::rules {

Result<std::unique_ptr<Rule>> MakeUncertifiedSale(RuleParams& params);       // FP-01
Result<std::unique_ptr<Rule>> MakeInactiveOutlet(RuleParams& params);        // FP-02
Result<std::unique_ptr<Rule>> MakePriceAboveReference(RuleParams& params);   // FP-03
Result<std::unique_ptr<Rule>> MakePricePeerOutlier(RuleParams& params);      // FP-04
Result<std::unique_ptr<Rule>> MakePriceJump(RuleParams& params);             // FP-05
Result<std::unique_ptr<Rule>> MakeUnknownHousehold(RuleParams& params);      // FP-06
Result<std::unique_ptr<Rule>> MakeHouseholdOverclaimed(RuleParams& params);  // FP-07
Result<std::unique_ptr<Rule>> MakeBenefitWithoutSales(RuleParams& params);   // FP-08
Result<std::unique_ptr<Rule>> MakeBenefitUnpaid(RuleParams& params);         // FP-09
Result<std::unique_ptr<Rule>> MakeOriginNotPovertyArea(RuleParams& params);  // FP-10
Result<std::unique_ptr<Rule>> MakeSalesExceedCapacity(RuleParams& params);   // FP-11
Result<std::unique_ptr<Rule>> MakeCounterVelocity(RuleParams& params);       // FP-12
Result<std::unique_ptr<Rule>> MakeDuplicateAmounts(RuleParams& params);      // FP-13
Result<std::unique_ptr<Rule>> MakeZombieCounter(RuleParams& params);         // FP-14
Result<std::unique_ptr<Rule>> MakeReportMismatch(RuleParams& params);        // FP-15
// FP-15's tolerance_ratio in `config` as basis points (the default when
// the config has none), for views that mark what FP-15 would flag.
int64_t ReportToleranceBp(const RuleConfig& config);
Result<std::unique_ptr<Rule>> MakePeopleClaimedInflated(RuleParams& params);  // FP-16
Result<std::unique_ptr<Rule>> MakeRefundAfterCampaign(RuleParams& params);    // FP-17
Result<std::unique_ptr<Rule>> MakeBackdatedEvent(RuleParams& params);         // FP-18
Result<std::unique_ptr<Rule>> MakeForcedPurchase(RuleParams& params);         // FP-19
Result<std::unique_ptr<Rule>> MakeBenfordDeviation(RuleParams& params);       // FP-20

}  // namespace fupin::rules
