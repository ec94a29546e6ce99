// A tiny synchronous HTTP/1.1 client for the server tests (Beast over a
// blocking loopback socket). Every socket read and write has an OS timeout,
// so a server that hangs fails the test instead of hanging it.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cerrno>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace fupin::api::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

// Long enough for any answer of a Debug build, short enough to fail fast.
inline constexpr std::chrono::seconds kClientSocketTimeout{30};

struct HttpReply {
  unsigned status = 0;
  std::string body;
  http::fields headers;
  bool keep_alive = true;

  std::string Header(http::field name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : std::string(it->value());
  }
  // The body parsed as JSON (null when it is not JSON); parsed once, valid
  // as long as the reply.
  const boost::json::value& Json() const {
    if (!json_) {
      boost::system::error_code ec;
      boost::json::value value = boost::json::parse(body, ec);
      json_ = ec ? boost::json::value() : std::move(value);
    }
    return *json_;
  }
  // The problem+json `code`, or "" when the body is not a problem.
  std::string Code() const {
    const boost::json::value& value = Json();
    if (!value.is_object() || !value.as_object().contains("code")) return "";
    return std::string(value.as_object().at("code").as_string());
  }

 private:
  mutable std::optional<boost::json::value> json_;  // Json(), once parsed
};

class TestClient {
 public:
  explicit TestClient(uint16_t port, std::chrono::milliseconds timeout = kClientSocketTimeout)
      : socket_(io_) {
    boost::system::error_code ec;
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
    connected_ = !ec;
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  }

  bool connected() const { return connected_; }

  HttpReply Get(const std::string& target, const std::string& token = "") {
    http::request<http::string_body> request(http::verb::get, target, 11);
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    return Send(std::move(request)).value_or(HttpReply{});
  }

  HttpReply Post(const std::string& target, std::string body,
                 std::string_view content_type = "application/json",
                 const std::string& token = "") {
    http::request<http::string_body> request(http::verb::post, target, 11);
    if (!content_type.empty()) request.set(http::field::content_type, content_type);
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    request.body() = std::move(body);
    return Send(std::move(request)).value_or(HttpReply{});
  }

  // Writes the request (a failed write is tolerated: the server may have
  // answered early and stopped reading) and reads one reply; nullopt when
  // no reply could be read.
  std::optional<HttpReply> Send(http::request<http::string_body> request) {
    request.set(http::field::host, "127.0.0.1");
    request.prepare_payload();
    boost::system::error_code ec;
    http::write(socket_, request, ec);
    return Read();
  }

  // Raw bytes on the wire (hostile clients).
  boost::system::error_code WriteRaw(std::string_view bytes) {
    boost::system::error_code ec;
    net::write(socket_, net::buffer(bytes.data(), bytes.size()), ec);
    return ec;
  }

  std::optional<HttpReply> Read() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    boost::system::error_code ec;
    http::read(socket_, buffer_, parser, ec);
    if (ec) return std::nullopt;
    HttpReply reply;
    reply.status = parser.get().result_int();
    reply.keep_alive = parser.get().keep_alive();
    reply.body = parser.get().body();
    for (const auto& field : parser.get()) reply.headers.insert(field.name_string(), field.value());
    return reply;
  }

  // Waits up to `wait` for the server to close the connection (EOF or
  // reset), discarding what it sends meanwhile; true if it closed.
  bool WaitForClose(std::chrono::milliseconds wait) {
    auto deadline = std::chrono::steady_clock::now() + wait;
    int fd = socket_.native_handle();
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd readable{fd, POLLIN, 0};
      int ready = ::poll(&readable, 1, static_cast<int>(left.count()));
      if (ready <= 0) return false;
      char scratch[4096];
      ssize_t n = ::recv(fd, scratch, sizeof(scratch), 0);
      if (n == 0) return true;
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        return errno == ECONNRESET;
      }
    }
  }

  // One raw send without blocking on a closed peer (no SIGPIPE); false
  // when the connection is gone.
  bool SendSome(std::string_view bytes) {
    ssize_t n = ::send(socket_.native_handle(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    return n == static_cast<ssize_t>(bytes.size());
  }

  void Close() {
    boost::system::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

 private:
  net::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  bool connected_ = false;
};

}  // namespace fupin::api::testing
