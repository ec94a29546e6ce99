// Accepts connections and starts a session for each; nothing else.
//
// Connections beyond max_connections are answered with a fixed 503 and
// closed at once (over TLS: closed at once), so an overload is visible to
// clients and never queues unboundedly. With services.tls set every
// connection is a TLS session; there is no plain HTTP on that port. Threads: runs on its own
// strand; Stop() may be called from any thread. Lifetime: shared_ptr owned by its pending accept.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <memory>

#include "api/session.h"
#include "ledger/status.h"

namespace fupin::api {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& io, const SessionServices& services);

  // Binds and listens (synchronously). kInvalidArgument for a bad address,
  // kIoError when the port cannot be bound.
  Status Open(const boost::asio::ip::tcp::endpoint& endpoint);
  // The bound port (the real one after binding port 0).
  uint16_t port() const { return port_; }

  void Start();
  // Closes the acceptor and returns once no session will be started any
  // more. Must not be called from an I/O thread of `io`.
  void Stop();

 private:
  void Accept();
  void OnAccept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  template <class Session>
  void StartSession(std::shared_ptr<Session> session);
  void Refuse(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  const SessionServices& services_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  uint16_t port_ = 0;
  bool stopped_ = false;
};

}  // namespace fupin::api
