// GET /v1/access-log: the log of authenticated reads (api/access_log.h),
// for admins (the router refuses every other role). Filters are exact, so
// a supervised party can be shown every read that named it
// (entity=product:P-1), or everything one token did (token=sup-1).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/access_log.h"
#include "api/handlers.h"
#include "api/response.h"

namespace fupin::api {

Response GetAccessLog(const Call& call) {
  if (call.state.access_log == nullptr) {
    return ProblemResponse(call.request,
                           Status(ErrorCode::kUnavailable, "this server keeps no access log"));
  }
  if (Status params = CheckParams(call.target, {"from", "limit", "token", "entity"});
      !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  AccessQuery query;
  Result<uint64_t> from = CountParam(call.target, "from", 0);
  if (!from.ok()) return ProblemResponse(call.request, from.status());
  query.from = *from;
  Result<std::size_t> limit = PageLimit(call.target);
  if (!limit.ok()) return ProblemResponse(call.request, limit.status());
  query.limit = *limit;
  for (auto [name, filter] :
       {std::pair{"token", &query.token_id}, std::pair{"entity", &query.entity}}) {
    if (std::optional<std::string_view> value = Param(call.target, name)) {
      if (value->empty()) {
        return ProblemResponse(call.request,
                               Status(ErrorCode::kInvalidArgument,
                                      "query parameter \"" + std::string(name) +
                                          "\": must not be empty (leave it out for any)"));
      }
      *filter = std::string(*value);
    }
  }

  Result<AccessPage> page = call.state.access_log->List(query);
  if (!page.ok()) return ProblemResponse(call.request, page.status());
  boost::json::array entries;
  for (const AccessEntry& entry : page->entries) entries.emplace_back(AccessEntryJson(entry));
  boost::json::object body{{"entries", std::move(entries)}};
  if (page->next) {
    body["next"] = static_cast<int64_t>(*page->next);
  } else {
    body["next"] = nullptr;
  }
  return JsonResponse(call.request, http::status::ok, boost::json::serialize(body));
}

}  // namespace fupin::api
