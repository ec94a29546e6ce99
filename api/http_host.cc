#include "api/http_host.h"

#include <boost/asio/ip/address.hpp>

#include "api/listener.h"
#include "api/tls_context.h"

namespace fupin::api {
namespace {

namespace net = boost::asio;

// After the write deadline has had its chance, connections get this much
// longer to close on their own before Stop() cuts them.
inline constexpr std::chrono::milliseconds kShutdownGrace{1000};

}  // namespace

HttpHost::HttpHost(Limits limits, Handler handle, Metrics& metrics) : limits_(limits) {
  services_.limits = limits_;
  services_.metrics = &metrics;
  services_.registry = &registry_;
  services_.handle = std::move(handle);
}

HttpHost::~HttpHost() { Stop(); }

Status HttpHost::Start(const ListenAddress& listen, const std::optional<TlsConfig>& tls) {
  if (started_) return Status(ErrorCode::kInvalidArgument, "server already started");
  boost::system::error_code ec;
  net::ip::address address = net::ip::make_address(listen.host, ec);
  if (ec) {
    return Status(ErrorCode::kInvalidArgument,
                  "listen address \"" + listen.host + "\" is not an IP address");
  }
  listen_ = listen;
  if (tls) {
    FUPIN_ASSIGN_OR_RETURN(tls_, LoadTlsContext(*tls));
    services_.tls = tls_.get();
  }
  pool_ = std::make_unique<HandlerPool>(EffectiveWorkerThreads(limits_));
  services_.pool = pool_.get();
  listener_ = std::make_shared<Listener>(io_, services_);
  FUPIN_RETURN_IF_ERROR(listener_->Open(net::ip::tcp::endpoint(address, listen.port)));
  work_.emplace(io_.get_executor());
  listener_->Start();
  const std::size_t threads = EffectiveIoThreads(limits_);
  for (std::size_t i = 0; i < threads; ++i) {
    io_threads_.emplace_back([this] { io_.run(); });
  }
  started_ = true;
  return Status::Ok();
}

uint16_t HttpHost::port() const { return listener_ ? listener_->port() : 0; }

std::string HttpHost::url() const {
  const bool v6 = listen_.host.find(':') != std::string::npos;
  const std::string host = v6 ? "[" + listen_.host + "]" : listen_.host;
  return std::string(tls_ ? "https://" : "http://") + host + ":" + std::to_string(port());
}

void HttpHost::Stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  listener_->Stop();
  registry_.ShutdownAll();
  // Every accepted handler finishes (appends commit, callers are woken);
  // later ones are refused with 503 by their sessions.
  pool_->Drain();
  registry_.WaitUntilEmpty(limits_.write_timeout + kShutdownGrace);
  work_.reset();
  io_.stop();
  for (std::thread& thread : io_threads_) thread.join();
  io_threads_.clear();
}

}  // namespace fupin::api
