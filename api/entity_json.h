// The JSON of the entity views (GET /v1/products/{id} and friends, and the
// items of the searches): every field of the entity projection's state
// (projections/entity_projection.h) with the seqs that made it, as
// {"seq":N,"occurred_at":"RFC 3339 UTC"} stamps. Pure.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "projections/entity_projection.h"

namespace fupin::api {

boost::json::object ProductJson(std::string_view id, const projections::ProductEntity& product);
boost::json::object SupplierJson(std::string_view id, const projections::SupplierEntity& supplier);
boost::json::object OutletJson(std::string_view id, const projections::OutletEntity& outlet);
boost::json::object HouseholdJson(std::string_view id,
                                  const projections::HouseholdEntity& household);

}  // namespace fupin::api
