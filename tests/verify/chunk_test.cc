// The pieces verification's chunked pass is built from: the in-place
// stored-record view, the log edge that joins chunk subtrees, and the
// signature verifier that keeps a context per key.
#include "verify/chunk.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ledger/crypto.h"
#include "ledger/merkle.h"
#include "ledger/record.h"
#include "ledger/store_db.h"
#include "ledger/store_format.h"
#include "tests/support/event_builder.h"

namespace fupin {
namespace {

StoredRecord SampleRecord() {
  StoredRecord record;
  record.seq = 41;
  record.leaf_data = R"({"event":{"id":"x"},"seq":41})";
  record.leaf_hash = merkle::LeafHash(merkle::HashAlg::kSha256, record.leaf_data);
  return record;
}

TEST(ViewStoredRecord, ReadsWhatEncodeStoredRecordWrites) {
  const StoredRecord record = SampleRecord();
  const std::string bytes = EncodeStoredRecord(record);
  Result<StoredRecordView> view = ViewStoredRecord(bytes);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->seq, record.seq);
  EXPECT_EQ(view->leaf_data, record.leaf_data);
  EXPECT_EQ(view->leaf_hash, record.leaf_hash);
  // In place: the leaf data points into the bytes.
  EXPECT_GE(view->leaf_data.data(), bytes.data());
  EXPECT_LE(view->leaf_data.data() + view->leaf_data.size(), bytes.data() + bytes.size());
}

TEST(ViewStoredRecord, RefusesWhatDecodeStoredRecordRefuses) {
  const std::string good = EncodeStoredRecord(SampleRecord());
  std::vector<std::string> bad = {"", good.substr(0, 10), good.substr(0, good.size() - 1),
                                  good + "x"};
  std::string version = good;
  version[0] = static_cast<char>(version[0] ^ 0x01);
  bad.push_back(version);
  std::string length = good;
  length[12] = static_cast<char>(length[12] ^ 0x01);
  bad.push_back(length);
  for (const std::string& bytes : bad) {
    SCOPED_TRACE(bytes.size());
    Result<StoredRecord> decoded = DecodeStoredRecord(bytes);
    Result<StoredRecordView> view = ViewStoredRecord(bytes);
    ASSERT_FALSE(decoded.ok());
    ASSERT_FALSE(view.ok());
    EXPECT_EQ(view.status().code(), ErrorCode::kDataLoss);
    EXPECT_EQ(view.status().message(), decoded.status().message());
  }
}

merkle::Hash LeafOf(uint64_t i) {
  return merkle::LeafHash(merkle::HashAlg::kSha256, "leaf " + std::to_string(i));
}

TEST(LogEdge, GrownByLeavesMatchesTheFrontier) {
  verify::LogEdge edge(merkle::HashAlg::kSha256);
  merkle::Frontier frontier(merkle::HashAlg::kSha256);
  for (uint64_t i = 0; i < 70; ++i) {
    std::vector<merkle::NodeWrite> joined;
    std::vector<merkle::NodeWrite> completed;
    edge.Append({merkle::NodeId{0, i}, LeafOf(i)}, &joined);
    frontier.Append(LeafOf(i), &completed);
    // The frontier lists the leaf itself first; the edge only what joining
    // it completed above.
    ASSERT_EQ(joined.size() + 1, completed.size());
    for (std::size_t n = 0; n < joined.size(); ++n) {
      EXPECT_EQ(joined[n].id, completed[n + 1].id);
      EXPECT_EQ(joined[n].hash, completed[n + 1].hash);
    }
    EXPECT_EQ(edge.Root(), frontier.Root()) << "size " << i + 1;
  }
}

TEST(LogEdge, GrownByAlignedSubtreesMatchesTheFrontier) {
  constexpr uint64_t kChunk = 8;
  merkle::Frontier frontier(merkle::HashAlg::kSha256);
  verify::LogEdge edge(merkle::HashAlg::kSha256);
  for (uint64_t begin = 0; begin < 75; begin += kChunk) {
    const uint64_t end = std::min<uint64_t>(75, begin + kChunk);
    verify::LogEdge chunk(merkle::HashAlg::kSha256,
                          begin);  // a chunk's own subtrees, as a worker builds them
    std::vector<merkle::NodeWrite> ignored;
    for (uint64_t i = begin; i < end; ++i) {
      chunk.Append({merkle::NodeId{0, i}, LeafOf(i)}, &ignored);
      frontier.Append(LeafOf(i), &ignored);
    }
    EXPECT_EQ(chunk.size(), end);
    for (const merkle::NodeWrite& node : chunk.nodes()) edge.Append(node, &ignored);
    EXPECT_EQ(edge.size(), end);
    EXPECT_EQ(edge.Root(), frontier.Root()) << "size " << end;
  }
  EXPECT_EQ(verify::LogEdge(merkle::HashAlg::kSha256).Root(),
            merkle::EmptyRoot(merkle::HashAlg::kSha256));
}

TEST(Ed25519Verifier, AnswersAsVerifyDoes) {
  auto key = *crypto::Ed25519PrivateKey::FromSeed(std::string(32, '\x07'));
  auto other = *crypto::Ed25519PrivateKey::FromSeed(std::string(32, '\x08'));
  const std::string message = "fupin-ledger/event/v1\n{}";
  const std::string signature = key.Sign(message);
  crypto::Ed25519Verifier verifier;
  EXPECT_TRUE(verifier.Verify(key.public_key(), message, signature));
  EXPECT_FALSE(verifier.Verify(key.public_key(), message + " ", signature));
  // Still right after a failure, and per key.
  EXPECT_TRUE(verifier.Verify(key.public_key(), message, signature));
  EXPECT_FALSE(verifier.Verify(other.public_key(), message, signature));
  EXPECT_TRUE(verifier.Verify(other.public_key(), message, other.Sign(message)));
  EXPECT_FALSE(verifier.Verify(key.public_key(), message, signature.substr(1)));
  std::string flipped = signature;
  flipped[5] = static_cast<char>(flipped[5] ^ 0x01);
  EXPECT_EQ(verifier.Verify(key.public_key(), message, flipped),
            key.public_key().Verify(message, flipped));
}

// Index digests depend on the run's key, and only on (key, value): the
// same entry digests alike under one key, differently under another, and a
// split between key and value that gives the same bytes does not collide.
TEST(IndexEntryDigest, KeyedByTheRunAndUnambiguous) {
  crypto::SipHasher::Key first{};
  crypto::SipHasher::Key second{};
  second[15] = 1;
  crypto::SipHasher a(first);
  crypto::SipHasher b(first);
  crypto::SipHasher c(second);
  const uint64_t digest = verify::IndexEntryDigest(a, "product:P-1", "seq");
  EXPECT_EQ(verify::IndexEntryDigest(b, "product:P-1", "seq"), digest);
  EXPECT_EQ(verify::IndexEntryDigest(a, "product:P-1", "seq"), digest);
  EXPECT_NE(verify::IndexEntryDigest(c, "product:P-1", "seq"), digest);
  EXPECT_NE(verify::IndexEntryDigest(a, "product:P-1s", "eq"), digest);
}

// Every parsed body of a chunk must stay in the chunk's monotonic resource
// (an Envelope moved into its Entry by assignment would copy its body out
// into the default storage, and every record would allocate again), held
// so that destroying the bodies costs nothing.
TEST(ReadChunk, KeepsEveryParsedBodyInTheChunksStorage) {
  testing::TestLedger world;
  world.SeedWorld();
  const std::string dir = world.dir();
  world.Close();
  Result<std::unique_ptr<StoreDb>> store = StoreDb::Open(dir + "/db", DbMode::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Result<std::optional<std::pair<std::string, std::string>>> last =
      (*store)->Last(Cf::kRecords, "");
  ASSERT_TRUE(last.ok() && last->has_value());
  const uint64_t end = *store_format::ParseUint64Key((*last)->first) + 1;
  verify::ChunkPlan plan{0, end, end, true, {}};
  verify::ChunkResult chunk;
  verify::ReadChunk(**store, plan, {}, &chunk);
  ASSERT_TRUE(chunk.status.ok()) << chunk.status.ToString();
  EXPECT_TRUE(chunk.findings.empty());
  ASSERT_EQ(chunk.entries.size(), end);
  for (const verify::Entry& e : chunk.entries) {
    ASSERT_TRUE(e.parsed) << e.seq;
    EXPECT_EQ(e.envelope.body.storage().get(), chunk.arena.get()) << e.seq;
    // Not reference-counted: destroying the bodies does not walk them.
    EXPECT_TRUE(e.envelope.body.storage().is_not_shared_and_deallocate_is_trivial()) << e.seq;
  }
}

}  // namespace
}  // namespace fupin
