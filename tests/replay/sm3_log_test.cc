// An SM3 log (`init --hash sm3`, docs/format.md "SM3 logs") loaded with a
// generated campaign whose keys are half SM2 (`generate --key-alg mixed`):
// seq 0 and the checkpoints name the hash, its root and proofs agree with
// an independent SM3 Merkle computation (OpenSSL's SM3 called here, the
// RFC 9162 definitions written out recursively), `verify --full` is clean,
// evidence bundles verify, and tampering is caught.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "generator/campaign_generator.h"
#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/crypto.h"
#include "ledger/ledger.h"
#include "ledger/record.h"
#include "ledger/signing.h"
#include "ledger/store_db.h"
#include "ledger/store_format.h"
#include "replay/bundle.h"
#include "tests/support/fixtures.h"
#include "tests/support/loaded_campaign.h"
#include "tests/support/store_tamper.h"
#include "verify/verify.h"

namespace fupin {
namespace {

namespace fs = std::filesystem;
namespace sf = store_format;
using replay::BuildBundle;
using replay::BundleVerification;
using replay::VerifyBundle;

// ---- The independent computation: OpenSSL's SM3 and RFC 9162 §2.1 as
// written there (MTH, PATH, PROOF by recursion over the leaf list), sharing
// nothing with ledger/merkle.cc or ledger/hash_alg.cc.

std::string Sm3Of(const std::string& bytes) {
  std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md(EVP_MD_fetch(nullptr, "SM3", nullptr),
                                                     &EVP_MD_free);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EXPECT_EQ(EVP_Digest(bytes.data(), bytes.size(), out, &size, md.get(), nullptr), 1);
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string Leaf(const std::string& leaf_data) { return Sm3Of(std::string(1, '\0') + leaf_data); }
std::string Node(const std::string& left, const std::string& right) {
  return Sm3Of(std::string(1, '\1') + left + right);
}

uint64_t LargestPowerOfTwoBelow(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// MTH(D[begin:end]) over leaf hashes.
std::string Mth(const std::vector<std::string>& leaves, uint64_t begin, uint64_t end) {
  if (end - begin == 1) return leaves[begin];
  const uint64_t k = LargestPowerOfTwoBelow(end - begin);
  return Node(Mth(leaves, begin, begin + k), Mth(leaves, begin + k, end));
}

// PATH(m, D[begin:end]).
std::vector<std::string> Path(const std::vector<std::string>& leaves, uint64_t m, uint64_t begin,
                              uint64_t end) {
  if (end - begin == 1) return {};
  const uint64_t k = LargestPowerOfTwoBelow(end - begin);
  std::vector<std::string> path;
  if (m < k) {
    path = Path(leaves, m, begin, begin + k);
    path.push_back(Mth(leaves, begin + k, end));
  } else {
    path = Path(leaves, m - k, begin + k, end);
    path.push_back(Mth(leaves, begin, begin + k));
  }
  return path;
}

// SUBPROOF(m, D[begin:end], b).
std::vector<std::string> Subproof(const std::vector<std::string>& leaves, uint64_t m,
                                  uint64_t begin, uint64_t end, bool b) {
  const uint64_t n = end - begin;
  if (m == n)
    return b ? std::vector<std::string>{} : std::vector<std::string>{Mth(leaves, begin, end)};
  const uint64_t k = LargestPowerOfTwoBelow(n);
  std::vector<std::string> proof;
  if (m <= k) {
    proof = Subproof(leaves, m, begin, begin + k, b);
    proof.push_back(Mth(leaves, begin + k, end));
  } else {
    proof = Subproof(leaves, m - k, begin + k, end, false);
    proof.push_back(Mth(leaves, begin, begin + k));
  }
  return proof;
}

std::vector<std::string> Raw(const std::vector<merkle::Hash>& hashes) {
  std::vector<std::string> out;
  for (const merkle::Hash& h : hashes)
    out.emplace_back(reinterpret_cast<const char*>(h.data()), 32);
  return out;
}

std::string Raw(const merkle::Hash& hash) {
  return std::string(reinterpret_cast<const char*>(hash.data()), hash.size());
}

// ---- The ledger under test.

// The campaign and its SM3 ledger, made on first use (once per test
// process) and removed when the run ends.
class Sm3Campaign : public ::testing::Environment {
 public:
  void TearDown() override {
    loaded_.reset();
    if (!root_.empty()) fs::remove_all(root_);
  }
  static testing::LoadedCampaign& loaded() {
    if (!loaded_) Make();
    return *loaded_;
  }

 private:
  static void Make() {
    root_ = testing::MakeTempDir("fupin-sm3-campaign");
    generator::GenerateOptions options;
    options.seed = 23;
    options.scale = std::move(generator::ParseScale("10000")).value();  // the least
    options.out_dir = root_ + "/gen";
    options.key_alg = generator::KeyAlgMix::kMixed;
    Result<generator::GenerateSummary> summary = generator::GenerateCampaign(options);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    loaded_ = std::make_unique<testing::LoadedCampaign>(
        options.out_dir, summary.ok() ? summary->admin_public_key : "", merkle::HashAlg::kSm3);
    // The test clock stands still, so no checkpoint follows the load on
    // its own; opening the ledger again signs one at its size.
    loaded_->Close();
    loaded_->Reopen();
    EXPECT_EQ(loaded_->ledger().LatestCheckpoint()->tree_size, loaded_->ledger().tree_size());
  }
  static inline std::string root_;
  static inline std::unique_ptr<testing::LoadedCampaign> loaded_;
};

[[maybe_unused]] ::testing::Environment* const kSm3Campaign =
    ::testing::AddGlobalTestEnvironment(new Sm3Campaign);

class Sm3LogTest : public ::testing::Test {
 protected:
  static testing::LoadedCampaign* campaign() { return &Sm3Campaign::loaded(); }
  static Ledger& ledger() { return campaign()->ledger(); }

  static std::vector<StoredRecord> AllRecords() {
    Result<std::vector<StoredRecord>> records = ledger().ReadRecords(0, ledger().tree_size());
    EXPECT_TRUE(records.ok()) << records.status().ToString();
    return records.ok() ? std::move(records).value() : std::vector<StoredRecord>{};
  }

  static verify::VerifyReport VerifyFull(const std::string& dir) {
    verify::VerifyOptions options;
    options.mode = verify::VerifyMode::kFull;
    options.threads = 2;
    Result<verify::VerifyReport> report = verify::VerifyDataDir(dir, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? std::move(report).value() : verify::VerifyReport{};
  }
};

TEST_F(Sm3LogTest, SeqZeroAloneNamesTheHashAndTheLogIdIsItsSm3LeafHash) {
  EXPECT_EQ(ledger().info().hash, merkle::HashAlg::kSm3);
  const std::vector<StoredRecord> genesis = std::move(ledger().ReadRecords(0, 2)).value();
  const boost::json::object seq0 = boost::json::parse(genesis[0].leaf_data).as_object();
  const boost::json::object seq1 = boost::json::parse(genesis[1].leaf_data).as_object();
  EXPECT_EQ(seq0.at("event").at("body").at("hash").as_string(), "sm3");
  EXPECT_FALSE(seq1.at("event").at("body").as_object().contains("hash"));
  EXPECT_EQ(ledger().info().log_id, HexEncode(Leaf(genesis[0].leaf_data)));
  EXPECT_NE(ledger().info().log_id,
            HexEncode(crypto::Sha256(std::string(1, '\0') + genesis[0].leaf_data)));
}

TEST_F(Sm3LogTest, HalfTheCampaignsKeysAreSm2) {
  std::size_t sm2 = 0;
  std::size_t all = 0;
  for (const StoredRecord& record : AllRecords()) {
    const boost::json::object leaf = boost::json::parse(record.leaf_data).as_object();
    const boost::json::object& event = leaf.at("event").as_object();
    if (event.at("type").as_string() != "key.registered") continue;
    ++all;
    if (event.at("body").at("alg").as_string() == "sm2") ++sm2;
  }
  ASSERT_GT(all, 100u);
  EXPECT_GE(sm2 * 2 + 2, all);  // every other key after the admin's (and the system key)
  EXPECT_LE(sm2 * 2, all);
}

TEST_F(Sm3LogTest, RootProofsAndChainsAgreeWithAnIndependentSm3Computation) {
  const std::vector<StoredRecord> records = AllRecords();
  ASSERT_EQ(records.size(), ledger().tree_size());
  std::vector<std::string> leaves;
  for (const StoredRecord& record : records) {
    leaves.push_back(Leaf(record.leaf_data));
    ASSERT_EQ(Raw(record.leaf_hash), leaves.back()) << "seq " << record.seq;
  }
  const Checkpoint checkpoint = std::move(ledger().LatestCheckpoint()).value();
  ASSERT_EQ(checkpoint.hash, merkle::HashAlg::kSm3);
  ASSERT_LE(checkpoint.tree_size, leaves.size());
  EXPECT_EQ(Raw(checkpoint.root_hash), Mth(leaves, 0, checkpoint.tree_size));
  EXPECT_NE(CheckpointJson(checkpoint).find("\"hash\":\"sm3\""), std::string::npos);
  EXPECT_TRUE(VerifyCheckpoint(checkpoint, ledger().system_public_key()));

  // Proofs over the whole log (the latest checkpoint may be older).
  const uint64_t n = leaves.size();
  EXPECT_EQ(Raw(*ledger().RootAt(n)), Mth(leaves, 0, n));
  for (uint64_t seq : {uint64_t{0}, uint64_t{1}, n / 3, n / 2 + 7, n - 2, n - 1}) {
    Result<std::vector<merkle::Hash>> path = ledger().InclusionPath(seq, n);
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    EXPECT_EQ(Raw(*path), Path(leaves, seq, 0, n)) << "inclusion of " << seq;
  }
  for (uint64_t first : {uint64_t{1}, uint64_t{2}, n / 4, n / 2 + 1, n - 1}) {
    Result<std::vector<merkle::Hash>> proof = ledger().ConsistencyPath(first, n);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(Raw(*proof), Subproof(leaves, first, 0, n, true)) << "consistency " << first;
  }

  // Each stream's prev_stream_hash is its previous record's SM3 leaf hash.
  std::map<std::string, std::string> last_of_stream;
  for (const StoredRecord& record : records) {
    const boost::json::object leaf = boost::json::parse(record.leaf_data).as_object();
    const std::string stream(leaf.at("stream").as_string());
    const std::string prev(leaf.at("prev_stream_hash").as_string());
    auto it = last_of_stream.find(stream);
    EXPECT_EQ(prev, it == last_of_stream.end() ? "" : HexEncode(it->second))
        << "seq " << record.seq;
    last_of_stream[stream] = leaves[record.seq];
  }
}

TEST_F(Sm3LogTest, ReopenedItKeepsItsHash) {
  const std::string dir = campaign()->dir();
  campaign()->Close();
  LedgerOptions options;
  options.clock = testing::TestClock();
  Result<std::unique_ptr<Ledger>> reopened = Ledger::Open(dir, options);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->info().hash, merkle::HashAlg::kSm3);
  EXPECT_EQ((*reopened)->RootAt((*reopened)->tree_size())->size(), 32u);
  reopened->reset();
  campaign()->Reopen();
}

TEST_F(Sm3LogTest, VerifyFullIsClean) {
  campaign()->Close();
  verify::VerifyReport report = VerifyFull(campaign()->dir());
  campaign()->Reopen();
  EXPECT_TRUE(report.clean()) << (report.failures.empty() ? "" : report.failures[0].detail);
  EXPECT_GT(report.counts.signatures, 3000u);
}

TEST_F(Sm3LogTest, BundlesOfTheSm3LogVerifyAndAnotherHashIsRefused) {
  // An outlet of the campaign: the stream of seq 1000's record.
  const StoredRecord some = std::move(ledger().ReadRecord(1000)).value();
  const std::string stream(boost::json::parse(some.leaf_data).as_object().at("stream").as_string());
  Result<std::string> bundle = BuildBundle(ledger(), stream);
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  const replay::TrustAnchor anchor{ledger().info().log_id, ledger().info().system_public_key};
  BundleVerification verified = VerifyBundle(*bundle, anchor);
  EXPECT_TRUE(verified.ok()) << verified.reason();

  // The same bundle read as a SHA-256 log: its checkpoint no longer says
  // sm3, so its signature fails, and the records no longer hash to proofs.
  boost::json::object parsed = boost::json::parse(*bundle).as_object();
  parsed["checkpoint"].as_object().erase("hash");
  BundleVerification relabelled = VerifyBundle(boost::json::serialize(parsed), anchor);
  EXPECT_FALSE(relabelled.ok());
}

class Sm3TamperTest : public Sm3LogTest {
 protected:
  void SetUp() override {
    campaign()->Close();
    copy_ = testing::MakeTempDir("fupin-sm3-tamper");
    fs::copy(campaign()->dir(), copy_, fs::copy_options::recursive);
    campaign()->Reopen();
  }
  void TearDown() override { fs::remove_all(copy_); }

  std::string copy_;
};

TEST_F(Sm3TamperTest, AnAlteredRecordRehashedWithSha256IsFound) {
  const uint64_t seq = 1200;
  {
    auto db = std::move(StoreDb::Open(copy_ + "/db", DbMode::kReadWrite)).value();
    StoredRecord record = *DecodeStoredRecord(**db->Get(Cf::kRecords, sf::Uint64Key(seq)));
    // A forger who assumes SHA-256: the leaf hash is SHA-256 of the leaf.
    record.leaf_hash = merkle::LeafHash(merkle::HashAlg::kSha256, record.leaf_data);
    ASSERT_TRUE(
        db->Write({{Cf::kRecords, sf::Uint64Key(seq), EncodeStoredRecord(record)}}, true).ok());
  }
  verify::VerifyReport report = VerifyFull(copy_);
  ASSERT_FALSE(report.clean());
  bool found = false;
  for (const verify::IntegrityFailure& f : report.failures) {
    found = found || (f.kind == verify::FailureKind::kLeafHash && f.seq == seq &&
                      f.detail.find("SM3") != std::string::npos);
  }
  EXPECT_TRUE(found) << report.failures[0].detail;
}

TEST_F(Sm3TamperTest, ACheckpointReSignedAsSha256IsFound) {
  {
    auto db = std::move(StoreDb::Open(copy_ + "/db", DbMode::kReadWrite)).value();
    std::optional<StoreDb::Entry> last = std::move(db->Last(Cf::kCheckpoints, "")).value();
    ASSERT_TRUE(last.has_value());
    Checkpoint checkpoint = std::move(ParseCheckpoint(last->second)).value();
    // Even the system key's own signature does not make an SM3 log's
    // checkpoint a SHA-256 one.
    checkpoint.hash = merkle::HashAlg::kSha256;
    crypto::Ed25519PrivateKey system = std::move(crypto::Ed25519PrivateKey::ReadPemFile(
                                                     copy_ + "/" + std::string(sf::kSystemKeyFile)))
                                           .value();
    ASSERT_TRUE(db->Write({{Cf::kCheckpoints, last->first,
                            CheckpointJson(SignCheckpoint(checkpoint, system))}},
                          true)
                    .ok());
  }
  verify::VerifyReport report = VerifyFull(copy_);
  ASSERT_FALSE(report.clean());
  EXPECT_EQ(report.failures[0].kind, verify::FailureKind::kCheckpointMalformed)
      << report.failures[0].detail;
  EXPECT_NE(report.failures[0].detail.find("hash"), std::string::npos);
}

TEST(Sm3Checkpoint, OnlySm3IsNamedAndSha256IsTheAbsenceOfTheMember) {
  Checkpoint checkpoint;
  checkpoint.log_id = std::string(64, 'a');
  checkpoint.tree_size = 3;
  checkpoint.timestamp = "2020-09-01T00:00:00Z";
  checkpoint.key_id = "system-1";
  checkpoint.signature = std::string(64, '\0');
  const std::string sha256 = CheckpointJson(checkpoint);
  EXPECT_EQ(sha256.find("\"hash\""), std::string::npos);
  checkpoint.hash = merkle::HashAlg::kSm3;
  const std::string sm3 = CheckpointJson(checkpoint);
  EXPECT_NE(sm3.find("\"hash\":\"sm3\""), std::string::npos);
  EXPECT_EQ(ParseCheckpoint(sm3)->hash, merkle::HashAlg::kSm3);
  EXPECT_EQ(ParseCheckpoint(sha256)->hash, merkle::HashAlg::kSha256);
  // "sha256" is never written, so it is refused (two byte forms, one
  // signature), and so is any other name.
  for (const std::string name : {"sha256", "SM3", "md5"}) {
    boost::json::object object = boost::json::parse(sm3).as_object();
    object["hash"] = name;
    Result<Checkpoint> parsed = ParseCheckpoint(json::Canonicalize(object));
    EXPECT_EQ(parsed.status().code(), ErrorCode::kDataLoss) << name;
  }
}

}  // namespace
}  // namespace fupin
