#include "api/response.h"

#include "api/problem.h"

namespace fupin::api {

Response MakeResponse(const Request& request, http::status status, std::string_view content_type,
                      std::string body) {
  Response response(status, request.version());
  response.set(http::field::content_type, content_type);
  // Every answer is computed per request; ledger contents change on every
  // append, so caches must not reuse them.
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response JsonResponse(const Request& request, http::status status, std::string body) {
  return MakeResponse(request, status, kJsonContentType, std::move(body));
}

Response ProblemResponse(const Request& request, const Status& error,
                         std::optional<std::size_t> index) {
  return MakeResponse(request, static_cast<http::status>(HttpStatusFor(error.code())),
                      kProblemContentType, ProblemJson(error, index));
}

Response ClosingProblemResponse(const Status& error) {
  Response response(static_cast<http::status>(HttpStatusFor(error.code())), 11);
  response.set(http::field::content_type, kProblemContentType);
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(false);
  response.body() = ProblemJson(error);
  response.prepare_payload();
  return response;
}

}  // namespace fupin::api
