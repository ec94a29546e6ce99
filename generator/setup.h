// The campaign's setup, August 2020: regions, keys, the campaign, the
// registries (suppliers, households, products) and the outlets and
// promotions dated before the window, in time order.
#pragma once

#include "generator/entity_events.h"
#include "generator/world.h"

namespace fupin::generator {

// Emits everything dated before 1 Sept 2020, each registration before its
// first use: regions (parents first), office keys, the campaign,
// suppliers, supplier keys, households, then products, outlets, closings
// and promotions merged by time.
void EmitSetup(const World& w, EntityEvents& entities);

}  // namespace fupin::generator
