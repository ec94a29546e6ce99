// Building responses: JSON bodies, problem+json errors, the framing (HTTP
// version, keep-alive, Content-Length) that follows the request, and the
// representation rules every route shares: ETags and 304 for immutable
// answers (RFC 9110 §8.8.3, §13.1.2), gzip when the client asks for it.
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

// A year, the longest max-age RFC 9111 §5.2.2.1 expects caches to honour.
inline constexpr std::string_view kImmutableCacheControl = "public, max-age=31536000, immutable";

// For a 200 whose body can never change (a record, the checkpoint at a
// size): sets a strong ETag, the quoted hex SHA-256 of the body, and
// kImmutableCacheControl; then, when the request's If-None-Match names
// that tag (weak comparison, or "*"), turns it into a 304 without a body.
// Other responses are left as they are.
void MarkImmutable(const Request& request, Response& response);
// The same with another Cache-Control, e.g. "no-cache" for a body that may
// change but should be revalidated (304) rather than fetched again.
void MarkCacheable(const Request& request, Response& response, std::string_view cache_control);

// Bodies shorter than this are sent as they are: the gzip header and the
// CPU cost outweigh what compression saves on them.
inline constexpr std::size_t kMinGzipBytes = 1024;

// Whether Accept-Encoding admits gzip: "gzip" (or "x-gzip") with q > 0, or
// "*" with q > 0 and gzip not listed itself.
bool AcceptsGzip(const Request& request);

// Bodies of at least kMinGzipBytes vary with Accept-Encoding (Vary is
// set); when the client accepts gzip they are compressed
// (Content-Encoding: gzip) and a strong ETag becomes weak, as the bytes
// differ from the identity representation it names.
void CompressIfAccepted(const Request& request, Response& response);

}  // namespace fupin::api
