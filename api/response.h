// Building responses: JSON bodies, problem+json errors, and the framing
// (HTTP version, keep-alive, Content-Length) that follows the request.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/http_types.h"
#include "ledger/status.h"

namespace fupin::api {

inline constexpr std::string_view kJsonContentType = "application/json";
// Prometheus text exposition format 0.0.4.
inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4";

// A response with `body` as is; version and keep-alive follow `request`.
Response MakeResponse(const Request& request, http::status status, std::string_view content_type,
                      std::string body);
Response JsonResponse(const Request& request, http::status status, std::string body);
// application/problem+json with the status of the error's code.
Response ProblemResponse(const Request& request, const Status& error,
                         std::optional<std::size_t> index = std::nullopt);
// A refusal made before any request was parsed (limits, syntax, overload):
// HTTP/1.1 with Connection: close.
Response ClosingProblemResponse(const Status& error);

}  // namespace fupin::api
