// The rule engine inside the server: a suspicious sale raises a flag.raised
// signed by the ledger's system key, served by GET /v1/flags and
// /v1/flags/{id} with its evidence; repeated evidence does not raise again;
// a supervisor resolves it; a restart re-decides nothing twice.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "tests/api/server_fixture.h"

namespace fupin::api::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kScopedToken = "changsha-auditor-token-0123456789";

// The fixture with the default rules running and a 长沙 auditor.
ApiServer::Tweak WithRules() {
  return [](ServerConfig& config) {
    config.rules.reset();
    TokenConfig token = MakeToken("aud-430100", kScopedToken, Role::kAuditor);
    token.regions = {"430100"};
    config.tokens.push_back(token);
  };
}

// A sale of P-1 (reference price 35.00 元) at `unit_price_fen` at C-1.
std::string PricedSale(const ApiServer& server, const std::string& sale_id,
                       int64_t unit_price_fen) {
  boost::json::object body = fupin::testing::SaleBody(sale_id, 1, unit_price_fen);
  return server.op().SignJson("sale.recorded", std::move(body), "2020-09-05T10:15:00+08:00");
}

// The flags listed with `query`, polled until `count` are there (the rule
// engine runs after the acknowledgement) or 10 s passed.
boost::json::array FlagsWhenThere(uint16_t port, const std::string& query, std::size_t count) {
  TestClient client(port);
  boost::json::array flags;
  for (int attempt = 0; attempt < 200; ++attempt) {
    HttpReply reply = client.Get("/v1/flags" + query, std::string(kSupervisorToken));
    EXPECT_EQ(reply.status, 200u) << reply.body;
    if (reply.status != 200) break;
    flags = reply.Json().at("flags").as_array();
    if (flags.size() >= count) break;
    std::this_thread::sleep_for(50ms);
  }
  return flags;
}

// The seq of the sale acknowledged by a POST.
uint64_t SeqOf(const HttpReply& reply) {
  return static_cast<uint64_t>(reply.Json().at("results").at(0).at("seq").as_int64());
}

TEST(FlagsApi, AnOverpricedSaleRaisesOneSignedFlagWithItsEvidence) {
  ApiServer server(WithRules());
  TestClient client(server.port());
  HttpReply sale = client.Post("/v1/events", PricedSale(server, "S-dear", 5600));
  ASSERT_EQ(sale.status, 201u) << sale.body;

  boost::json::array flags = FlagsWhenThere(server.port(), "", 1);
  ASSERT_EQ(flags.size(), 1u);
  const boost::json::object& flag = flags[0].as_object();
  EXPECT_EQ(flag.at("rule").as_string(), "FP-03");
  EXPECT_EQ(flag.at("severity").as_string(), "alert");  // 160% > 150%
  EXPECT_EQ(flag.at("subject").as_string(), "product:P-1");
  EXPECT_EQ(flag.at("status").as_string(), "open");
  EXPECT_TRUE(flag.at("resolution").is_null());
  ASSERT_FALSE(flag.at("evidence").as_array().empty());
  EXPECT_EQ(flag.at("evidence").as_array().back().as_int64(), static_cast<int64_t>(SeqOf(sale)));
  EXPECT_NE(std::string(flag.at("summary").as_string()).find("56.00"), std::string::npos)
      << flag.at("summary").as_string();

  // The flag is a record of the log, appended by the ledger's own key.
  const std::string flag_id(flag.at("flag_id").as_string());
  HttpReply record = client.Get("/v1/events/" + std::to_string(flag.at("seq").as_int64()),
                                std::string(kAuditorToken));
  ASSERT_EQ(record.status, 200u);
  const boost::json::object& event = record.Json().at("event").as_object();
  EXPECT_EQ(event.at("type").as_string(), "flag.raised");
  EXPECT_EQ(event.at("key").as_string(), server.ledger().info().system_key_id);
  EXPECT_EQ(event.at("body").at("flag_id").as_string(), flag_id);

  HttpReply one = client.Get("/v1/flags/" + flag_id, std::string(kAuditorToken));
  ASSERT_EQ(one.status, 200u) << one.body;
  const boost::json::array& evidence = one.Json().at("evidence_records").as_array();
  ASSERT_FALSE(evidence.empty());
  EXPECT_EQ(evidence.back().at("seq").as_int64(), static_cast<int64_t>(SeqOf(sale)));
  EXPECT_EQ(evidence.back().at("event").at("body").at("unit_price_fen").as_int64(), 5600);

  HttpReply metrics = client.Get("/metrics", std::string(kAuditorToken));
  EXPECT_NE(metrics.body.find("fupin_flags_raised_total{rule=\"FP-03\",severity=\"alert\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("fupin_flags_open 1"), std::string::npos);
}

TEST(FlagsApi, RepeatedEvidenceJoinsTheOpenFlagAndResolutionClosesIt) {
  ApiServer server(WithRules());
  TestClient client(server.port());
  ASSERT_EQ(client.Post("/v1/events", PricedSale(server, "S-1", 5600)).status, 201u);
  ASSERT_EQ(FlagsWhenThere(server.port(), "", 1).size(), 1u);
  HttpReply again = client.Post("/v1/events", PricedSale(server, "S-2", 6000));
  ASSERT_EQ(again.status, 201u);
  // Wait until the engine has evaluated the second sale.
  boost::json::object flag;
  for (int attempt = 0; attempt < 200; ++attempt) {
    flag = FlagsWhenThere(server.port(), "", 1).at(0).as_object();
    if (!flag.at("extra_evidence").as_array().empty()) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(FlagsWhenThere(server.port(), "", 1).size(), 1u);  // not raised again
  ASSERT_EQ(flag.at("extra_evidence").as_array().size(), 1u);
  EXPECT_EQ(flag.at("extra_evidence").at(0).as_int64(), static_cast<int64_t>(SeqOf(again)));

  const std::string flag_id(flag.at("flag_id").as_string());
  std::string resolve = server.world().supervisor.SignJson(
      "flag.resolved",
      {{"flag_id", flag_id}, {"resolution", "confirmed"}, {"note", "核实：超参考价销售"}},
      "2020-09-06T09:00:00+08:00");
  ASSERT_EQ(client.Post("/v1/events", resolve).status, 201u);
  boost::json::array confirmed = FlagsWhenThere(server.port(), "?status=confirmed", 1);
  ASSERT_EQ(confirmed.size(), 1u);
  const boost::json::object& resolution = confirmed[0].at("resolution").as_object();
  EXPECT_EQ(resolution.at("resolution").as_string(), "confirmed");
  EXPECT_EQ(resolution.at("note").as_string(), "核实：超参考价销售");
  EXPECT_EQ(resolution.at("key").as_string(), server.world().supervisor.key_id());
  EXPECT_TRUE(FlagsWhenThere(server.port(), "?status=open", 0).empty());

  // A resolved flag cannot be resolved again, and nothing is written.
  const uint64_t size = server.tree_size();
  std::string twice = server.world().supervisor.SignJson(
      "flag.resolved", {{"flag_id", flag_id}, {"resolution", "dismissed"}, {"note", "再次处理"}},
      "2020-09-07T09:00:00+08:00");
  HttpReply refused = client.Post("/v1/events", twice);
  EXPECT_EQ(refused.status, 422u);
  EXPECT_EQ(refused.Code(), "flag_already_resolved");
  EXPECT_EQ(server.tree_size(), size);
}

TEST(FlagsApi, ARestartDecidesTheSameFlagsAndAppendsNothingTwice) {
  std::string dir;
  uint64_t size_before = 0;
  std::string flags_before;
  {
    ApiServer server(WithRules());
    TestClient client(server.port());
    ASSERT_EQ(client.Post("/v1/events", PricedSale(server, "S-1", 5600)).status, 201u);
    ASSERT_EQ(FlagsWhenThere(server.port(), "", 1).size(), 1u);
    size_before = server.tree_size();
    flags_before = boost::json::serialize(FlagsWhenThere(server.port(), "", 1));
    // Restart on the same data: serve a copy so the fixture can clean up.
    server.Shutdown();
    dir = fupin::testing::MakeTempDir("fupin-flags-restart");
    std::filesystem::copy(server.dir(), dir, std::filesystem::copy_options::recursive);
  }
  LedgerOptions options;
  options.clock = fupin::testing::TestClock();
  auto ledger = std::move(Ledger::Open(dir, options)).value();
  ServerConfig config;
  config.listen.host = "127.0.0.1";
  config.listen.port = 0;
  config.tokens = {MakeToken("sup-1", kSupervisorToken, Role::kSupervisor)};
  {
    Server server(*ledger, config);
    ASSERT_TRUE(server.Start().ok());
    boost::json::array flags = FlagsWhenThere(server.port(), "", 1);
    // Let the engine fold the whole log, flags included, then compare.
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(boost::json::serialize(FlagsWhenThere(server.port(), "", 1)), flags_before);
    EXPECT_EQ(ledger->tree_size(), size_before);
  }
  ledger.reset();
  std::filesystem::remove_all(dir);
}

TEST(FlagsApi, RefusesBadQueriesAndOutOfScopeReads) {
  ApiServer server(WithRules());
  TestClient client(server.port());
  ASSERT_EQ(client.Post("/v1/events", PricedSale(server, "S-1", 5600)).status, 201u);
  boost::json::array flags = FlagsWhenThere(server.port(), "", 1);
  ASSERT_EQ(flags.size(), 1u);
  const std::string flag_id(flags[0].at("flag_id").as_string());
  // The flag is about product P-1 of 永顺县 (433127): outside 长沙.
  EXPECT_EQ(flags[0].at("region").as_string(), "433127");

  ExpectRefusals(client, {
                             {"/v1/flags?status=closed", kSupervisorToken, 400, "invalid_argument"},
                             {"/v1/flags?severity=high", kSupervisorToken, 400, "invalid_argument"},
                             {"/v1/flags?limit=0", kSupervisorToken, 400, "invalid_argument"},
                             {"/v1/flags?stauts=open", kSupervisorToken, 400, "invalid_argument"},
                             {"/v1/flags/F-0000", kSupervisorToken, 404, "not_found"},
                             {"/v1/flags", kPublicToken, 403, "permission_denied"},
                             {"/v1/flags/" + flag_id, kScopedToken, 403, "permission_denied"},
                             {"/v1/flags?region=433100", kScopedToken, 403, "permission_denied"},
                         });
  // Listing is limited to the scope: the 长沙 auditor sees no flag.
  HttpReply scoped = client.Get("/v1/flags", std::string(kScopedToken));
  ASSERT_EQ(scoped.status, 200u);
  EXPECT_TRUE(scoped.Json().at("flags").as_array().empty());
  // Filters select.
  EXPECT_EQ(FlagsWhenThere(server.port(), "?rule=FP-03&severity=alert&region=433100", 1).size(),
            1u);
  EXPECT_TRUE(FlagsWhenThere(server.port(), "?rule=FP-01", 0).empty());
  EXPECT_TRUE(FlagsWhenThere(server.port(), "?subject=product:P-2", 0).empty());
}

}  // namespace
}  // namespace fupin::api::testing
