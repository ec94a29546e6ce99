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
  std::array<std::string_view, 4> pattern;
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
    {RouteId::kTrail, http::verb::get, {"v1", "trail", kAny, kAny}, 4, Access::kAuditor, &GetTrail},
    {RouteId::kSearchProducts,
     http::verb::get,
     {"v1", "products"},
     2,
     Access::kAuditor,
     &SearchProducts},
    {RouteId::kGetProduct,
     http::verb::get,
     {"v1", "products", kAny},
     3,
     Access::kAuditor,
     &GetProduct},
    {RouteId::kSearchSuppliers,
     http::verb::get,
     {"v1", "suppliers"},
     2,
     Access::kAuditor,
     &SearchSuppliers},
    {RouteId::kGetSupplier,
     http::verb::get,
     {"v1", "suppliers", kAny},
     3,
     Access::kAuditor,
     &GetSupplier},
    {RouteId::kSearchOutlets,
     http::verb::get,
     {"v1", "outlets"},
     2,
     Access::kAuditor,
     &SearchOutlets},
    {RouteId::kGetOutlet,
     http::verb::get,
     {"v1", "outlets", kAny},
     3,
     Access::kAuditor,
     &GetOutlet},
    {RouteId::kGetHousehold,
     http::verb::get,
     {"v1", "households", kAny},
     3,
     Access::kAuditor,
     &GetHousehold},
    {RouteId::kListSales, http::verb::get, {"v1", "sales"}, 2, Access::kAuditor, &ListSales},
    {RouteId::kParseReport,
     http::verb::post,
     {"v1", "reports", "parse"},
     3,
     Access::kPublic,
     &ParseReportForm},
    {RouteId::kReportTemplate,
     http::verb::get,
     {"v1", "reports", "template"},
     3,
     Access::kPublic,
     &GetReportTemplate},
    {RouteId::kListReports, http::verb::get, {"v1", "reports"}, 2, Access::kAuditor, &ListReports},
    {RouteId::kIntegrity, http::verb::get, {"v1", "integrity"}, 2, Access::kAuditor, &GetIntegrity},
    {RouteId::kAccessLog, http::verb::get, {"v1", "access-log"}, 2, Access::kAdmin, &GetAccessLog},
    {RouteId::kMirrorStatus,
     http::verb::get,
     {"v1", "mirror", "status"},
     3,
     Access::kAuditor,
     &GetMirrorStatus},
    {RouteId::kMirrorEvidence,
     http::verb::get,
     {"v1", "mirror", "evidence"},
     3,
     Access::kAuditor,
     &GetMirrorEvidence},
    {RouteId::kHealthz, http::verb::get, {"healthz"}, 1, Access::kOpen, &GetHealth},
    // tlog-checkpoint: the cosigned note, for witnesses' monitors and
    // mirrors; it holds nothing a token protects.
    {RouteId::kC2spCheckpoint,
     http::verb::get,
     {"checkpoint"},
     1,
     Access::kOpen,
     &GetC2spCheckpoint},
    {RouteId::kMetrics, http::verb::get, {"metrics"}, 1, Access::kAuditor, &GetMetrics},
    // The web page reads the API with the user's token; its files are open.
    {RouteId::kWebIndex, http::verb::get, {}, 0, Access::kOpen, &GetWebPage},
    {RouteId::kWebAsset, http::verb::get, {"assets", kAny}, 2, Access::kOpen, &GetWebPage},
};

// What a read is about, for the access log: "kind:id" of the entity a
// route names, a record ("record:SEQ"), a stream, or "" for listings.
std::string EntityOfRequest(RouteId route, const Target& target) {
  const std::vector<std::string>& s = target.segments;
  switch (route) {
    case RouteId::kGetEvent:
      return "record:" + s[2];
    case RouteId::kGetStream:
      return s[2];
    case RouteId::kTrail:
      return s[2] + ":" + s[3];
    case RouteId::kGetProduct:
      return "product:" + s[2];
    case RouteId::kGetSupplier:
      return "supplier:" + s[2];
    case RouteId::kGetOutlet:
      return "outlet:" + s[2];
    case RouteId::kGetHousehold:
      return "household:" + s[2];
    case RouteId::kGetFlag:
      return "flag:" + s[2];
    case RouteId::kListSales:
      if (std::optional<std::string_view> product = Param(target, "product")) {
        return "product:" + std::string(*product);
      }
      if (std::optional<std::string_view> outlet = Param(target, "outlet")) {
        return "outlet:" + std::string(*outlet);
      }
      return "";
    default:
      return "";
  }
}

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
      // The token is known: the attempt goes to the access log like a read.
      Routed refused{ProblemResponse(request, allowed), route->id};
      refused.token_id = authenticated->token_id;
      refused.entity = EntityOfRequest(route->id, *target);
      return refused;
    }
    principal = std::move(authenticated).value();
  }
  Call call{request, *target, state, principal ? &*principal : nullptr};
  Routed routed{route->handler(call), route->id};
  if (principal) {
    routed.token_id = principal->token_id;
    routed.entity = EntityOfRequest(route->id, *target);
  }
  return routed;
}

}  // namespace

std::vector<std::pair<std::string_view, std::string_view>> ServedRoutes() {
  std::vector<std::pair<std::string_view, std::string_view>> routes;
  for (const RouteSpec& route : kRoutes) {
    routes.emplace_back(RouteMethod(route.id), RouteTemplate(route.id));
  }
  return routes;
}

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
