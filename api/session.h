// One HTTP/1.1 connection: reads requests, hands them to the worker pool,
// writes the responses in order, and enforces the limits. It never parses
// a body or looks at a route: that is the handler's job.
//
// Deadlines: a keep-alive connection with nothing outstanding is closed
// after idle_timeout; a request must arrive whole (header and body) within
// read_timeout of its first byte; each response must be taken within
// write_timeout. A header over header_bytes or a body over body_bytes is
// answered 413 and the connection closed; an unparsable request is
// answered 400 and closed; a truncated request is simply closed.
//
// Pipelining: up to max_pipelined requests are read ahead. Safe requests
// (GET) are handled concurrently; a POST is handled alone, after every
// earlier request and before any later one (RFC 9112 §9.3.2), so pipelined
// appends keep their order. Responses are always written in request order.
//
// Threads: every member runs on the session's strand (the socket's
// executor); handlers run on the pool and post their response back.
// Lifetime: shared_ptr owned by its pending operations and handlers.
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

#include "api/config.h"
#include "api/handler_pool.h"
#include "api/http_types.h"
#include "api/metrics.h"
#include "api/session_registry.h"
#include "ledger/status.h"

namespace fupin::api {

// What a session needs from its server; the server outlives its sessions.
struct SessionServices {
  Limits limits;
  HandlerPool* pool = nullptr;
  // Runs on a worker: (request, when it was read in full) -> response.
  // Must not throw.
  std::function<Response(const Request&, std::chrono::steady_clock::time_point)> handle;
  Metrics* metrics = nullptr;
  SessionRegistry* registry = nullptr;
  // The server's certificate and key when it speaks HTTPS; null for plain
  // HTTP. Outlives the sessions, like the rest.
  boost::asio::ssl::context* tls = nullptr;
};

using PlainStream = boost::asio::ip::tcp::socket;
using TlsStream = boost::beast::ssl_stream<boost::asio::ip::tcp::socket>;

// What the registry and the server see of a session, whatever its stream.
class HttpSession {
 public:
  virtual ~HttpSession() = default;
  // Thread-safe: stop reading, answer requests not yet handled with 503,
  // finish those in flight, write their responses, then close.
  virtual void Shutdown() = 0;
};

template <class Stream>
class BasicSession final : public HttpSession,
                           public std::enable_shared_from_this<BasicSession<Stream>> {
 public:
  // The stream's socket must have a strand as its executor.
  BasicSession(Stream stream, const SessionServices& services);
  ~BasicSession() override;
  BasicSession(const BasicSession&) = delete;
  BasicSession& operator=(const BasicSession&) = delete;

  // Starts the handshake (TLS) and reading; call once, after registering
  // `registry_id`.
  void Start(uint64_t registry_id);
  void Shutdown() override;

 private:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  using Parser = http::request_parser<http::string_body>;
  using SteadyClock = std::chrono::steady_clock;

  struct Exchange {
    uint64_t id = 0;
    std::optional<Request> request;  // until handed to the pool
    bool safe = true;                // GET: may run concurrently
    bool dispatched = false;
    SteadyClock::time_point received;  // when the request was read in full
    std::optional<Response> response;
  };

  void Handshake();
  void ReadNext();
  void AwaitFirstByte();
  void OnReadable(boost::system::error_code ec);
  void ReadHeader();
  void OnHeader(boost::system::error_code ec);
  void ReadBody();
  void OnReadError(boost::system::error_code ec);
  void OnRequest();
  void Refuse(const Status& error);

  void Dispatch();
  void OnHandled(uint64_t id, Response response);
  void WriteNext();
  void OnWritten(boost::system::error_code ec);

  void Linger();
  void DrainSome();
  void Close();

  void ArmRead(std::chrono::milliseconds timeout);
  void ArmWrite(std::chrono::milliseconds timeout);
  void Disarm(boost::asio::steady_timer& timer);
  void OnDeadline(boost::system::error_code ec, boost::asio::steady_timer& timer);

  boost::asio::ip::tcp::socket& socket();  // the TCP layer under the stream

  Stream stream_;
  const SessionServices& services_;
  boost::asio::steady_timer read_deadline_;
  boost::asio::steady_timer write_deadline_;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::deque<Exchange> exchanges_;  // in request order; front is written next
  std::array<char, 4096> drain_{};  // lingering close discards into this

  std::optional<uint64_t> registry_id_;
  uint64_t next_exchange_ = 0;
  std::size_t in_flight_ = 0;      // handlers running on the pool
  bool unsafe_in_flight_ = false;  // a POST is being handled
  bool reading_ = false;           // a read (or wait for one) is pending
  bool awaiting_first_byte_ = false;
  bool writing_ = false;
  bool closing_ = false;   // no more requests will be read
  bool stopping_ = false;  // the server is shutting down
  bool lingering_ = false;
  bool closed_ = false;
};

extern template class BasicSession<PlainStream>;
extern template class BasicSession<TlsStream>;

}  // namespace fupin::api
