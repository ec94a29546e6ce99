// Outlets (专柜, 专馆, 线下/线上专区, 直播基地), their assortments and sales
// weights, and the promotions (大型产销活动) of the generated campaign.
#pragma once

#include "generator/world.h"

namespace fupin::generator {

// Relative daily sales of one outlet of each kind: a smart counter in an
// office lobby sells a few items a day, a bank platform's zone for a whole
// 市州 sells like twenty counters.
inline constexpr int kCounterWeight = 10;
inline constexpr int kCountyPavilionWeight = 25;
inline constexpr int kPrefecturePavilionWeight = 40;
inline constexpr int kDemoCenterPavilionWeight = 30;
inline constexpr int kOfflineZoneWeight = 50;
inline constexpr int kOnlineZoneWeight = 200;
inline constexpr int kLivestreamWeight = 100;

// Adds every outlet to w.outlets (deployment and closing times, names,
// operators, assortments, weights). Needs w.products and the office keys.
void BuildOutlets(World& w);
// Adds the promotions of each prefecture, plus one held before and one
// after the window (edge cases of the statistics).
void BuildPromotions(World& w);
// Chooses honest repricings and revocations during the window.
void PlanProductChanges(World& w);

}  // namespace fupin::generator
