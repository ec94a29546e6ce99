// The tools' HTTP client (api/client.h) as a peer sees it: the Host header
// it sends (RFC 9110 §7.2) for names, ports and IPv6 literals.
#include "api/client.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <string>
#include <thread>

namespace fupin::api {
namespace {

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// Accepts one connection on `address`, reads one request, answers 200 and
// returns the request's Host header ("" when the peer never connected).
class OneRequestPeer {
 public:
  explicit OneRequestPeer(const std::string& address)
      : acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address(address), 0)) {
    thread_ = std::thread([this] {
      boost::system::error_code ec;
      tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec) return;
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(socket, buffer, request, ec);
      if (ec) return;
      host_ = std::string(request[http::field::host]);
      http::response<http::string_body> response(http::status::ok, 11);
      response.body() = "{}";
      response.keep_alive(false);
      response.prepare_payload();
      http::write(socket, response, ec);
    });
  }
  ~OneRequestPeer() {
    if (thread_.joinable()) thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string Host() {
    thread_.join();
    return host_;
  }

 private:
  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::string host_;
};

TEST(HttpClientTest, HostHeaderCarriesThePortAndBracketsAnIpv6Literal) {
  {
    OneRequestPeer peer("127.0.0.1");
    const std::string authority = "127.0.0.1:" + std::to_string(peer.port());
    auto client = HttpClient::Create("http://" + authority);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    Result<ClientResponse> reply = (*client)->Get("/healthz");
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    EXPECT_EQ(peer.Host(), authority);
  }
  // The IPv6 loopback (the machines this runs on have it).
  OneRequestPeer peer("::1");
  const std::string authority = "[::1]:" + std::to_string(peer.port());
  auto client = HttpClient::Create("http://" + authority);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  Result<ClientResponse> reply = (*client)->Get("/healthz");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(peer.Host(), authority);
}

}  // namespace
}  // namespace fupin::api
