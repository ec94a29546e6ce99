// The statistics table (附件统计表, SPEC §3) and target progress, read from
// the projections the server keeps current.
//
// Without as_of the answer reflects every record committed when the request
// arrived: the handler waits (briefly) for the projections to fold them, so
// a client reads its own writes. With as_of it folds a private copy from
// the nearest snapshot, on this worker thread.
#include <boost/json/serialize.hpp>
#include <optional>
#include <string>

#include "api/handlers.h"
#include "api/projection_wait.h"
#include "api/read_point.h"
#include "api/response.h"
#include "api/stats_cache.h"
#include "ledger/entity_state.h"
#include "projections/statistics_format.h"
#include "projections/targets_format.h"

namespace fupin::api {
namespace {

namespace bj = boost::json;

// as_of, when given (a seq or a time, read_point.h); otherwise waits for
// the live state to cover the log as it was when the request arrived.
Result<std::optional<uint64_t>> AsOf(const Call& call) {
  Result<std::optional<uint64_t>> as_of = AsOfParam(call.target, call.state.ledger);
  if (!as_of.ok() || *as_of) return as_of;
  WaitForProjections(call.state);
  return as_of;
}

// The rows a token may see: a token scoped to regions sees those regions
// and what lies below them (a 市州 auditor does not see 合计); a public
// token without regions sees everything (statistics are aggregates). A
// region asked for outside the scope is refused, never silently emptied.
Result<projections::StatisticsTable> LimitToScope(projections::StatisticsTable table,
                                                  const Principal* principal,
                                                  const std::string& asked_region) {
  if (principal == nullptr || principal->regions.empty()) return table;
  const std::vector<std::string>& scope = principal->regions;
  if (!asked_region.empty() && !ScopeCovers(scope, asked_region)) {
    return Status(ErrorCode::kPermissionDenied,
                  "the token's region scope does not cover region " + asked_region);
  }
  std::erase_if(table.rows, [&](const projections::StatisticsRow& row) {
    return !ScopeCovers(scope, row.region);
  });
  return table;
}

// The statistics projection's live position (records folded).
uint64_t StatisticsPosition(const ServerState& state) {
  uint64_t position = 0;
  state.projections->runner().Read(
      projections::LedgerProjections::kStatistics,
      [&](const projections::Projection&, uint64_t at) { position = at; });
  return position;
}

// Everything that shapes a /v1/stats answer at the head.
std::string StatsCacheKey(const Call& call, const std::string& campaign, const std::string& region,
                          const std::string& format) {
  std::string key = campaign + '\n' + region + '\n' +
                    std::string(Param(call.target, "level").value_or("")) + '\n' + format + '\n';
  if (call.principal != nullptr) {
    for (const std::string& scope : call.principal->regions) key += scope + ',';
  }
  return key;
}

Response StatsResponse(const Request& request, projections::StatsFormat format,
                       const std::string& format_name, const std::string& campaign, uint64_t as_of,
                       std::string body) {
  Response response = MakeResponse(request, http::status::ok, projections::StatsContentType(format),
                                   std::move(body));
  if (format != projections::StatsFormat::kJson) {
    response.set(http::field::content_disposition, "attachment; filename=\"stats-" + campaign +
                                                       "-" + std::to_string(as_of) + "." +
                                                       format_name + "\"");
  }
  return response;
}

}  // namespace

// campaign (required), as_of, region, level, format=json|csv|xlsx.
Response GetStats(const Call& call) {
  if (Status params = CheckParams(call.target, {"campaign", "as_of", "region", "level", "format"});
      !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<std::string> campaign = RequiredParam(call.target, "campaign");
  if (!campaign.ok()) return ProblemResponse(call.request, campaign.status());
  projections::RowFilter filter;
  if (std::optional<std::string_view> region = Param(call.target, "region")) {
    filter.region = std::string(*region);
  }
  if (std::optional<std::string_view> level = Param(call.target, "level")) {
    filter.level = projections::ParseRegionLevel(*level);
    if (!filter.level) {
      return ProblemResponse(call.request,
                             Status(ErrorCode::kInvalidArgument,
                                    "level must be province, prefecture or county, not \"" +
                                        std::string(*level) + "\""));
    }
  }
  std::string format_name(Param(call.target, "format").value_or("json"));
  std::optional<projections::StatsFormat> format = projections::ParseStatsFormat(format_name);
  if (!format) {
    return ProblemResponse(call.request,
                           Status(ErrorCode::kInvalidArgument,
                                  "format must be json, csv or xlsx, not \"" + format_name + "\""));
  }
  Result<std::optional<uint64_t>> as_of = AsOf(call);
  if (!as_of.ok()) return ProblemResponse(call.request, as_of.status());

  // At the head, the answer rendered at the projection's position, if any.
  std::string cache_key;
  uint64_t position = 0;
  if (!*as_of && call.state.stats_cache != nullptr) {
    cache_key = StatsCacheKey(call, *campaign, filter.region, format_name);
    position = StatisticsPosition(call.state);
    if (std::optional<std::string> cached = call.state.stats_cache->Find(cache_key, position)) {
      return StatsResponse(call.request, *format, format_name, *campaign, position - 1,
                           std::move(cached).value());
    }
  }
  Result<projections::StatisticsTable> table =
      call.state.projections->Statistics(*campaign, *as_of, filter);
  if (!table.ok()) return ProblemResponse(call.request, table.status());
  Result<projections::StatisticsTable> visible =
      LimitToScope(std::move(table).value(), call.principal, filter.region);
  if (!visible.ok()) return ProblemResponse(call.request, visible.status());
  Result<std::string> body = projections::RenderStatistics(*visible, *format);
  if (!body.ok()) return ProblemResponse(call.request, body.status());
  if (!cache_key.empty()) call.state.stats_cache->Store(cache_key, visible->as_of + 1, *body);
  return StatsResponse(call.request, *format, format_name, *campaign, visible->as_of,
                       std::move(body).value());
}

// campaign (required), as_of. Targets are province-wide figures, so a
// token whose scope does not cover every region they name is refused.
Response GetTargets(const Call& call) {
  if (Status params = CheckParams(call.target, {"campaign", "as_of"}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<std::string> campaign = RequiredParam(call.target, "campaign");
  if (!campaign.ok()) return ProblemResponse(call.request, campaign.status());
  Result<std::optional<uint64_t>> as_of = AsOf(call);
  if (!as_of.ok()) return ProblemResponse(call.request, as_of.status());
  Result<projections::TargetsReport> report = call.state.projections->Targets(*campaign, *as_of);
  if (!report.ok()) return ProblemResponse(call.request, report.status());
  if (call.principal != nullptr && !call.principal->regions.empty()) {
    for (const projections::TargetCheck& check : report->checks) {
      if (!ScopeCovers(call.principal->regions, check.region)) {
        return ProblemResponse(
            call.request,
            Status(ErrorCode::kPermissionDenied,
                   "targets cover the whole province; the token's region scope does not"));
      }
    }
  }
  return JsonResponse(call.request, http::status::ok,
                      bj::serialize(projections::TargetsJson(*report)));
}

}  // namespace fupin::api
