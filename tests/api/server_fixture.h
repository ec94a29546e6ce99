// A seeded ledger served in-process on an ephemeral loopback port, with one
// token per role, for the server tests.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/config.h"
#include "api/server.h"
#include "ledger/crypto.h"
#include "ledger/ledger.h"
#include "tests/api/http_client.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"

namespace fupin::api::testing {

inline constexpr std::string_view kSupervisorToken = "supervisor-token-0123456789";
inline constexpr std::string_view kAuditorToken = "auditor-token-0123456789";
inline constexpr std::string_view kPublicToken = "public-token-0123456789";

inline TokenConfig MakeToken(std::string id, std::string_view token, Role role) {
  TokenConfig config;
  config.id = std::move(id);
  config.sha256 = crypto::Sha256(token);
  config.role = role;
  config.regions = {"430000"};
  return config;
}

// A sale at `outlet` (which must be deployed), signed by the operator.
inline std::string SaleJson(const fupin::testing::TestSigner& op, const std::string& outlet,
                            const std::string& sale_id,
                            std::optional<int64_t> expected_version = std::nullopt,
                            std::optional<std::string> id = std::nullopt) {
  boost::json::object body = fupin::testing::SaleBody(sale_id, 2, 3500);
  body["outlet_id"] = outlet;
  return op.SignJson("sale.recorded", std::move(body), "2020-09-05T10:15:00+08:00",
                     expected_version, std::move(id));
}

// An outlet.deployed (a counter in 430102), signed by the operator.
inline std::string OutletJson(const fupin::testing::TestSigner& op, const std::string& outlet) {
  return op.SignJson("outlet.deployed",
                     {{"outlet_id", outlet},
                      {"kind", "counter"},
                      {"name", "专柜 " + outlet},
                      {"region", "430102"}},
                     "2020-08-02T09:00:00+08:00");
}

// Every record from `from` on, read page by page over GET /v1/events.
inline std::vector<boost::json::object> FetchRecords(uint16_t port, uint64_t from = 0) {
  std::vector<boost::json::object> records;
  TestClient client(port);
  std::optional<int64_t> next = static_cast<int64_t>(from);
  while (next) {
    HttpReply page = client.Get("/v1/events?limit=1000&from=" + std::to_string(*next),
                                std::string(kAuditorToken));
    EXPECT_EQ(page.status, 200u) << page.body;
    if (page.status != 200) break;
    for (const auto& record : page.Json().at("records").as_array()) {
      records.push_back(record.as_object());
    }
    const boost::json::value& after = page.Json().at("next");
    next = after.is_null() ? std::nullopt : std::optional<int64_t>(after.as_int64());
  }
  return records;
}

// The seeded world of event_builder.h, built once per process and closed:
// every ApiServer serves a copy of its data directory, so tests stay
// independent without paying for a genesis and a seeding each. Its signers
// are deterministic and stateless, shared by all tests.
inline fupin::testing::TestLedger& SeededWorld(uint64_t* tree_size = nullptr) {
  static fupin::testing::TestLedger world;
  static const uint64_t seeded_size = [] {
    world.SeedWorld();
    uint64_t size = world.ledger().tree_size();
    world.Close();
    return size;
  }();
  if (tree_size != nullptr) *tree_size = seeded_size;
  return world;
}

// Records in the seeded world (genesis and seeding).
inline uint64_t SeededTreeSize() {
  uint64_t size = 0;
  SeededWorld(&size);
  return size;
}

// A closed copy of the seeded world's data directory, removed by the caller.
inline std::string CopySeededDir() {
  std::string dir = fupin::testing::MakeTempDir("fupin-api-serve");
  std::error_code copied;
  std::filesystem::copy(SeededWorld().dir(), dir, std::filesystem::copy_options::recursive, copied);
  EXPECT_FALSE(copied) << copied.message();
  return dir;
}

// One read the server must refuse: the target, the token that asks, the
// status and the problem code it answers with.
struct RefusalCase {
  std::string target;
  std::string_view token;
  unsigned status;
  std::string code;
};

// GETs each case's target with its token and checks status and code.
inline void ExpectRefusals(TestClient& client, const std::vector<RefusalCase>& cases) {
  for (const RefusalCase& c : cases) {
    HttpReply reply = client.Get(c.target, std::string(c.token));
    EXPECT_EQ(reply.status, c.status) << c.target << ": " << reply.body;
    EXPECT_EQ(reply.Code(), c.code) << c.target;
  }
}

// The default rule configuration with every rule disabled: the engine
// still folds, but raises nothing.
inline rules::RuleConfig AllRulesDisabled() {
  Result<rules::RuleConfig> config = rules::DefaultRuleConfig();
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  if (!config.ok()) return {};
  for (auto& [id, entry] : config->rules) entry.enabled = false;
  return std::move(config).value();
}

class ApiServer {
 public:
  using Tweak = std::function<void(ServerConfig&)>;

  explicit ApiServer(const Tweak& tweak = {}) : world_(SeededWorld()), dir_(CopySeededDir()) {
    LedgerOptions options;
    options.clock = fupin::testing::TestClock();
    // A checkpoint after every commit group: tests can prove against the
    // size they just wrote.
    options.checkpoint_interval_ms = 0;
    Result<std::unique_ptr<Ledger>> opened = Ledger::Open(dir_, options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (!opened.ok()) return;
    ledger_ = std::move(opened).value();

    ServerConfig config;
    config.listen.host = "127.0.0.1";
    config.listen.port = 0;
    config.tokens = {MakeToken("sup-1", kSupervisorToken, Role::kSupervisor),
                     MakeToken("aud-1", kAuditorToken, Role::kAuditor),
                     MakeToken("pub-1", kPublicToken, Role::kPublic)};
    config.limits.io_threads = 2;
    config.limits.worker_threads = 8;
    // Most tests count the records they wrote; the flags tests turn the
    // rules back on.
    config.rules = AllRulesDisabled();
    if (tweak) tweak(config);
    server_ = std::make_unique<Server>(*ledger_, std::move(config));
    Status started = server_->Start();
    EXPECT_TRUE(started.ok()) << started.ToString();
  }

  ~ApiServer() {
    server_.reset();
    ledger_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  uint16_t port() const { return server_->port(); }
  Ledger& ledger() { return *ledger_; }
  Server& server() { return *server_; }
  const std::string& dir() const { return dir_; }
  const fupin::testing::TestLedger& world() const { return world_; }
  const fupin::testing::TestSigner& op() const { return world_.op; }
  uint64_t tree_size() const { return ledger_->tree_size(); }
  // Stops the server and closes the ledger (restart tests).
  void Shutdown() {
    server_.reset();
    ledger_.reset();
  }

 private:
  const fupin::testing::TestLedger& world_;
  std::string dir_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Server> server_;
};

// Deploys outlets C-2..C-<clients> (C-1 is in the seeded world) and signs
// `per_client` sales for each outlet C-1..C-<clients>: one list per client,
// so concurrent clients never contend on one stream. Sale ids are
// "<outlet><separator><i>".
inline std::vector<std::vector<std::string>> DeployOutletsAndSignSales(
    ApiServer& server, int clients, int per_client, const std::string& separator) {
  {
    TestClient client(server.port());
    for (int c = 2; c <= clients; ++c) {
      EXPECT_EQ(client.Post("/v1/events", OutletJson(server.op(), "C-" + std::to_string(c))).status,
                201u);
    }
  }
  std::vector<std::vector<std::string>> events(clients);
  for (int c = 0; c < clients; ++c) {
    std::string outlet = "C-" + std::to_string(c + 1);
    for (int i = 0; i < per_client; ++i) {
      events[c].push_back(SaleJson(server.op(), outlet, outlet + separator + std::to_string(i)));
    }
  }
  return events;
}

}  // namespace fupin::api::testing
