// GET /v1/integrity: the latest verification result (`fupin-ledger
// verify`), with the checkpoint it can be compared against. Until a
// verification has run on this ledger, it says so.
//
// The result is read from the meta column family, or from
// DIR/verify-last.json, which `verify` writes while this server holds the
// database (verify/verify.h); the newer of the two wins.
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/handlers.h"
#include "api/response.h"
#include "ledger/record.h"
#include "verify/verify.h"

namespace fupin::api {

Response GetIntegrity(const Call& call) {
  if (Status params = CheckParams(call.target, {}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<Checkpoint> checkpoint = call.state.ledger.LatestCheckpoint();
  if (!checkpoint.ok()) return ProblemResponse(call.request, checkpoint.status());
  Result<std::optional<verify::VerifyReport>> last =
      verify::LoadLastVerification(call.state.ledger.store(), call.state.ledger.data_dir());
  if (!last.ok()) return ProblemResponse(call.request, last.status());
  boost::json::object body{{"tree_size", static_cast<int64_t>(call.state.ledger.tree_size())},
                           {"checkpoint", boost::json::parse(CheckpointJson(*checkpoint))}};
  if (!last->has_value()) {
    body["status"] = "none";
    body["detail"] = "no verification has run on this ledger yet (fupin-ledger verify)";
    body["last_run"] = nullptr;
  } else {
    const verify::VerifyReport& report = **last;
    body["status"] = report.clean() ? "clean" : "tampered";
    body["detail"] = "last " + std::string(verify::VerifyModeName(report.mode)) +
                     " verification covered " + std::to_string(report.tree_size) + " records";
    body["last_run"] = verify::ReportJson(report, /*for_storage=*/false);
  }
  return JsonResponse(call.request, http::status::ok, boost::json::serialize(body));
}

}  // namespace fupin::api
