// Test support for mirrors: the golden campaign appended to a source
// ledger served on loopback, and a mirror of it in-process.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "api/server.h"
#include "ledger/ledger.h"
#include "mirror/follower.h"
#include "tests/api/server_fixture.h"
#include "tests/support/event_builder.h"
#include "tests/support/eventually.h"
#include "tests/support/fixtures.h"
#include "tests/support/loaded_campaign.h"

namespace fupin::mirror::testing {

using api::testing::kAuditorToken;

// The golden campaign (fixtures/campaign-small): its events in file order
// and the admin key they were generated under.
struct GoldenCampaign {
  std::vector<std::string> lines;
  std::string admin_public_key;
};

inline const GoldenCampaign& Golden() {
  static const GoldenCampaign golden = [] {
    GoldenCampaign out;
    const std::string dir = fupin::testing::FixturePath("campaign-small");
    boost::json::object manifest =
        boost::json::parse(fupin::testing::ReadWholeFile(dir + "/manifest.json")).as_object();
    out.admin_public_key = manifest.at("admin_public_key").as_string();
    std::istringstream lines(fupin::testing::ReadWholeFile(dir + "/events.jsonl"));
    for (std::string line; std::getline(lines, line);) out.lines.push_back(line);
    return out;
  }();
  return golden;
}

// A clock like TestClock's, `offset_ms` later: the same events recorded at
// other times make another history.
inline Clock ClockFrom(int64_t offset_ms) {
  auto now = std::make_shared<int64_t>(1599272100000 + offset_ms);
  return [now] { return (*now)++; };
}

inline api::ServerConfig LoopbackConfig(uint16_t port, bool rules) {
  api::ServerConfig config;
  config.listen.host = "127.0.0.1";
  config.listen.port = port;
  config.tokens = {api::testing::MakeToken("aud-1", kAuditorToken, api::Role::kAuditor)};
  config.limits.io_threads = 2;
  config.limits.worker_threads = 4;
  if (!rules) config.rules = api::testing::AllRulesDisabled();
  return config;
}

// A ledger in `dir` (created with the golden admin key when new), a
// checkpoint after every commit group, served on loopback.
class SourceLedger {
 public:
  SourceLedger(std::string dir, Clock clock, bool rules = false) : dir_(std::move(dir)) {
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::path(dir_) / "db", ec)) {
      Result<GenesisInfo> info =
          Ledger::Init(dir_, Golden().admin_public_key, "admin", fupin::testing::TestClock());
      EXPECT_TRUE(info.ok()) << info.status().ToString();
    }
    LedgerOptions options;
    options.clock = std::move(clock);
    options.checkpoint_interval_ms = 0;
    Result<std::unique_ptr<Ledger>> opened = Ledger::Open(dir_, options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (opened.ok()) ledger_ = std::move(opened).value();
    rules_ = rules;
  }
  ~SourceLedger() { Close(); }

  // Starts serving on `port` (0: any).
  void Serve(uint16_t port = 0, const std::function<void(api::ServerConfig&)>& tweak = {}) {
    api::ServerConfig config = LoopbackConfig(port, rules_);
    if (tweak) tweak(config);
    server_ = std::make_unique<api::Server>(*ledger_, std::move(config));
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
  }
  void StopServing() { server_.reset(); }
  void Close() {
    server_.reset();
    ledger_.reset();
  }

  // Appends golden events [from, to) in batches of up to 1000.
  void Append(std::size_t from, std::size_t to, std::size_t batch_size = 1000) {
    const std::vector<std::string>& lines = Golden().lines;
    for (std::size_t i = from; i < to;) {
      std::vector<Envelope> batch;
      for (; i < to && batch.size() < batch_size; ++i) {
        Result<Envelope> envelope = ParseEnvelope(lines[i]);
        ASSERT_TRUE(envelope.ok()) << envelope.status().ToString();
        batch.push_back(std::move(envelope).value());
      }
      AppendResult result = ledger_->Append(std::move(batch));
      ASSERT_TRUE(result.ok()) << result.status.ToString();
    }
  }
  // True once the log stopped growing (flags included) and its latest
  // checkpoint covers all of it.
  bool Quiet() {
    const uint64_t before = ledger_->tree_size();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    Result<Checkpoint> latest = ledger_->LatestCheckpoint();
    return before == ledger_->tree_size() && latest.ok() && latest->tree_size == before;
  }

  Ledger& ledger() { return *ledger_; }
  uint16_t port() const { return server_->port(); }
  std::string url() const { return server_->url(); }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  bool rules_ = false;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<api::Server> server_;
};

// A test with a temporary directory of its own, removed after it.
class MirrorDirTest : public ::testing::Test {
 protected:
  void SetUp() override { root_ = fupin::testing::MakeTempDir("fupin-mirror-test"); }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  std::string Path(const std::string& name) const {
    return (std::filesystem::path(root_) / name).string();
  }

  std::string root_;
};

inline SourceOptions SourceOf(const SourceLedger& source) {
  return {source.url(), std::string(kAuditorToken), ""};
}

// A mirror of `source` in `dir`, followed round by round on the test's
// thread.
class TestMirror {
 public:
  TestMirror(std::string dir, SourceOptions source) : dir_(std::move(dir)) {
    Result<std::unique_ptr<Ledger>> opened = OpenMirror(dir_, source);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (!opened.ok()) return;
    ledger_ = std::move(opened).value();
    FollowerOptions options;
    options.source = std::move(source);
    options.page_records = 500;
    options.stretch_records = 2000;
    options.stored = [this] {
      if (server_) server_->RecordsArrived();
    };
    Result<std::unique_ptr<Follower>> follower = Follower::Create(*ledger_, std::move(options));
    EXPECT_TRUE(follower.ok()) << follower.status().ToString();
    if (follower.ok()) follower_ = std::move(follower).value();
  }
  ~TestMirror() {
    server_.reset();
    follower_.reset();
    ledger_.reset();
  }

  // One round; fails the test on an error.
  RoundOutcome Round() {
    Result<RoundOutcome> outcome = follower_->Round();
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    return outcome.ok() ? *outcome : RoundOutcome::kWaiting;
  }
  void Serve(bool rules) {
    server_ = std::make_unique<api::Server>(*ledger_, LoopbackConfig(0, rules));
    server_->AttachMirror(follower_.get());
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
  }

  Ledger& ledger() { return *ledger_; }
  Follower& follower() { return *follower_; }
  uint16_t port() const { return server_->port(); }
  std::string url() const { return server_->url(); }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Follower> follower_;
  std::unique_ptr<api::Server> server_;
};

}  // namespace fupin::mirror::testing
