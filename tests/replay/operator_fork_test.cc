// The operator's fork (docs/trust.md): the office that runs the ledger holds
// its system key, keeps an old copy of the data directory, and later
// rewrites history from it -- one sale dropped, later events appended again,
// every hash recomputed and every checkpoint re-signed with the real system
// key. Plain verification cannot tell (every signature is genuine); the
// witnesses can: they refuse its checkpoints, no forged checkpoint reaches
// the quorum, and `verify` and bundles with a witness policy fail, while
// the honest ledger keeps getting cosigned.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "api/server.h"
#include "api/witness_collector.h"
#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/event.h"
#include "replay/bundle.h"
#include "tests/api/server_fixture.h"
#include "tests/api/witness_fixture.h"
#include "tests/support/eventually.h"
#include "verify/verify.h"

namespace fupin::api::testing {
namespace {

using namespace std::chrono_literals;
using fupin::testing::Eventually;

// The signed event of a stored record, as it was submitted.
Envelope EventOf(const StoredRecord& record) {
  Result<boost::json::object> leaf = json::ParseStrictObject(record.leaf_data);
  EXPECT_TRUE(leaf.ok());
  Result<Envelope> envelope = ParseEnvelope(json::Canonicalize(leaf->at("event")));
  EXPECT_TRUE(envelope.ok()) << envelope.status().ToString();
  return std::move(envelope).value();
}

std::unique_ptr<Ledger> OpenLedger(const std::string& dir) {
  LedgerOptions options;
  options.clock = fupin::testing::TestClock();
  options.checkpoint_interval_ms = 0;  // a checkpoint per commit group
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir, options);
  EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
  return std::move(ledger).value();
}

ServerConfig Config(const WitnessPolicy& witnesses) {
  ServerConfig config;
  config.listen.port = 0;
  config.limits.io_threads = 1;
  config.limits.worker_threads = 4;
  config.rules = AllRulesDisabled();
  config.witnesses = witnesses;
  config.witness_interval = 100ms;
  return config;
}

class OperatorForkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    honest_dir_ = CopySeededDir();
    // The operator's old copy, taken before the sales below.
    forged_dir_ = CopySeededDir();
    prefix_ = SeededTreeSize();
    const note::VerifierKey log_key = OpenLedger(honest_dir_)->note_key();
    xiangxi_ = std::make_unique<TestWitness>("湘西州扶贫办", std::vector{log_key});
    audit_ = std::make_unique<TestWitness>("省审计厅", std::vector{log_key});
    policy_.witnesses = {xiangxi_->AsPolicyEntry(), audit_->AsPolicyEntry()};
    policy_.quorum = 2;

    // The honest history: five sales, each its own commit, all witnessed.
    honest_ = OpenLedger(honest_dir_);
    Server server(*honest_, Config(policy_));
    ASSERT_TRUE(server.Start().ok());
    TestClient client(server.port());
    for (int i = 0; i < 5; ++i) {
      ASSERT_EQ(
          client
              .Post("/v1/events", SaleJson(SeededWorld().op, "C-1", "S-FORK-" + std::to_string(i)))
              .status,
          201u);
    }
    honest_size_ = honest_->tree_size();
    ASSERT_TRUE(Eventually([&] { return WitnessedSize(*honest_) == honest_size_; }))
        << "the honest checkpoint was not cosigned by both witnesses";
    server.Stop();

    // The forgery: the old copy, the same events again but the third sale,
    // and two more, so it outgrows what the witnesses cosigned.
    forged_ = OpenLedger(forged_dir_);
    for (uint64_t seq = prefix_; seq < honest_size_; ++seq) {
      if (seq == prefix_ + 2) continue;
      AppendResult appended = forged_->Append({EventOf(honest_->ReadRecord(seq).value())});
      ASSERT_TRUE(appended.ok()) << appended.status.ToString();
    }
    for (int i = 0; i < 2; ++i) {
      AppendResult appended = forged_->Append(
          {ParseEnvelope(SaleJson(SeededWorld().op, "C-1", "S-FORGED-" + std::to_string(i)))
               .value()});
      ASSERT_TRUE(appended.ok()) << appended.status.ToString();
    }
  }

  void TearDown() override {
    forged_.reset();
    honest_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(honest_dir_, ignored);
    std::filesystem::remove_all(forged_dir_, ignored);
  }

  uint64_t WitnessedSize(const Ledger& ledger) const {
    Result<std::optional<uint64_t>> size = ledger.NewestWitnessedSize(policy_, 100);
    return size.ok() && size->has_value() ? **size : 0;
  }

  std::string honest_dir_;
  std::string forged_dir_;
  uint64_t prefix_ = 0;
  uint64_t honest_size_ = 0;
  std::unique_ptr<TestWitness> xiangxi_;
  std::unique_ptr<TestWitness> audit_;
  WitnessPolicy policy_;
  std::unique_ptr<Ledger> honest_;
  std::unique_ptr<Ledger> forged_;
};

TEST_F(OperatorForkTest, TheForgeryIsGenuineToPlainVerification) {
  EXPECT_EQ(forged_->info().log_id, honest_->info().log_id);
  EXPECT_EQ(forged_->info().origin, honest_->info().origin);
  EXPECT_NE(forged_->RootAt(honest_size_).value(), honest_->RootAt(honest_size_).value());
  forged_.reset();
  Result<verify::VerifyReport> report = verify::VerifyDataDir(forged_dir_, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->clean()) << report->failures.at(0).detail;
}

TEST_F(OperatorForkTest, WitnessesRefuseTheForgedCheckpointsWith422) {
  TestClient witness(xiangxi_->port());
  const uint64_t size = forged_->tree_size();
  std::string body = "old " + std::to_string(honest_size_) + "\n";
  const std::vector<merkle::Hash> path = forged_->ConsistencyPath(honest_size_, size).value();
  for (const merkle::Hash& hash : path) {
    body += Base64Encode(std::string_view(reinterpret_cast<const char*>(hash.data()), 32)) + "\n";
  }
  body += "\n" + note::FormatNote(forged_->NoteAt(size).value());
  HttpReply reply = witness.Post("/add-checkpoint", body, "");
  EXPECT_EQ(reply.status, 422u) << reply.body;
  // Asked from scratch, the witness names the size it stands by.
  HttpReply stale = witness.Post("/add-checkpoint",
                                 "old 0\n\n" + note::FormatNote(forged_->NoteAt(size).value()), "");
  EXPECT_EQ(stale.status, 409u);
  EXPECT_EQ(stale.body, std::to_string(honest_size_) + "\n");
  EXPECT_EQ(xiangxi_->witness().LatestSize(honest_->info().origin), honest_size_);
}

TEST_F(OperatorForkTest, NoForgedCheckpointReachesTheQuorum) {
  Server server(*forged_, Config(policy_));
  ASSERT_TRUE(server.Start().ok());
  const WitnessCollector& collector = *server.witness_collector();
  ASSERT_TRUE(Eventually([&] {
    std::vector<WitnessProgress> progress = collector.progress();
    return progress[0].failures > 0 && progress[1].failures > 0;
  }));
  for (const WitnessProgress& w : collector.progress()) {
    EXPECT_EQ(w.cosigned_size, 0u) << w.name;
    EXPECT_NE(w.last_error.find("422"), std::string::npos) << w.name << ": " << w.last_error;
  }
  EXPECT_EQ(collector.witnessed_size(), 0u);
  TestClient client(server.port());
  EXPECT_EQ(client.Get("/checkpoint").status, 503u);
}

TEST_F(OperatorForkTest, VerifyWithTheWitnessPolicyFailsOnTheForgeryOnly) {
  honest_.reset();
  forged_.reset();
  verify::VerifyOptions options;
  options.witness_policy = policy_;
  Result<verify::VerifyReport> honest = verify::VerifyDataDir(honest_dir_, options);
  ASSERT_TRUE(honest.ok());
  EXPECT_TRUE(honest->clean());
  ASSERT_TRUE(honest->witnessed.has_value());
  EXPECT_EQ(honest->witnessed->tree_size, honest_size_);
  EXPECT_EQ(honest->witnessed->cosigners.size(), 2u);

  Result<verify::VerifyReport> forged = verify::VerifyDataDir(forged_dir_, options);
  ASSERT_TRUE(forged.ok());
  ASSERT_EQ(forged->failures.size(), 1u);
  EXPECT_EQ(forged->failures[0].kind, verify::FailureKind::kWitnessQuorum);
  EXPECT_NE(forged->failures[0].detail.find("湘西州扶贫办"), std::string::npos)
      << forged->failures[0].detail;
  EXPECT_FALSE(forged->witnessed.has_value());
}

TEST_F(OperatorForkTest, BundlesWithTheWitnessPolicyHoldForTheHonestLedgerOnly) {
  Result<std::string> honest = replay::BuildBundle(*honest_, "outlet:C-1", nullptr, {}, &policy_);
  ASSERT_TRUE(honest.ok()) << honest.status().ToString();
  replay::BundleVerification checked = replay::VerifyBundle(*honest, {}, &policy_);
  EXPECT_TRUE(checked.ok()) << checked.reason();
  EXPECT_EQ(checked.cosigners.size(), 2u);

  Result<std::string> refused = replay::BuildBundle(*forged_, "outlet:C-1", nullptr, {}, &policy_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kNotFound);
  Result<std::string> forged = replay::BuildBundle(*forged_, "outlet:C-1");
  ASSERT_TRUE(forged.ok());
  EXPECT_TRUE(replay::VerifyBundle(*forged, {}).ok());  // genuine signatures
  replay::BundleVerification with_policy = replay::VerifyBundle(*forged, {}, &policy_);
  EXPECT_FALSE(with_policy.ok());
  EXPECT_EQ(with_policy.reason().rfind("witnesses: ", 0), 0u) << with_policy.reason();
}

TEST_F(OperatorForkTest, TheHonestLedgerKeepsGettingCosigned) {
  Server server(*honest_, Config(policy_));
  ASSERT_TRUE(server.Start().ok());
  TestClient client(server.port());
  ASSERT_EQ(client.Post("/v1/events", SaleJson(SeededWorld().op, "C-1", "S-AFTER")).status, 201u);
  const uint64_t size = honest_->tree_size();
  EXPECT_TRUE(Eventually([&] { return server.witness_collector()->witnessed_size() == size; }));
}

}  // namespace
}  // namespace fupin::api::testing
