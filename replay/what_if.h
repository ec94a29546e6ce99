// `replay what-if`: the rule engine re-run over the log with another
// configuration, against the flags the log actually raised.
//
// Both sides cover records [0, as_of]: the replayed side is every flag the
// engine decides while folding them; the actual side is every flag.raised
// record among them. Flags are matched by flag_id, which is a function of
// rule, subject, window and generation (rules/engine.h) and not of the
// thresholds, so a flag both sides raise with another severity is
// "changed", not "vanished + new". The live runner appends a flag a few
// records after the record that decided it; an as_of inside that lag shows
// the flag as "new" (docs/replay.md).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ledger/event_types.h"
#include "ledger/ledger.h"
#include "ledger/status.h"
#include "rules/rule_config.h"

namespace fupin::replay {

struct FlagSide {
  std::string flag_id;
  std::string rule;
  std::string subject;
  std::string region;
  FlagSeverity severity = FlagSeverity::kInfo;
  std::string summary;
  uint64_t seq = 0;  // flag.raised seq (actual) or deciding seq (replayed)
};

struct FlagChange {
  FlagSide actual;
  FlagSide replayed;
};

struct WhatIfReport {
  uint64_t as_of = 0;
  std::size_t actual_flags = 0;
  std::size_t replayed_flags = 0;
  std::vector<FlagSide> added;      // raised by the new config only
  std::vector<FlagSide> vanished;   // in the log, not raised by the new config
  std::vector<FlagChange> changed;  // both, other severity
  bool empty() const { return added.empty() && vanished.empty() && changed.empty(); }
};

// Errors: the engine's (bad config), kInvalidArgument (as_of beyond the
// log), scan errors.
Result<WhatIfReport> WhatIf(const Ledger& ledger, const rules::RuleConfig& config, uint64_t as_of,
                            const std::function<void(uint64_t, uint64_t)>& progress = {});

// {"as_of","actual_flags","replayed_flags","identical",
//  "new":[flag...],"vanished":[flag...],"changed":[{flag_id,rule,subject,
//  region,severity_before,severity_after}],
//  "by_rule_region":[{"rule","region","new","vanished","changed"}]}
boost::json::object WhatIfJson(const WhatIfReport& report);
std::string RenderWhatIfText(const WhatIfReport& report);

}  // namespace fupin::replay
