// Placeholder while the access log is written.
#include "api/handlers.h"
#include "api/response.h"

namespace fupin::api {

Response GetAccessLog(const Call& call) {
  return ProblemResponse(call.request, Status(ErrorCode::kUnavailable, "not built yet"));
}

}  // namespace fupin::api
