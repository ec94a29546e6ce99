// Hostile and unusual clients: oversized, malformed, truncated, slow,
// pipelined, too many. The server answers 4xx or closes, never crashes,
// hangs or appends, and keeps serving others.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "tests/api/server_fixture.h"

namespace fupin::api::testing {
namespace {

using std::chrono::milliseconds;

// Short deadlines so the tests of slow clients stay fast.
void ShortDeadlines(ServerConfig& config) {
  config.limits.read_timeout = milliseconds(300);
  config.limits.idle_timeout = milliseconds(300);
  config.limits.write_timeout = milliseconds(1000);
}

void ExpectHealthy(ApiServer& server, uint64_t tree_size) {
  TestClient client(server.port());
  HttpReply health = client.Get("/healthz");
  ASSERT_EQ(health.status, 200u);
  EXPECT_EQ(health.Json().at("tree_size").as_int64(), static_cast<int64_t>(tree_size));
}

std::string PostHeader(std::size_t content_length, std::string_view extra = "") {
  return "POST /v1/events HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" +
         std::string(extra) + "Content-Length: " + std::to_string(content_length) + "\r\n\r\n";
}

TEST(HostileTest, DeeplyNestedArraysAre400) {
  ApiServer server;
  uint64_t before = server.tree_size();
  TestClient client(server.port());
  HttpReply reply = client.Post("/v1/events", std::string(10000, '[') + std::string(10000, ']'));
  EXPECT_EQ(reply.status, 400u);
  EXPECT_EQ(reply.Code(), "malformed_json");
  ExpectHealthy(server, before);
}

TEST(HostileTest, DeeplyNestedObjectsAre400) {
  ApiServer server;
  uint64_t before = server.tree_size();
  std::string body;
  for (int i = 0; i < 10000; ++i) body += "{\"a\":";
  body += "1" + std::string(10000, '}');
  TestClient client(server.port());
  HttpReply reply = client.Post("/v1/events", body);
  EXPECT_EQ(reply.status, 400u);
  EXPECT_EQ(reply.Code(), "malformed_json");
  ExpectHealthy(server, before);
}

TEST(HostileTest, TenMegabyteStringIs413) {
  ApiServer server;
  uint64_t before = server.tree_size();
  TestClient client(server.port());
  HttpReply reply =
      client.Post("/v1/events", "{\"id\":\"" + std::string(10 * 1024 * 1024, 'a') + "\"}");
  EXPECT_EQ(reply.status, 413u);
  EXPECT_EQ(reply.Code(), "payload_too_large");
  EXPECT_FALSE(reply.keep_alive);
  ExpectHealthy(server, before);
}

TEST(HostileTest, HugeStringUnderTheBodyLimitIs400) {
  ApiServer server;
  uint64_t before = server.tree_size();
  TestClient client(server.port());
  HttpReply reply = client.Post("/v1/events", "{\"id\":\"" + std::string(1024 * 1024, 'a') + "\"}");
  EXPECT_EQ(reply.status, 400u);
  EXPECT_EQ(reply.Code(), "malformed_json");
  ExpectHealthy(server, before);
}

TEST(HostileTest, TruncatedBodyThenCloseIsHarmless) {
  ApiServer server;
  uint64_t before = server.tree_size();
  std::string event = SaleJson(server.op(), "C-1", "S-1");
  {
    TestClient client(server.port());
    ASSERT_FALSE(client.WriteRaw(PostHeader(event.size()) + event.substr(0, event.size() / 2)));
    client.Close();
  }
  ExpectHealthy(server, before);
}

TEST(HostileTest, TruncatedBodyIsClosedByTheReadDeadline) {
  ApiServer server(ShortDeadlines);
  uint64_t before = server.tree_size();
  std::string event = SaleJson(server.op(), "C-1", "S-1");
  TestClient client(server.port());
  ASSERT_FALSE(client.WriteRaw(PostHeader(event.size() + 100) + event));
  EXPECT_TRUE(client.WaitForClose(milliseconds(5000)));
  ExpectHealthy(server, before);
}

TEST(HostileTest, SlowlorisHeaderIsClosedByTheReadDeadline) {
  ApiServer server(ShortDeadlines);
  TestClient client(server.port());
  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(client.SendSome("GET /healthz HTTP/1.1\r\n"));
  bool closed = false;
  // One header byte every 50 ms: never a complete request.
  for (int i = 0; i < 100 && !closed; ++i) {
    if (!client.SendSome("X")) break;
    closed = client.WaitForClose(milliseconds(50));
  }
  if (!closed) closed = client.WaitForClose(milliseconds(1000));
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(3000));
  ExpectHealthy(server, server.tree_size());
}

TEST(HostileTest, IdleKeepAliveConnectionIsClosed) {
  ApiServer server(ShortDeadlines);
  TestClient client(server.port());
  ASSERT_EQ(client.Get("/healthz").status, 200u);
  EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
}

TEST(HostileTest, HeaderOverTheLimitIs413AndCloses) {
  ApiServer server;
  TestClient client(server.port());
  http::request<http::string_body> request(http::verb::get, "/healthz", 11);
  request.set("X-Padding", std::string(32 * 1024, 'p'));
  std::optional<HttpReply> reply = client.Send(std::move(request));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413u);
  EXPECT_FALSE(reply->keep_alive);
  EXPECT_TRUE(client.WaitForClose(milliseconds(5000)));
}

TEST(HostileTest, GarbageIs400AndCloses) {
  ApiServer server;
  TestClient client(server.port());
  ASSERT_FALSE(client.WriteRaw("HELLO THERE\r\n\r\n"));
  std::optional<HttpReply> reply = client.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 400u);
  EXPECT_EQ(reply->Code(), "invalid_argument");
  EXPECT_TRUE(client.WaitForClose(milliseconds(5000)));
  ExpectHealthy(server, server.tree_size());
}

TEST(HostileTest, ChunkedBodyOverTheLimitIs413) {
  ApiServer server([](ServerConfig& config) { config.limits.body_bytes = 1024; });
  TestClient client(server.port());
  std::string chunk(1500, 'x');
  char size[16];
  std::snprintf(size, sizeof(size), "%zx", chunk.size());
  ASSERT_FALSE(
      client.WriteRaw("POST /v1/events HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n" +
                      std::string(size) + "\r\n" + chunk + "\r\n0\r\n\r\n"));
  std::optional<HttpReply> reply = client.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413u);
}

TEST(HostileTest, PipelinedRequestsAreAnsweredInOrder) {
  ApiServer server;
  TestClient client(server.port());
  std::string auth = "Authorization: Bearer " + std::string(kAuditorToken) + "\r\n";
  ASSERT_FALSE(client.WriteRaw("GET /v1/events/0 HTTP/1.1\r\nHost: t\r\n" + auth + "\r\n" +
                               "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n" +
                               "GET /v1/events/1 HTTP/1.1\r\nHost: t\r\n" + auth + "\r\n" +
                               "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<HttpReply> first = client.Read();
  std::optional<HttpReply> second = client.Read();
  std::optional<HttpReply> third = client.Read();
  std::optional<HttpReply> fourth = client.Read();
  ASSERT_TRUE(first && second && third && fourth);
  EXPECT_EQ(first->Json().at("seq").as_int64(), 0);
  EXPECT_EQ(second->status, 404u);
  EXPECT_EQ(third->Json().at("seq").as_int64(), 1);
  EXPECT_EQ(fourth->Json().at("status").as_string(), "ok");
}

TEST(HostileTest, PipelinedAppendsKeepTheirOrder) {
  // The sale names the outlet the first request deploys: handled out of
  // order it would be refused as an unknown reference.
  ApiServer server;
  std::string deploy = OutletJson(server.op(), "C-77");
  std::string sale = SaleJson(server.op(), "C-77", "S-77");
  TestClient client(server.port());
  ASSERT_FALSE(
      client.WriteRaw(PostHeader(deploy.size()) + deploy + PostHeader(sale.size()) + sale));
  std::optional<HttpReply> first = client.Read();
  std::optional<HttpReply> second = client.Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 201u) << first->body;
  EXPECT_EQ(second->status, 201u) << second->body;
  EXPECT_EQ(second->Json().at("results").as_array()[0].at("seq").as_int64(),
            first->Json().at("results").as_array()[0].at("seq").as_int64() + 1);
}

TEST(HostileTest, ExpectContinueGetsAnInterimResponse) {
  ApiServer server;
  std::string sale = SaleJson(server.op(), "C-1", "S-1");
  TestClient client(server.port());
  ASSERT_FALSE(client.WriteRaw(PostHeader(sale.size(), "Expect: 100-continue\r\n")));
  std::optional<HttpReply> interim = client.Read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100u);
  ASSERT_FALSE(client.WriteRaw(sale));
  std::optional<HttpReply> reply = client.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 201u) << reply->body;
}

TEST(HostileTest, ConnectionCloseIsHonoured) {
  ApiServer server;
  TestClient client(server.port());
  http::request<http::string_body> request(http::verb::get, "/healthz", 11);
  request.keep_alive(false);
  std::optional<HttpReply> reply = client.Send(std::move(request));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200u);
  EXPECT_FALSE(reply->keep_alive);
  EXPECT_TRUE(client.WaitForClose(milliseconds(5000)));
}

TEST(HostileTest, ConnectionsOverTheLimitGet503) {
  ApiServer server([](ServerConfig& config) { config.limits.max_connections = 2; });
  TestClient first(server.port());
  TestClient second(server.port());
  ASSERT_EQ(first.Get("/healthz").status, 200u);
  ASSERT_EQ(second.Get("/healthz").status, 200u);
  TestClient third(server.port());
  std::optional<HttpReply> refused = third.Read();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503u);
  EXPECT_EQ(refused->Code(), "unavailable");
  // A closed connection frees its place.
  first.Close();
  bool served = false;
  for (int attempt = 0; attempt < 100 && !served; ++attempt) {
    TestClient next(server.port());
    served = next.Get("/healthz").status == 200;
    if (!served) std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(served);
}

TEST(HostileTest, HeadIsRefusedWithoutABody) {
  ApiServer server;
  TestClient client(server.port());
  // If the answer to HEAD carried a body, the GET's answer would not start
  // right after its header.
  ASSERT_FALSE(client.WriteRaw(
      "HEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<HttpReply> first = client.Read();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 405u);
  EXPECT_TRUE(first->body.empty());
  std::optional<HttpReply> second = client.Read();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200u);
}

}  // namespace
}  // namespace fupin::api::testing
