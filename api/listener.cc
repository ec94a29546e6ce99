#include "api/listener.h"

#include <boost/asio/dispatch.hpp>
#include <future>

namespace fupin::api {
namespace {

namespace net = boost::asio;
using boost::system::error_code;
using net::ip::tcp;

// After an accept error (file descriptors exhausted, …) wait before trying
// again rather than spinning on the same error.
inline constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

// The answer to a connection over max_connections: fixed bytes, written
// without blocking on a fresh socket (they fit any send buffer).
inline constexpr std::string_view kOverloaded =
    "HTTP/1.1 503 Service Unavailable\r\n"
    "Content-Type: application/problem+json\r\n"
    "Connection: close\r\n"
    "Retry-After: 1\r\n"
    "Content-Length: 118\r\n"
    "\r\n"
    "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
    "\"code\":\"unavailable\",\"detail\":\"too many connections\"}";

}  // namespace

Listener::Listener(net::io_context& io, const SessionServices& services)
    : io_(io),
      services_(services),
      strand_(net::make_strand(io)),
      acceptor_(strand_),
      retry_(strand_) {}

Status Listener::Open(const tcp::endpoint& endpoint) {
  error_code ec;
  auto failed = [&](std::string_view step) {
    return Status(ErrorCode::kIoError, std::string(step) + " " + endpoint.address().to_string() +
                                           ":" + std::to_string(endpoint.port()) + ": " +
                                           ec.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return failed("cannot open a socket for");
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return failed("cannot set SO_REUSEADDR for");
  acceptor_.bind(endpoint, ec);
  if (ec) return failed("cannot bind");
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return failed("cannot listen on");
  port_ = acceptor_.local_endpoint(ec).port();
  if (ec) return failed("cannot read the bound port of");
  return Status::Ok();
}

void Listener::Start() {
  net::dispatch(strand_, [self = shared_from_this()] { self->Accept(); });
}

void Listener::Stop() {
  std::promise<void> stopped;
  net::dispatch(strand_, [self = shared_from_this(), &stopped] {
    self->stopped_ = true;
    error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_.cancel();
    stopped.set_value();
  });
  stopped.get_future().wait();
}

void Listener::Accept() {
  if (stopped_) return;
  // Each connection gets its own strand: its session's handlers never run
  // concurrently, and sessions never wait on each other.
  acceptor_.async_accept(net::make_strand(io_),
                         [self = shared_from_this()](error_code ec, tcp::socket socket) {
                           self->OnAccept(ec, std::move(socket));
                         });
}

void Listener::OnAccept(error_code ec, tcp::socket socket) {
  if (stopped_) {
    error_code ignored;
    socket.close(ignored);
    return;
  }
  if (ec) {
    if (ec == net::error::operation_aborted) return;
    retry_.expires_after(kAcceptRetryDelay);
    retry_.async_wait([self = shared_from_this()](error_code wait_ec) {
      if (!wait_ec) self->Accept();
    });
    return;
  }
  if (services_.registry->size() >= services_.limits.max_connections) {
    Refuse(std::move(socket));
  } else if (services_.tls != nullptr) {
    StartSession(std::make_shared<BasicSession<TlsStream>>(
        TlsStream(std::move(socket), *services_.tls), services_));
  } else {
    StartSession(std::make_shared<BasicSession<PlainStream>>(std::move(socket), services_));
  }
  Accept();
}

template <class Session>
void Listener::StartSession(std::shared_ptr<Session> session) {
  std::optional<uint64_t> id = services_.registry->Add(session);
  if (id) session->Start(*id);  // else dropped: the server is stopping
}

void Listener::Refuse(tcp::socket socket) {
  services_.metrics->ConnectionRefused();
  error_code ignored;
  if (services_.tls != nullptr) {
    // Plain bytes mean nothing to a TLS client, and a handshake per
    // refused connection is the work an overload must not add: just close.
    socket.close(ignored);
    return;
  }
  socket.non_blocking(true, ignored);
  socket.write_some(net::buffer(kOverloaded.data(), kOverloaded.size()), ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

}  // namespace fupin::api
