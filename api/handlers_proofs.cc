// Checkpoints and Merkle proofs (SPEC §2.3, §5; RFC 9162 §2.1.3-2.1.4),
// /healthz and /metrics.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/handlers.h"
#include "api/mirror_view.h"
#include "api/response.h"
#include "api/witness_collector.h"
#include "ledger/codec.h"
#include "verify/verify.h"

namespace fupin::api {
namespace {

namespace bj = boost::json;

// A required count parameter.
Result<uint64_t> RequiredCount(const Target& target, std::string_view name) {
  if (!Param(target, name)) {
    return Status(ErrorCode::kInvalidArgument,
                  "query parameter \"" + std::string(name) + "\" is required");
  }
  return CountParam(target, name, 0);
}

// A tree size parameter, by default the latest checkpoint's: proofs are
// meant to be checked against a signed tree head the client can fetch.
Result<uint64_t> TreeSizeParam(const Call& call, std::string_view name) {
  if (Param(call.target, name)) return CountParam(call.target, name, 0);
  FUPIN_ASSIGN_OR_RETURN(Checkpoint published, PublishedCheckpoint(call.state));
  return published.tree_size;
}

}  // namespace

Response GetLatestCheckpoint(const Call& call) {
  if (Status params = CheckParams(call.target, {}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<Checkpoint> checkpoint = PublishedCheckpoint(call.state);
  if (!checkpoint.ok()) return ProblemResponse(call.request, checkpoint.status());
  Result<std::string> answer = CheckpointAnswer(call.state, *checkpoint);
  if (!answer.ok()) return ProblemResponse(call.request, answer.status());
  return JsonResponse(call.request, http::status::ok, std::move(answer).value());
}

Response GetCheckpointAt(const Call& call) {
  if (Status params = CheckParams(call.target, {}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<uint64_t> size = ParseCount(call.target.segments[2], "tree_size");
  if (!size.ok()) return ProblemResponse(call.request, size.status());
  Result<Checkpoint> checkpoint = call.state.ledger.CheckpointAt(*size);
  if (!checkpoint.ok()) return ProblemResponse(call.request, checkpoint.status());
  return JsonResponse(call.request, http::status::ok, CheckpointJson(*checkpoint));
}

// seq (required) and tree_size; 400 unless seq < tree_size <= the log.
Response GetInclusionProof(const Call& call) {
  if (Status params = CheckParams(call.target, {"seq", "tree_size"}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<uint64_t> seq = RequiredCount(call.target, "seq");
  if (!seq.ok()) return ProblemResponse(call.request, seq.status());
  Result<uint64_t> size = TreeSizeParam(call, "tree_size");
  if (!size.ok()) return ProblemResponse(call.request, size.status());
  if (*seq >= *size) {
    return ProblemResponse(
        call.request,
        Status(ErrorCode::kInvalidArgument,
               "seq " + std::to_string(*seq) + " is not below tree_size " + std::to_string(*size)));
  }
  Ledger& ledger = call.state.ledger;
  Result<std::vector<merkle::Hash>> path = ledger.InclusionPath(*seq, *size);
  if (!path.ok()) return ProblemResponse(call.request, path.status());
  Result<StoredRecord> record = ledger.ReadRecord(*seq);
  if (!record.ok()) return ProblemResponse(call.request, record.status());
  bj::object body{{"seq", static_cast<int64_t>(*seq)},
                  {"tree_size", static_cast<int64_t>(*size)},
                  {"leaf_hash", HexEncode(record->leaf_hash)},
                  {"path", HexPathJson(*path)}};
  return JsonResponse(call.request, http::status::ok, bj::serialize(body));
}

// first (required) and second; 400 unless 0 < first <= second <= the log.
Response GetConsistencyProof(const Call& call) {
  if (Status params = CheckParams(call.target, {"first", "second"}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<uint64_t> first = RequiredCount(call.target, "first");
  if (!first.ok()) return ProblemResponse(call.request, first.status());
  Result<uint64_t> second = TreeSizeParam(call, "second");
  if (!second.ok()) return ProblemResponse(call.request, second.status());
  if (*first == 0 || *first > *second) {
    return ProblemResponse(
        call.request, Status(ErrorCode::kInvalidArgument, "need 0 < first <= second, got first " +
                                                              std::to_string(*first) + ", second " +
                                                              std::to_string(*second)));
  }
  Result<std::vector<merkle::Hash>> path = call.state.ledger.ConsistencyPath(*first, *second);
  if (!path.ok()) return ProblemResponse(call.request, path.status());
  bj::object body{{"first", static_cast<int64_t>(*first)},
                  {"second", static_cast<int64_t>(*second)},
                  {"path", HexPathJson(*path)}};
  return JsonResponse(call.request, http::status::ok, bj::serialize(body));
}

Response GetHealth(const Call& call) {
  bj::object body{{"status", "ok"},
                  {"tree_size", static_cast<int64_t>(call.state.ledger.tree_size())}};
  return JsonResponse(call.request, http::status::ok, bj::serialize(body));
}

Response GetMetrics(const Call& call) {
  std::vector<MetricFamily> families;
  if (call.state.projections != nullptr) {
    const projections::ProjectionRunner& runner = call.state.projections->runner();
    families.push_back({"fupin_projection_position",
                        "gauge",
                        "Records folded into the projections (statistics, entities).",
                        {{"", runner.position()}}});
    families.push_back({"fupin_projection_lag_records",
                        "gauge",
                        "Committed records the projections have not folded yet.",
                        {{"", runner.lag()}}});
  }
  if (call.state.rules != nullptr) {
    const rules::RuleRunnerStats stats = call.state.rules->stats();
    MetricFamily raised{"fupin_flags_raised_total",
                        "counter",
                        "Flags the rule engine decided, by rule and severity.",
                        {}};
    call.state.rules->Read([&](const rules::RuleEngine& engine, const rules::FlagBook&) {
      for (const auto& [key, count] : engine.raised_counts()) {
        raised.samples.push_back(
            {"rule=\"" + key.first + "\",severity=\"" + key.second + "\"", count});
      }
    });
    families.push_back(std::move(raised));
    families.push_back(
        {"fupin_flags_open", "gauge", "Raised flags not resolved yet.", {{"", stats.open_flags}}});
    families.push_back({"fupin_flags_appended_total",
                        "counter",
                        "flag.raised events this server appended.",
                        {{"", stats.flags_appended}}});
    families.push_back({"fupin_rules_position",
                        "gauge",
                        "Records the rule engine has evaluated.",
                        {{"", stats.position}}});
    families.push_back({"fupin_rules_lag_records",
                        "gauge",
                        "Committed records the rule engine has not evaluated yet.",
                        {{"", stats.lag}}});
    // 1 while the rule runner's last round failed (e.g. a flag it could not
    // append); it retries every poll interval.
    families.push_back({"fupin_rules_failing",
                        "gauge",
                        "1 when the rule engine's last round failed, 0 otherwise.",
                        {{"", call.state.rules->last_error().ok() ? 0u : 1u}}});
  }
  if (call.state.witnesses != nullptr) {
    const uint64_t latest = call.state.ledger.LatestCheckpoint().ok()
                                ? call.state.ledger.LatestCheckpoint()->tree_size
                                : 0;
    MetricFamily cosigned{"fupin_witness_cosigned_tree_size",
                          "gauge",
                          "The newest tree size each witness cosigned for this ledger.",
                          {}};
    MetricFamily lag{"fupin_witness_lag_records",
                     "gauge",
                     "Records between the latest checkpoint and each witness's newest cosigned "
                     "one.",
                     {}};
    MetricFamily failures{"fupin_witness_failures_total",
                          "counter",
                          "add-checkpoint requests that did not yield a cosignature.",
                          {}};
    MetricFamily submissions{"fupin_witness_submissions_total",
                             "counter",
                             "add-checkpoint requests sent to each witness.",
                             {}};
    for (const WitnessProgress& w : call.state.witnesses->progress()) {
      std::string label = "witness=\"";
      for (char c : w.name)
        label += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
      label += "\"";
      cosigned.samples.push_back({label, w.cosigned_size});
      lag.samples.push_back({label, latest > w.cosigned_size ? latest - w.cosigned_size : 0});
      failures.samples.push_back({label, w.failures});
      submissions.samples.push_back({label, w.submissions});
    }
    families.push_back(std::move(cosigned));
    families.push_back(std::move(lag));
    families.push_back(std::move(failures));
    families.push_back(std::move(submissions));
    families.push_back({"fupin_witnessed_tree_size",
                        "gauge",
                        "The newest checkpoint whose cosignatures meet the quorum (0: none yet).",
                        {{"", call.state.witnesses->witnessed_size()}}});
  }
  // The last `fupin-ledger verify` (handlers_integrity.cc reads the same).
  // Status is a label so every value stays non-negative: status="none"
  // until a verification ran.
  Result<std::optional<verify::VerifyReport>> verified =
      verify::LoadLastVerification(call.state.ledger.store(), call.state.ledger.data_dir());
  if (verified.ok()) {
    const std::optional<verify::VerifyReport>& report = *verified;
    families.push_back(
        {"fupin_verify_last_run_timestamp_seconds",
         "gauge",
         "When the last verification finished (Unix seconds; 0: never).",
         {{"", report ? static_cast<uint64_t>(report->finished_at_ms / 1000) : 0u}}});
    const std::string status = !report ? "none" : report->clean() ? "clean" : "tampered";
    MetricFamily last_status{"fupin_verify_last_status",
                             "gauge",
                             "1 for the status of the last verification, 0 for the others.",
                             {}};
    for (const char* name : {"clean", "tampered", "none"}) {
      last_status.samples.push_back(
          {"status=\"" + std::string(name) + "\"", status == name ? 1u : 0u});
    }
    families.push_back(std::move(last_status));
    families.push_back({"fupin_verify_verified_tree_size",
                        "gauge",
                        "Records the last verification covered.",
                        {{"", report ? report->tree_size : 0u}}});
  }
  if (call.state.mirror != nullptr) {
    for (MetricFamily& family : call.state.mirror->MetricFamilies()) {
      families.push_back(std::move(family));
    }
  }
  return MakeResponse(call.request, http::status::ok, kPrometheusContentType,
                      call.state.metrics.Render(call.state.ledger.tree_size(),
                                                call.state.ledger.commit_stats(), families));
}

}  // namespace fupin::api
