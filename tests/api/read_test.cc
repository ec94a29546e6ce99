// Reads: tokens and roles, records, pages, streams, routing errors, metrics.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <set>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "tests/api/server_fixture.h"

namespace fupin::api::testing {
namespace {

const std::string kAuditor(kAuditorToken);
const std::string kPublic(kPublicToken);
const std::string kSupervisor(kSupervisorToken);

class ReadTest : public ::testing::Test {
 protected:
  void AppendSales(const std::string& outlet, int n) {
    TestClient client(server_.port());
    for (int i = 0; i < n; ++i) {
      HttpReply reply = client.Post(
          "/v1/events", SaleJson(server_.op(), outlet, outlet + "-S-" + std::to_string(i)));
      ASSERT_EQ(reply.status, 201u) << reply.body;
    }
  }

  ApiServer server_;
};

TEST_F(ReadTest, HealthzNeedsNoToken) {
  TestClient client(server_.port());
  HttpReply reply = client.Get("/healthz");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.Json().at("status").as_string(), "ok");
  EXPECT_EQ(reply.Json().at("tree_size").as_int64(), static_cast<int64_t>(server_.tree_size()));
}

TEST_F(ReadTest, MissingTokenIs401WithBearerChallenge) {
  TestClient client(server_.port());
  HttpReply reply = client.Get("/v1/events");
  EXPECT_EQ(reply.status, 401u);
  EXPECT_EQ(reply.Code(), "unauthenticated");
  EXPECT_EQ(reply.Header(http::field::www_authenticate).rfind("Bearer", 0), 0u);
}

TEST_F(ReadTest, UnknownTokenIs401InvalidToken) {
  TestClient client(server_.port());
  HttpReply reply = client.Get("/v1/checkpoint", "not-a-configured-token");
  EXPECT_EQ(reply.status, 401u);
  EXPECT_EQ(reply.Code(), "unauthenticated");
  EXPECT_NE(reply.Header(http::field::www_authenticate).find("invalid_token"), std::string::npos);
}

TEST_F(ReadTest, NonBearerCredentialIs401) {
  TestClient client(server_.port());
  http::request<http::string_body> request(http::verb::get, "/v1/events", 11);
  request.set(http::field::authorization, "Basic dXNlcjpwYXNz");
  std::optional<HttpReply> reply = client.Send(std::move(request));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 401u);
}

TEST_F(ReadTest, PublicRoleIs403OnRecordsStreamsAndMetrics) {
  TestClient client(server_.port());
  for (const char* target : {"/v1/events", "/v1/events/0", "/v1/streams/outlet:C-1", "/metrics"}) {
    HttpReply reply = client.Get(target, kPublic);
    EXPECT_EQ(reply.status, 403u) << target;
    EXPECT_EQ(reply.Code(), "permission_denied") << target;
  }
}

TEST_F(ReadTest, PublicRoleReadsCheckpointsAndProofs) {
  TestClient client(server_.port());
  EXPECT_EQ(client.Get("/v1/checkpoint", kPublic).status, 200u);
  uint64_t size = server_.tree_size();
  EXPECT_EQ(client.Get("/v1/checkpoints/" + std::to_string(size), kPublic).status, 200u);
  EXPECT_EQ(client.Get("/v1/proof/inclusion?seq=0", kPublic).status, 200u);
  EXPECT_EQ(client.Get("/v1/proof/consistency?first=1", kPublic).status, 200u);
}

TEST_F(ReadTest, AuditorAndSupervisorReadRecords) {
  TestClient client(server_.port());
  EXPECT_EQ(client.Get("/v1/events/0", kAuditor).status, 200u);
  EXPECT_EQ(client.Get("/v1/events/0", kSupervisor).status, 200u);
}

TEST_F(ReadTest, RecordIsServedWithItsLeafHash) {
  TestClient client(server_.port());
  HttpReply reply = client.Get("/v1/events/0", kAuditor);
  ASSERT_EQ(reply.status, 200u);
  boost::json::object record = reply.Json().as_object();
  EXPECT_EQ(record.at("seq").as_int64(), 0);
  std::string leaf_hash(record.at("leaf_hash").as_string());
  EXPECT_EQ(leaf_hash, server_.ledger().info().log_id);
  // The leaf hash covers the canonical record without leaf_hash.
  record.erase("leaf_hash");
  std::string leaf_data(1, '\0');
  leaf_data += json::Canonicalize(record);
  EXPECT_EQ(HexEncode(crypto::Sha256(leaf_data)), leaf_hash);
}

TEST_F(ReadTest, UnknownSeqIs404) {
  TestClient client(server_.port());
  HttpReply reply = client.Get("/v1/events/999999", kAuditor);
  EXPECT_EQ(reply.status, 404u);
  EXPECT_EQ(reply.Code(), "not_found");
}

TEST_F(ReadTest, NonNumericSeqIs400) {
  TestClient client(server_.port());
  for (const char* target :
       {"/v1/events/abc", "/v1/events/-1", "/v1/events/01", "/v1/events/99999999999999999999999"}) {
    HttpReply reply = client.Get(target, kAuditor);
    EXPECT_EQ(reply.status, 400u) << target;
    EXPECT_EQ(reply.Code(), "invalid_argument") << target;
  }
}

TEST_F(ReadTest, PagesCoverTheLogOnceWithNext) {
  AppendSales("C-1", 6);
  uint64_t size = server_.tree_size();
  TestClient client(server_.port());
  std::vector<int64_t> seqs;
  std::string target = "/v1/events?from=0&limit=5";
  for (int pages = 0; pages < 100; ++pages) {
    HttpReply reply = client.Get(target, kAuditor);
    ASSERT_EQ(reply.status, 200u) << reply.body;
    boost::json::value json = reply.Json();
    const boost::json::array& records = json.at("records").as_array();
    EXPECT_LE(records.size(), 5u);
    for (const auto& record : records) seqs.push_back(record.at("seq").as_int64());
    if (json.at("next").is_null()) break;
    target = "/v1/events?limit=5&from=" + std::to_string(json.at("next").as_int64());
  }
  ASSERT_EQ(seqs.size(), size);
  for (uint64_t i = 0; i < size; ++i) EXPECT_EQ(seqs[i], static_cast<int64_t>(i));
}

TEST_F(ReadTest, DefaultPageIs100AndLimitIsBounded) {
  TestClient client(server_.port());
  HttpReply all = client.Get("/v1/events", kAuditor);
  ASSERT_EQ(all.status, 200u);
  EXPECT_EQ(all.Json().at("records").as_array().size(), server_.tree_size());
  EXPECT_TRUE(all.Json().at("next").is_null());
  EXPECT_EQ(client.Get("/v1/events?limit=0", kAuditor).status, 400u);
  EXPECT_EQ(client.Get("/v1/events?limit=1001", kAuditor).status, 400u);
  EXPECT_EQ(client.Get("/v1/events?limit=1000", kAuditor).status, 200u);
}

TEST_F(ReadTest, FromBeyondTheLogIsAnEmptyPage) {
  TestClient client(server_.port());
  HttpReply reply = client.Get("/v1/events?from=100000", kAuditor);
  ASSERT_EQ(reply.status, 200u);
  EXPECT_TRUE(reply.Json().at("records").as_array().empty());
  EXPECT_TRUE(reply.Json().at("next").is_null());
}

TEST_F(ReadTest, TypeFilterReturnsOnlyThatType) {
  AppendSales("C-1", 3);
  TestClient client(server_.port());
  HttpReply reply = client.Get("/v1/events?type=sale.recorded&limit=2", kAuditor);
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const boost::json::array& records = reply.Json().at("records").as_array();
  ASSERT_EQ(records.size(), 2u);
  for (const auto& record : records) {
    EXPECT_EQ(record.at("event").at("type").as_string(), "sale.recorded");
  }
  int64_t next = reply.Json().at("next").as_int64();
  EXPECT_EQ(next, records[1].at("seq").as_int64() + 1);
  HttpReply rest =
      client.Get("/v1/events?type=sale.recorded&from=" + std::to_string(next), kAuditor);
  ASSERT_EQ(rest.status, 200u);
  EXPECT_EQ(rest.Json().at("records").as_array().size(), 1u);
  EXPECT_TRUE(rest.Json().at("next").is_null());
}

TEST_F(ReadTest, UnknownTypeOrParameterIs400) {
  TestClient client(server_.port());
  EXPECT_EQ(client.Get("/v1/events?type=sale.invented", kAuditor).status, 400u);
  EXPECT_EQ(client.Get("/v1/events?form=3", kAuditor).status, 400u);
  EXPECT_EQ(client.Get("/v1/events?from=1&from=2", kAuditor).status, 400u);
}

TEST_F(ReadTest, StreamServesItsChainInOrder) {
  AppendSales("C-1", 4);
  TestClient client(server_.port());
  HttpReply reply = client.Get("/v1/streams/outlet:C-1", kAuditor);
  ASSERT_EQ(reply.status, 200u) << reply.body;
  boost::json::value json = reply.Json();
  EXPECT_EQ(json.at("stream").as_string(), "outlet:C-1");
  const boost::json::array& records = json.at("records").as_array();
  ASSERT_EQ(records.size(), 5u);  // the deployment and 4 sales
  std::string previous;
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].at("stream_version").as_int64(), static_cast<int64_t>(i + 1));
    EXPECT_EQ(records[i].at("prev_stream_hash").as_string(), previous);
    previous = std::string(records[i].at("leaf_hash").as_string());
  }
  EXPECT_TRUE(json.at("next").is_null());
}

TEST_F(ReadTest, StreamPagesContinueWithNext) {
  AppendSales("C-1", 4);
  TestClient client(server_.port());
  HttpReply page = client.Get("/v1/streams/outlet%3AC-1?from=2&limit=2", kAuditor);
  ASSERT_EQ(page.status, 200u) << page.body;
  const boost::json::array& records = page.Json().at("records").as_array();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].at("stream_version").as_int64(), 2);
  EXPECT_EQ(records[1].at("stream_version").as_int64(), 3);
  EXPECT_EQ(page.Json().at("next").as_int64(), 4);
  HttpReply last = client.Get("/v1/streams/outlet:C-1?from=4&limit=2", kAuditor);
  ASSERT_EQ(last.status, 200u);
  EXPECT_EQ(last.Json().at("records").as_array().size(), 2u);
  EXPECT_TRUE(last.Json().at("next").is_null());
  HttpReply beyond = client.Get("/v1/streams/outlet:C-1?from=9", kAuditor);
  ASSERT_EQ(beyond.status, 200u);
  EXPECT_TRUE(beyond.Json().at("records").as_array().empty());
}

TEST_F(ReadTest, UnknownStreamIs404AndVersionZeroIs400) {
  TestClient client(server_.port());
  EXPECT_EQ(client.Get("/v1/streams/outlet:NOPE", kAuditor).status, 404u);
  EXPECT_EQ(client.Get("/v1/streams/outlet:C-1?from=0", kAuditor).status, 400u);
}

TEST_F(ReadTest, UnknownPathIs404AndOtherMethodIs405) {
  TestClient client(server_.port());
  HttpReply missing = client.Get("/v1/nothing", kAuditor);
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.Code(), "not_found");
  http::request<http::string_body> request(http::verb::delete_, "/v1/events", 11);
  std::optional<HttpReply> refused = client.Send(std::move(request));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 405u);
  EXPECT_EQ(refused->Code(), "method_not_allowed");
  EXPECT_EQ(refused->Header(http::field::allow), "POST, GET");
}

TEST_F(ReadTest, KeepAliveServesManyRequestsOnOneConnection) {
  TestClient client(server_.port());
  for (int i = 0; i < 20; ++i) {
    HttpReply reply = client.Get("/healthz");
    ASSERT_EQ(reply.status, 200u);
    EXPECT_TRUE(reply.keep_alive);
  }
}

TEST_F(ReadTest, MetricsCountRequestsByRouteAndRejectionsByCode) {
  TestClient client(server_.port());
  ASSERT_EQ(client.Post("/v1/events", SaleJson(server_.op(), "C-1", "S-1")).status, 201u);
  ASSERT_EQ(client.Post("/v1/events", SaleJson(server_.world().stranger, "C-1", "S-2")).status,
            403u);
  ASSERT_EQ(client.Get("/v1/events/0", kAuditor).status, 200u);
  HttpReply metrics = client.Get("/metrics", kAuditor);
  ASSERT_EQ(metrics.status, 200u);
  EXPECT_EQ(metrics.Header(http::field::content_type), "text/plain; version=0.0.4");
  const std::string& text = metrics.body;
  EXPECT_NE(
      text.find("fupin_http_requests_total{route=\"/v1/events\",method=\"POST\",status=\"201\"} 1"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          "fupin_http_requests_total{route=\"/v1/events/{seq}\",method=\"GET\",status=\"200\"} 1"),
      std::string::npos);
  EXPECT_NE(text.find("fupin_events_rejected_total{code=\"unknown_key\"} 1"), std::string::npos);
  EXPECT_NE(text.find("fupin_events_appended_total 1"), std::string::npos);
  EXPECT_NE(text.find("fupin_ledger_tree_size " + std::to_string(server_.tree_size())),
            std::string::npos);
  EXPECT_NE(text.find("fupin_append_duration_seconds_count 2"), std::string::npos);
  // The one appended sale was one commit group of one record.
  EXPECT_NE(text.find("fupin_commit_groups_total 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("fupin_commit_group_events_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("fupin_commit_sync_seconds_total "), std::string::npos);
  EXPECT_NE(text.find("fupin_http_request_duration_seconds_bucket{route=\"/v1/"
                      "events\",method=\"POST\",le=\"+Inf\"} 2"),
            std::string::npos);
}

}  // namespace
}  // namespace fupin::api::testing
