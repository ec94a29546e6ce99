// A mirror's own routes (api/mirror_view.h): its state of following the
// source and the fork evidence it keeps; and its refusal of writes.
#include "api/handlers.h"
#include "api/mirror_view.h"
#include "api/problem.h"
#include "api/response.h"

namespace fupin::api {
namespace {

Status NotAMirror() {
  return Status(ErrorCode::kNotFound, "this server is not a mirror (fupin-ledger mirror)");
}

}  // namespace

Response MirrorRefusesWrites(const Request& request, const MirrorView& mirror) {
  Response response = MakeResponse(
      request, http::status::method_not_allowed, kProblemContentType,
      ProblemJson(405, kMethodNotAllowedCode,
                  "this server is a read-only mirror of " + mirror.source() +
                      "; submit events to the source, which sequences and signs them"));
  response.set(http::field::allow, "GET");
  return response;
}

Response GetMirrorStatus(const Call& call) {
  if (Status params = CheckParams(call.target, {}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  if (call.state.mirror == nullptr) return ProblemResponse(call.request, NotAMirror());
  return JsonResponse(call.request, http::status::ok, call.state.mirror->StatusJson());
}

Response GetMirrorEvidence(const Call& call) {
  if (Status params = CheckParams(call.target, {}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  if (call.state.mirror == nullptr) return ProblemResponse(call.request, NotAMirror());
  std::optional<std::string> evidence = call.state.mirror->EvidenceJson();
  if (!evidence) {
    return ProblemResponse(
        call.request,
        Status(ErrorCode::kNotFound, "no fork evidence: every checkpoint of " +
                                         call.state.mirror->source() + " was consistent so far"));
  }
  return JsonResponse(call.request, http::status::ok, std::move(*evidence));
}

}  // namespace fupin::api
