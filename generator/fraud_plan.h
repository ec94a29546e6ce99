// The injected frauds of a campaign: which entities each case involves and
// what it does, chosen from the seed before any event is written. Registry
// frauds (claims, references, origins, capacities) are applied to the
// world right away; trading frauds are listed here for the trade
// simulation and the post-campaign phases to carry out.
//
// Each case is one label (labels.h). Cases never share an entity of their
// subject's kind, and entities of one case are kept out of the others, so
// that a case is exactly one fraud.
#pragma once

#include <vector>

#include "generator/labels.h"
#include "generator/world.h"

namespace fupin::generator {

enum class SaleFraudKind {
  kAfterRevocation,      // FP-01: sold after the certificate was revoked
  kAfterExpiry,          // FP-01: sold after valid_to
  kBeforeCertification,  // FP-01: sold before it was certified
  kAfterClosing,         // FP-02: sold at a counter already closed
  kBeforeDeployment,     // FP-02: sold at a counter not yet deployed
  kPriceJump,            // FP-05: a sudden price rise at one outlet
  kBurst,                // FP-12: 61-70 sales in 50 minutes at a counter
  kRepeatBuyer,          // FP-12: one buyer, 21-25 purchases in a day
  kDuplicates,           // FP-13: identical purchases (拆单)
  kBackdated,            // FP-18: sales booked 9-16 days late
  kForcedPurchase,       // FP-19: 摊派 of one identical package
  kCapacity,             // FP-11: bulk sales beyond the product's capacity
  kShamSales,            // FP-08: the few sales of a sham supplier
};

struct SaleFraud {
  SaleFraudKind kind;
  int case_id = -1;
  int outlet = -1;
  int product = -1;
  int org = -1;            // FP-19: organization index within its prefecture
  int slot = -1;           // prefecture slot (FP-19)
  int32_t day = 0;         // the day it starts
  int count = 0;           // sales it adds
  int64_t target_fen = 0;  // FP-08: total to sell
};

struct UnpaidClaim {  // FP-09
  int product = -1;
  int case_id = -1;
  std::vector<int> unpaid;  // households never paid
  std::vector<int> late;    // households paid only after the deadline
};

struct LateRefunds {  // FP-17
  int outlet = -1;
  int case_id = -1;
  int percent = 0;  // of the outlet's window sales
};

struct InflatedReport {  // FP-15
  int slot = -1;
  int case_id = -1;
  int variant = 0;  // 0 sales, 1 counters and sales, 2 coverage
  int percent = 0;
};

struct FabricatedSales {  // FP-20
  int slot = -1;
  int case_id = -1;
  int percent = 0;  // share of the prefecture's sales
};

struct FraudPlan {
  std::vector<SaleFraud> sales;
  std::vector<UnpaidClaim> unpaid;
  std::vector<LateRefunds> late_refunds;
  std::vector<InflatedReport> reports;
  std::vector<FabricatedSales> fabricated;
  // FP-06: ghost households each supplier pays (by supplier index).
  std::vector<std::pair<int, std::string>> ghost_payments;
};

// Chooses every case of every rule (counts from w.params.fraud), applies
// the registry frauds to `w` and opens one label per case in `labels`.
FraudPlan PlanFrauds(World& w, LabelBook& labels);

}  // namespace fupin::generator
