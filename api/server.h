// The ledger's HTTP server: wires the listener, the sessions, the worker
// pool and the router together over one Ledger. It parses, validates and
// persists nothing itself.
//
// Every authenticated request is recorded in the access log (a column
// family of the ledger's store, api/access_log.h) after it was answered;
// GET /v1/events/{seq} and GET /v1/checkpoints/{tree_size} carry ETags and
// answer If-None-Match; bodies are gzipped when asked (response.h). With
// config.tls the server speaks HTTPS only.
//
// Threads: `io_threads` run the sessions on one io_context; a pool of
// `worker_threads` runs the handlers (so appends block workers, never I/O);
// the projections' runner folds new records on its own thread, woken after
// each append (acknowledgements never wait for it).
// Ownership: the Ledger is borrowed and must outlive the Server (stop the
// server before destroying the ledger). Start/Stop/port are called from one
// controlling thread, not from a handler.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "api/access_log.h"
#include "api/auth.h"
#include "api/config.h"
#include "api/handlers.h"
#include "api/http_host.h"
#include "api/metrics.h"
#include "api/mirror_view.h"
#include "api/stats_cache.h"
#include "api/web_site.h"
#include "api/witness_collector.h"
#include "ledger/ledger.h"
#include "ledger/status.h"
#include "projections/ledger_projections.h"
#include "rules/rule_runner.h"

namespace fupin::api {

class Server {
 public:
  Server(Ledger& ledger, ServerConfig config);
  ~Server();  // Stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS certificate and key and the web page (when configured:
  // a web root without index.html is kIoError naming it), opens the access
  // log and the projections (resuming their stored state) and starts their
  // catch-up, binds config.listen and starts serving. Errors:
  // kInvalidArgument (bad address, a TLS file that is not the PEM it
  // should be), kIoError (cannot bind, a TLS file cannot be read; the
  // message names the file), kDataLoss (an unreadable access log), the
  // projections' store errors. Call once.
  Status Start();
  // The bound port; after binding port 0, the ephemeral one.
  uint16_t port() const;
  // "http://HOST:PORT" of the bound socket; "https://…" with TLS.
  std::string url() const;

  // Stops accepting, answers requests not yet started with 503, lets the
  // requests in flight finish (their appends commit and are acknowledged),
  // writes their responses, closes every connection and joins all threads.
  // Bounded: connections still open after write_timeout plus a grace
  // period are cut. Idempotent.
  void Stop();

  // Serves a mirror (api/mirror_view.h): writes are refused naming the
  // source, /v1/mirror/* answer from `mirror`, which must outlive the
  // server. Call before Start.
  void AttachMirror(const MirrorView* mirror) { state_.mirror = mirror; }
  // Wakes the projections' and the rules' catch-up after records arrived
  // other than through POST /v1/events (a mirror's replication). Call
  // between Start and Stop, from any thread.
  void RecordsArrived();

  // The witnesses' collector (docs/trust.md); null without witnesses.
  const WitnessCollector* witness_collector() const { return witnesses_.get(); }

 private:
  // Routes one request on a worker, applies the representation rules
  // (ETag, 304, gzip), records it in the access log and its metrics;
  // `received` is when the session had read it, so queueing for a worker
  // is measured too. An authenticated request whose access log entry
  // cannot be written is answered 503 instead: no read goes unrecorded.
  Response Handle(const Request& request, std::chrono::steady_clock::time_point received);

  ServerConfig config_;
  std::unique_ptr<AccessLog> access_log_;
  std::unique_ptr<WebSite> web_;  // set when config_.web_root
  std::unique_ptr<projections::LedgerProjections> projections_;
  std::unique_ptr<rules::RuleRunner> rules_;
  std::unique_ptr<WitnessCollector> witnesses_;  // set when witnesses are configured
  StatsCache stats_cache_;
  TokenTable tokens_;
  Metrics metrics_;
  ServerState state_;
  // Declared after what handlers refer to: destroyed (stopped) first.
  HttpHost host_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace fupin::api
