// GET /v1/integrity: the latest verification result (`fupin-ledger
// verify`), with the checkpoint it can be compared against. Until a
// verification has run on this ledger, it says so.
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/handlers.h"
#include "api/response.h"
#include "ledger/record.h"

namespace fupin::api {

Response GetIntegrity(const Call& call) {
  if (Status params = CheckParams(call.target, {}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<Checkpoint> checkpoint = call.state.ledger.LatestCheckpoint();
  if (!checkpoint.ok()) return ProblemResponse(call.request, checkpoint.status());
  boost::json::object body{
      {"status", "none"},
      {"detail", "no verification has run on this ledger yet (fupin-ledger verify)"},
      {"tree_size", static_cast<int64_t>(call.state.ledger.tree_size())},
      {"checkpoint", boost::json::parse(CheckpointJson(*checkpoint))},
      {"last_run", nullptr}};
  return JsonResponse(call.request, http::status::ok, boost::json::serialize(body));
}

}  // namespace fupin::api
