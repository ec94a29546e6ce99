// Progress against the targets as served (GET /v1/targets) and kept in
// replay's as-of state: the JSON view of a TargetsReport. Pure, thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "projections/targets.h"

namespace fupin::projections {

// {"campaign","as_of","met":bool,"checks":[{"target","region","name",
//  "level","required","actual","met","progress_percent"}],
//  "shortfalls":[...the checks not met...]}; progress_percent is
// actual/required with two decimals, floored, exact ("100.00" when
// nothing is required).
boost::json::object TargetsJson(const TargetsReport& report);

}  // namespace fupin::projections
