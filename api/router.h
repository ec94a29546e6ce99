// The request router: (request, server state) -> response.
//
// Matches the target against the route table of SPEC §5, authenticates and
// authorizes the caller for the route, and calls its handler. Pure: no
// socket, no session state; safe to call from many threads at once.
#pragma once

#include "api/handlers.h"
#include "api/http_types.h"
#include "api/route.h"

namespace fupin::api {

struct Routed {
  Response response;
  RouteId route = RouteId::kUnmatched;  // for metrics
};

// Never throws for any request (std::bad_alloc aside). 404 for unknown
// paths, 405 (with Allow) for a known path and another method, 401 (with
// WWW-Authenticate: Bearer) without a valid token on a route needing one,
// 403 when the token's role may not use the route.
Routed HandleRequest(const Request& request, const ServerState& state);

}  // namespace fupin::api
