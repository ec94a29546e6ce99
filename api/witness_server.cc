#include "api/witness_server.h"

#include "api/response.h"

namespace fupin::api {
namespace {

Limits WitnessLimits(Limits limits) {
  limits.body_bytes = std::min(limits.body_bytes, kMaxAddCheckpointBytes);
  return limits;
}

}  // namespace

WitnessServer::WitnessServer(witness::Witness& witness, Limits limits)
    : witness_(witness),
      host_(
          WitnessLimits(limits),
          [this](const Request& request, std::chrono::steady_clock::time_point) {
            return Handle(request);
          },
          metrics_) {}

WitnessServer::~WitnessServer() { Stop(); }

Status WitnessServer::Start(const ListenAddress& listen, const std::optional<TlsConfig>& tls) {
  return host_.Start(listen, tls);
}

Response WitnessServer::Handle(const Request& request) const {
  const std::string_view target = request.target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/add-checkpoint") {
    if (request.method() != http::verb::post) {
      Response response = ProblemResponse(
          request, Status(ErrorCode::kInvalidArgument, "add-checkpoint takes a POST"));
      response.result(http::status::method_not_allowed);
      response.set(http::field::allow, "POST");
      return response;
    }
    witness::AddCheckpointOutcome outcome = witness_.AddCheckpoint(request.body());
    if (outcome.status.ok()) {
      return MakeResponse(request, http::status::ok, "text/plain; charset=utf-8",
                          std::move(outcome.cosignature_lines));
    }
    if (outcome.conflict_size) {
      return MakeResponse(request, http::status::conflict, kTlogSizeContentType,
                          std::to_string(*outcome.conflict_size) + "\n");
    }
    return ProblemResponse(request, outcome.status);
  }
  if (request.method() == http::verb::get && path == "/healthz") {
    return MakeResponse(request, http::status::ok, "text/plain; charset=utf-8", "ok\n");
  }
  if (request.method() == http::verb::get && path == "/") {
    const note::VerifierKey& key = witness_.verifier_key();
    return MakeResponse(request, http::status::ok, "text/plain; charset=utf-8",
                        key.name + "\n" + note::FormatVerifierKey(key) + "\n");
  }
  return ProblemResponse(request, Status(ErrorCode::kNotFound, "no such route on a witness"));
}

Result<ServedWitness> ServeWitness(crypto::Ed25519PrivateKey key, witness::WitnessOptions options,
                                   const ListenAddress& listen, Limits limits) {
  ServedWitness served;
  FUPIN_ASSIGN_OR_RETURN(served.witness,
                         witness::Witness::Create(std::move(key), std::move(options)));
  served.server = std::make_unique<WitnessServer>(*served.witness, limits);
  FUPIN_RETURN_IF_ERROR(served.server->Start(listen));
  return served;
}

}  // namespace fupin::api
