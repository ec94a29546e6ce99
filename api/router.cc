#include "api/router.h"

#include <array>
#include <optional>

#include "api/problem.h"
#include "api/response.h"

namespace fupin::api {
namespace {

// "{}" in a pattern matches any one non-empty segment.
inline constexpr std::string_view kAny = "{}";

struct RouteSpec {
  RouteId id;
  http::verb method;
  std::array<std::string_view, 3> pattern;
  std::size_t segments;
  Access access;
  Response (*handler)(const Call&);
};

// SPEC §5. Public tokens read checkpoints, proofs and the aggregated
// statistics only; records, streams and metrics need an auditor or
// supervisor token.
constexpr RouteSpec kRoutes[] = {
    {RouteId::kPostEvents, http::verb::post, {"v1", "events"}, 2, Access::kOpen, &PostEvents},
    {RouteId::kListEvents, http::verb::get, {"v1", "events"}, 2, Access::kAuditor, &ListEvents},
    {RouteId::kGetEvent, http::verb::get, {"v1", "events", kAny}, 3, Access::kAuditor, &GetEvent},
    {RouteId::kGetStream,
     http::verb::get,
     {"v1", "streams", kAny},
     3,
     Access::kAuditor,
     &GetStream},
    {RouteId::kLatestCheckpoint,
     http::verb::get,
     {"v1", "checkpoint"},
     2,
     Access::kPublic,
     &GetLatestCheckpoint},
    {RouteId::kCheckpointAt,
     http::verb::get,
     {"v1", "checkpoints", kAny},
     3,
     Access::kPublic,
     &GetCheckpointAt},
    {RouteId::kInclusionProof,
     http::verb::get,
     {"v1", "proof", "inclusion"},
     3,
     Access::kPublic,
     &GetInclusionProof},
    {RouteId::kConsistencyProof,
     http::verb::get,
     {"v1", "proof", "consistency"},
     3,
     Access::kPublic,
     &GetConsistencyProof},
    {RouteId::kStats, http::verb::get, {"v1", "stats"}, 2, Access::kPublic, &GetStats},
    {RouteId::kTargets, http::verb::get, {"v1", "targets"}, 2, Access::kPublic, &GetTargets},
    {RouteId::kListFlags, http::verb::get, {"v1", "flags"}, 2, Access::kAuditor, &ListFlags},
    {RouteId::kGetFlag, http::verb::get, {"v1", "flags", kAny}, 3, Access::kAuditor, &GetFlag},
    {RouteId::kHealthz, http::verb::get, {"healthz"}, 1, Access::kOpen, &GetHealth},
    {RouteId::kMetrics, http::verb::get, {"metrics"}, 1, Access::kAuditor, &GetMetrics},
};

bool PathMatches(const RouteSpec& route, const Target& target) {
  if (target.segments.size() != route.segments) return false;
  for (std::size_t i = 0; i < route.segments; ++i) {
    if (route.pattern[i] == kAny) {
      if (target.segments[i].empty()) return false;
    } else if (target.segments[i] != route.pattern[i]) {
      return false;
    }
  }
  return true;
}

Response MethodNotAllowed(const Request& request, const std::string& allow) {
  Response response =
      MakeResponse(request, http::status::method_not_allowed, kProblemContentType,
                   ProblemJson(405, kMethodNotAllowedCode, "this path accepts " + allow + " only"));
  response.set(http::field::allow, allow);
  return response;
}

Response Unauthenticated(const Request& request, const Status& error) {
  Response response = ProblemResponse(request, error);
  // RFC 6750 §3: a presented but unknown token is "invalid_token".
  bool presented = request.find(http::field::authorization) != request.end();
  response.set(http::field::www_authenticate,
               presented ? "Bearer realm=\"fupin-ledger\", error=\"invalid_token\""
                         : "Bearer realm=\"fupin-ledger\"");
  return response;
}

Routed Route(const Request& request, const ServerState& state) {
  Result<Target> target = ParseTarget(request.target());
  if (!target.ok()) return {ProblemResponse(request, target.status()), RouteId::kUnmatched};

  const RouteSpec* route = nullptr;
  std::string allow;
  for (const RouteSpec& candidate : kRoutes) {
    if (!PathMatches(candidate, *target)) continue;
    if (candidate.method == request.method()) {
      route = &candidate;
      break;
    }
    if (!allow.empty()) allow += ", ";
    allow += std::string(http::to_string(candidate.method));
  }
  if (route == nullptr) {
    if (!allow.empty()) return {MethodNotAllowed(request, allow), RouteId::kUnmatched};
    return {ProblemResponse(request, Status(ErrorCode::kNotFound, "no such path")),
            RouteId::kUnmatched};
  }

  std::optional<Principal> principal;
  if (route->access != Access::kOpen) {
    auto header = request.find(http::field::authorization);
    std::string_view authorization;
    if (header != request.end()) authorization = header->value();
    Result<Principal> authenticated = state.tokens.Authenticate(authorization);
    if (!authenticated.ok()) return {Unauthenticated(request, authenticated.status()), route->id};
    if (Status allowed = Authorize(*authenticated, route->access); !allowed.ok()) {
      return {ProblemResponse(request, allowed), route->id};
    }
    principal = std::move(authenticated).value();
  }
  Call call{request, *target, state, principal ? &*principal : nullptr};
  return {route->handler(call), route->id};
}

}  // namespace

Routed HandleRequest(const Request& request, const ServerState& state) {
  Routed routed = Route(request, state);
  // No route takes HEAD (it is refused like any other method), and a
  // response to HEAD carries no body (RFC 9110 §9.3.2).
  if (request.method() == http::verb::head) {
    routed.response.body().clear();
    routed.response.prepare_payload();
  }
  return routed;
}

}  // namespace fupin::api
