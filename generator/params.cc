#include "generator/params.h"

#include <algorithm>
#include <charconv>

namespace fupin::generator {
namespace {

int64_t IntegerSqrt(int64_t n) {
  int64_t r = 0;
  while ((r + 1) * (r + 1) <= n) ++r;
  return r;
}

int64_t Scaled(int64_t full, int64_t ratio_ppm) { return (full * ratio_ppm + 500'000) / 1'000'000; }

int AtLeast(int minimum, int64_t value) {
  return static_cast<int>(std::max<int64_t>(minimum, value));
}

}  // namespace

Result<Scale> ParseScale(std::string_view text) {
  if (text == "small") return Scale{"small", kSmallEvents};
  if (text == "medium") return Scale{"medium", kMediumEvents};
  if (text == "large") return Scale{"large", kLargeEvents};
  int64_t events = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, events);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return Status(ErrorCode::kInvalidArgument,
                  "--scale must be small, medium, large or an event count, "
                  "not \"" +
                      std::string(text) + "\"");
  }
  if (events < kMinEvents) {
    return Status(ErrorCode::kInvalidArgument, "--scale " + std::string(text) + ": at least " +
                                                   std::to_string(kMinEvents) + " events");
  }
  return Scale{std::string(text), events};
}

ScaleParams DeriveScaleParams(const Scale& scale) {
  ScaleParams p;
  p.scale = scale;
  p.ratio_ppm = std::min<int64_t>(1'000'000, scale.target_events * 1'000'000 / kFullScaleEvents);
  p.sqrt_ratio_milli = IntegerSqrt(p.ratio_ppm);
  const int64_t s = p.sqrt_ratio_milli;

  p.suppliers = AtLeast(60, 3000 * s / 1000);
  p.online_platforms = static_cast<int>(
      std::clamp<int64_t>(2 + 3 * s / 1000 + (p.ratio_ppm >= 10'000 ? 1 : 0), 2, 5));
  p.offline_zones_per_prefecture =
      static_cast<int>(kTargetOfflineZonesPerPrefecture + 5 * s / 1000);
  p.livestream_per_prefecture = static_cast<int>(1 + 3 * s / 1000);
  p.promotions_per_prefecture = static_cast<int>(2 + 20 * s / 1000);
  p.orgs_per_prefecture = static_cast<int>(4 + 40 * s / 1000);
  p.enterprises_per_prefecture = static_cast<int>(8 + 100 * s / 1000);

  p.counters_target_changsha = std::max<int64_t>(5, Scaled(kTargetCountersChangsha, p.ratio_ppm));
  p.counters_target_other = std::max<int64_t>(2, Scaled(kTargetCountersPerPrefecture, p.ratio_ppm));
  p.counters_target_total = std::max<int64_t>(p.counters_target_changsha + p.counters_target_other,
                                              Scaled(kTargetCounters, p.ratio_ppm));
  p.sales_target_fen = Scaled(kTargetSalesFen, p.ratio_ppm);

  // Entity counts the rates below apply to (estimates; the world is built
  // from the same parameters).
  const int64_t products = p.suppliers * 205 / 100;
  const int64_t counters = (p.counters_target_changsha + 13 * p.counters_target_other) * 106 / 100;
  const int64_t outlets =
      counters + 190 +
      14 * (p.online_platforms + p.offline_zones_per_prefecture + p.livestream_per_prefecture);
  const int64_t orgs = 14 * p.orgs_per_prefecture;
  FraudCounts& f = p.fraud;
  f[0] = AtLeast(3, products / 250);         // FP-01 uncertified sale
  f[1] = AtLeast(2, counters / 2000);        // FP-02 inactive outlet
  f[2] = AtLeast(3, products / 200);         // FP-03 above reference
  f[3] = AtLeast(2, products / 300);         // FP-04 peer outlier
  f[4] = AtLeast(2, outlets / 2000);         // FP-05 price jump
  f[5] = AtLeast(2, p.suppliers / 100);      // FP-06 unknown household
  f[6] = AtLeast(3, p.suppliers / 60);       // FP-07 overclaimed household
  f[7] = AtLeast(2, p.suppliers / 100);      // FP-08 benefit without sales
  f[8] = AtLeast(3, products / 200);         // FP-09 benefit unpaid
  f[9] = AtLeast(2, products / 300);         // FP-10 origin
  f[10] = AtLeast(2, products / 500);        // FP-11 capacity
  f[11] = AtLeast(2, counters / 3000);       // FP-12 velocity
  f[12] = AtLeast(3, outlets / 2000);        // FP-13 duplicates
  f[13] = AtLeast(2, counters * 15 / 1000);  // FP-14 zombie counters
  f[14] = p.ratio_ppm >= 10'000 ? 3 : 2;     // FP-15 inflated reports (of 14)
  f[15] = AtLeast(3, products / 200);        // FP-16 people inflated
  f[16] = AtLeast(2, outlets / 2000);        // FP-17 refunds after campaign
  f[17] = AtLeast(2, outlets / 2000);        // FP-18 backdated bookings
  f[18] = AtLeast(2, orgs / 20);             // FP-19 forced purchases
  f[19] = p.ratio_ppm >= 500'000 ? 2 : 1;    // FP-20 fabricated prefectures
  return p;
}

}  // namespace fupin::generator
