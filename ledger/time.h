// Business and record time: RFC 3339 timestamps, calendar dates, and the
// Asia/Shanghai (+08:00, no DST since 1991) calendar used by statistics and
// rules. Pure functions, no time zone database, no clock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/status.h"

namespace fupin {

// "2020-09-05T10:15:00+08:00", "2020-09-05T02:15:01.123Z": the instant in
// Unix milliseconds. Requires a 'T', seconds, an offset ('Z' or +hh:mm),
// at most 9 fraction digits (truncated to ms), valid calendar fields.
// kInvalidField on anything else.
Result<int64_t> ParseRfc3339Millis(std::string_view text);

// "YYYY-MM-DD" as days since 1970-01-01 (kInvalidField when invalid).
Result<int32_t> ParseDate(std::string_view text);
std::string FormatDate(int32_t days_since_epoch);

// "2020-09-05T02:15:01.123Z" (always 3 fraction digits, UTC).
std::string FormatUtcMillis(int64_t unix_millis);
// Seconds precision, "2020-09-05T02:15:02Z" (checkpoint timestamps).
std::string FormatUtcSeconds(int64_t unix_seconds);

// The Asia/Shanghai calendar day of an instant, as days since epoch.
int32_t ShanghaiDay(int64_t unix_millis);

}  // namespace fupin
