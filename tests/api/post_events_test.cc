// POST /v1/events: every answer of SPEC §5, and after every refusal the
// log is unchanged.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "tests/api/server_fixture.h"

namespace fupin::api::testing {
namespace {

using fupin::testing::KeyBody;
using fupin::testing::SaleBody;
using fupin::testing::TestSigner;
using fupin::testing::TestUuid;

std::string Batch(const std::vector<std::string>& events) {
  std::string out = "{\"events\":[";
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i > 0) out += ',';
    out += events[i];
  }
  return out + "]}";
}

class PostEventsTest : public ::testing::Test {
 protected:
  // Posts `body` and expects a refusal with `status` and `code` that left
  // the log as it was (both the ledger and the served checkpoint).
  HttpReply ExpectRefused(const std::string& body, unsigned status, std::string_view code,
                          std::string_view content_type = "application/json") {
    uint64_t before = server_.tree_size();
    TestClient client(server_.port());
    HttpReply reply = client.Post("/v1/events", body, content_type);
    EXPECT_EQ(reply.status, status) << reply.body;
    EXPECT_EQ(reply.Code(), code) << reply.body;
    EXPECT_EQ(reply.Header(http::field::content_type), "application/problem+json");
    EXPECT_TRUE(reply.Json().is_object() && reply.Json().as_object().contains("detail"));
    EXPECT_EQ(server_.tree_size(), before);
    // A new connection: the refusal may have closed this one.
    HttpReply health = TestClient(server_.port()).Get("/healthz");
    EXPECT_EQ(health.Json().at("tree_size").as_int64(), static_cast<int64_t>(before));
    return reply;
  }

  ApiServer server_;
};

TEST_F(PostEventsTest, AppendsOneEventWith201) {
  uint64_t before = server_.tree_size();
  TestClient client(server_.port());
  HttpReply reply = client.Post("/v1/events", SaleJson(server_.op(), "C-1", "S-1"));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  EXPECT_EQ(reply.Header(http::field::content_type), "application/json");
  boost::json::value json = reply.Json();
  const boost::json::array& results = json.at("results").as_array();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].at("status").as_string(), "appended");
  EXPECT_EQ(results[0].at("seq").as_int64(), static_cast<int64_t>(before));
  EXPECT_EQ(results[0].at("leaf_hash").as_string().size(), 64u);
  EXPECT_EQ(json.at("tree_size").as_int64(), static_cast<int64_t>(before + 1));
  EXPECT_EQ(server_.tree_size(), before + 1);
}

TEST_F(PostEventsTest, AcceptsContentTypeWithCharset) {
  TestClient client(server_.port());
  HttpReply reply = client.Post("/v1/events", SaleJson(server_.op(), "C-1", "S-1"),
                                "Application/JSON; charset=utf-8");
  EXPECT_EQ(reply.status, 201u) << reply.body;
}

TEST_F(PostEventsTest, ExactDuplicateIs200WithOriginalSeq) {
  std::string sale = SaleJson(server_.op(), "C-1", "S-1");
  TestClient client(server_.port());
  HttpReply first = client.Post("/v1/events", sale);
  ASSERT_EQ(first.status, 201u) << first.body;
  uint64_t after_first = server_.tree_size();
  HttpReply again = client.Post("/v1/events", sale);
  ASSERT_EQ(again.status, 200u) << again.body;
  const boost::json::value& result = again.Json().at("results").as_array()[0];
  EXPECT_EQ(result.at("status").as_string(), "duplicate");
  EXPECT_EQ(result.at("seq"), first.Json().at("results").as_array()[0].at("seq"));
  EXPECT_EQ(result.at("leaf_hash"), first.Json().at("results").as_array()[0].at("leaf_hash"));
  EXPECT_EQ(server_.tree_size(), after_first);
}

TEST_F(PostEventsTest, BatchOfDuplicateAndNewIs201WithPerEventStatus) {
  std::string old_sale = SaleJson(server_.op(), "C-1", "S-1");
  TestClient client(server_.port());
  ASSERT_EQ(client.Post("/v1/events", old_sale).status, 201u);
  HttpReply reply =
      client.Post("/v1/events", Batch({old_sale, SaleJson(server_.op(), "C-1", "S-2")}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  const boost::json::array& results = reply.Json().at("results").as_array();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].at("status").as_string(), "duplicate");
  EXPECT_EQ(results[1].at("status").as_string(), "appended");
}

TEST_F(PostEventsTest, BatchAppendsAllInOrder) {
  uint64_t before = server_.tree_size();
  std::vector<std::string> sales;
  for (int i = 0; i < 5; ++i)
    sales.push_back(SaleJson(server_.op(), "C-1", "S-" + std::to_string(i)));
  TestClient client(server_.port());
  HttpReply reply = client.Post("/v1/events", Batch(sales));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  const boost::json::array& results = reply.Json().at("results").as_array();
  ASSERT_EQ(results.size(), 5u);
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].at("seq").as_int64(), static_cast<int64_t>(before + i));
  }
  EXPECT_EQ(reply.Json().at("tree_size").as_int64(), static_cast<int64_t>(before + 5));
}

TEST_F(PostEventsTest, SameIdOtherContentIs409IdConflict) {
  std::string id = TestUuid(900001);
  TestClient client(server_.port());
  ASSERT_EQ(
      client.Post("/v1/events", SaleJson(server_.op(), "C-1", "S-1", std::nullopt, id)).status,
      201u);
  ExpectRefused(SaleJson(server_.op(), "C-1", "S-2", std::nullopt, id), 409, "id_conflict");
}

TEST_F(PostEventsTest, StaleExpectedVersionIs409VersionConflict) {
  ExpectRefused(SaleJson(server_.op(), "C-1", "S-1", /*expected_version=*/99), 409,
                "version_conflict");
}

TEST_F(PostEventsTest, MatchingExpectedVersionIsAppended) {
  // Outlet C-1's stream holds its deployment only: version 1.
  TestClient client(server_.port());
  EXPECT_EQ(client.Post("/v1/events", SaleJson(server_.op(), "C-1", "S-1", 1)).status, 201u);
}

TEST_F(PostEventsTest, TamperedEventIs403BadSignature) {
  std::string sale = SaleJson(server_.op(), "C-1", "S-1");
  std::size_t at = sale.find("\"B-1\"");
  ASSERT_NE(at, std::string::npos);
  sale.replace(at, 5, "\"B-2\"");
  ExpectRefused(sale, 403, "bad_signature");
}

TEST_F(PostEventsTest, UnregisteredKeyIs403UnknownKey) {
  ExpectRefused(SaleJson(server_.world().stranger, "C-1", "S-1"), 403, "unknown_key");
}

TEST_F(PostEventsTest, RevokedKeyIs403KeyRevoked) {
  TestSigner revoked(40, "operator-revoked");
  TestClient client(server_.port());
  const TestSigner& admin = server_.world().admin;
  std::string day = "2020-08-01T09:00:00+08:00";
  ASSERT_EQ(client
                .Post("/v1/events", admin.SignJson("key.registered",
                                                   KeyBody(revoked, {"operator"}, {"430100"}), day))
                .status,
            201u);
  HttpReply revoke = client.Post(
      "/v1/events", admin.SignJson("key.revoked",
                                   {{"key_id", revoked.key_id()}, {"reason", "device lost"}}, day));
  ASSERT_EQ(revoke.status, 201u) << revoke.body;
  ExpectRefused(SaleJson(revoked, "C-1", "S-1"), 403, "key_revoked");
}

TEST_F(PostEventsTest, RegionOutsideKeyScopeIs403OutOfScope) {
  // The operator's scope is 430100; 433127 lies in 433100.
  std::string outlet = server_.op().SignJson(
      "outlet.deployed",
      {{"outlet_id", "C-X"}, {"kind", "counter"}, {"name", "永顺专柜"}, {"region", "433127"}},
      "2020-08-02T09:00:00+08:00");
  ExpectRefused(outlet, 403, "out_of_scope");
}

TEST_F(PostEventsTest, TypeOutsideKeyRoleIs403RoleNotAllowed) {
  std::string product = server_.op().SignJson(
      "product.repriced",
      {{"product_id", "P-1"}, {"reference_price_fen", 3000}, {"source", "market survey"}});
  ExpectRefused(product, 403, "role_not_allowed");
}

TEST_F(PostEventsTest, MalformedJsonIs400) { ExpectRefused("{\"id\":", 400, "malformed_json"); }

TEST_F(PostEventsTest, NonObjectIs400NotAnObject) {
  ExpectRefused("[1,2,3]", 400, "not_an_object");
}

TEST_F(PostEventsTest, DuplicateMemberIs400DuplicateKey) {
  ExpectRefused("{\"id\":\"a\",\"id\":\"b\"}", 400, "duplicate_key");
}

TEST_F(PostEventsTest, FractionIs400NumberNotInteger) {
  std::string sale = SaleJson(server_.op(), "C-1", "S-1");
  std::size_t at = sale.find("\"quantity\":2");
  ASSERT_NE(at, std::string::npos);
  sale.replace(at, 12, "\"quantity\":2.5");
  ExpectRefused(sale, 400, "number_not_integer");
}

TEST_F(PostEventsTest, InvalidUtf8Is400) {
  ExpectRefused("{\"id\":\"\xC3\x28\"}", 400, "invalid_utf8");
}

TEST_F(PostEventsTest, EnvelopeWithoutSignatureIs400MalformedEvent) {
  boost::json::object event = boost::json::parse(SaleJson(server_.op(), "C-1", "S-1")).as_object();
  event.erase("sig");
  ExpectRefused(boost::json::serialize(event), 400, "malformed_event");
}

TEST_F(PostEventsTest, ArithmeticErrorIs422) {
  boost::json::object body = SaleBody("S-1", 2, 3500);
  body["amount_fen"] = 6999;
  ExpectRefused(server_.op().SignJson("sale.recorded", body), 422, "amount_mismatch");
}

TEST_F(PostEventsTest, UnknownReferenceIs422) {
  boost::json::object body = SaleBody("S-1", 2, 3500);
  body["product_id"] = "P-NOPE";
  ExpectRefused(server_.op().SignJson("sale.recorded", body), 422, "unknown_reference");
}

TEST_F(PostEventsTest, BatchFailingAtThirdEventAppendsNothingAndNamesIndex2) {
  boost::json::object bad = SaleBody("S-3", 2, 3500);
  bad["amount_fen"] = 1;
  std::string first = SaleJson(server_.op(), "C-1", "S-1");
  HttpReply reply = ExpectRefused(
      Batch({first, SaleJson(server_.op(), "C-1", "S-2"),
             server_.op().SignJson("sale.recorded", bad), SaleJson(server_.op(), "C-1", "S-4")}),
      422, "amount_mismatch");
  EXPECT_EQ(reply.Json().at("index").as_int64(), 2);
  // The first event was not appended either: it is new when sent again.
  TestClient client(server_.port());
  HttpReply retry = client.Post("/v1/events", first);
  EXPECT_EQ(retry.status, 201u) << retry.body;
}

TEST_F(PostEventsTest, BatchWithMalformedThirdEventNamesIndex2) {
  HttpReply reply = ExpectRefused(Batch({SaleJson(server_.op(), "C-1", "S-1"),
                                         SaleJson(server_.op(), "C-1", "S-2"), "{\"id\":1}"}),
                                  400, "malformed_event");
  EXPECT_EQ(reply.Json().at("index").as_int64(), 2);
}

TEST_F(PostEventsTest, SingleEventRefusalHasNoIndex) {
  HttpReply reply =
      ExpectRefused(SaleJson(server_.world().stranger, "C-1", "S-1"), 403, "unknown_key");
  EXPECT_FALSE(reply.Json().as_object().contains("index"));
}

TEST_F(PostEventsTest, EmptyBatchIs400) {
  ExpectRefused("{\"events\":[]}", 400, "invalid_argument");
}

TEST_F(PostEventsTest, BatchOver1000EventsIs413) {
  std::vector<std::string> sales;
  for (int i = 0; i < 1001; ++i)
    sales.push_back(SaleJson(server_.op(), "C-1", "S-" + std::to_string(i)));
  ExpectRefused(Batch(sales), 413, "batch_too_large");
}

TEST_F(PostEventsTest, WrongContentTypeIs415) {
  ExpectRefused(SaleJson(server_.op(), "C-1", "S-1"), 415, "unsupported_media_type", "text/plain");
}

TEST_F(PostEventsTest, MissingContentTypeIs415) {
  ExpectRefused(SaleJson(server_.op(), "C-1", "S-1"), 415, "unsupported_media_type", "");
}

TEST_F(PostEventsTest, BodyOverLimitIs413) {
  std::string big = "{\"id\":\"" + std::string(5 * 1024 * 1024, 'x') + "\"}";
  ExpectRefused(big, 413, "payload_too_large");
}

TEST_F(PostEventsTest, PostNeedsNoToken) {
  TestClient client(server_.port());
  EXPECT_EQ(client.Post("/v1/events", SaleJson(server_.op(), "C-1", "S-1")).status, 201u);
}

}  // namespace
}  // namespace fupin::api::testing
