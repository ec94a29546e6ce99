// Entity views (GET /v1/products|suppliers|outlets|households/{id}) equal to
// an independent fold of the entity projection at the same seq, live and
// as_of; the searches' filters, pagination by id and region scope; the
// sales listing's time range, totals and pagination; every refusal.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ledger/time.h"
#include "projections/entity_projection.h"
#include "tests/api/server_fixture.h"
#include "tests/projections/stats_world.h"

namespace fupin::api::testing {
namespace {

namespace bj = boost::json;

constexpr std::string_view kXiangxiToken = "xiangxi-auditor-token-0123456789";

std::string Token(std::string_view token) { return std::string(token); }

ApiServer::Tweak WithXiangxiAuditor() {
  return [](ServerConfig& config) {
    TokenConfig token = MakeToken("aud-433100", kXiangxiToken, Role::kAuditor);
    token.regions = {"433100"};
    config.tokens.push_back(token);
  };
}

// The entity catalog folded from zero over records [0, position), with no
// server code involved.
std::unique_ptr<projections::EntityProjection> CatalogAt(ApiServer& server, uint64_t position) {
  auto projection = std::make_unique<projections::EntityProjection>();
  projections::testing::FoldFromZero(server.ledger(), position, *projection);
  return projection;
}

uint64_t Post(TestClient& client, const std::string& event) {
  HttpReply reply = client.Post("/v1/events", event);
  EXPECT_EQ(reply.status, 201u) << reply.body;
  if (reply.status != 201) return 0;
  return static_cast<uint64_t>(reply.Json().at("results").at(0).at("seq").as_int64());
}

std::string ProductEvent(const ApiServer& server, const std::string& id, const std::string& origin,
                         const std::string& category) {
  return server.world().certifier.SignJson(
      "product.certified",
      {{"product_id", id},
       {"name", "产品 " + id},
       {"category", category},
       {"spec", "1kg"},
       {"unit", "袋"},
       {"supplier_id", "SUP-1"},
       {"origin_region", origin},
       {"reference_price_fen", 2000},
       {"certificate_no", "XFP-" + id},
       {"valid_from", "2020-01-01"},
       {"valid_to", "2021-12-31"},
       {"annual_value_fen", 5000000},
       {"benefit", bj::object{{"mechanisms", bj::array{"employment", "dividend"}},
                              {"households", bj::array{"H-1"}},
                              {"people_claimed", 3}}}},
      "2020-08-10T09:00:00+08:00");
}

std::string SaleAt(const ApiServer& server, const std::string& sale_id, int64_t quantity,
                   const std::string& occurred_at) {
  return server.op().SignJson("sale.recorded", fupin::testing::SaleBody(sale_id, quantity, 3500),
                              occurred_at);
}

std::vector<std::string> Ids(const bj::value& answer, std::string_view items,
                             std::string_view id_field) {
  std::vector<std::string> ids;
  for (const bj::value& item : answer.at(items).as_array()) {
    ids.emplace_back(item.at(id_field).as_string());
  }
  return ids;
}

// Every page of a search, following `next` with limit=1.
std::vector<std::string> AllPages(TestClient& client, const std::string& path,
                                  std::string_view items, std::string_view id_field) {
  std::vector<std::string> ids;
  std::optional<std::string> next = "";
  for (int pages = 0; next && pages < 50; ++pages) {
    std::string separator = path.find('?') == std::string::npos ? "?" : "&";
    HttpReply page = client.Get(path + separator + "limit=1&from=" + *next, Token(kAuditorToken));
    EXPECT_EQ(page.status, 200u) << page.body;
    if (page.status != 200) break;
    for (const std::string& id : Ids(page.Json(), items, id_field)) ids.push_back(id);
    const bj::value& after = page.Json().at("next");
    next = after.is_null() ? std::nullopt : std::optional<std::string>(after.as_string());
  }
  return ids;
}

int64_t Seq(const bj::value& stamp) { return stamp.at("seq").as_int64(); }

// --- Views -------------------------------------------------------------------

// The product view against the catalog of the same seq, field by field.
void ExpectProductEquals(const bj::value& view, const projections::ProductEntity& expected,
                         uint64_t position) {
  EXPECT_EQ(view.at("as_of").as_int64(), static_cast<int64_t>(position - 1));
  EXPECT_EQ(view.at("name").as_string(), expected.name);
  EXPECT_EQ(view.at("category").as_string(), expected.category);
  EXPECT_EQ(view.at("spec").as_string(), expected.spec);
  EXPECT_EQ(view.at("unit").as_string(), expected.unit);
  EXPECT_EQ(view.at("supplier_id").as_string(), expected.supplier_id);
  EXPECT_EQ(view.at("origin_region").as_string(), expected.origin_region);
  EXPECT_EQ(view.at("certificate_no").as_string(), expected.certificate_no);
  EXPECT_EQ(view.at("valid_from").as_string(), expected.valid_from);
  EXPECT_EQ(view.at("valid_to").as_string(), expected.valid_to);
  EXPECT_EQ(view.at("annual_value_fen").as_int64(), expected.annual_value_fen);
  EXPECT_EQ(view.at("status").as_string(), expected.revoked ? "revoked" : "certified");
  EXPECT_EQ(view.at("reference_price_fen").as_int64(), expected.reference_price_fen());
  EXPECT_EQ(view.at("benefit").at("people_claimed").as_int64(), expected.people_claimed);
  const bj::array& households = view.at("benefit").at("households").as_array();
  ASSERT_EQ(households.size(), expected.households.size());
  for (std::size_t i = 0; i < households.size(); ++i) {
    EXPECT_EQ(households[i].as_string(), expected.households[i]);
  }
  EXPECT_EQ(view.at("benefit").at("mechanisms").as_array().size(), expected.mechanisms.size());
  const bj::array& prices = view.at("prices").as_array();
  ASSERT_EQ(prices.size(), expected.prices.size());
  for (std::size_t i = 0; i < prices.size(); ++i) {
    EXPECT_EQ(Seq(prices[i]), static_cast<int64_t>(expected.prices[i].at.seq));
    EXPECT_EQ(prices[i].at("reference_price_fen").as_int64(),
              expected.prices[i].reference_price_fen);
    EXPECT_EQ(prices[i].at("source").as_string(), expected.prices[i].source);
    EXPECT_EQ(prices[i].at("occurred_at").as_string(),
              FormatUtcMillis(expected.prices[i].at.occurred_at_ms));
  }
  const bj::array& certifications = view.at("certifications").as_array();
  ASSERT_EQ(certifications.size(), expected.certifications.size());
  for (std::size_t i = 0; i < certifications.size(); ++i) {
    EXPECT_EQ(Seq(certifications[i]), static_cast<int64_t>(expected.certifications[i].seq));
  }
  if (expected.revoked) {
    ASSERT_TRUE(view.at("revocation").is_object());
    EXPECT_EQ(view.at("revocation").at("reason").as_string(), expected.revocation_reason);
    ASSERT_TRUE(expected.revoked_at.has_value());
    EXPECT_EQ(Seq(view.at("revocation")), static_cast<int64_t>(expected.revoked_at->seq));
  } else {
    EXPECT_TRUE(view.at("revocation").is_null());
  }
}

TEST(EntityViews, ProductEqualsTheCatalogLiveAndAsOf) {
  ApiServer server;
  TestClient client(server.port());
  const uint64_t repriced = Post(
      client,
      server.world().certifier.SignJson(
          "product.repriced",
          {{"product_id", "P-1"}, {"reference_price_fen", 3800}, {"source", "county price bureau"}},
          "2020-09-02T09:00:00+08:00"));
  const uint64_t revoked =
      Post(client, server.world().certifier.SignJson(
                       "product.revoked", {{"product_id", "P-1"}, {"reason", "quality test"}},
                       "2020-09-03T09:00:00+08:00"));
  ASSERT_GT(revoked, repriced);

  HttpReply live = client.Get("/v1/products/P-1", Token(kAuditorToken));
  ASSERT_EQ(live.status, 200u) << live.body;
  EXPECT_EQ(live.Json().at("product_id").as_string(), "P-1");
  auto now = CatalogAt(server, server.tree_size());
  ExpectProductEquals(live.Json(), now->catalog().products.at("P-1"), server.tree_size());
  EXPECT_EQ(live.Json().at("status").as_string(), "revoked");
  EXPECT_EQ(live.Json().at("reference_price_fen").as_int64(), 3800);

  for (uint64_t as_of : {repriced - 1, repriced, revoked}) {
    HttpReply past =
        client.Get("/v1/products/P-1?as_of=" + std::to_string(as_of), Token(kAuditorToken));
    ASSERT_EQ(past.status, 200u) << past.body;
    auto then = CatalogAt(server, as_of + 1);
    ExpectProductEquals(past.Json(), then->catalog().products.at("P-1"), as_of + 1);
  }
  HttpReply before =
      client.Get("/v1/products/P-1?as_of=" + std::to_string(repriced - 1), Token(kAuditorToken));
  EXPECT_EQ(before.Json().at("status").as_string(), "certified");
  EXPECT_EQ(before.Json().at("prices").as_array().size(), 1u);
}

TEST(EntityViews, SupplierOutletAndHouseholdEqualTheCatalog) {
  ApiServer server;
  TestClient client(server.port());
  Post(client, OutletJson(server.op(), "C-2"));
  const uint64_t closed =
      Post(client,
           server.op().SignJson("outlet.closed", {{"outlet_id", "C-2"}, {"reason", "venue closed"}},
                                "2020-09-20T18:00:00+08:00"));
  auto catalog = CatalogAt(server, server.tree_size());
  const auto& c = catalog->catalog();
  const int64_t as_of = static_cast<int64_t>(server.tree_size() - 1);

  HttpReply supplier = client.Get("/v1/suppliers/SUP-1", Token(kAuditorToken));
  ASSERT_EQ(supplier.status, 200u) << supplier.body;
  const projections::SupplierEntity& sup = c.suppliers.at("SUP-1");
  EXPECT_EQ(supplier.Json().at("name").as_string(), sup.name);
  EXPECT_EQ(supplier.Json().at("uscc").as_string(), sup.uscc);
  EXPECT_EQ(supplier.Json().at("region").as_string(), sup.region);
  EXPECT_EQ(Seq(supplier.Json().at("registered")), static_cast<int64_t>(sup.registered.seq));
  EXPECT_EQ(supplier.Json().at("as_of").as_int64(), as_of);

  HttpReply household = client.Get("/v1/households/H-1", Token(kAuditorToken));
  ASSERT_EQ(household.status, 200u) << household.body;
  const projections::HouseholdEntity& h = c.households.at("H-1");
  EXPECT_EQ(household.Json().at("region").as_string(), h.region);
  EXPECT_EQ(household.Json().at("members").as_int64(), h.members);
  EXPECT_EQ(household.Json().at("status").as_string(), "poor");
  EXPECT_EQ(Seq(household.Json().at("registered")), static_cast<int64_t>(h.registered.seq));

  HttpReply active = client.Get("/v1/outlets/C-1", Token(kAuditorToken));
  ASSERT_EQ(active.status, 200u) << active.body;
  const projections::OutletEntity& c1 = c.outlets.at("C-1");
  EXPECT_EQ(active.Json().at("kind").as_string(), "counter");
  EXPECT_EQ(active.Json().at("name").as_string(), c1.name);
  EXPECT_EQ(active.Json().at("region").as_string(), c1.region);
  EXPECT_EQ(active.Json().at("device_id").as_string(), c1.device_id);
  EXPECT_TRUE(active.Json().at("venue").is_null());
  EXPECT_EQ(active.Json().at("status").as_string(), "active");
  EXPECT_EQ(Seq(active.Json().at("deployed")), static_cast<int64_t>(c1.deployed.seq));
  EXPECT_TRUE(active.Json().at("closed").is_null());

  HttpReply gone = client.Get("/v1/outlets/C-2", Token(kAuditorToken));
  ASSERT_EQ(gone.status, 200u) << gone.body;
  EXPECT_EQ(gone.Json().at("status").as_string(), "closed");
  EXPECT_EQ(gone.Json().at("closed").at("reason").as_string(), "venue closed");
  EXPECT_EQ(Seq(gone.Json().at("closed")), static_cast<int64_t>(closed));
  EXPECT_EQ(Seq(gone.Json().at("closed")),
            static_cast<int64_t>(c.outlets.at("C-2").closed_at->seq));
  // As of the record before the closing it was active.
  HttpReply open =
      client.Get("/v1/outlets/C-2?as_of=" + std::to_string(closed - 1), Token(kAuditorToken));
  ASSERT_EQ(open.status, 200u) << open.body;
  EXPECT_EQ(open.Json().at("status").as_string(), "active");
  EXPECT_EQ(open.Json().at("as_of").as_int64(), static_cast<int64_t>(closed - 1));
}

TEST(EntityViews, RefuseWithTheirCodes) {
  ApiServer server(WithXiangxiAuditor());
  TestClient client(server.port());
  const std::string size = std::to_string(server.tree_size());
  ExpectRefusals(client,
                 {
                     {"/v1/products/P-404", kAuditorToken, 404, "not_found"},
                     {"/v1/suppliers/SUP-404", kAuditorToken, 404, "not_found"},
                     {"/v1/outlets/C-404", kAuditorToken, 404, "not_found"},
                     {"/v1/households/H-404", kAuditorToken, 404, "not_found"},
                     {"/v1/outlets/C-1?as_of=0", kAuditorToken, 404, "not_found"},
                     {"/v1/products/P-1?as_of=" + size, kAuditorToken, 400, "invalid_argument"},
                     {"/v1/products/P-1?as_of=x", kAuditorToken, 400, "invalid_argument"},
                     {"/v1/products/P-1?from=1", kAuditorToken, 400, "invalid_argument"},
                     {"/v1/outlets/C-1", kXiangxiToken, 403, "permission_denied"},
                     {"/v1/products/P-1", kPublicToken, 403, "permission_denied"},
                 });
  EXPECT_EQ(client.Get("/v1/households/H-1").status, 401u);
  // 湘西's auditor reads 湘西's entities.
  EXPECT_EQ(client.Get("/v1/products/P-1", Token(kXiangxiToken)).status, 200u);
  EXPECT_EQ(client.Get("/v1/suppliers/SUP-1", Token(kXiangxiToken)).status, 200u);
  EXPECT_EQ(client.Get("/v1/households/H-1", Token(kXiangxiToken)).status, 200u);
}

// --- Searches ----------------------------------------------------------------

TEST(Searches, ProductsByCountyCategoryAndStatusPagedById) {
  ApiServer server(WithXiangxiAuditor());
  TestClient client(server.port());
  Post(client, ProductEvent(server, "P-2", "430102", "百合"));
  Post(client, ProductEvent(server, "P-3", "433127", "茶叶"));
  Post(client, server.world().certifier.SignJson("product.revoked",
                                                 {{"product_id", "P-3"}, {"reason", "expired"}},
                                                 "2020-09-03T09:00:00+08:00"));
  auto get = [&](const std::string& query, std::string_view token = kAuditorToken) {
    HttpReply reply = client.Get("/v1/products" + query, Token(token));
    EXPECT_EQ(reply.status, 200u) << query << ": " << reply.body;
    return Ids(reply.Json(), "products", "product_id");
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(get(""), (Names{"P-1", "P-2", "P-3"}));
  EXPECT_EQ(get("?county=433127"), (Names{"P-1", "P-3"}));
  EXPECT_EQ(get("?county=430100"), (Names{"P-2"}));
  EXPECT_EQ(get("?category=%E7%99%BE%E5%90%88"), (Names{"P-1", "P-2"}));  // 百合
  EXPECT_EQ(get("?status=revoked"), (Names{"P-3"}));
  EXPECT_EQ(get("?status=certified&county=433127"), (Names{"P-1"}));
  EXPECT_EQ(get("?from=P-2"), (Names{"P-2", "P-3"}));
  EXPECT_EQ(AllPages(client, "/v1/products", "products", "product_id"),
            (Names{"P-1", "P-2", "P-3"}));
  EXPECT_EQ(AllPages(client, "/v1/products?county=433127", "products", "product_id"),
            (Names{"P-1", "P-3"}));
  HttpReply page = client.Get("/v1/products?limit=2", Token(kAuditorToken));
  EXPECT_EQ(page.Json().at("next").as_string(), "P-3");
  EXPECT_EQ(page.Json().at("products").at(0).at("status").as_string(), "certified");
  // The past: before P-2 was certified.
  HttpReply past = client.Get("/v1/products?as_of=" + std::to_string(SeededTreeSize() - 1),
                              Token(kAuditorToken));
  EXPECT_EQ(Ids(past.Json(), "products", "product_id"), (Names{"P-1"}));
  // 湘西's auditor sees 湘西's products only.
  EXPECT_EQ(get("", kXiangxiToken), (Names{"P-1", "P-3"}));
}

TEST(Searches, OutletsAndSuppliersByRegionAndKindWithinScope) {
  ApiServer server(WithXiangxiAuditor());
  TestClient client(server.port());
  const fupin::testing::TestLedger& world = server.world();
  // An operator of 湘西 deploys a pavilion in 永顺县.
  Post(client,
       world.admin.SignJson("key.registered",
                            fupin::testing::KeyBody(world.stranger, {"operator"}, {"433100"}),
                            "2020-08-01T09:00:00+08:00"));
  Post(client, world.stranger.SignJson("outlet.deployed",
                                       {{"outlet_id", "X-1"},
                                        {"kind", "pavilion"},
                                        {"name", "永顺县扶贫产品专馆"},
                                        {"region", "433127"},
                                        {"venue", "县城步行街"}},
                                       "2020-08-20T09:00:00+08:00"));
  Post(client, OutletJson(server.op(), "C-2"));
  Post(client, world.certifier.SignJson("supplier.registered",
                                        {{"supplier_id", "SUP-2"},
                                         {"name", "芙蓉区农产品公司"},
                                         {"uscc", "91433127600000000D"},
                                         {"region", "430102"}},
                                        "2020-08-02T09:00:00+08:00"));
  using Names = std::vector<std::string>;
  auto outlets = [&](const std::string& query, std::string_view token = kAuditorToken) {
    HttpReply reply = client.Get("/v1/outlets" + query, Token(token));
    EXPECT_EQ(reply.status, 200u) << query << ": " << reply.body;
    return Ids(reply.Json(), "outlets", "outlet_id");
  };
  EXPECT_EQ(outlets(""), (Names{"C-1", "C-2", "X-1"}));
  EXPECT_EQ(outlets("?region=430100"), (Names{"C-1", "C-2"}));
  EXPECT_EQ(outlets("?kind=pavilion"), (Names{"X-1"}));
  EXPECT_EQ(outlets("?kind=counter&region=430102"), (Names{"C-1", "C-2"}));
  EXPECT_EQ(AllPages(client, "/v1/outlets?kind=counter", "outlets", "outlet_id"),
            (Names{"C-1", "C-2"}));
  EXPECT_EQ(outlets("", kXiangxiToken), (Names{"X-1"}));
  EXPECT_EQ(outlets("?region=433127", kXiangxiToken), (Names{"X-1"}));

  auto suppliers = [&](const std::string& query, std::string_view token = kAuditorToken) {
    HttpReply reply = client.Get("/v1/suppliers" + query, Token(token));
    EXPECT_EQ(reply.status, 200u) << query << ": " << reply.body;
    return Ids(reply.Json(), "suppliers", "supplier_id");
  };
  EXPECT_EQ(suppliers(""), (Names{"SUP-1", "SUP-2"}));
  EXPECT_EQ(suppliers("?region=433100"), (Names{"SUP-1"}));
  EXPECT_EQ(suppliers("?region=430102"), (Names{"SUP-2"}));
  EXPECT_EQ(suppliers("", kXiangxiToken), (Names{"SUP-1"}));
  EXPECT_EQ(AllPages(client, "/v1/suppliers", "suppliers", "supplier_id"),
            (Names{"SUP-1", "SUP-2"}));
}

TEST(Searches, RefuseWithTheirCodes) {
  ApiServer server(WithXiangxiAuditor());
  TestClient client(server.port());
  ExpectRefusals(client,
                 {
                     {"/v1/products?status=pending", kAuditorToken, 400, "invalid_argument"},
                     {"/v1/products?county=4301", kAuditorToken, 400, "invalid_argument"},
                     {"/v1/products?limit=0", kAuditorToken, 400, "invalid_argument"},
                     {"/v1/products?region=430100", kAuditorToken, 400, "invalid_argument"},
                     {"/v1/outlets?kind=shop", kAuditorToken, 400, "invalid_argument"},
                     {"/v1/suppliers?county=430100", kAuditorToken, 400, "invalid_argument"},
                     {"/v1/outlets?as_of=999999", kAuditorToken, 400, "invalid_argument"},
                     {"/v1/products?county=430102", kXiangxiToken, 403, "permission_denied"},
                     {"/v1/outlets?region=430100", kXiangxiToken, 403, "permission_denied"},
                     {"/v1/suppliers?region=430000", kXiangxiToken, 403, "permission_denied"},
                     {"/v1/outlets", kPublicToken, 403, "permission_denied"},
                 });
  EXPECT_EQ(client.Get("/v1/products").status, 401u);
}

// --- Sales -------------------------------------------------------------------

class SalesListing : public ::testing::Test {
 protected:
  // Three sales at C-1 on 1, 2 and 3 September (1, 2 and 3 bags at 35.00
  // 元), the second refunded 35.00 元.
  void SetUp() override {
    TestClient client(server_.port());
    seqs_.push_back(Post(client, SaleAt(server_, "S-1", 1, "2020-09-01T10:00:00+08:00")));
    seqs_.push_back(Post(client, SaleAt(server_, "S-2", 2, "2020-09-02T10:00:00+08:00")));
    seqs_.push_back(Post(client, SaleAt(server_, "S-3", 3, "2020-09-03T10:00:00+08:00")));
    refund_ = Post(
        client,
        server_.op().SignJson(
            "sale.refunded",
            {{"sale_id", "S-2"}, {"outlet_id", "C-1"}, {"amount_fen", 3500}, {"reason", "damaged"}},
            "2020-09-04T10:00:00+08:00"));
  }

  HttpReply Get(const std::string& query, std::string_view token = kAuditorToken) {
    TestClient client(server_.port());
    return client.Get("/v1/sales" + query, Token(token));
  }

  ApiServer server_{WithXiangxiAuditor()};
  std::vector<uint64_t> seqs_;
  uint64_t refund_ = 0;
};

std::vector<uint64_t> RecordSeqs(const bj::value& answer) {
  std::vector<uint64_t> seqs;
  for (const bj::value& record : answer.at("records").as_array()) {
    seqs.push_back(static_cast<uint64_t>(record.at("seq").as_int64()));
  }
  return seqs;
}

TEST_F(SalesListing, OfAnOutletAndAProductWithTotals) {
  for (std::string query : {"?outlet=C-1", "?product=P-1"}) {
    HttpReply reply = Get(query);
    ASSERT_EQ(reply.status, 200u) << reply.body;
    EXPECT_EQ(RecordSeqs(reply.Json()), seqs_) << query;
    const bj::value& totals = reply.Json().at("totals");
    EXPECT_EQ(totals.at("count").as_int64(), 3);
    EXPECT_EQ(totals.at("amount_fen").as_int64(), 6 * 3500);
    EXPECT_EQ(totals.at("refunded_fen").as_int64(), 3500);
    EXPECT_TRUE(reply.Json().at("next").is_null());
    for (const bj::value& record : reply.Json().at("records").as_array()) {
      EXPECT_EQ(record.at("event").at("type").as_string(), "sale.recorded");
    }
  }
  // as_of before the refund: nothing refunded yet.
  HttpReply before = Get("?outlet=C-1&as_of=" + std::to_string(refund_ - 1));
  ASSERT_EQ(before.status, 200u) << before.body;
  EXPECT_EQ(before.Json().at("totals").at("refunded_fen").as_int64(), 0);
}

TEST_F(SalesListing, TimeRangeIsOnBusinessTimeFromInclusiveToExclusive) {
  HttpReply reply =
      Get("?outlet=C-1&from_time=2020-09-02T10:00:00%2B08:00&to_time=2020-09-03T10:00:00%2B08:00");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(RecordSeqs(reply.Json()), (std::vector<uint64_t>{seqs_[1]}));
  EXPECT_EQ(reply.Json().at("totals").at("amount_fen").as_int64(), 2 * 3500);
  EXPECT_EQ(reply.Json().at("totals").at("refunded_fen").as_int64(), 3500);
  HttpReply utc = Get("?product=P-1&from_time=2020-09-02T00:00:00Z");
  ASSERT_EQ(utc.status, 200u) << utc.body;
  EXPECT_EQ(RecordSeqs(utc.Json()), (std::vector<uint64_t>{seqs_[1], seqs_[2]}));
}

TEST_F(SalesListing, PagesBySeqCoverEachSaleOnce) {
  std::vector<uint64_t> paged;
  int64_t amount = 0;
  std::optional<int64_t> next = 0;
  for (int pages = 0; next; ++pages) {
    ASSERT_LT(pages, 10);
    HttpReply page = Get("?outlet=C-1&limit=2&from=" + std::to_string(*next));
    ASSERT_EQ(page.status, 200u) << page.body;
    for (uint64_t seq : RecordSeqs(page.Json())) paged.push_back(seq);
    amount += page.Json().at("totals").at("amount_fen").as_int64();
    const bj::value& after = page.Json().at("next");
    next = after.is_null() ? std::nullopt : std::optional<int64_t>(after.as_int64());
  }
  EXPECT_EQ(paged, seqs_);
  EXPECT_EQ(amount, 6 * 3500);
}

TEST_F(SalesListing, RefusesWithTheirCodes) {
  TestClient client(server_.port());
  ExpectRefusals(
      client,
      {
          {"/v1/sales", kAuditorToken, 400, "invalid_argument"},
          {"/v1/sales?product=P-1&outlet=C-1", kAuditorToken, 400, "invalid_argument"},
          {"/v1/sales?outlet=C-1&from_time=2020-09-01", kAuditorToken, 400, "invalid_argument"},
          {"/v1/sales?outlet=C-1&from_time=2020-09-03T00:00:00Z&to_time=2020-09-02T00:00:00Z",
           kAuditorToken, 400, "invalid_argument"},
          {"/v1/sales?outlet=C-1&buyer=B-1", kAuditorToken, 400, "invalid_argument"},
          {"/v1/sales?outlet=C-404", kAuditorToken, 404, "not_found"},
          {"/v1/sales?outlet=C-1", kXiangxiToken, 403, "permission_denied"},
          {"/v1/sales?outlet=C-1", kPublicToken, 403, "permission_denied"},
      });
  // A product of 湘西 is 湘西's to list, wherever it sold.
  EXPECT_EQ(Get("?product=P-1", kXiangxiToken).status, 200u);
  EXPECT_EQ(client.Get("/v1/sales?outlet=C-1").status, 401u);
}

}  // namespace
}  // namespace fupin::api::testing
