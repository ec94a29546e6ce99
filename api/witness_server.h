// The witness's HTTP server (C2SP tlog-witness v1.0.0): POST /add-checkpoint
// answered by witness::Witness, plus GET /healthz and GET / (the witness's
// name and vkey as text). Errors are problem+json with the status of their
// code (problem.h), except the stale-size conflict, which the spec fixes:
// 409, Content-Type text/x.tlog.size, body "<latest size>\n".
//
// Limits: a request body over kMaxAddCheckpointBytes is 413; the session
// deadlines are those of `limits`. Ownership: the Witness is borrowed and
// must outlive the server.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "api/config.h"
#include "api/http_host.h"
#include "api/metrics.h"
#include "witness/witness.h"

namespace fupin::api {

// 63 proof lines of 45 bytes, a checkpoint and a few signatures fit in
// 8 KiB; reference witnesses take 10-128 KiB. 64 KiB leaves room for many
// log signatures without inviting abuse.
inline constexpr std::size_t kMaxAddCheckpointBytes = 64 * 1024;

// The content type tlog-witness gives the body of a stale-size 409.
inline constexpr std::string_view kTlogSizeContentType = "text/x.tlog.size";

class WitnessServer {
 public:
  WitnessServer(witness::Witness& witness, Limits limits);
  ~WitnessServer();  // Stop()

  // HttpHost::Start's errors.
  Status Start(const ListenAddress& listen, const std::optional<TlsConfig>& tls = std::nullopt);
  uint16_t port() const { return host_.port(); }
  std::string url() const { return host_.url(); }
  void Stop() { host_.Stop(); }

 private:
  Response Handle(const Request& request) const;

  witness::Witness& witness_;
  Metrics metrics_;
  HttpHost host_;
};

// A witness and its server, started together: what `witness serve`, the
// demo, the tests and the benchmarks run.
struct ServedWitness {
  std::unique_ptr<witness::Witness> witness;
  std::unique_ptr<WitnessServer> server;  // declared last: stopped first
};
// witness::Witness::Create's and WitnessServer::Start's errors.
Result<ServedWitness> ServeWitness(crypto::Ed25519PrivateKey key, witness::WitnessOptions options,
                                   const ListenAddress& listen, Limits limits = {});

}  // namespace fupin::api
