// Business time of the generated campaign: seconds on the Asia/Shanghai
// (+08:00) wall clock, the calendar of Sept 2020, and RFC 3339 text.
#pragma once

#include <cstdint>
#include <string>

namespace fupin::generator {

// Seconds since 1970-01-01T00:00:00+08:00. Its day (time / 86400) is the
// Shanghai calendar day statistics and rules use.
using BizTime = int64_t;

inline constexpr int64_t kSecondsPerDay = 86'400;
inline constexpr int64_t kSecondsPerHour = 3'600;
// Days since 1970-01-01 of the campaign calendar.
inline constexpr int32_t kAug1 = 18'475;    // 2020-08-01
inline constexpr int32_t kSept1 = 18'506;   // 2020-09-01, starts_on
inline constexpr int32_t kSept30 = 18'535;  // 2020-09-30, ends_on
inline constexpr int32_t kOct1 = 18'536;
// ends_on + 90 days: payments of the benefits promised for the campaign
// are due by then.
inline constexpr int32_t kDec29 = 18'625;
inline constexpr int32_t kJan31 = 18'658;  // 2021-01-31

inline BizTime At(int32_t day, int64_t second_of_day) {
  return day * kSecondsPerDay + second_of_day;
}
inline BizTime At(int32_t day, int hour, int minute, int second = 0) {
  return At(day, hour * kSecondsPerHour + minute * 60 + second);
}
inline int32_t DayOf(BizTime t) {
  return static_cast<int32_t>(t >= 0 ? t / kSecondsPerDay
                                     : (t - kSecondsPerDay + 1) / kSecondsPerDay);
}
// The instant in Unix milliseconds (UTC).
inline int64_t UnixMillis(BizTime t) { return (t - 8 * kSecondsPerHour) * 1000; }
inline bool InWindow(int32_t day) { return day >= kSept1 && day <= kSept30; }
// 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday).
inline int Weekday(int32_t day) { return static_cast<int>((day + 3) % 7); }

// "2020-09-05T10:15:00+08:00".
std::string FormatBizTime(BizTime t);
// "2020-09-05".
std::string FormatDay(int32_t day);

}  // namespace fupin::generator
