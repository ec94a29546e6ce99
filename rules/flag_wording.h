// Wording shared by rules FP-11 .. FP-20 beyond rule_util.h: business
// times as Asia/Shanghai local time, the Chinese names of outlet kinds, and
// how much evidence a rule keeps for one draft. Pure functions,
// thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/event_types.h"

namespace fupin::rules {

// A rule that collects evidence seqs while a window fills keeps at most
// this many per draft: the engine puts at most RuleEngineLimits::
// max_evidence (100 by default) into a flag.raised body, so holding more
// would only cost memory.
inline constexpr std::size_t kEvidenceKept = 100;

// "2020-09-08 10:05" (Asia/Shanghai) of a Unix millisecond instant.
std::string ShanghaiMinuteText(int64_t unix_ms);
// "2020-09-08T10:05:00+08:00", RFC 3339 in Shanghai local time, for details.
std::string ShanghaiTimestamp(int64_t unix_ms);
// "2020-09-08": the Shanghai date of an instant.
std::string ShanghaiDateText(int64_t unix_ms);

// 专柜, 专馆, 线上专区, 线下专区, 直播基地.
std::string_view OutletKindLabel(OutletKind kind);

}  // namespace fupin::rules
