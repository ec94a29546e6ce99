// Checkpoints and proofs served over HTTP, checked by the independent
// RFC 9162 verifier of rfc9162_verifier.h against roots it computes itself.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/record.h"
#include "tests/api/rfc9162_verifier.h"
#include "tests/api/server_fixture.h"

namespace fupin::api::testing {
namespace {

const std::string kPublic(kPublicToken);

std::vector<Digest32> HexPath(const boost::json::value& path) {
  std::vector<Digest32> out;
  for (const auto& hex : path.as_array()) {
    std::optional<Digest32> hash = FromHex(hex.as_string());
    EXPECT_TRUE(hash.has_value()) << hex;
    out.push_back(hash.value_or(Digest32{}));
  }
  return out;
}

class ProofTest : public ::testing::Test {
 protected:
  // Appends `n` sales one request at a time (each its own commit group and
  // checkpoint), then reads every leaf hash and checks it against the
  // canonical record it was served with.
  void SetUp() override {
    TestClient client(server_.port());
    for (int i = 0; i < kSales; ++i) {
      HttpReply reply =
          client.Post("/v1/events", SaleJson(server_.op(), "C-1", "P-S-" + std::to_string(i)));
      ASSERT_EQ(reply.status, 201u) << reply.body;
    }
    for (boost::json::object record : FetchRecords(server_.port())) {
      std::optional<Digest32> served = FromHex(record.at("leaf_hash").as_string());
      ASSERT_TRUE(served);
      record.erase("leaf_hash");
      ASSERT_EQ(LeafHashOf(json::Canonicalize(record)), *served);
      leaves_.push_back(*served);
    }
    ASSERT_EQ(leaves_.size(), server_.tree_size());
  }

  Digest32 Root(uint64_t size) const { return TreeHash(leaves_, 0, size); }

  static constexpr int kSales = 16;
  ApiServer server_;
  std::vector<Digest32> leaves_;
};

TEST_F(ProofTest, EveryInclusionProofVerifies) {
  TestClient client(server_.port());
  uint64_t n = leaves_.size();
  for (uint64_t size = 1; size <= n; ++size) {
    for (uint64_t seq = 0; seq < size; ++seq) {
      HttpReply reply = client.Get(
          "/v1/proof/inclusion?seq=" + std::to_string(seq) + "&tree_size=" + std::to_string(size),
          kPublic);
      ASSERT_EQ(reply.status, 200u) << reply.body;
      const boost::json::value& proof = reply.Json();
      EXPECT_EQ(proof.at("seq").as_int64(), static_cast<int64_t>(seq));
      EXPECT_EQ(proof.at("tree_size").as_int64(), static_cast<int64_t>(size));
      ASSERT_EQ(FromHex(proof.at("leaf_hash").as_string()), leaves_[seq]);
      EXPECT_TRUE(
          VerifyInclusionProof(seq, size, leaves_[seq], HexPath(proof.at("path")), Root(size)))
          << "seq " << seq << " size " << size;
    }
  }
}

TEST_F(ProofTest, EveryConsistencyProofVerifies) {
  TestClient client(server_.port());
  uint64_t n = leaves_.size();
  for (uint64_t second = 1; second <= n; ++second) {
    for (uint64_t first = 1; first <= second; ++first) {
      HttpReply reply = client.Get("/v1/proof/consistency?first=" + std::to_string(first) +
                                       "&second=" + std::to_string(second),
                                   kPublic);
      ASSERT_EQ(reply.status, 200u) << reply.body;
      const boost::json::value& proof = reply.Json();
      EXPECT_EQ(proof.at("first").as_int64(), static_cast<int64_t>(first));
      EXPECT_EQ(proof.at("second").as_int64(), static_cast<int64_t>(second));
      EXPECT_TRUE(VerifyConsistencyProof(first, second, Root(first), Root(second),
                                         HexPath(proof.at("path"))))
          << "first " << first << " second " << second;
    }
  }
}

TEST_F(ProofTest, TamperedProofsDoNotVerify) {
  // The verifier itself must reject what it should.
  TestClient client(server_.port());
  uint64_t n = leaves_.size();
  HttpReply inclusion =
      client.Get("/v1/proof/inclusion?seq=5&tree_size=" + std::to_string(n), kPublic);
  std::vector<Digest32> path = HexPath(inclusion.Json().at("path"));
  ASSERT_FALSE(path.empty());
  EXPECT_TRUE(VerifyInclusionProof(5, n, leaves_[5], path, Root(n)));
  path[0][0] ^= 1;
  EXPECT_FALSE(VerifyInclusionProof(5, n, leaves_[5], path, Root(n)));
  EXPECT_FALSE(
      VerifyInclusionProof(6, n, leaves_[5], HexPath(inclusion.Json().at("path")), Root(n)));
  HttpReply consistency =
      client.Get("/v1/proof/consistency?first=7&second=" + std::to_string(n), kPublic);
  std::vector<Digest32> proof = HexPath(consistency.Json().at("path"));
  ASSERT_TRUE(VerifyConsistencyProof(7, n, Root(7), Root(n), proof));
  proof.pop_back();
  EXPECT_FALSE(VerifyConsistencyProof(7, n, Root(7), Root(n), proof));
}

TEST_F(ProofTest, ProofsDefaultToTheLatestCheckpoint) {
  TestClient client(server_.port());
  HttpReply checkpoint = client.Get("/v1/checkpoint", kPublic);
  ASSERT_EQ(checkpoint.status, 200u);
  int64_t size = checkpoint.Json().at("tree_size").as_int64();
  EXPECT_EQ(size, static_cast<int64_t>(leaves_.size()));
  HttpReply inclusion = client.Get("/v1/proof/inclusion?seq=3", kPublic);
  ASSERT_EQ(inclusion.status, 200u) << inclusion.body;
  EXPECT_EQ(inclusion.Json().at("tree_size").as_int64(), size);
  HttpReply consistency = client.Get("/v1/proof/consistency?first=3", kPublic);
  ASSERT_EQ(consistency.status, 200u) << consistency.body;
  EXPECT_EQ(consistency.Json().at("second").as_int64(), size);
}

TEST_F(ProofTest, CheckpointsAreSignedBySystemKeyOverTheRoot) {
  Result<crypto::Ed25519PublicKey> system_key =
      crypto::Ed25519PublicKey::FromBase64(server_.ledger().info().system_public_key);
  ASSERT_TRUE(system_key.ok());
  TestClient client(server_.port());
  uint64_t n = leaves_.size();
  // One checkpoint per commit group: one for each of the sales.
  for (uint64_t size = n - kSales + 1; size <= n; ++size) {
    HttpReply reply = client.Get("/v1/checkpoints/" + std::to_string(size), kPublic);
    ASSERT_EQ(reply.status, 200u) << "size " << size << ": " << reply.body;
    Result<Checkpoint> checkpoint = ParseCheckpoint(reply.body);
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
    EXPECT_EQ(checkpoint->tree_size, size);
    EXPECT_EQ(checkpoint->log_id, server_.ledger().info().log_id);
    EXPECT_EQ(checkpoint->key_id, server_.ledger().info().system_key_id);
    EXPECT_TRUE(
        std::equal(checkpoint->root_hash.begin(), checkpoint->root_hash.end(), Root(size).begin()));
    EXPECT_TRUE(system_key->Verify(CheckpointSigningInput(*checkpoint), checkpoint->signature));
  }
  HttpReply latest = client.Get("/v1/checkpoint", kPublic);
  Result<Checkpoint> checkpoint = ParseServedCheckpoint(latest.body);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_TRUE(system_key->Verify(CheckpointSigningInput(*checkpoint), checkpoint->signature));
}

TEST_F(ProofTest, UnknownCheckpointIs404) {
  TestClient client(server_.port());
  HttpReply reply = client.Get("/v1/checkpoints/100000", kPublic);
  EXPECT_EQ(reply.status, 404u);
  EXPECT_EQ(reply.Code(), "not_found");
}

TEST_F(ProofTest, ImpossibleProofRequestsAre400) {
  TestClient client(server_.port());
  std::string n = std::to_string(leaves_.size());
  const std::vector<std::string> targets = {
      "/v1/proof/inclusion?seq=" + n + "&tree_size=" + n,  // seq not below the size
      "/v1/proof/inclusion?seq=0&tree_size=100000",        // beyond the log
      "/v1/proof/inclusion",                               // seq missing
      "/v1/proof/inclusion?seq=x",
      "/v1/proof/consistency?first=0&second=3",
      "/v1/proof/consistency?first=4&second=3",
      "/v1/proof/consistency?first=1&second=100000",
      "/v1/proof/consistency"};
  for (const std::string& target : targets) {
    HttpReply reply = client.Get(target, kPublic);
    EXPECT_EQ(reply.status, 400u) << target << ": " << reply.body;
    EXPECT_EQ(reply.Code(), "invalid_argument") << target;
  }
}

}  // namespace
}  // namespace fupin::api::testing
