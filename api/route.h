// The routes of the server (SPEC §5): an id per route template, used by the
// router to dispatch and by the metrics as a label of bounded cardinality.
#pragma once

#include <cstddef>
#include <string_view>

namespace fupin::api {

enum class RouteId {
  kPostEvents,        // POST /v1/events
  kListEvents,        // GET  /v1/events
  kGetEvent,          // GET  /v1/events/{seq}
  kGetStream,         // GET  /v1/streams/{stream}
  kLatestCheckpoint,  // GET  /v1/checkpoint
  kC2spCheckpoint,    // GET  /checkpoint      (C2SP signed note, open)
  kCheckpointAt,      // GET  /v1/checkpoints/{tree_size}
  kInclusionProof,    // GET  /v1/proof/inclusion
  kConsistencyProof,  // GET  /v1/proof/consistency
  kStats,             // GET  /v1/stats
  kTargets,           // GET  /v1/targets
  kListFlags,         // GET  /v1/flags
  kGetFlag,           // GET  /v1/flags/{id}
  kTrail,             // GET  /v1/trail/{kind}/{id}
  kSearchProducts,    // GET  /v1/products
  kGetProduct,        // GET  /v1/products/{id}
  kSearchSuppliers,   // GET  /v1/suppliers
  kGetSupplier,       // GET  /v1/suppliers/{id}
  kSearchOutlets,     // GET  /v1/outlets
  kGetOutlet,         // GET  /v1/outlets/{id}
  kGetHousehold,      // GET  /v1/households/{id}
  kListSales,         // GET  /v1/sales
  kParseReport,       // POST /v1/reports/parse
  kReportTemplate,    // GET  /v1/reports/template
  kListReports,       // GET  /v1/reports
  kIntegrity,         // GET  /v1/integrity
  kAccessLog,         // GET  /v1/access-log
  kMirrorStatus,      // GET  /v1/mirror/status    (a mirror's server only)
  kMirrorEvidence,    // GET  /v1/mirror/evidence
  kHealthz,           // GET  /healthz
  kMetrics,           // GET  /metrics
  kWebIndex,          // GET  /                (the web page, api/web_site.h)
  kWebAsset,          // GET  /assets/{file}
  kUnmatched,         // no route (404/405), or refused before routing
};

inline constexpr std::size_t kRouteCount = static_cast<std::size_t>(RouteId::kUnmatched) + 1;

// The path template, e.g. "/v1/events/{seq}"; "unmatched" for kUnmatched.
inline constexpr std::string_view RouteTemplate(RouteId route) {
  switch (route) {
    case RouteId::kPostEvents:
    case RouteId::kListEvents:
      return "/v1/events";
    case RouteId::kGetEvent:
      return "/v1/events/{seq}";
    case RouteId::kGetStream:
      return "/v1/streams/{stream}";
    case RouteId::kLatestCheckpoint:
      return "/v1/checkpoint";
    case RouteId::kC2spCheckpoint:
      return "/checkpoint";
    case RouteId::kCheckpointAt:
      return "/v1/checkpoints/{tree_size}";
    case RouteId::kInclusionProof:
      return "/v1/proof/inclusion";
    case RouteId::kConsistencyProof:
      return "/v1/proof/consistency";
    case RouteId::kStats:
      return "/v1/stats";
    case RouteId::kTargets:
      return "/v1/targets";
    case RouteId::kListFlags:
      return "/v1/flags";
    case RouteId::kGetFlag:
      return "/v1/flags/{id}";
    case RouteId::kTrail:
      return "/v1/trail/{kind}/{id}";
    case RouteId::kSearchProducts:
      return "/v1/products";
    case RouteId::kGetProduct:
      return "/v1/products/{id}";
    case RouteId::kSearchSuppliers:
      return "/v1/suppliers";
    case RouteId::kGetSupplier:
      return "/v1/suppliers/{id}";
    case RouteId::kSearchOutlets:
      return "/v1/outlets";
    case RouteId::kGetOutlet:
      return "/v1/outlets/{id}";
    case RouteId::kGetHousehold:
      return "/v1/households/{id}";
    case RouteId::kListSales:
      return "/v1/sales";
    case RouteId::kParseReport:
      return "/v1/reports/parse";
    case RouteId::kReportTemplate:
      return "/v1/reports/template";
    case RouteId::kListReports:
      return "/v1/reports";
    case RouteId::kIntegrity:
      return "/v1/integrity";
    case RouteId::kAccessLog:
      return "/v1/access-log";
    case RouteId::kMirrorStatus:
      return "/v1/mirror/status";
    case RouteId::kMirrorEvidence:
      return "/v1/mirror/evidence";
    case RouteId::kHealthz:
      return "/healthz";
    case RouteId::kMetrics:
      return "/metrics";
    case RouteId::kWebIndex:
      return "/";
    case RouteId::kWebAsset:
      return "/assets/{file}";
    case RouteId::kUnmatched:
      return "unmatched";
  }
  return "unmatched";
}

inline constexpr std::string_view RouteMethod(RouteId route) {
  switch (route) {
    case RouteId::kPostEvents:
    case RouteId::kParseReport:
      return "POST";
    case RouteId::kUnmatched:
      return "-";
    default:
      return "GET";
  }
}

}  // namespace fupin::api
