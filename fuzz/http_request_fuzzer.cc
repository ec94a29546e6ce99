// The HTTP request path in process, without sockets: the bytes a client
// sends, parsed by Beast's request parser under the session's limits
// (api/session.cc), routed (api/router.h: target and query string, tokens,
// every handler, problem answers), then the server's representation rules
// (api/response.h: ETag, gzip) and the response serialized as the session
// writes it. Up to kMaxPipelined requests of one input are handled in turn,
// as a keep-alive session reads them.
//
// The ledger: created once per process in a private temporary directory
// (removed at exit) with the campaign-small fixture's admin key, holding
// the fixture's first kSeededEvents events (regions, campaign, keys,
// suppliers, households, products, outlets, the first sales and refunds),
// with the projections and the rule engine caught up in memory and nothing
// persisted by them. Tokens: "Bearer fuzz-<role>-token" for public,
// auditor, supervisor and admin (fuzz/dict/http_request.dict).
//
// Deterministic per input: the only append that can succeed is a duplicate
// of a seeded event (signatures cannot be forged), which writes nothing;
// the access log, metrics and the stats cache, which would carry state
// from one input to the next, are not wired in (as in the handler tests).
// The system key, and so the log id and checkpoint signatures, is new in
// every process.
#include <stdlib.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "api/auth.h"
#include "api/config.h"
#include "api/handlers.h"
#include "api/http_types.h"
#include "api/metrics.h"
#include "api/response.h"
#include "api/router.h"
#include "fuzz/fuzz_input.h"
#include "ledger/event.h"
#include "ledger/ledger.h"
#include "projections/ledger_projections.h"
#include "rules/catalog.h"
#include "rules/rule_config.h"
#include "rules/rule_runner.h"

namespace fupin {
namespace {

// Enough of the fixture for every entity kind, sales, refunds and benefit
// payments; seeding takes seconds, not minutes, under the sanitizers.
inline constexpr std::size_t kSeededEvents = 4000;
inline constexpr std::size_t kAppendBatch = 500;
// A session reads at most this many pipelined requests ahead (the
// default Limits::max_pipelined is larger; four keep an input cheap).
inline constexpr int kMaxPipelined = 4;
// 2020-10-01T00:00:00Z: after every fixture event, inside every key's window.
inline constexpr int64_t kClockMs = 1601510400000;
// The fixture's admin key (fixtures/campaign-small/manifest.json).
inline constexpr std::string_view kAdminPublicKey = "ZUwm8t3iFBjzYZQHWgqTE2zOMxCIoH8cEkon3FK+MPE=";

struct World {
  std::filesystem::path dir;
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<api::TokenTable> tokens;
  std::unique_ptr<api::Metrics> metrics;
  std::unique_ptr<projections::LedgerProjections> projections;
  std::unique_ptr<rules::RuleRunner> rules;
  std::unique_ptr<api::ServerState> state;
};

World* world = nullptr;

[[noreturn]] void Fail(const std::string& what, const Status& status) {
  std::fprintf(stderr, "http_request fuzzer setup: %s: %s\n", what.c_str(),
               status.ToString().c_str());
  std::abort();
}

api::TokenConfig Token(std::string_view role_name, api::Role role) {
  api::TokenConfig token;
  token.id = "fuzz-" + std::string(role_name);
  token.sha256 = crypto::Sha256("fuzz-" + std::string(role_name) + "-token");
  token.role = role;
  token.regions = {"430000"};
  return token;
}

void SeedFixtureEvents(Ledger& ledger) {
  std::ifstream in(std::string(FUPIN_SOURCE_DIR) + "/fixtures/campaign-small/events.jsonl");
  if (!in) Fail("fixtures/campaign-small/events.jsonl", Status(ErrorCode::kIoError, "unreadable"));
  std::vector<Envelope> batch;
  std::string line;
  for (std::size_t n = 0; n < kSeededEvents && std::getline(in, line); ++n) {
    Result<Envelope> event = ParseEnvelope(line);
    if (!event.ok()) Fail("fixture line " + std::to_string(n + 1), event.status());
    batch.push_back(std::move(event).value());
    if (batch.size() == kAppendBatch) {
      AppendResult appended = ledger.Append(std::move(batch));
      if (!appended.ok()) Fail("seeding", appended.status);
      batch.clear();
    }
  }
  if (!batch.empty()) {
    AppendResult appended = ledger.Append(std::move(batch));
    if (!appended.ok()) Fail("seeding", appended.status);
  }
}

// Stops the rule engine and the projections before the ledger they read,
// then removes the directory.
void RemoveWorld() {
  if (world == nullptr) return;
  world->state.reset();
  world->rules.reset();
  world->projections.reset();
  world->ledger.reset();
  std::error_code ignored;
  std::filesystem::remove_all(world->dir, ignored);
  delete world;
  world = nullptr;
}

// FUPIN_FUZZ_TRACE=1 prints each request's target and status (to check
// what seeds reach: fuzz_http_request -runs=0 fuzz/corpus/http_request).
const bool kTrace = std::getenv("FUPIN_FUZZ_TRACE") != nullptr;

void HandleOne(const api::Request& request) {
  api::Routed routed = api::HandleRequest(request, *world->state);
  if (kTrace) {
    std::fprintf(stderr, "%s %s -> %u %.200s\n", std::string(request.method_string()).c_str(),
                 std::string(request.target()).c_str(), routed.response.result_int(),
                 routed.response.body().c_str());
  }
  if (routed.route == api::RouteId::kGetEvent || routed.route == api::RouteId::kCheckpointAt) {
    api::MarkImmutable(request, routed.response);
  }
  api::CompressIfAccepted(request, routed.response);
  routed.response.prepare_payload();
  std::ostringstream wire;
  wire << routed.response;
}

}  // namespace
}  // namespace fupin

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using namespace fupin;
  std::string pattern = (std::filesystem::temp_directory_path() / "fupin-fuzz-http-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp", Status(ErrorCode::kIoError, pattern));
  world = new World;
  world->dir = pattern;
  const std::string data_dir = pattern + "/ledger";
  const Clock clock = [] { return kClockMs; };
  Result<GenesisInfo> genesis = Ledger::Init(data_dir, kAdminPublicKey, "admin", clock);
  if (!genesis.ok()) Fail("init", genesis.status());
  LedgerOptions options;
  options.clock = clock;
  options.checkpoint_interval_ms = 0;  // a checkpoint after every commit group
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(data_dir, options);
  if (!ledger.ok()) Fail("open", ledger.status());
  world->ledger = std::move(ledger).value();
  SeedFixtureEvents(*world->ledger);

  projections::RunnerOptions runner_options;
  runner_options.persist = false;
  Result<std::unique_ptr<projections::LedgerProjections>> projections =
      projections::LedgerProjections::Open(*world->ledger, runner_options);
  if (!projections.ok()) Fail("projections", projections.status());
  world->projections = std::move(projections).value();
  Status folded = world->projections->runner().CatchUp();
  if (!folded.ok()) Fail("projections catch-up", folded);

  Result<rules::RuleConfig> rule_config = rules::DefaultRuleConfig();
  if (!rule_config.ok()) Fail("rule config", rule_config.status());
  rules::RuleRunnerOptions rule_options;
  rule_options.append_flags = false;
  rule_options.persist = false;
  Result<std::unique_ptr<rules::RuleRunner>> rules =
      rules::RuleRunner::Open(*world->ledger, *rule_config, rule_options);
  if (!rules.ok()) Fail("rules", rules.status());
  world->rules = std::move(rules).value();
  Status ruled = world->rules->CatchUp();
  if (!ruled.ok()) Fail("rules catch-up", ruled);

  world->tokens = std::make_unique<api::TokenTable>(std::vector<api::TokenConfig>{
      Token("public", api::Role::kPublic), Token("auditor", api::Role::kAuditor),
      Token("supervisor", api::Role::kSupervisor), Token("admin", api::Role::kAdmin)});
  world->metrics = std::make_unique<api::Metrics>();
  world->state = std::make_unique<api::ServerState>(
      api::ServerState{*world->ledger, *world->tokens, *world->metrics});
  world->state->projections = world->projections.get();
  world->state->rules = world->rules.get();
  world->state->report_tolerance_bp = rules::ReportToleranceBp(*rule_config);
  // Registered last, so it runs before the destructors of the statics
  // RocksDB created while the ledger opened (exit runs them in reverse).
  std::atexit(RemoveWorld);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace fupin;
  namespace http = boost::beast::http;
  const api::Limits limits;
  std::string_view rest = fuzz::Bytes(data, size);
  for (int n = 0; n < kMaxPipelined && !rest.empty(); ++n) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
    parser.body_limit(static_cast<std::uint64_t>(limits.body_bytes));
    boost::system::error_code ec;
    // The session reads into a growing buffer; the parser sees it whole.
    while (!rest.empty() && !parser.is_done()) {
      const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
      if (ec == http::error::need_more) {
        ec = {};
        if (used == 0) break;
        continue;
      }
      if (ec) return 0;  // answered 400 or 413 and closed
      if (used == 0) break;
    }
    if (!parser.is_done()) {
      parser.put_eof(ec);  // the client closed: a truncated request is dropped
      if (ec || !parser.is_done()) return 0;
    }
    HandleOne(parser.get());
    if (!parser.get().keep_alive()) return 0;
  }
  return 0;
}
