// The flags the rule engine raised (SPEC §4, §5): the queue with filters
// and one flag with its evidence records and resolution.
//
// Flags are read from the rule runner's flag book (every flag.raised and
// flag.resolved in the log). A token sees the flags whose region its scope
// covers; naming another region's flag is 403, never a silent empty answer.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <string>

#include "api/handlers.h"
#include "api/response.h"
#include "ledger/entity_state.h"
#include "ledger/time.h"
#include "rules/rule_runner.h"

namespace fupin::api {
namespace {

namespace bj = boost::json;

// Evidence records embedded in GET /v1/flags/{id}; the rest are listed by
// seq only.
inline constexpr std::size_t kMaxEmbeddedEvidence = 100;

const std::vector<std::string>& Scope(const Call& call) {
  static const std::vector<std::string> kEverything;
  return call.principal == nullptr ? kEverything : call.principal->regions;
}

bj::array Seqs(const std::vector<int64_t>& seqs) {
  bj::array out;
  for (int64_t seq : seqs) out.emplace_back(seq);
  return out;
}

// The flag as the API shows it: the flag.raised body's fields, its status,
// where it is in the log, its resolution, and the evidence of later raises
// of the same rule + subject + window while it was open.
bj::object FlagJson(const rules::FlagEntry& entry, const rules::RuleEngine& engine) {
  const FlagRaised& flag = entry.raised;
  bj::object out{{"flag_id", flag.flag_id},
                 {"rule", flag.rule},
                 {"severity", FlagSeverityName(flag.severity)},
                 {"subject", flag.subject},
                 {"region", flag.region},
                 {"status", rules::FlagStatusName(entry.status())},
                 {"evidence", Seqs(flag.evidence)},
                 {"summary", flag.summary},
                 {"details", flag.details},
                 {"seq", static_cast<int64_t>(entry.seq)},
                 {"raised_at", FormatUtcMillis(entry.raised_at_ms)}};
  bj::array extra;
  uint64_t extra_total = 0;
  auto track = engine.flags().find(flag.flag_id);
  if (track != engine.flags().end()) {
    for (uint64_t seq : track->second.extra_evidence) extra.emplace_back(seq);
    extra_total = track->second.extra_evidence_total;
  }
  out["extra_evidence"] = std::move(extra);
  out["extra_evidence_total"] = static_cast<int64_t>(extra_total);
  if (entry.resolution) {
    const rules::FlagResolutionEntry& r = *entry.resolution;
    out["resolution"] = bj::object{{"resolution", FlagResolutionName(r.resolution)},
                                   {"note", r.note},
                                   {"key", r.key_id},
                                   {"seq", static_cast<int64_t>(r.seq)},
                                   {"resolved_at", FormatUtcMillis(r.occurred_at_ms)}};
  } else {
    out["resolution"] = nullptr;
  }
  return out;
}

Result<rules::FlagQuery> ParseFlagQuery(const Call& call) {
  rules::FlagQuery query;
  if (std::optional<std::string_view> status = Param(call.target, "status")) {
    query.status = rules::ParseFlagStatus(*status);
    if (!query.status) {
      return Status(
          ErrorCode::kInvalidArgument,
          "status must be open, confirmed or dismissed, not \"" + std::string(*status) + "\"");
    }
  }
  if (std::optional<std::string_view> severity = Param(call.target, "severity")) {
    for (FlagSeverity s : {FlagSeverity::kInfo, FlagSeverity::kWarning, FlagSeverity::kAlert}) {
      if (FlagSeverityName(s) == *severity) query.severity = s;
    }
    if (!query.severity) {
      return Status(ErrorCode::kInvalidArgument, "severity must be info, warning or alert, not \"" +
                                                     std::string(*severity) + "\"");
    }
  }
  query.rule = std::string(Param(call.target, "rule").value_or(""));
  query.region = std::string(Param(call.target, "region").value_or(""));
  query.subject = std::string(Param(call.target, "subject").value_or(""));
  if (!query.region.empty() && !Scope(call).empty() && !ScopeCovers(Scope(call), query.region)) {
    return Status(ErrorCode::kPermissionDenied,
                  "the token's region scope does not cover region " + query.region);
  }
  query.scope = Scope(call);
  FUPIN_ASSIGN_OR_RETURN(uint64_t from, CountParam(call.target, "from", 0));
  query.from_seq = from;
  FUPIN_ASSIGN_OR_RETURN(std::size_t limit, PageLimit(call.target));
  query.limit = limit;
  return query;
}

Response RulesUnavailable(const Call& call) {
  return ProblemResponse(call.request,
                         Status(ErrorCode::kUnavailable, "the rule engine is not running"));
}

}  // namespace

// status, rule, severity, region, subject, from (a seq), limit.
Response ListFlags(const Call& call) {
  if (Status params = CheckParams(
          call.target, {"status", "rule", "severity", "region", "subject", "from", "limit"});
      !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  if (call.state.rules == nullptr) return RulesUnavailable(call);
  Result<rules::FlagQuery> query = ParseFlagQuery(call);
  if (!query.ok()) return ProblemResponse(call.request, query.status());
  bj::object body;
  call.state.rules->Read([&](const rules::RuleEngine& engine, const rules::FlagBook& book) {
    rules::FlagPage page = book.List(*query);
    bj::array flags;
    for (const rules::FlagEntry* entry : page.flags) flags.push_back(FlagJson(*entry, engine));
    body["flags"] = std::move(flags);
    body["next"] = page.next ? bj::value(static_cast<int64_t>(*page.next)) : bj::value(nullptr);
  });
  return JsonResponse(call.request, http::status::ok, bj::serialize(body));
}

// The flag with its evidence records (the first kMaxEmbeddedEvidence), the
// flag.raised record itself and the resolution.
Response GetFlag(const Call& call) {
  if (Status params = CheckParams(call.target, {}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  if (call.state.rules == nullptr) return RulesUnavailable(call);
  const std::string& flag_id = call.target.segments[2];
  std::optional<bj::object> flag;
  std::vector<int64_t> evidence;
  call.state.rules->Read([&](const rules::RuleEngine& engine, const rules::FlagBook& book) {
    const rules::FlagEntry* entry = book.Find(flag_id);
    if (entry == nullptr) return;
    flag = FlagJson(*entry, engine);
    evidence = entry->raised.evidence;
  });
  if (!flag) {
    return ProblemResponse(call.request,
                           Status(ErrorCode::kNotFound, "no flag \"" + flag_id + "\""));
  }
  const std::string region(flag->at("region").as_string());
  if (!Scope(call).empty() && !ScopeCovers(Scope(call), region)) {
    return ProblemResponse(call.request, Status(ErrorCode::kPermissionDenied,
                                                "flag " + flag_id + " is about region " + region +
                                                    ", outside the token's region scope"));
  }
  bj::array records;
  for (std::size_t i = 0; i < evidence.size() && i < kMaxEmbeddedEvidence; ++i) {
    Result<StoredRecord> record = call.state.ledger.ReadRecord(static_cast<uint64_t>(evidence[i]));
    if (!record.ok()) return ProblemResponse(call.request, record.status());
    records.push_back(bj::parse(RecordJson(*record)));
  }
  (*flag)["evidence_records"] = std::move(records);
  return JsonResponse(call.request, http::status::ok, bj::serialize(*flag));
}

}  // namespace fupin::api
