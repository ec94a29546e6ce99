// Mirrors on loopback: catching up with the golden campaign while ingest
// continues and then answering every read as the source does; refusing
// writes; detecting a source that rewrote its history and keeping evidence
// that verifies offline.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <filesystem>
#include <thread>

#include "ledger/codec.h"
#include "ledger/file_io.h"
#include "mirror/evidence.h"
#include "mirror/served_mirror.h"
#include "tests/api/self_signed_certificate.h"
#include "tests/mirror/mirror_fixture.h"
#include "tests/support/cli_runner.h"
#include "witness/witness.h"

namespace fupin::mirror::testing {
namespace {

namespace fs = std::filesystem;
using api::testing::HttpReply;
using api::testing::TestClient;
using fupin::testing::Eventually;

// The first id of `field` in golden events of `type`.
std::string FirstId(const std::string& type, const std::string& field) {
  for (const std::string& line : Golden().lines) {
    boost::json::object event = boost::json::parse(line).as_object();
    if (event.at("type").as_string() == type) {
      return std::string(event.at("body").as_object().at(field).as_string());
    }
  }
  ADD_FAILURE() << "no " << type << " in the golden campaign";
  return "";
}

HttpReply GetAs(uint16_t port, const std::string& target) {
  return TestClient(port).Get(target, std::string(kAuditorToken));
}

class MirrorTest : public MirrorDirTest {
 protected:
  // Rounds until the mirror holds all of the source's quiet log.
  static void CatchUp(TestMirror& mirror, SourceLedger& source) {
    ASSERT_TRUE(Eventually([&] { return source.Quiet(); }));
    for (int i = 0; i < 100 && mirror.ledger().tree_size() < source.ledger().tree_size(); ++i) {
      mirror.Round();
    }
    ASSERT_EQ(mirror.ledger().tree_size(), source.ledger().tree_size());
  }
};

TEST_F(MirrorTest, CatchesUpWhileIngestContinuesThenAnswersAsTheSource) {
  const std::size_t total = Golden().lines.size();
  SourceLedger source(Path("source"), fupin::testing::TestClock(), /*rules=*/true);
  source.Append(0, total / 2);
  source.Serve();
  TestMirror mirror(Path("mirror"), SourceOf(source));
  // Ingest goes on in small batches while the mirror follows.
  std::thread ingest([&] { source.Append(total / 2, total, 250); });
  int rounds = 0;
  while (mirror.ledger().tree_size() < total / 2 + 2 || rounds < 3) {
    EXPECT_NE(mirror.Round(), RoundOutcome::kForkDetected);
    ++rounds;
  }
  ingest.join();
  CatchUp(mirror, source);
  const uint64_t size = source.ledger().tree_size();
  EXPECT_GT(size, total + 2);  // the source's rules appended flags too

  mirror.Serve(/*rules=*/true);
  const std::string product = FirstId("product.certified", "product_id");
  const std::string outlet = FirstId("outlet.deployed", "outlet_id");
  const std::string campaign = FirstId("campaign.defined", "campaign_id");
  const std::string all = std::to_string(size);
  const std::vector<std::string> targets = {
      "/v1/checkpoint",
      "/v1/checkpoints/" + all,
      "/checkpoint",
      "/v1/events?from=0&limit=1000",
      "/v1/events?from=" + std::to_string(size - 700) + "&limit=1000",
      "/v1/events/" + std::to_string(size / 3),
      "/v1/events?type=flag.raised&limit=1000",
      "/v1/proof/inclusion?seq=" + std::to_string(size / 2) + "&tree_size=" + all,
      "/v1/proof/consistency?first=1000&second=" + all,
      "/v1/trail/product/" + product + "?proofs=1",
      "/v1/trail/outlet/" + outlet + "?proofs=1&limit=50",
      "/v1/streams/outlet:" + outlet,
      "/v1/products/" + product,
      "/v1/outlets/" + outlet,
      "/v1/sales?product=" + product,
      "/v1/stats?campaign=" + campaign,
      "/v1/stats?format=csv&campaign=" + campaign,
      "/v1/targets?campaign=" + campaign,
      "/v1/flags?limit=1000",
  };
  for (const std::string& target : targets) {
    // The projections and the rules of each server fold on their own.
    HttpReply theirs;
    HttpReply ours;
    EXPECT_TRUE(Eventually([&] {
      theirs = GetAs(source.port(), target);
      ours = GetAs(mirror.port(), target);
      return theirs.status == ours.status && theirs.body == ours.body;
    })) << target
        << "\nsource " << theirs.status << ": " << theirs.body.substr(0, 300) << "\nmirror "
        << ours.status << ": " << ours.body.substr(0, 300);
    EXPECT_EQ(theirs.status, 200u) << target << ": " << theirs.body.substr(0, 300);
  }
  EXPECT_EQ(api::testing::FetchRecords(source.port()).size(), size);
  EXPECT_EQ(api::testing::FetchRecords(mirror.port()), api::testing::FetchRecords(source.port()));
}

TEST_F(MirrorTest, RefusesWritesNamingTheSourceAndReportsItsState) {
  SourceLedger source(Path("source"), fupin::testing::TestClock());
  source.Append(0, 3000);
  source.Serve();
  TestMirror mirror(Path("mirror"), SourceOf(source));
  EXPECT_EQ(mirror.Round(), RoundOutcome::kCaughtUp);
  mirror.Serve(false);
  const uint64_t size = mirror.ledger().tree_size();

  HttpReply refused = TestClient(mirror.port()).Post("/v1/events", Golden().lines[3000]);
  EXPECT_EQ(refused.status, 405u) << refused.body;
  EXPECT_EQ(refused.Header(boost::beast::http::field::allow), "GET");
  EXPECT_NE(refused.body.find("read-only mirror of " + source.url()), std::string::npos)
      << refused.body;
  EXPECT_EQ(mirror.ledger().tree_size(), size);

  HttpReply status = GetAs(mirror.port(), "/v1/mirror/status");
  ASSERT_EQ(status.status, 200u) << status.body;
  boost::json::object s = status.Json().as_object();
  EXPECT_EQ(s.at("source").as_string(), source.url());
  EXPECT_EQ(s.at("source_tree_size").as_int64(), static_cast<int64_t>(size));
  EXPECT_EQ(s.at("local_tree_size").as_int64(), static_cast<int64_t>(size));
  EXPECT_EQ(s.at("lag_records").as_int64(), 0);
  EXPECT_EQ(s.at("following").as_bool(), true);
  EXPECT_TRUE(s.at("alarms").as_array().empty());
  EXPECT_EQ(s.at("last_verified_checkpoint").as_object().at("tree_size").as_int64(),
            static_cast<int64_t>(size));
  // The source grows: the lag shows before the next round.
  source.Append(3000, 3500);
  ASSERT_TRUE(Eventually([&] { return source.Quiet(); }));
  HttpReply evidence = GetAs(mirror.port(), "/v1/mirror/evidence");
  EXPECT_EQ(evidence.status, 404u);
  EXPECT_EQ(evidence.Code(), "not_found");
  HttpReply metrics = GetAs(mirror.port(), "/metrics");
  EXPECT_NE(metrics.body.find("fupin_mirror_local_tree_size " + std::to_string(size)),
            std::string::npos);
  EXPECT_NE(metrics.body.find("fupin_mirror_fork_detected 0"), std::string::npos);
  EXPECT_EQ(mirror.Round(), RoundOutcome::kCaughtUp);
  EXPECT_EQ(mirror.ledger().tree_size(), source.ledger().tree_size());
  // A ledger's own server has no mirror routes.
  EXPECT_EQ(GetAs(source.port(), "/v1/mirror/status").status, 404u);
  // Unauthenticated reads of the mirror are refused like the source's.
  EXPECT_EQ(TestClient(mirror.port()).Get("/v1/mirror/status").status, 401u);
}

TEST_F(MirrorTest, AsAWitnessOfItsSourceItCosignsOnlyWhatItVerified) {
  SourceLedger source(Path("source"), fupin::testing::TestClock());
  source.Append(0, 2000);
  source.Serve();
  const uint16_t port = source.port();
  FollowerOptions follow;
  follow.source = SourceOf(source);
  follow.interval = std::chrono::milliseconds(100);
  Result<std::unique_ptr<ServedMirror>> served = ServedMirror::Start(
      Path("mirror"), std::move(follow), LoopbackConfig(0, false), {},
      MirrorWitnessOptions{std::move(crypto::Ed25519PrivateKey::Generate()).value(),
                           "省审计厅镜像",
                           {"127.0.0.1", 0}});
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  ServedMirror& mirror = **served;
  ASSERT_NE(mirror.witness(), nullptr);
  ASSERT_TRUE(Eventually([&] { return mirror.follower().CaughtUp(); }));

  // The source now asks the mirror for cosignatures and publishes only
  // checkpoints it cosigned.
  const note::VerifierKey& vkey = mirror.witness()->witness->verifier_key();
  source.StopServing();
  source.Serve(port, [&](api::ServerConfig& config) {
    config.witnesses.witnesses.push_back({vkey, mirror.witness()->server->url()});
    config.witnesses.quorum = 1;
    config.witness_interval = std::chrono::milliseconds(50);
  });
  source.Append(2000, 3000);
  ASSERT_TRUE(Eventually([&] { return source.Quiet(); }));
  const uint64_t size = source.ledger().tree_size();
  HttpReply published;
  ASSERT_TRUE(Eventually([&] {
    published = GetAs(port, "/v1/checkpoint");
    return published.status == 200 &&
           published.Json().at("tree_size").as_int64() == static_cast<int64_t>(size);
  })) << published.body;
  EXPECT_NE(published.body.find("省审计厅镜像"), std::string::npos) << published.body;
  // It verified every record before it cosigned them.
  EXPECT_GE(mirror.ledger().tree_size(), size);

  // A root its records do not have is refused; a size beyond them waits.
  tlog::TreeHead wrong{source.ledger().info().origin, 100, merkle::Hash{}};
  EXPECT_EQ(mirror.follower().Vouch(wrong, "").code(), ErrorCode::kInvalidField);
  tlog::TreeHead beyond{source.ledger().info().origin, size + 10, merkle::Hash{}};
  EXPECT_EQ(mirror.follower().Vouch(beyond, "").code(), ErrorCode::kUnavailable);
  tlog::TreeHead right{source.ledger().info().origin, 100,
                       std::move(source.ledger().RootAt(100)).value()};
  EXPECT_TRUE(mirror.follower().Vouch(right, "").ok());
  served->reset();
}

TEST_F(MirrorTest, WithAWitnessPolicyItFollowsOnlyCosignedCheckpoints) {
  SourceLedger source(Path("source"), fupin::testing::TestClock());
  source.Append(0, 1000);
  source.Serve();
  Result<std::unique_ptr<Ledger>> ledger = OpenMirror(Path("mirror"), SourceOf(source));
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  const crypto::Ed25519PrivateKey witness_key =
      std::move(crypto::Ed25519PrivateKey::Generate()).value();
  FollowerOptions options;
  options.source = SourceOf(source);
  options.witness_policy =
      WitnessPolicy{{{std::move(witness::CosignerKey("省审计厅", witness_key)).value(), ""}}, 1};
  std::unique_ptr<Follower> follower =
      std::move(Follower::Create(**ledger, std::move(options))).value();
  Result<RoundOutcome> outcome = follower->Round();
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(*outcome, RoundOutcome::kWaiting);
  EXPECT_EQ((*ledger)->tree_size(), 2u);  // the genesis only
  boost::json::object status = boost::json::parse(follower->StatusJson()).as_object();
  EXPECT_NE(std::string(status.at("waiting").as_string()).find("0 valid cosignatures of the 1"),
            std::string::npos)
      << boost::json::serialize(status);
  EXPECT_EQ(status.at("witness_quorum").as_int64(), 1);
}

TEST_F(MirrorTest, FollowsAnHttpsSourceItsCaFileTrustsAndNoOther) {
  api::testing::SelfSignedCertificate certificate;
  ASSERT_TRUE(certificate.ok());
  SourceLedger source(Path("source"), fupin::testing::TestClock());
  source.Append(0, 500);
  source.Serve(0, [&](api::ServerConfig& config) { config.tls = certificate.config(); });
  ASSERT_EQ(source.url().rfind("https://", 0), 0u) << source.url();
  // Without the CA file the source's certificate is not trusted: nothing
  // is created.
  Result<std::unique_ptr<Ledger>> untrusted =
      OpenMirror(Path("untrusted"), {source.url(), std::string(kAuditorToken), ""});
  ASSERT_FALSE(untrusted.ok());
  EXPECT_EQ(untrusted.status().code(), ErrorCode::kIoError) << untrusted.status().ToString();
  EXPECT_FALSE(fs::exists(Path("untrusted") + "/db"));

  TestMirror mirror(Path("mirror"),
                    {source.url(), std::string(kAuditorToken), certificate.cert_file()});
  ASSERT_TRUE(Eventually([&] { return source.Quiet(); }));
  EXPECT_EQ(mirror.Round(), RoundOutcome::kCaughtUp);
  EXPECT_EQ(mirror.ledger().tree_size(), source.ledger().tree_size());
}

TEST_F(MirrorTest, AMirrorOfAMirrorHoldsTheSameLog) {
  SourceLedger source(Path("source"), fupin::testing::TestClock());
  source.Append(0, 1500);
  source.Serve();
  TestMirror first(Path("first"), SourceOf(source));
  CatchUp(first, source);
  first.Serve(false);
  // A 市州 follows the 审计厅's copy: the same records and signed
  // checkpoints, every record verified again against the log's key.
  TestMirror second(Path("second"), {first.url(), std::string(kAuditorToken), ""});
  EXPECT_EQ(second.Round(), RoundOutcome::kCaughtUp);
  EXPECT_EQ(second.ledger().info().log_id, source.ledger().info().log_id);
  EXPECT_EQ(second.ledger().info().mirror_source, first.url());
  ASSERT_EQ(second.ledger().tree_size(), source.ledger().tree_size());
  EXPECT_EQ(CheckpointJson(*second.ledger().LatestCheckpoint()),
            CheckpointJson(*source.ledger().LatestCheckpoint()));
}

// The source at `base` grows to `a_end` golden events and is mirrored;
// then a copy of `base` signed on by the same key with the rest recorded
// at other times (another history) up to `b_end` is served at the same
// URL.
struct ForkCase {
  std::size_t b_end;
  std::string proof_kind;
};

class ForkTest : public MirrorTest, public ::testing::WithParamInterface<ForkCase> {};

TEST_P(ForkTest, ARewrittenHistoryIsDetectedAndTheEvidenceVerifiesOffline) {
  constexpr std::size_t kBase = 4000;
  constexpr std::size_t kAEnd = 6000;
  {
    SourceLedger base(Path("a"), fupin::testing::TestClock());
    base.Append(0, kBase);
  }
  fs::copy(Path("a"), Path("b"), fs::copy_options::recursive);

  auto original = std::make_unique<SourceLedger>(Path("a"), ClockFrom(60'000));
  original->Append(kBase, kAEnd);
  original->Serve();
  const uint16_t port = original->port();
  const SourceOptions at_url = SourceOf(*original);
  auto owned = std::make_unique<TestMirror>(Path("mirror"), at_url);
  TestMirror& mirror = *owned;
  CatchUp(mirror, *original);
  const uint64_t verified = mirror.ledger().tree_size();
  original.reset();

  // Same key, same URL, another history from seq kBase + 2 on.
  SourceLedger rewritten(Path("b"), ClockFrom(3'600'000));
  rewritten.Append(kBase, GetParam().b_end);
  rewritten.Serve(port);
  ASSERT_TRUE(Eventually([&] { return rewritten.Quiet(); }));

  EXPECT_EQ(mirror.Round(), RoundOutcome::kForkDetected);
  EXPECT_EQ(mirror.ledger().tree_size(), verified);        // nothing of the fork stored
  EXPECT_EQ(mirror.Round(), RoundOutcome::kForkDetected);  // following stopped

  const std::string file = (fs::path(mirror.dir()) / kEvidenceFile).string();
  Result<std::string> bytes = ReadFileBytes(file);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  Result<Evidence> evidence = ParseEvidence(*bytes);
  ASSERT_TRUE(evidence.ok()) << evidence.status().ToString();
  EXPECT_EQ(evidence->proof_kind, GetParam().proof_kind) << evidence->summary;
  EXPECT_EQ(evidence->verified.checkpoint.tree_size, verified);
  if (evidence->proof_kind == "fork-record") {
    EXPECT_EQ(evidence->verified_side->record.seq, kBase + 2);
  }
  Result<EvidenceVerdict> verdict = VerifyEvidence(*evidence);
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->proven) << boost::json::serialize(boost::json::parse(*bytes));
  // A note that does not verify is reported; the signed checkpoints still
  // carry the proof.
  Evidence bad_note = *evidence;
  bad_note.served.note = evidence->verified.note;
  Result<EvidenceVerdict> still = VerifyEvidence(bad_note);
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(still->proven);
  EXPECT_NE(std::find(still->findings.begin(), still->findings.end(),
                      "note of the served checkpoint: does NOT match or verify"),
            still->findings.end());

  // Offline, by a third party with the CLI.
  fupin::testing::CliResult cli = fupin::testing::RunCli({"verify-evidence", file, "--json"});
  EXPECT_EQ(cli.exit_code, 0) << cli.out << cli.err;
  EXPECT_NE(cli.out.find("\"proven\":true"), std::string::npos) << cli.out;
  // Pinned to another key: not proven.
  fupin::testing::CliResult other = fupin::testing::RunCli(
      {"verify-evidence", file, "--public-key", fupin::testing::TestSigner(9, "x").public_b64()});
  EXPECT_EQ(other.exit_code, 1) << other.out << other.err;
  // Evidence with a served root altered: the signature no longer holds.
  std::string forged = *bytes;
  const std::string root = "\"root_hash\":\"" + HexEncode(evidence->served.checkpoint.root_hash);
  const std::size_t at = forged.find(root);
  ASSERT_NE(at, std::string::npos);
  const std::size_t digit = at + root.size() - 64;
  forged[digit] = forged[digit] == '0' ? '1' : '0';
  const std::string forged_file = Path("forged.json");
  ASSERT_TRUE(WriteFileDurably(forged_file, forged).ok());
  fupin::testing::CliResult refused = fupin::testing::RunCli({"verify-evidence", forged_file});
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.out.find("NOT signed by the system key"), std::string::npos) << refused.out;
  fupin::testing::CliResult garbage = fupin::testing::RunCli({"verify-evidence", Path("none")});
  EXPECT_EQ(garbage.exit_code, 2);

  // The mirror's server shows the alarm and the evidence.
  mirror.Serve(false);
  HttpReply served = GetAs(mirror.port(), "/v1/mirror/evidence");
  EXPECT_EQ(served.status, 200u);
  EXPECT_EQ(served.body, *bytes);
  boost::json::object status = GetAs(mirror.port(), "/v1/mirror/status").Json().as_object();
  EXPECT_FALSE(status.at("following").as_bool());
  EXPECT_EQ(status.at("alarms").as_array().size(), 1u);
  EXPECT_NE(GetAs(mirror.port(), "/metrics").body.find("fupin_mirror_fork_detected 1"),
            std::string::npos);

  // Restarted, it stays stopped: `--once` exits 1 and stores nothing.
  owned.reset();
  fupin::testing::CliResult once =
      fupin::testing::RunCli({"mirror", "--from", rewritten.url(), "--data", Path("mirror"),
                              "--token", std::string(kAuditorToken), "--once", "--json"});
  EXPECT_EQ(once.exit_code, 1) << once.out << once.err;
  EXPECT_NE(once.out.find("\"following\":false"), std::string::npos) << once.out;
}

INSTANTIATE_TEST_SUITE_P(
    ServedHistories, ForkTest,
    ::testing::Values(ForkCase{7000, "fork-record"},   // longer: the first differing record
                      ForkCase{6000, "same-size"},     // as long: two roots for one size
                      ForkCase{5000, "consistency"}),  // shorter: the mirror's own proof
    [](const ::testing::TestParamInfo<ForkCase>& info) {
      std::string name = info.param.proof_kind;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

}  // namespace
}  // namespace fupin::mirror::testing
