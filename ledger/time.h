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
// "2020-10-12T10:00:00+08:00": the instant in Asia/Shanghai time, as events
// written by people's tools carry it.
std::string FormatShanghaiSeconds(int64_t unix_seconds);

inline constexpr int64_t kMillisPerHour = 3'600'000;
inline constexpr int64_t kMillisPerDay = 86'400'000;
// Asia/Shanghai has been UTC+08:00 all year since 1991 (no DST), which covers
// every date this ledger records, so no time zone database is needed.
inline constexpr int64_t kShanghaiOffsetMillis = 8 * kMillisPerHour;

// The one home of the business day: every date of statistics, rules and
// flag wording is the Asia/Shanghai calendar day of an instant, as days
// since 1970-01-01 (floored, so instants before 1970 stay on their day).
inline constexpr int32_t ShanghaiDay(int64_t unix_millis) {
  const int64_t local = unix_millis + kShanghaiOffsetMillis;
  int64_t day = local / kMillisPerDay;
  if (local % kMillisPerDay < 0) --day;
  return static_cast<int32_t>(day);
}
// Milliseconds since Shanghai midnight of an instant (0 .. kMillisPerDay-1).
inline constexpr int64_t ShanghaiMillisOfDay(int64_t unix_millis) {
  return unix_millis + kShanghaiOffsetMillis -
         static_cast<int64_t>(ShanghaiDay(unix_millis)) * kMillisPerDay;
}
// The first millisecond after Shanghai calendar day `day`: a window "up to
// ends_on" is closed once the business clock reaches
// ShanghaiDayEndMillis(ends_on_day).
inline constexpr int64_t ShanghaiDayEndMillis(int32_t day) {
  return (static_cast<int64_t>(day) + 1) * kMillisPerDay - kShanghaiOffsetMillis;
}

}  // namespace fupin
