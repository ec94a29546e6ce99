#include "api/client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <chrono>

namespace fupin::api {
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

// A commit of 1000 signed events takes well under a second; a minute
// covers a slow disk without hanging a tool forever.
inline constexpr std::chrono::seconds kRequestTimeout{60};
// Responses of the ledger are bounded by its page limits; 64 MiB is far
// above the largest page and still stops a runaway peer.
inline constexpr std::uint64_t kMaxResponseBytes = 64u << 20;

}  // namespace

struct HttpClient::Impl {
  std::string host;
  std::string port;
  std::string token;
  boost::asio::io_context io;
  std::unique_ptr<beast::tcp_stream> stream;

  Status Connect() {
    beast::error_code ec;
    tcp::resolver resolver(io);
    auto endpoints = resolver.resolve(host, port, ec);
    if (ec) return Status(ErrorCode::kIoError, "resolve " + host + ": " + ec.message());
    stream = std::make_unique<beast::tcp_stream>(io);
    stream->expires_after(kRequestTimeout);
    stream->connect(endpoints, ec);
    if (ec) {
      stream.reset();
      return Status(ErrorCode::kIoError,
                    "connect to " + host + ":" + port + ": " + ec.message());
    }
    return Status::Ok();
  }

  Result<ClientResponse> Once(http::verb verb, std::string_view target, const std::string& body,
                              std::string_view content_type) {
    if (stream == nullptr) FUPIN_RETURN_IF_ERROR(Connect());
    http::request<http::string_body> request{verb, target, 11};
    request.set(http::field::host, host);
    request.set(http::field::user_agent, "fupin-ledger");
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    if (verb == http::verb::post) {
      request.set(http::field::content_type, content_type);
      request.body() = body;
    }
    request.keep_alive(true);
    request.prepare_payload();
    beast::error_code ec;
    stream->expires_after(kRequestTimeout);
    http::write(*stream, request, ec);
    if (ec) {
      stream.reset();
      return Status(ErrorCode::kIoError, "send: " + ec.message());
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBytes);
    http::read(*stream, buffer, parser, ec);
    if (ec) {
      stream.reset();
      return Status(ErrorCode::kIoError, "receive: " + ec.message());
    }
    http::response<http::string_body> response = parser.release();
    ClientResponse out;
    out.status = response.result_int();
    out.content_type = std::string(response[http::field::content_type]);
    out.body = std::move(response.body());
    if (!response.keep_alive()) stream.reset();
    return out;
  }

  Result<ClientResponse> Send(http::verb verb, std::string_view target, const std::string& body,
                              std::string_view content_type) {
    bool reused = stream != nullptr;
    Result<ClientResponse> response = Once(verb, target, body, content_type);
    // A kept-alive connection may have been closed by the server's idle
    // timeout; one fresh connection tells that apart from a dead server.
    if (!response.ok() && reused) return Once(verb, target, body, content_type);
    return response;
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> HttpClient::Create(std::string_view base_url,
                                                       std::string bearer_token) {
  auto parsed = boost::urls::parse_uri(base_url);
  if (!parsed) {
    return Status(ErrorCode::kInvalidArgument, "not a URL: " + std::string(base_url));
  }
  if (parsed->scheme() != "http") {
    return Status(ErrorCode::kInvalidArgument,
                  "only http:// URLs are supported, got " + std::string(parsed->scheme()));
  }
  auto impl = std::make_unique<Impl>();
  impl->host = std::string(parsed->host());
  impl->port = parsed->has_port() ? std::string(parsed->port()) : "80";
  impl->token = std::move(bearer_token);
  if (impl->host.empty()) {
    return Status(ErrorCode::kInvalidArgument, "URL has no host: " + std::string(base_url));
  }
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

Result<ClientResponse> HttpClient::Post(std::string_view target, std::string body,
                                        std::string_view content_type) {
  return impl_->Send(http::verb::post, target, body, content_type);
}

Result<ClientResponse> HttpClient::Get(std::string_view target) {
  return impl_->Send(http::verb::get, target, "", "");
}

}  // namespace fupin::api
