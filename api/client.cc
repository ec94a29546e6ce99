#include "api/client.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <optional>

namespace fupin::api {
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

namespace {

// A commit of 1000 signed events takes well under a second; a minute
// covers a slow disk without hanging a tool forever.
inline constexpr std::chrono::seconds kRequestTimeout{60};
// Responses of the ledger are bounded by its page limits; 64 MiB is far
// above the largest page and still stops a runaway peer.
inline constexpr std::uint64_t kMaxResponseBytes = 64u << 20;

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

}  // namespace

struct HttpClient::Impl {
  std::string host;  // bare, an IPv6 literal without brackets
  std::string port;
  std::string host_header;  // RFC 9110 §7.2: "[::1]:8443", "ledger:8080"
  std::string token;
  boost::asio::io_context io;
  std::optional<ssl::context> tls;  // set for https://
  // One of the two is open while connected.
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<TlsStream> secure;

  bool connected() const { return plain != nullptr || secure != nullptr; }
  void Close() {
    plain.reset();
    secure.reset();
  }
  beast::tcp_stream& tcp() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  Status Connect() {
    beast::error_code ec;
    tcp::resolver resolver(io);
    auto endpoints = resolver.resolve(host, port, ec);
    if (ec) return Status(ErrorCode::kIoError, "resolve " + host + ": " + ec.message());
    auto stream = std::make_unique<beast::tcp_stream>(io);
    stream->expires_after(kRequestTimeout);
    stream->connect(endpoints, ec);
    if (ec) {
      return Status(ErrorCode::kIoError, "connect to " + host + ":" + port + ": " + ec.message());
    }
    if (!tls) {
      plain = std::move(stream);
      return Status::Ok();
    }
    auto wrapped = std::make_unique<TlsStream>(std::move(*stream), *tls);
    // SNI names hosts, never IP literals (RFC 6066 §3); the certificate
    // must carry the name or the IP address either way.
    beast::error_code not_ip;
    boost::asio::ip::make_address(host, not_ip);
    if (not_ip && SSL_set_tlsext_host_name(wrapped->native_handle(), host.c_str()) != 1) {
      return Status(ErrorCode::kIoError, "TLS: cannot set the server name " + host);
    }
    wrapped->set_verify_callback(ssl::host_name_verification(host));
    wrapped->handshake(ssl::stream_base::client, ec);
    if (ec) {
      return Status(ErrorCode::kIoError,
                    "TLS handshake with " + host + ":" + port + ": " + ec.message());
    }
    secure = std::move(wrapped);
    return Status::Ok();
  }

  template <typename Stream>
  Result<ClientResponse> Exchange(Stream& stream, http::request<http::string_body>& request) {
    beast::error_code ec;
    tcp().expires_after(kRequestTimeout);
    http::write(stream, request, ec);
    if (ec) return Status(ErrorCode::kIoError, "send: " + ec.message());
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBytes);
    http::read(stream, buffer, parser, ec);
    if (ec) return Status(ErrorCode::kIoError, "receive: " + ec.message());
    http::response<http::string_body> response = parser.release();
    ClientResponse out;
    out.status = response.result_int();
    out.content_type = std::string(response[http::field::content_type]);
    out.body = std::move(response.body());
    if (!response.keep_alive()) Close();
    return out;
  }

  Result<ClientResponse> Once(http::verb verb, std::string_view target, const std::string& body,
                              std::string_view content_type) {
    if (!connected()) FUPIN_RETURN_IF_ERROR(Connect());
    http::request<http::string_body> request{verb, target, 11};
    request.set(http::field::host, host_header);
    request.set(http::field::user_agent, "fupin-ledger");
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    if (verb == http::verb::post) {
      request.set(http::field::content_type, content_type);
      request.body() = body;
    }
    request.keep_alive(true);
    request.prepare_payload();
    Result<ClientResponse> response =
        secure ? Exchange(*secure, request) : Exchange(*plain, request);
    if (!response.ok()) Close();
    return response;
  }

  Result<ClientResponse> Send(http::verb verb, std::string_view target, const std::string& body,
                              std::string_view content_type) {
    bool reused = connected();
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
                                                       std::string bearer_token,
                                                       const std::string& ca_file) {
  auto parsed = boost::urls::parse_uri(base_url);
  if (!parsed) {
    return Status(ErrorCode::kInvalidArgument, "not a URL: " + std::string(base_url));
  }
  bool https = parsed->scheme() == "https";
  if (parsed->scheme() != "http" && !https) {
    return Status(
        ErrorCode::kInvalidArgument,
        "only http:// and https:// URLs are supported, got " + std::string(parsed->scheme()));
  }
  auto impl = std::make_unique<Impl>();
  // An IPv6 literal comes bracketed in the URL; the resolver and the
  // certificate check want it bare.
  impl->host =
      std::string(parsed->host_type() == boost::urls::host_type::ipv6 ? parsed->host_address()
                                                                      : parsed->host());
  impl->port = parsed->has_port() ? std::string(parsed->port()) : (https ? "443" : "80");
  impl->token = std::move(bearer_token);
  impl->host_header = std::string(parsed->encoded_host_and_port());
  if (impl->host.empty()) {
    return Status(ErrorCode::kInvalidArgument, "URL has no host: " + std::string(base_url));
  }
  if (https) {
    impl->tls.emplace(ssl::context::tls_client);
    impl->tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1);
    impl->tls->set_verify_mode(ssl::verify_peer);
    beast::error_code ec;
    if (ca_file.empty()) {
      impl->tls->set_default_verify_paths(ec);
    } else {
      impl->tls->load_verify_file(ca_file, ec);
    }
    if (ec) {
      return Status(ErrorCode::kIoError,
                    "cannot load CA certificates" +
                        (ca_file.empty() ? std::string() : " from " + ca_file) + ": " +
                        ec.message());
    }
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
