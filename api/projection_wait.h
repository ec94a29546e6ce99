// Live reads of the projections: before answering from the live state, a
// handler lets the projections fold the records committed before the
// request, so a client reads its own writes (stats, entity views, scope
// checks).
#pragma once

#include <chrono>

#include "api/handlers.h"

namespace fupin::api {

// How long a live read waits for the projections to reach the records
// committed before it; past that it answers from the state as it is, and
// the answer's as_of says which seq that is.
inline constexpr std::chrono::milliseconds kCatchUpWait{2000};

// Wakes the projections' catch-up and waits (at most kCatchUpWait) until
// they have folded every record committed when called. True when they did;
// false on timeout or when the server keeps no projections. Blocks the
// calling worker only; safe from any number of threads.
bool WaitForProjections(const ServerState& state);

}  // namespace fupin::api
