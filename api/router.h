// The request router: (request, server state) -> response.
//
// Matches the target against the route table of SPEC §5, authenticates and
// authorizes the caller for the route, and calls its handler. Pure: no
// socket, no session state; safe to call from many threads at once.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/handlers.h"
#include "api/http_types.h"
#include "api/route.h"

namespace fupin::api {

struct Routed {
  Response response;
  RouteId route = RouteId::kUnmatched;  // for metrics
  // For the access log: the authenticated token ("" when none) and the
  // entity the read named ("product:P-1", "record:41", a stream; "" for
  // listings).
  std::string token_id;
  std::string entity;
};

// Every route the server serves: (method, path template), in table order;
// the OpenAPI document must list exactly these (a test checks it).
std::vector<std::pair<std::string_view, std::string_view>> ServedRoutes();

// Never throws for any request (std::bad_alloc aside). 404 for unknown
// paths, 405 (with Allow) for a known path and another method, 401 (with
// WWW-Authenticate: Bearer) without a valid token on a route needing one,
// 403 when the token's role may not use the route.
Routed HandleRequest(const Request& request, const ServerState& state);

}  // namespace fupin::api
