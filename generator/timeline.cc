#include "generator/timeline.h"

#include <cstdio>

#include "ledger/time.h"

namespace fupin::generator {

std::string FormatDay(int32_t day) { return FormatDate(day); }

std::string FormatBizTime(BizTime t) {
  const int32_t day = DayOf(t);
  const int64_t s = t - static_cast<int64_t>(day) * kSecondsPerDay;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "T%02d:%02d:%02d+08:00", static_cast<int>(s / 3600),
                static_cast<int>(s / 60 % 60), static_cast<int>(s % 60));
  return FormatDate(day) + buf;
}

}  // namespace fupin::generator
