// The one place where the ledger's error vocabulary meets HTTP: the status
// of each ErrorCode and the application/problem+json body (RFC 9457).
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "ledger/status.h"

namespace fupin::api {

inline constexpr std::string_view kProblemContentType = "application/problem+json";

// HTTP status for an error code: 400 malformed, 401/403 access, 404, 409
// conflicts, 413 too large, 422 invalid, 503 unavailable, 500 otherwise.
unsigned HttpStatusFor(ErrorCode code);

// {"type":"about:blank","title":…,"status":…,"code":"<ErrorCodeName>",
//  "detail":…[,"index":N]} — `index` names the offending event of a batch.
std::string ProblemJson(const Status& status, std::optional<std::size_t> index = std::nullopt);

// Refusals of the HTTP layer that have no ErrorCode of their own (the
// ledger's vocabulary has no use for them): the same body shape with a
// stable `code`.
inline constexpr std::string_view kMethodNotAllowedCode = "method_not_allowed";  // 405
std::string ProblemJson(unsigned http_status, std::string_view code, std::string_view detail);
// The same body as an object, for refusals that add members of their own
// (the bad cells of a form: "errors").
boost::json::object ProblemObject(unsigned http_status, std::string_view code,
                                  std::string_view detail);

}  // namespace fupin::api
