// GET /v1/stats and GET /v1/targets: the statistics table served from the
// projections the server keeps, equal to an independent fold, in every
// format, as of any seq, limited to the token's scope, and every refusal
// with its code.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "projections/statistics_format.h"
#include "projections/statistics_projection.h"
#include "projections/statistics_table.h"
#include "projections/targets_format.h"
#include "tests/api/server_fixture.h"
#include "tests/projections/stats_world.h"

namespace fupin::api::testing {
namespace {

constexpr std::string_view kScopedToken = "xiangxi-auditor-token-0123456789";

// An auditor of 湘西州 (433100) besides the fixture's province tokens.
ApiServer::Tweak WithXiangxiAuditor() {
  return [](ServerConfig& config) {
    TokenConfig token = MakeToken("aud-433100", kScopedToken, Role::kAuditor);
    token.regions = {"433100"};
    config.tokens.push_back(token);
  };
}

// The SPEC §3 JSON of CAMP-1 folded independently from the server's
// ledger, as of the records [0, position).
std::string ExpectedJson(ApiServer& server, uint64_t position) {
  projections::StatisticsProjection projection;
  projections::testing::FoldFromZero(server.ledger(), position, projection);
  Result<projections::StatisticsTable> table =
      projections::BuildStatisticsTable(projection.state(), "CAMP-1");
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return table.ok() ? projections::RenderStatisticsJson(*table) : "";
}

std::string Token(std::string_view token) { return std::string(token); }

// The head's answer comes from the cache until a commit: the same bytes
// and ETag while nothing changes, never a stale table after a write, in
// every format and for every scope.
TEST(StatsEndpoint, CachedHeadAnswerIsNeverStaleAfterACommit) {
  ApiServer server(WithXiangxiAuditor());
  TestClient client(server.port());
  const std::vector<std::string> targets = {"/v1/stats?campaign=CAMP-1",
                                            "/v1/stats?campaign=CAMP-1&format=csv",
                                            "/v1/stats?campaign=CAMP-1&level=prefecture"};
  for (int round = 0; round < 3; ++round) {
    for (const std::string& target : targets) {
      HttpReply first = client.Get(target, Token(kPublicToken));
      HttpReply again = client.Get(target, Token(kPublicToken));
      ASSERT_EQ(first.status, 200u) << first.body;
      EXPECT_EQ(again.body, first.body) << target;
      EXPECT_EQ(again.Header(http::field::etag), first.Header(http::field::etag)) << target;
    }
    HttpReply json = client.Get("/v1/stats?campaign=CAMP-1", Token(kPublicToken));
    EXPECT_EQ(json.body, ExpectedJson(server, server.tree_size())) << "round " << round;
    // A scoped token gets its own rows, never another scope's cached answer.
    HttpReply scoped = client.Get("/v1/stats?campaign=CAMP-1", Token(kScopedToken));
    ASSERT_EQ(scoped.status, 200u);
    for (const auto& row : scoped.Json().at("rows").as_array()) {
      EXPECT_EQ(std::string(row.at("region").as_string()).substr(0, 4), "4331");
    }
    ASSERT_EQ(
        client.Post("/v1/events", SaleJson(server.op(), "C-1", "S-cache-" + std::to_string(round)))
            .status,
        201u);
  }
  HttpReply last = client.Get("/v1/stats?campaign=CAMP-1", Token(kPublicToken));
  EXPECT_EQ(last.body, ExpectedJson(server, server.tree_size()));
}

TEST(StatsEndpoint, LiveTableReadsItsOwnWritesAndEqualsAFreshFold) {
  ApiServer server;
  TestClient client(server.port());
  HttpReply before = client.Get("/v1/stats?campaign=CAMP-1", Token(kPublicToken));
  ASSERT_EQ(before.status, 200u) << before.body;
  EXPECT_EQ(before.Header(http::field::content_type), "application/json");
  EXPECT_EQ(before.body, ExpectedJson(server, server.tree_size()));

  ASSERT_EQ(client.Post("/v1/events", SaleJson(server.op(), "C-1", "S-live")).status, 201u);
  // No as_of: the answer covers the sale just acknowledged.
  HttpReply after = client.Get("/v1/stats?campaign=CAMP-1", Token(kPublicToken));
  ASSERT_EQ(after.status, 200u) << after.body;
  EXPECT_EQ(after.body, ExpectedJson(server, server.tree_size()));
  const boost::json::object& total = after.Json().at("rows").at(0).as_object();
  EXPECT_EQ(total.at("region").as_string(), "430000");
  EXPECT_EQ(total.at("sales_fen").as_int64(),
            before.Json().at("rows").at(0).at("sales_fen").as_int64() + 2 * 3500);
  EXPECT_EQ(after.Json().at("as_of").as_int64(), static_cast<int64_t>(server.tree_size() - 1));
}

TEST(StatsEndpoint, AsOfAnswersThePastExactly) {
  ApiServer server;
  TestClient client(server.port());
  const uint64_t seeded = server.tree_size();
  ASSERT_EQ(client.Post("/v1/events", SaleJson(server.op(), "C-1", "S-1")).status, 201u);
  ASSERT_EQ(client.Post("/v1/events", SaleJson(server.op(), "C-1", "S-2")).status, 201u);
  for (uint64_t as_of = seeded - 1; as_of < server.tree_size(); ++as_of) {
    HttpReply reply = client.Get("/v1/stats?campaign=CAMP-1&as_of=" + std::to_string(as_of),
                                 Token(kAuditorToken));
    ASSERT_EQ(reply.status, 200u) << reply.body;
    EXPECT_EQ(reply.body, ExpectedJson(server, as_of + 1)) << "as_of " << as_of;
  }
  HttpReply beyond =
      client.Get("/v1/stats?campaign=CAMP-1&as_of=" + std::to_string(server.tree_size()),
                 Token(kAuditorToken));
  EXPECT_EQ(beyond.status, 400u);
  EXPECT_EQ(beyond.Code(), "invalid_argument");
}

// as_of=TIME answers as of the last record recorded at or before TIME.
TEST(StatsEndpoint, AsOfATimeAnswersAsOfTheLastRecordRecordedByThen) {
  ApiServer server;
  TestClient client(server.port());
  const uint64_t seeded = server.tree_size();
  ASSERT_EQ(client.Post("/v1/events", SaleJson(server.op(), "C-1", "S-1")).status, 201u);
  ASSERT_EQ(client.Post("/v1/events", SaleJson(server.op(), "C-1", "S-2")).status, 201u);
  std::vector<boost::json::object> records = FetchRecords(server.port());
  ASSERT_EQ(records.size(), server.tree_size());
  for (uint64_t seq = seeded - 1; seq < records.size(); ++seq) {
    std::string at(records[seq].at("recorded_at").as_string());
    uint64_t last = seq;  // records recorded in the same millisecond count too
    while (last + 1 < records.size() && records[last + 1].at("recorded_at").as_string() == at) {
      ++last;
    }
    HttpReply reply = client.Get("/v1/stats?campaign=CAMP-1&as_of=" + at, Token(kAuditorToken));
    ASSERT_EQ(reply.status, 200u) << at << ": " << reply.body;
    EXPECT_EQ(reply.body, ExpectedJson(server, last + 1)) << "as_of " << at;
    HttpReply targets = client.Get("/v1/targets?campaign=CAMP-1&as_of=" + at, Token(kAuditorToken));
    ASSERT_EQ(targets.status, 200u) << targets.body;
    EXPECT_EQ(targets.Json().at("as_of").as_int64(), static_cast<int64_t>(last));
  }
}

TEST(StatsEndpoint, CsvAndXlsxAreAttachmentsOfTheSeedsTable) {
  ApiServer server;
  TestClient client(server.port());
  HttpReply csv = client.Get("/v1/stats?campaign=CAMP-1&format=csv", Token(kPublicToken));
  ASSERT_EQ(csv.status, 200u) << csv.body;
  EXPECT_EQ(csv.Header(http::field::content_type), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");  // UTF-8 BOM for Excel
  EXPECT_NE(csv.body.find("合计"), std::string::npos);
  EXPECT_NE(
      csv.Header(http::field::content_disposition).find("attachment; filename=\"stats-CAMP-1-"),
      std::string::npos);

  HttpReply xlsx = client.Get("/v1/stats?campaign=CAMP-1&format=xlsx", Token(kPublicToken));
  ASSERT_EQ(xlsx.status, 200u);
  EXPECT_EQ(xlsx.Header(http::field::content_type),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");  // a zip container
  EXPECT_NE(xlsx.Header(http::field::content_disposition).find(".xlsx\""), std::string::npos);
}

TEST(StatsEndpoint, RegionAndLevelFilterRows) {
  ApiServer server;
  TestClient client(server.port());
  HttpReply prefectures =
      client.Get("/v1/stats?campaign=CAMP-1&level=prefecture", Token(kPublicToken));
  ASSERT_EQ(prefectures.status, 200u) << prefectures.body;
  const boost::json::array& rows = prefectures.Json().at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) EXPECT_EQ(row.at("level").as_string(), "prefecture");

  HttpReply xiangxi = client.Get("/v1/stats?campaign=CAMP-1&region=433100", Token(kPublicToken));
  ASSERT_EQ(xiangxi.status, 200u) << xiangxi.body;
  ASSERT_EQ(xiangxi.Json().at("rows").as_array().size(), 2u);  // 433100 and 433127
  EXPECT_EQ(xiangxi.Json().at("rows").at(0).at("region").as_string(), "433100");
}

TEST(StatsEndpoint, RefusesBadQueriesWithTheirCodes) {
  ApiServer server;
  TestClient client(server.port());
  struct Case {
    std::string target;
    unsigned status;
    std::string code;
  };
  const Case cases[] = {
      {"/v1/stats", 400, "invalid_argument"},                             // campaign missing
      {"/v1/stats?campaign=", 400, "invalid_argument"},                   // empty campaign
      {"/v1/stats?campaign=NOPE", 404, "not_found"},                      // unknown campaign
      {"/v1/stats?campaign=CAMP-1&format=pdf", 400, "invalid_argument"},  // unknown format
      {"/v1/stats?campaign=CAMP-1&level=city", 400, "invalid_argument"},  // unknown level
      {"/v1/stats?campaign=CAMP-1&region=999999", 404, "not_found"},      // no such row
      {"/v1/stats?campaign=CAMP-1&as_of=-1", 400, "invalid_argument"},
      {"/v1/stats?campaign=CAMP-1&as_of=yesterday", 400, "invalid_argument"},
      {"/v1/stats?campaign=CAMP-1&as_of=1999-01-01T00:00:00Z", 400, "invalid_argument"},
      {"/v1/targets?campaign=CAMP-1&as_of=2020-13-01T00:00:00Z", 400, "invalid_argument"},
      {"/v1/stats?campaign=CAMP-1&campain=x", 400, "invalid_argument"},  // misspelt parameter
      {"/v1/targets", 400, "invalid_argument"},
      {"/v1/targets?campaign=NOPE", 404, "not_found"},
      {"/v1/targets?campaign=CAMP-1&format=csv", 400, "invalid_argument"},
  };
  for (const Case& c : cases) {
    HttpReply reply = client.Get(c.target, Token(kPublicToken));
    EXPECT_EQ(reply.status, c.status) << c.target << ": " << reply.body;
    EXPECT_EQ(reply.Code(), c.code) << c.target;
  }
  const uint64_t size = server.tree_size();
  HttpReply anonymous = client.Get("/v1/stats?campaign=CAMP-1");
  EXPECT_EQ(anonymous.status, 401u);
  EXPECT_EQ(anonymous.Code(), "unauthenticated");
  EXPECT_EQ(server.tree_size(), size);  // reads write nothing
}

TEST(StatsEndpoint, ARegionScopedTokenSeesItsRegionOnly) {
  ApiServer server(WithXiangxiAuditor());
  TestClient client(server.port());
  HttpReply scoped = client.Get("/v1/stats?campaign=CAMP-1", Token(kScopedToken));
  ASSERT_EQ(scoped.status, 200u) << scoped.body;
  const boost::json::array& rows = scoped.Json().at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows.at(0).at("region").as_string(), "433100");
  EXPECT_EQ(rows.at(1).at("region").as_string(), "433127");

  HttpReply other = client.Get("/v1/stats?campaign=CAMP-1&region=430100", Token(kScopedToken));
  EXPECT_EQ(other.status, 403u);
  EXPECT_EQ(other.Code(), "permission_denied");
  HttpReply province = client.Get("/v1/stats?campaign=CAMP-1&region=430000", Token(kScopedToken));
  EXPECT_EQ(province.status, 403u);
  HttpReply targets = client.Get("/v1/targets?campaign=CAMP-1", Token(kScopedToken));
  EXPECT_EQ(targets.status, 403u);
  EXPECT_EQ(targets.Code(), "permission_denied");
}

TEST(TargetsEndpoint, ProgressEqualsTheTargetsOfAFreshFold) {
  ApiServer server;
  TestClient client(server.port());
  ASSERT_EQ(client.Post("/v1/events", SaleJson(server.op(), "C-1", "S-t")).status, 201u);
  HttpReply reply = client.Get("/v1/targets?campaign=CAMP-1", Token(kPublicToken));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  projections::StatisticsProjection projection;
  projections::testing::FoldFromZero(server.ledger(), server.tree_size(), projection);
  Result<projections::TargetsReport> expected =
      projections::BuildTargets(projection.state(), "CAMP-1");
  ASSERT_TRUE(expected.ok()) << expected.status().ToString();
  EXPECT_EQ(reply.body, boost::json::serialize(projections::TargetsJson(*expected)));
  EXPECT_FALSE(reply.Json().at("met").as_bool());  // one counter is not 30,000
  EXPECT_FALSE(reply.Json().at("shortfalls").as_array().empty());

  HttpReply past =
      client.Get("/v1/targets?campaign=CAMP-1&as_of=" + std::to_string(server.tree_size() - 2),
                 Token(kPublicToken));
  ASSERT_EQ(past.status, 200u) << past.body;
  EXPECT_EQ(past.Json().at("as_of").as_int64(), static_cast<int64_t>(server.tree_size() - 2));
}

TEST(StatsEndpoint, MetricsExposeTheProjectionsPosition) {
  ApiServer server;
  TestClient client(server.port());
  ASSERT_EQ(client.Get("/v1/stats?campaign=CAMP-1", Token(kPublicToken)).status, 200u);
  HttpReply metrics = client.Get("/metrics", Token(kAuditorToken));
  ASSERT_EQ(metrics.status, 200u);
  EXPECT_NE(metrics.body.find("fupin_projection_position " + std::to_string(server.tree_size())),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("fupin_projection_lag_records 0"), std::string::npos);
}

}  // namespace
}  // namespace fupin::api::testing
