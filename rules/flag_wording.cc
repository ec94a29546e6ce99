#include "rules/flag_wording.h"

#include <cstdio>

#include "ledger/time.h"
#include "rules/rule.h"

namespace fupin::rules {
namespace {

// Milliseconds since Shanghai midnight of `unix_ms`.
int64_t LocalMillisOfDay(int64_t unix_ms) {
  const int64_t local = unix_ms + kShanghaiOffsetMs;
  const int64_t rest = local % kMillisPerDay;
  return rest < 0 ? rest + kMillisPerDay : rest;
}

}  // namespace

std::string ShanghaiMinuteText(int64_t unix_ms) {
  const int64_t minutes = LocalMillisOfDay(unix_ms) / 60'000;
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return FormatDate(ShanghaiDayOf(unix_ms)) + " " + clock;
}

std::string ShanghaiTimestamp(int64_t unix_ms) {
  const int64_t seconds = LocalMillisOfDay(unix_ms) / 1000;
  char clock[16];
  std::snprintf(clock, sizeof clock, "%02d:%02d:%02d", static_cast<int>(seconds / 3600),
                static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60));
  return FormatDate(ShanghaiDayOf(unix_ms)) + "T" + clock + "+08:00";
}

std::string ShanghaiDateText(int64_t unix_ms) { return FormatDate(ShanghaiDayOf(unix_ms)); }

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
