// After the campaign: each 市州's report (附件统计表) in October, and the
// suppliers' benefit payments to the households they claim, October 2020
// to January 2021.
#pragma once

#include "generator/event_sink.h"
#include "generator/expected_stats.h"
#include "generator/fraud_plan.h"
#include "generator/labels.h"
#include "generator/world.h"

namespace fupin::generator {

// One report.submitted per prefecture (its own row and its counties'),
// equal to the expected table at that point, except the FP-15 cases.
void EmitReports(const World& w, const FraudPlan& plan, const ExpectedStatistics& stats,
                 EventSink& sink, LabelBook& labels);

// benefit.paid: every supplier pays every household it claims (ghosts
// included) by December; FP-09 cases leave some unpaid or pay them only
// in January 2021.
void EmitBenefits(const World& w, const FraudPlan& plan, EventSink& sink, LabelBook& labels);

}  // namespace fupin::generator
