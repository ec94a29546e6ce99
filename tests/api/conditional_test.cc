// Representation rules shared by every route: ETags and 304 on the
// immutable answers (a record, the checkpoint at a size), gzip when asked.
#include <gtest/gtest.h>
#include <zlib.h>

#include "api/response.h"
#include "ledger/codec.h"
#include "tests/api/server_fixture.h"

namespace fupin::api::testing {
namespace {

const std::string kAuditor(kAuditorToken);
const std::string kPublic(kPublicToken);

// An independent gunzip (zlib's inflate with gzip framing); nullopt when
// `data` is not one complete gzip member.
std::optional<std::string> Gunzip(const std::string& data) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return std::nullopt;
  std::string out;
  char chunk[16384];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  int result = Z_OK;
  while (result == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof(chunk);
    result = inflate(&z, Z_NO_FLUSH);
    out.append(chunk, sizeof(chunk) - z.avail_out);
  }
  bool complete = result == Z_STREAM_END && z.avail_in == 0;
  inflateEnd(&z);
  if (!complete) return std::nullopt;
  return out;
}

std::string BodyEtag(const std::string& body) {
  return "\"" + HexEncode(crypto::Sha256(body)) + "\"";
}

class ConditionalTest : public ::testing::Test {
 protected:
  HttpReply GetWith(const std::string& target, const std::string& token, http::field field,
                    const std::string& value) {
    TestClient client(server_.port());
    http::request<http::string_body> request(http::verb::get, target, 11);
    request.set(http::field::authorization, "Bearer " + token);
    request.set(field, value);
    return client.Send(std::move(request)).value_or(HttpReply{});
  }

  ApiServer server_;
};

TEST_F(ConditionalTest, RecordsCarryAStrongEtagOfTheirBodyAndAreImmutable) {
  TestClient client(server_.port());
  HttpReply reply = client.Get("/v1/events/1", kAuditor);
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.Header(http::field::etag), BodyEtag(reply.body));
  EXPECT_EQ(reply.Header(http::field::cache_control), "public, max-age=31536000, immutable");
}

TEST_F(ConditionalTest, MatchingIfNoneMatchIs304WithoutABody) {
  TestClient client(server_.port());
  HttpReply first = client.Get("/v1/events/1", kAuditor);
  ASSERT_EQ(first.status, 200u);
  std::string etag = first.Header(http::field::etag);
  for (const std::string& condition :
       {etag, "W/" + etag, std::string("*"), "\"other\", " + etag, "\"a\",\"b\" , W/" + etag}) {
    HttpReply reply = GetWith("/v1/events/1", kAuditor, http::field::if_none_match, condition);
    EXPECT_EQ(reply.status, 304u) << condition;
    EXPECT_TRUE(reply.body.empty()) << condition;
    EXPECT_EQ(reply.Header(http::field::etag), etag) << condition;
    EXPECT_EQ(reply.Header(http::field::cache_control), "public, max-age=31536000, immutable");
    EXPECT_EQ(reply.Header(http::field::content_length), "") << condition;
  }
}

TEST_F(ConditionalTest, AnotherTagGetsTheFullRecord) {
  TestClient client(server_.port());
  HttpReply other = client.Get("/v1/events/2", kAuditor);
  ASSERT_EQ(other.status, 200u);
  HttpReply reply = GetWith("/v1/events/1", kAuditor, http::field::if_none_match,
                            other.Header(http::field::etag));
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.Json().at("seq").as_int64(), 1);
}

TEST_F(ConditionalTest, CheckpointsAtASizeAreImmutableToo) {
  std::string target = "/v1/checkpoints/" + std::to_string(server_.tree_size());
  TestClient client(server_.port());
  HttpReply first = client.Get(target, kPublic);
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(first.Header(http::field::etag), BodyEtag(first.body));
  EXPECT_EQ(first.Header(http::field::cache_control), "public, max-age=31536000, immutable");
  HttpReply again =
      GetWith(target, kPublic, http::field::if_none_match, first.Header(http::field::etag));
  EXPECT_EQ(again.status, 304u);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(ConditionalTest, ChangingAnswersAndErrorsGetNoEtag) {
  TestClient client(server_.port());
  HttpReply latest = client.Get("/v1/checkpoint", kPublic);
  ASSERT_EQ(latest.status, 200u);
  EXPECT_EQ(latest.Header(http::field::etag), "");
  EXPECT_EQ(latest.Header(http::field::cache_control), "no-store");
  HttpReply missing = GetWith("/v1/events/999999", kAuditor, http::field::if_none_match, "*");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.Header(http::field::etag), "");
  EXPECT_EQ(missing.Code(), "not_found");
}

TEST_F(ConditionalTest, A304NeedsTheTokenFirst) {
  TestClient client(server_.port());
  HttpReply first = client.Get("/v1/events/1", kAuditor);
  ASSERT_EQ(first.status, 200u);
  HttpReply reply =
      GetWith("/v1/events/1", kPublic, http::field::if_none_match, first.Header(http::field::etag));
  EXPECT_EQ(reply.status, 403u);
  EXPECT_EQ(reply.Code(), "permission_denied");
}

// --- gzip ---

TEST_F(ConditionalTest, LargeBodiesAreGzippedWhenAskedAndInflateToTheIdentityBody) {
  TestClient client(server_.port());
  HttpReply identity = client.Get("/v1/events?limit=50", kAuditor);
  ASSERT_EQ(identity.status, 200u);
  ASSERT_GE(identity.body.size(), kMinGzipBytes);
  EXPECT_EQ(identity.Header(http::field::content_encoding), "");
  EXPECT_EQ(identity.Header(http::field::vary), "Accept-Encoding");

  HttpReply gzipped =
      GetWith("/v1/events?limit=50", kAuditor, http::field::accept_encoding, "br, gzip;q=0.5");
  ASSERT_EQ(gzipped.status, 200u);
  EXPECT_EQ(gzipped.Header(http::field::content_encoding), "gzip");
  EXPECT_EQ(gzipped.Header(http::field::vary), "Accept-Encoding");
  EXPECT_LT(gzipped.body.size(), identity.body.size());
  std::optional<std::string> inflated = Gunzip(gzipped.body);
  ASSERT_TRUE(inflated.has_value());
  EXPECT_EQ(*inflated, identity.body);
}

TEST_F(ConditionalTest, GzipIsNotSentWhenRefusedOrNotAsked) {
  for (const char* accept :
       {"gzip;q=0", "identity", "GZIP;Q=0.000", "gzip;q=0, *", "br", "*;q=0"}) {
    HttpReply reply =
        GetWith("/v1/events?limit=50", kAuditor, http::field::accept_encoding, accept);
    ASSERT_EQ(reply.status, 200u) << accept;
    EXPECT_EQ(reply.Header(http::field::content_encoding), "") << accept;
    EXPECT_EQ(reply.Json().at("records").as_array().size(), server_.tree_size()) << accept;
  }
  for (const char* accept : {"*", "x-gzip", "deflate, GZip;q=1.0", "gzip;q=0.001"}) {
    HttpReply reply =
        GetWith("/v1/events?limit=50", kAuditor, http::field::accept_encoding, accept);
    ASSERT_EQ(reply.status, 200u) << accept;
    EXPECT_EQ(reply.Header(http::field::content_encoding), "gzip") << accept;
  }
}

TEST_F(ConditionalTest, SmallBodiesAreSentAsTheyAre) {
  HttpReply reply = GetWith("/healthz", kAuditor, http::field::accept_encoding, "gzip");
  ASSERT_EQ(reply.status, 200u);
  ASSERT_LT(reply.body.size(), kMinGzipBytes);
  EXPECT_EQ(reply.Header(http::field::content_encoding), "");
  EXPECT_EQ(reply.Header(http::field::vary), "");
  EXPECT_EQ(reply.Json().at("status").as_string(), "ok");
}

// The seeded records are all under 1 KiB: the rules are checked on the
// functions the server applies to every answer.
TEST(RepresentationTest, AGzippedImmutableAnswerHasAWeakEtagThatStillValidates) {
  Request request(http::verb::get, "/v1/events/7", 11);
  request.set(http::field::accept_encoding, "gzip");
  std::string body(2 * kMinGzipBytes, 'x');
  Response response = JsonResponse(request, http::status::ok, body);
  MarkImmutable(request, response);
  std::string strong = response[http::field::etag];
  ASSERT_EQ(strong, BodyEtag(body));
  CompressIfAccepted(request, response);
  EXPECT_EQ(response[http::field::content_encoding], "gzip");
  EXPECT_EQ(response[http::field::etag], "W/" + strong);
  EXPECT_EQ(Gunzip(response.body()), body);

  Request revalidate(http::verb::get, "/v1/events/7", 11);
  revalidate.set(http::field::if_none_match, "W/" + strong);
  Response again = JsonResponse(revalidate, http::status::ok, body);
  MarkImmutable(revalidate, again);
  EXPECT_EQ(again.result(), http::status::not_modified);
  EXPECT_TRUE(again.body().empty());
}

TEST(RepresentationTest, OnlyA200IsMadeImmutable) {
  Request request(http::verb::get, "/v1/events/7", 11);
  request.set(http::field::if_none_match, "*");
  Response response = JsonResponse(request, http::status::not_found, "{}");
  MarkImmutable(request, response);
  EXPECT_EQ(response.result(), http::status::not_found);
  EXPECT_EQ(response[http::field::etag], "");
  EXPECT_EQ(response[http::field::cache_control], "no-store");
}

}  // namespace
}  // namespace fupin::api::testing
