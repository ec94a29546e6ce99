// The authorization matrix: every route the server serves, for every kind
// of caller — no token, public, a province auditor, a 湘西州 (433100)
// auditor, a supervisor, an admin — on an entity inside and one outside the
// scoped auditor's region. Each cell is the status the contract promises
// (SPEC §5: an out-of-scope read is 403, never a silent filter on a named
// entity; the public role reads aggregates, checkpoints and proofs only;
// the access log is for admins).
#include <gtest/gtest.h>

#include <array>
#include <boost/json/serialize.hpp>
#include <set>
#include <string>

#include "api/router.h"
#include "tests/api/server_fixture.h"

namespace fupin::api::testing {
namespace {

constexpr std::string_view kAdminToken = "admin-token-0123456789abcdef";
constexpr std::string_view kXiangxiToken = "xiangxi-token-0123456789abcdef";

// The callers, in the order of a row's expectations.
enum Caller { kNone, kPublic, kAuditor, kScoped, kSupervisor, kAdmin, kCallers };

std::string TokenOf(Caller caller) {
  switch (caller) {
    case kPublic:
      return std::string(kPublicToken);
    case kAuditor:
      return std::string(kAuditorToken);
    case kScoped:
      return std::string(kXiangxiToken);
    case kSupervisor:
      return std::string(kSupervisorToken);
    case kAdmin:
      return std::string(kAdminToken);
    default:
      return "";
  }
}

struct Row {
  std::string route;  // the route template the row exercises
  std::string method;
  std::string target;
  std::array<unsigned, kCallers> expected;  // none, public, auditor, scoped, supervisor, admin
};

TEST(AuthorizationMatrix, EveryRouteRoleAndScope) {
  ApiServer server([](ServerConfig& config) {
    config.tokens.push_back(MakeToken("adm-1", kAdminToken, Role::kAdmin));
    TokenConfig scoped = MakeToken("aud-433100", kXiangxiToken, Role::kAuditor);
    scoped.regions = {"433100"};
    config.tokens.push_back(scoped);
  });
  TestClient client(server.port());
  HttpReply checkpoint = client.Get("/v1/checkpoint", std::string(kAuditorToken));
  ASSERT_EQ(checkpoint.status, 200u);
  const std::string size = std::to_string(checkpoint.Json().at("tree_size").as_int64());

  // In the seeded world P-1, SUP-1 and H-1 are of 永顺县 (433127, in 湘西州);
  // the counter C-1 is in 芙蓉区 (430102, 长沙市).
  const std::vector<Row> rows = {
      {"/v1/events", "POST", "/v1/events", {400, 400, 400, 400, 400, 400}},  // open; bad body
      {"/v1/events", "GET", "/v1/events?limit=1", {401, 403, 200, 403, 200, 200}},
      {"/v1/events/{seq}", "GET", "/v1/events/0", {401, 403, 200, 403, 200, 200}},
      {"/v1/streams/{stream}", "GET", "/v1/streams/product:P-1", {401, 403, 200, 200, 200, 200}},
      {"/v1/streams/{stream}", "GET", "/v1/streams/outlet:C-1", {401, 403, 200, 403, 200, 200}},
      {"/v1/trail/{kind}/{id}", "GET", "/v1/trail/product/P-1", {401, 403, 200, 200, 200, 200}},
      {"/v1/trail/{kind}/{id}", "GET", "/v1/trail/outlet/C-1", {401, 403, 200, 403, 200, 200}},
      {"/v1/products", "GET", "/v1/products", {401, 403, 200, 200, 200, 200}},
      {"/v1/products/{id}", "GET", "/v1/products/P-1", {401, 403, 200, 200, 200, 200}},
      {"/v1/suppliers", "GET", "/v1/suppliers?region=430100", {401, 403, 200, 403, 200, 200}},
      {"/v1/suppliers/{id}", "GET", "/v1/suppliers/SUP-1", {401, 403, 200, 200, 200, 200}},
      {"/v1/outlets", "GET", "/v1/outlets", {401, 403, 200, 200, 200, 200}},
      {"/v1/outlets/{id}", "GET", "/v1/outlets/C-1", {401, 403, 200, 403, 200, 200}},
      {"/v1/households/{id}", "GET", "/v1/households/H-1", {401, 403, 200, 200, 200, 200}},
      {"/v1/sales", "GET", "/v1/sales?product=P-1", {401, 403, 200, 200, 200, 200}},
      {"/v1/sales", "GET", "/v1/sales?outlet=C-1", {401, 403, 200, 403, 200, 200}},
      {"/v1/stats", "GET", "/v1/stats?campaign=CAMP-1", {401, 200, 200, 200, 200, 200}},
      {"/v1/stats",
       "GET",
       "/v1/stats?campaign=CAMP-1&region=430100",
       {401, 200, 200, 403, 200, 200}},
      {"/v1/targets", "GET", "/v1/targets?campaign=CAMP-1", {401, 200, 200, 403, 200, 200}},
      {"/v1/flags", "GET", "/v1/flags", {401, 403, 200, 200, 200, 200}},
      {"/v1/flags", "GET", "/v1/flags?region=430100", {401, 403, 200, 403, 200, 200}},
      {"/v1/flags/{id}", "GET", "/v1/flags/F-00", {401, 403, 404, 404, 404, 404}},
      {"/v1/checkpoint", "GET", "/v1/checkpoint", {401, 200, 200, 200, 200, 200}},
      // The C2SP note is open, like /healthz: it holds nothing a token guards.
      {"/checkpoint", "GET", "/checkpoint", {200, 200, 200, 200, 200, 200}},
      {"/v1/checkpoints/{tree_size}",
       "GET",
       "/v1/checkpoints/" + size,
       {401, 200, 200, 200, 200, 200}},
      {"/v1/proof/inclusion", "GET", "/v1/proof/inclusion?seq=0", {401, 200, 200, 200, 200, 200}},
      {"/v1/proof/consistency",
       "GET",
       "/v1/proof/consistency?first=1",
       {401, 200, 200, 200, 200, 200}},
      // The form route reads ("{}" is no form: 422) and writes nothing.
      {"/v1/reports/parse",
       "POST",
       "/v1/reports/parse?campaign=CAMP-1&region=430100",
       {401, 422, 422, 403, 422, 422}},
      // A blank form holds nothing but the GB/T 2260 names: any token.
      {"/v1/reports/template",
       "GET",
       "/v1/reports/template?campaign=CAMP-1&region=430100",
       {401, 200, 200, 200, 200, 200}},
      {"/v1/reports", "GET", "/v1/reports?campaign=CAMP-1", {401, 403, 200, 200, 200, 200}},
      {"/v1/integrity", "GET", "/v1/integrity", {401, 403, 200, 200, 200, 200}},
      {"/v1/access-log", "GET", "/v1/access-log", {401, 403, 403, 403, 403, 200}},
      // A mirror's routes: a ledger's own server is no mirror.
      {"/v1/mirror/status", "GET", "/v1/mirror/status", {401, 403, 404, 404, 404, 404}},
      {"/v1/mirror/evidence", "GET", "/v1/mirror/evidence", {401, 403, 404, 404, 404, 404}},
      {"/healthz", "GET", "/healthz", {200, 200, 200, 200, 200, 200}},
      {"/metrics", "GET", "/metrics", {401, 403, 200, 200, 200, 200}},
      // Open files; this server has no web root (web_site_test.cc serves one).
      {"/", "GET", "/", {404, 404, 404, 404, 404, 404}},
      {"/assets/{file}", "GET", "/assets/index.js", {404, 404, 404, 404, 404, 404}},
  };

  std::set<std::pair<std::string, std::string>> covered;
  for (const Row& row : rows) {
    covered.emplace(row.method, row.route);
    for (int caller = kNone; caller < kCallers; ++caller) {
      HttpReply reply;
      if (row.method == "POST") {
        reply =
            client.Post(row.target, "{}", "application/json", TokenOf(static_cast<Caller>(caller)));
      } else {
        reply = client.Get(row.target, TokenOf(static_cast<Caller>(caller)));
      }
      EXPECT_EQ(reply.status, row.expected[caller])
          << row.method << " " << row.target << " as caller " << caller << ": " << reply.body;
      if (reply.status == 401) {
        EXPECT_EQ(reply.Code(), "unauthenticated");
      }
      if (reply.status == 403) {
        EXPECT_EQ(reply.Code(), "permission_denied");
      }
    }
  }
  // Every served route is in the matrix.
  for (const auto& [method, path] : ServedRoutes()) {
    EXPECT_TRUE(covered.contains({std::string(method), std::string(path)}))
        << method << " " << path << " has no row in the authorization matrix";
  }
}

// A scoped auditor's listings hold its region only, never another's.
TEST(AuthorizationMatrix, ListingsOfAScopedTokenStayInItsRegion) {
  ApiServer server([](ServerConfig& config) {
    TokenConfig scoped = MakeToken("aud-433100", kXiangxiToken, Role::kAuditor);
    scoped.regions = {"433100"};
    config.tokens.push_back(scoped);
  });
  TestClient client(server.port());
  HttpReply outlets = client.Get("/v1/outlets", std::string(kXiangxiToken));
  ASSERT_EQ(outlets.status, 200u) << outlets.body;
  HttpReply all = client.Get("/v1/outlets", std::string(kAuditorToken));
  ASSERT_EQ(all.status, 200u);
  EXPECT_EQ(boost::json::serialize(outlets.Json()).find("C-1"), std::string::npos) << outlets.body;
  EXPECT_NE(boost::json::serialize(all.Json()).find("C-1"), std::string::npos) << all.body;
  HttpReply stats = client.Get("/v1/stats?campaign=CAMP-1", std::string(kXiangxiToken));
  ASSERT_EQ(stats.status, 200u);
  for (const auto& row : stats.Json().at("rows").as_array()) {
    const std::string region(row.at("region").as_string());
    EXPECT_TRUE(region == "433100" || region == "433127") << region;
  }
}

}  // namespace
}  // namespace fupin::api::testing
