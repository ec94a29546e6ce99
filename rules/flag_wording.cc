#include "rules/flag_wording.h"

#include <cstdio>

#include "ledger/time.h"
#include "rules/rule.h"

namespace fupin::rules {
std::string ShanghaiMinuteText(int64_t unix_ms) {
  const int64_t minutes = ShanghaiMillisOfDay(unix_ms) / 60'000;
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return FormatDate(ShanghaiDay(unix_ms)) + " " + clock;
}

std::string ShanghaiTimestamp(int64_t unix_ms) {
  const int64_t seconds = ShanghaiMillisOfDay(unix_ms) / 1000;
  char clock[16];
  std::snprintf(clock, sizeof clock, "%02d:%02d:%02d", static_cast<int>(seconds / 3600),
                static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60));
  return FormatDate(ShanghaiDay(unix_ms)) + "T" + clock + "+08:00";
}

std::string ShanghaiDateText(int64_t unix_ms) { return FormatDate(ShanghaiDay(unix_ms)); }

std::string_view OutletKindLabel(OutletKind kind) {
  switch (kind) {
    case OutletKind::kCounter:
      return "专柜";
    case OutletKind::kPavilion:
      return "专馆";
    case OutletKind::kZoneOnline:
      return "线上专区";
    case OutletKind::kZoneOffline:
      return "线下专区";
    case OutletKind::kLivestreamBase:
      return "直播基地";
  }
  return "网点";
}

}  // namespace fupin::rules
