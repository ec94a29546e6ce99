// The route handlers: pure functions of (request, server state) to a
// response. They never touch a socket and never throw for bad input; every
// refusal is a problem+json response built from a Status.
//
// Threads: handlers run on the worker pool, several at once. POST
// /v1/events blocks its worker in Ledger::Append until the commit group is
// durable; reads only read committed records.
#pragma once

#include <boost/json/object.hpp>

#include "api/auth.h"
#include "api/http_types.h"
#include "api/metrics.h"
#include "api/target.h"
#include "ledger/ledger.h"
#include "projections/ledger_projections.h"
#include "projections/reconciliation.h"
#include "rules/rule_runner.h"

namespace fupin::api {

class StatsCache;

class AccessLog;
class WebSite;
class MirrorView;
class WitnessCollector;

// SPEC §5: a batch holds at most 1000 events.
inline constexpr std::size_t kMaxBatchEvents = 1000;
// SPEC §5: a page holds at most 1000 records; 100 unless asked.
inline constexpr uint64_t kMaxPageRecords = 1000;
inline constexpr uint64_t kDefaultPageRecords = 100;

// What handlers may use; shared by all requests. The Ledger is thread-safe
// (ledger.h) and Append is the only mutation a handler makes; Metrics is
// thread-safe; the token table is immutable. Everything here outlives the
// server that hands it to handlers.
struct ServerState {
  Ledger& ledger;
  const TokenTable& tokens;
  Metrics& metrics;
  // The projections kept current by the server (set by Server::Start
  // before the first request); /v1/stats and /v1/targets read them.
  projections::LedgerProjections* projections = nullptr;
  // The rule engine kept current by the server; /v1/flags reads it.
  rules::RuleRunner* rules = nullptr;
  // The append-only log of authenticated reads (api/access_log.h); null
  // when the server keeps none (tests of the handlers alone).
  AccessLog* access_log = nullptr;
  // The built web page (api/web_site.h); null when the server serves none,
  // and then / and /assets/… answer 404.
  const WebSite* web = nullptr;
  // The witnesses' cosignatures (api/witness_collector.h); null when no
  // witness is configured, and then the latest checkpoint is published.
  const WitnessCollector* witnesses = nullptr;
  // Set on a mirror's server (api/mirror_view.h): writes are refused with
  // 405 naming the source, and /v1/mirror/* answer; 404 elsewhere.
  const MirrorView* mirror = nullptr;
  // Rendered /v1/stats answers at the head (api/stats_cache.h); null: none.
  StatsCache* stats_cache = nullptr;
  // FP-15's configured tolerance (rules::ReportToleranceBp): /v1/reports
  // marks the differences FP-15 flags.
  int64_t report_tolerance_bp = projections::kDefaultReportToleranceBp;
};

// The checkpoint the server stands behind: with witnesses configured the
// newest one whose cosignatures meet the quorum (kUnavailable while none
// does), else the latest (checkpoint_answer.cc).
Result<Checkpoint> PublishedCheckpoint(const ServerState& state);
// The C2SP forms of a checkpoint: {"origin", "note" (the signed note with
// every cosignature stored for it, or null for a checkpoint older than
// notes), "cosignatures" ([{"name","key_id","timestamp","sig"}]: those of
// configured witnesses that verify)}. Proven answers carry it beside their
// "checkpoint" as "checkpoint_note".
Result<boost::json::object> CheckpointNoteJson(const ServerState& state,
                                               const Checkpoint& checkpoint);
// GET /v1/checkpoint: the checkpoint's JSON (SPEC §2.3) with the members of
// CheckpointNoteJson and "witness_policy" ({"witness_quorum","witnesses":
// [{"name","vkey"}]}) added; verifiers of its signature take the §2.3
// members (ParseServedCheckpoint).
Result<std::string> CheckpointAnswer(const ServerState& state, const Checkpoint& checkpoint);

// One routed request: its parsed target and the state.
struct Call {
  const Request& request;
  const Target& target;
  const ServerState& state;
  // Who called: null on open routes (no token needed).
  const Principal* principal = nullptr;
};

// handlers_events.cc
Response PostEvents(const Call& call);
Response ListEvents(const Call& call);
Response GetEvent(const Call& call);  // target.segments[2] is the seq
// handlers_streams.cc
Response GetStream(const Call& call);  // target.segments[2] is the stream
// handlers_proofs.cc
Response GetLatestCheckpoint(const Call& call);
Response GetCheckpointAt(const Call& call);  // target.segments[2] is the size
Response GetInclusionProof(const Call& call);
Response GetConsistencyProof(const Call& call);
Response GetHealth(const Call& call);
Response GetC2spCheckpoint(const Call& call);  // GET /checkpoint
// handlers_stats.cc
Response GetStats(const Call& call);
Response GetTargets(const Call& call);
// handlers_flags.cc
Response ListFlags(const Call& call);
Response GetFlag(const Call& call);  // target.segments[2] is the flag id
// handlers_trail.cc
Response GetTrail(const Call& call);  // segments[2] kind, segments[3] id
// handlers_entities.cc: entity views and searches
Response GetProduct(const Call& call);
Response GetSupplier(const Call& call);
Response GetOutlet(const Call& call);
Response GetHousehold(const Call& call);
Response SearchProducts(const Call& call);
Response SearchSuppliers(const Call& call);
Response SearchOutlets(const Call& call);
Response ListSales(const Call& call);
// handlers_reports.cc: the 市州's official form in, and reports reconciled
Response ParseReportForm(const Call& call);
Response GetReportTemplate(const Call& call);
Response ListReports(const Call& call);
// handlers_integrity.cc
Response GetIntegrity(const Call& call);
// handlers_access_log.cc
Response GetAccessLog(const Call& call);
Response GetMetrics(const Call& call);
// GET /v1/mirror/status and /v1/mirror/evidence (handlers_mirror.cc).
// A mirror's answer to a write: 405 (Allow: GET) naming the source.
Response MirrorRefusesWrites(const Request& request, const MirrorView& mirror);
Response GetMirrorStatus(const Call& call);
Response GetMirrorEvidence(const Call& call);
// web_site.cc: / and /assets/{file} from state.web
Response GetWebPage(const Call& call);

// The event object of a stored record (its leaf data's "event");
// kDataLoss naming the seq when the leaf data holds none.
Result<boost::json::object> StoredEvent(const StoredRecord& record);

// The `limit` parameter of a page: 1..kMaxPageRecords, default
// kDefaultPageRecords.
Result<std::size_t> PageLimit(const Target& target);

}  // namespace fupin::api
