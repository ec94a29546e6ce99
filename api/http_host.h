// What every HTTP server of the ledger shares (the ledger's Server, a
// witness, a mirror): one io_context with its I/O threads, a worker pool
// for the handlers, a listener, the registry of live sessions, and an
// orderly stop. It knows no route: each request goes to `handle` on a
// worker.
//
// Ownership: `metrics` is borrowed and must outlive the host. Start, Stop
// and port are called from one controlling thread, never from a handler.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/config.h"
#include "api/handler_pool.h"
#include "api/http_types.h"
#include "api/metrics.h"
#include "api/session.h"
#include "api/session_registry.h"
#include "ledger/status.h"

namespace fupin::api {

class Listener;

class HttpHost {
 public:
  // Runs on a worker; must not throw.
  using Handler = std::function<Response(const Request&, std::chrono::steady_clock::time_point)>;

  HttpHost(Limits limits, Handler handle, Metrics& metrics);
  ~HttpHost();  // Stop()
  HttpHost(const HttpHost&) = delete;
  HttpHost& operator=(const HttpHost&) = delete;

  // Loads the TLS certificate and key when `tls` is set, binds `listen`
  // and starts serving. Errors: kInvalidArgument (an address that is not an
  // IP literal, a TLS file that is not the PEM it should be), kIoError
  // (cannot bind; a TLS file cannot be read). Call once.
  Status Start(const ListenAddress& listen, const std::optional<TlsConfig>& tls);
  // The bound port; after binding port 0, the ephemeral one.
  uint16_t port() const;
  // "http://HOST:PORT" of the bound socket; "https://…" with TLS.
  std::string url() const;

  // Stops accepting, answers requests not yet started with 503, lets the
  // requests in flight finish, writes their responses, closes every
  // connection and joins all threads. Bounded: connections still open
  // after write_timeout plus a grace period are cut. Idempotent.
  void Stop();

 private:
  Limits limits_;
  ListenAddress listen_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  SessionRegistry registry_;
  SessionServices services_;
  // Declared after what sessions refer to: destroyed first.
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  // Declared after io_: its queued tasks hold sessions (and their sockets),
  // which must go before the io_context.
  std::unique_ptr<HandlerPool> pool_;
  std::shared_ptr<Listener> listener_;
  std::vector<std::thread> io_threads_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace fupin::api
