// The durable log: genesis, appends, idempotency, concurrency control,
// all-or-nothing batches, proofs and checkpoints, restarts.
#include "ledger/ledger.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <thread>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/merkle.h"
#include "ledger/merkle_store.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

using testing::SaleBody;
using testing::TestLedger;

boost::json::object RecordObject(const StoredRecord& record) {
  return boost::json::parse(record.leaf_data).as_object();
}

TEST(LedgerGenesis, WritesSystemAndAdminKeys) {
  TestLedger t;
  Ledger& ledger = t.ledger();
  ASSERT_EQ(ledger.tree_size(), 2u);

  Result<StoredRecord> seq0 = ledger.ReadRecord(0);
  ASSERT_TRUE(seq0.ok()) << seq0.status().ToString();
  EXPECT_EQ(HexEncode(seq0->leaf_hash), ledger.info().log_id);
  boost::json::object record0 = RecordObject(*seq0);
  const boost::json::object& event0 = record0["event"].as_object();
  EXPECT_EQ(event0.at("type").as_string(), "key.registered");
  EXPECT_EQ(event0.at("key").as_string(), ledger.info().system_key_id);
  EXPECT_EQ(event0.at("body").at("roles").as_array()[0].as_string(), "system");
  EXPECT_EQ(event0.at("body").at("regions").as_array()[0].as_string(), "000000");
  EXPECT_EQ(event0.at("body").at("public_key").as_string(), ledger.info().system_public_key);
  EXPECT_EQ(record0["prev_stream_hash"].as_string(), "");
  EXPECT_EQ(record0["stream_version"].as_int64(), 1);

  Result<StoredRecord> seq1 = ledger.ReadRecord(1);
  ASSERT_TRUE(seq1.ok());
  boost::json::object record1 = RecordObject(*seq1);
  const boost::json::object& event1 = record1["event"].as_object();
  EXPECT_EQ(event1.at("key").as_string(), ledger.info().system_key_id);
  EXPECT_EQ(event1.at("body").at("key_id").as_string(), "admin");
  EXPECT_EQ(event1.at("body").at("public_key").as_string(), t.admin.public_b64());
  EXPECT_EQ(event1.at("body").at("roles").as_array()[0].as_string(), "admin");
}

TEST(LedgerGenesis, GenesisRecordsAreSignedBySystemKey) {
  TestLedger t;
  for (uint64_t seq : {0u, 1u}) {
    Result<StoredRecord> record = t.ledger().ReadRecord(seq);
    ASSERT_TRUE(record.ok());
    boost::json::object event = RecordObject(*record)["event"].as_object();
    Result<Envelope> envelope = ParseEnvelope(event);
    ASSERT_TRUE(envelope.ok()) << envelope.status().ToString();
    EXPECT_TRUE(
        t.ledger().system_public_key().Verify(envelope->signing_input, envelope->signature));
  }
}

TEST(LedgerGenesis, FirstCheckpointCoversGenesis) {
  TestLedger t;
  Result<Checkpoint> checkpoint = t.ledger().LatestCheckpoint();
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
  EXPECT_EQ(checkpoint->tree_size, 2u);
  EXPECT_EQ(checkpoint->log_id, t.ledger().info().log_id);
  EXPECT_EQ(checkpoint->key_id, t.ledger().info().system_key_id);
  EXPECT_TRUE(VerifyCheckpoint(*checkpoint, t.ledger().system_public_key()));
  Result<merkle::Hash> root = t.ledger().RootAt(2);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, checkpoint->root_hash);
}

TEST(LedgerGenesis, InitRefusesExistingLedger) {
  TestLedger t;
  t.Close();
  Result<GenesisInfo> again = Ledger::Init(t.dir(), t.admin.public_b64(), "admin");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), ErrorCode::kAlreadyExists);
  t.Reopen();
  EXPECT_EQ(t.ledger().tree_size(), 2u);
}

TEST(LedgerGenesis, InitRefusesBadAdminKeyAndWritesNothing) {
  std::string dir = testing::MakeTempDir("fupin-init");
  Result<GenesisInfo> info = Ledger::Init(dir, "not-base64!", "admin");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  Result<GenesisInfo> short_key = Ledger::Init(dir, Base64Encode("short"), "admin");
  EXPECT_EQ(short_key.status().code(), ErrorCode::kInvalidArgument);
  Result<GenesisInfo> bad_id =
      Ledger::Init(dir, testing::TestSigner(1, "a").public_b64(), "bad id");
  EXPECT_EQ(bad_id.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);
}

TEST(LedgerGenesis, OpenOfMissingLedgerIsNotFound) {
  std::string dir = testing::MakeTempDir("fupin-open");
  Result<std::unique_ptr<Ledger>> opened = Ledger::Open(dir);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), ErrorCode::kNotFound);
  std::filesystem::remove_all(dir);
}

TEST(LedgerAppend, RecordCarriesStreamChainAndLeafHash) {
  TestLedger t;
  t.SeedWorld();
  AppendedEvent first = t.MustAppend(t.op.Sign("sale.recorded", SaleBody("S-1", 2, 3500)));
  AppendedEvent second = t.MustAppend(t.op.Sign("sale.recorded", SaleBody("S-2", 1, 3500)));
  Result<StoredRecord> record = t.ledger().ReadRecord(second.seq);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->leaf_hash, merkle::LeafHash(merkle::HashAlg::kSha256, record->leaf_data));
  EXPECT_EQ(record->leaf_hash, second.leaf_hash);
  boost::json::object object = RecordObject(*record);
  EXPECT_EQ(object["stream"].as_string(), "outlet:C-1");
  EXPECT_EQ(object["seq"].as_int64(), static_cast<int64_t>(second.seq));
  // outlet.deployed is version 1, the first sale 2, the second 3.
  EXPECT_EQ(object["stream_version"].as_int64(), 3);
  EXPECT_EQ(object["prev_stream_hash"].as_string(), HexEncode(first.leaf_hash));
  // The leaf data is the canonical form of the record.
  EXPECT_EQ(json::Canonicalize(object), record->leaf_data);
}

TEST(LedgerAppend, ServedRecordHoldsLeafHash) {
  TestLedger t;
  Result<StoredRecord> record = t.ledger().ReadRecord(1);
  ASSERT_TRUE(record.ok());
  boost::json::object served = boost::json::parse(RecordJson(*record)).as_object();
  EXPECT_EQ(served["leaf_hash"].as_string(), HexEncode(record->leaf_hash));
  served.erase("leaf_hash");
  EXPECT_EQ(json::Canonicalize(served), record->leaf_data);
}

TEST(LedgerAppend, RecordedAtNeverDecreases) {
  TestLedger t;
  t.SeedWorld();
  std::string previous;
  for (uint64_t seq = 0; seq < t.ledger().tree_size(); ++seq) {
    std::string at(RecordObject(*t.ledger().ReadRecord(seq))["recorded_at"].as_string());
    EXPECT_GE(at, previous) << "seq " << seq;
    previous = at;
  }
}

TEST(LedgerAppend, StreamAndReferenceIndexes) {
  TestLedger t;
  t.SeedWorld();
  AppendedEvent sale = t.MustAppend(t.op.Sign("sale.recorded", SaleBody("S-1", 2, 3500)));
  Result<std::vector<StreamEntry>> stream = t.ledger().ReadStream("outlet:C-1", 1, 100);
  ASSERT_TRUE(stream.ok());
  ASSERT_EQ(stream->size(), 2u);
  EXPECT_EQ((*stream)[0].version, 1u);
  EXPECT_EQ((*stream)[1].record.seq, sale.seq);
  for (const char* entity : {"product:P-1", "outlet:C-1", "sale:S-1", "buyer:B-1"}) {
    Result<std::vector<uint64_t>> seqs = t.ledger().ReferencingSeqs(entity, 0, 100);
    ASSERT_TRUE(seqs.ok());
    ASSERT_FALSE(seqs->empty()) << entity;
    EXPECT_EQ(seqs->back(), sale.seq) << entity;
  }
  Result<std::optional<uint64_t>> found = t.ledger().FindEvent(sale.id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->value(), sale.seq);
}

TEST(LedgerAppend, SameIdSameContentIsDuplicate) {
  TestLedger t;
  t.SeedWorld();
  Envelope sale = t.op.Sign("sale.recorded", SaleBody("S-1", 2, 3500));
  AppendedEvent first = t.MustAppend(sale);
  uint64_t size = t.ledger().tree_size();
  AppendResult again = t.TryAppend(sale);
  ASSERT_TRUE(again.ok()) << again.status.ToString();
  EXPECT_TRUE(again.events[0].duplicate);
  EXPECT_EQ(again.events[0].seq, first.seq);
  EXPECT_EQ(again.events[0].leaf_hash, first.leaf_hash);
  EXPECT_EQ(t.ledger().tree_size(), size);
}

TEST(LedgerAppend, DuplicateSurvivesRestart) {
  TestLedger t;
  t.SeedWorld();
  Envelope sale = t.op.Sign("sale.recorded", SaleBody("S-1", 2, 3500));
  AppendedEvent first = t.MustAppend(sale);
  t.Reopen();
  AppendResult again = t.TryAppend(sale);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.events[0].duplicate);
  EXPECT_EQ(again.events[0].seq, first.seq);
}

TEST(LedgerAppend, DuplicateWithinOneBatch) {
  TestLedger t;
  t.SeedWorld();
  Envelope sale = t.op.Sign("sale.recorded", SaleBody("S-1", 2, 3500));
  AppendResult result = t.ledger().Append({sale, sale});
  ASSERT_TRUE(result.ok()) << result.status.ToString();
  EXPECT_FALSE(result.events[0].duplicate);
  EXPECT_TRUE(result.events[1].duplicate);
  EXPECT_EQ(result.events[0].seq, result.events[1].seq);
}

TEST(LedgerAppend, ExpectedVersionMatchesStreamHead) {
  TestLedger t;
  t.SeedWorld();
  // outlet:C-1 holds one record (the deployment): version 1.
  AppendedEvent ok = t.MustAppend(
      t.op.Sign("sale.recorded", SaleBody("S-1", 1, 3500), "2020-09-05T10:15:00+08:00", 1));
  EXPECT_GT(ok.seq, 0u);
  AppendResult stale = t.TryAppend(
      t.op.Sign("sale.recorded", SaleBody("S-2", 1, 3500), "2020-09-05T10:15:00+08:00", 1));
  EXPECT_EQ(stale.status.code(), ErrorCode::kVersionConflict);
}

TEST(LedgerAppend, BatchIsAllOrNothing) {
  TestLedger t;
  t.SeedWorld();
  uint64_t size = t.ledger().tree_size();
  merkle::Hash root = *t.ledger().RootAt(size);
  std::vector<Envelope> batch = {
      t.op.Sign("sale.recorded", SaleBody("S-1", 1, 3500)),
      t.op.Sign("sale.recorded", SaleBody("S-2", 1, 3500)),
      t.op.Sign("sale.recorded", SaleBody("S-1", 1, 3500)),  // S-1 again: exists
  };
  AppendResult result = t.ledger().Append(batch);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failed_index, 2u);
  EXPECT_EQ(result.status.code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(t.ledger().tree_size(), size);
  EXPECT_EQ(*t.ledger().RootAt(size), root);
  EXPECT_FALSE(t.ledger().FindEvent(batch[0].id)->has_value());
  EXPECT_TRUE(t.ledger().ReferencingSeqs("sale:S-2", 0, 10)->empty());
  // The same first two events append fine on their own afterwards.
  AppendResult retry = t.ledger().Append({batch[0], batch[1]});
  EXPECT_TRUE(retry.ok()) << retry.status.ToString();
}

TEST(LedgerAppend, BatchOfMoreThan1000IsRefused) {
  TestLedger t;
  std::vector<Envelope> batch(
      1001, t.admin.Sign("region.defined",
                         testing::RegionBody("430000", "湖南省", "province", "", false)));
  AppendResult result = t.ledger().Append(batch);
  EXPECT_EQ(result.status.code(), ErrorCode::kBatchTooLarge);
  EXPECT_EQ(t.ledger().tree_size(), 2u);
}

TEST(LedgerAppend, EmptyBatchIsRefused) {
  TestLedger t;
  AppendResult result = t.ledger().Append({});
  EXPECT_EQ(result.status.code(), ErrorCode::kInvalidArgument);
}

TEST(LedgerAppend, LaterEventInBatchSeesEarlierOne) {
  TestLedger t;
  t.SeedWorld();
  AppendResult result = t.ledger().Append({
      t.op.Sign("sale.recorded", SaleBody("S-9", 2, 3500)),
      t.op.Sign(
          "sale.refunded",
          {{"sale_id", "S-9"}, {"outlet_id", "C-1"}, {"amount_fen", 3500}, {"reason", "退货"}}),
  });
  EXPECT_TRUE(result.ok()) << result.status.ToString();
}

TEST(LedgerAppend, ConcurrentAppendsAreGaplessAndConsecutive) {
  TestLedger t;
  t.SeedWorld();
  uint64_t start = t.ledger().tree_size();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100;
  std::vector<std::vector<Envelope>> work(kThreads);
  for (int w = 0; w < kThreads; ++w) {
    for (int i = 0; i < kPerThread; ++i) {
      work[w].push_back(t.op.Sign(
          "sale.recorded", SaleBody("S-" + std::to_string(w) + "-" + std::to_string(i), 1, 3500)));
    }
  }
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&, w] {
      for (const Envelope& e : work[w]) {
        if (!t.ledger().Append({e}).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(t.ledger().tree_size(), start + kThreads * kPerThread);
  Result<std::vector<StreamEntry>> stream = t.ledger().ReadStream("outlet:C-1", 1, 10000);
  ASSERT_TRUE(stream.ok());
  ASSERT_EQ(stream->size(), 1u + kThreads * kPerThread);
  std::string prev;
  for (std::size_t i = 0; i < stream->size(); ++i) {
    const StreamEntry& entry = (*stream)[i];
    EXPECT_EQ(entry.version, i + 1);
    boost::json::object object = RecordObject(entry.record);
    EXPECT_EQ(object["prev_stream_hash"].as_string(), prev);
    prev = HexEncode(entry.record.leaf_hash);
  }
}

TEST(LedgerProofs, InclusionAndConsistencyVerifyAgainstCheckpoints) {
  TestLedger t;
  t.SeedWorld();
  uint64_t size = t.ledger().tree_size();
  Result<merkle::Hash> root = t.ledger().RootAt(size);
  ASSERT_TRUE(root.ok());
  for (uint64_t seq = 0; seq < size; ++seq) {
    Result<std::vector<merkle::Hash>> path = t.ledger().InclusionPath(seq, size);
    ASSERT_TRUE(path.ok());
    Result<StoredRecord> record = t.ledger().ReadRecord(seq);
    EXPECT_TRUE(merkle::VerifyInclusion(merkle::HashAlg::kSha256, seq, size, record->leaf_hash,
                                        *path, *root)
                    .ok());
  }
  for (uint64_t first = 1; first <= size; ++first) {
    Result<std::vector<merkle::Hash>> path = t.ledger().ConsistencyPath(first, size);
    ASSERT_TRUE(path.ok());
    EXPECT_TRUE(merkle::VerifyConsistency(merkle::HashAlg::kSha256, first, size,
                                          *t.ledger().RootAt(first), *root, *path)
                    .ok());
  }
}

// The ledger keeps upper Merkle nodes in memory once read
// (MerkleNodeCache): as the log grows past several cached levels, its
// proofs stay equal to those read straight from the store, and verify.
TEST(LedgerProofs, CachedUpperNodesGiveTheStoresProofsAsTheLogGrows) {
  TestLedger t;
  t.SeedWorld();
  const StoredMerkleNodes uncached(t.ledger().store());
  int sale = 0;
  for (int round = 0; round < 12; ++round) {
    std::vector<Envelope> batch;
    for (int i = 0; i < 100 + round * 7; ++i) {
      batch.push_back(t.op.Sign("sale.recorded", SaleBody("S-" + std::to_string(sale++), 1, 3500)));
    }
    ASSERT_TRUE(t.ledger().Append(std::move(batch)).ok());
    const uint64_t size = t.ledger().tree_size();
    Result<merkle::Hash> root = t.ledger().RootAt(size);
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(*root, *merkle::Root(merkle::HashAlg::kSha256, uncached, size));
    for (uint64_t seq = round; seq < size; seq += 37) {
      Result<std::vector<merkle::Hash>> path = t.ledger().InclusionPath(seq, size);
      ASSERT_TRUE(path.ok());
      EXPECT_EQ(*path, *merkle::InclusionPath(merkle::HashAlg::kSha256, uncached, seq, size))
          << seq << " in " << size;
      Result<StoredRecord> record = t.ledger().ReadRecord(seq);
      EXPECT_TRUE(merkle::VerifyInclusion(merkle::HashAlg::kSha256, seq, size, record->leaf_hash,
                                          *path, *root)
                      .ok());
      // An older tree the cache has seen nodes of since.
      const uint64_t older = seq + 1 + (size - seq - 1) / 2;
      EXPECT_EQ(*t.ledger().InclusionPath(seq, older),
                *merkle::InclusionPath(merkle::HashAlg::kSha256, uncached, seq, older));
      EXPECT_EQ(*t.ledger().ConsistencyPath(older, size),
                *merkle::ConsistencyPath(merkle::HashAlg::kSha256, uncached, older, size));
    }
  }
  EXPECT_GT(t.ledger().tree_size(), 1500u);  // levels 8, 9 and 10 were cached
}

TEST(LedgerProofs, SizesBeyondTheLogAreRefused) {
  TestLedger t;
  EXPECT_EQ(t.ledger().RootAt(3).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(t.ledger().InclusionPath(0, 3).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(t.ledger().InclusionPath(2, 2).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(t.ledger().ConsistencyPath(1, 3).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(t.ledger().ConsistencyPath(0, 2).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(t.ledger().ReadRecord(2).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(t.ledger().CheckpointAt(3).status().code(), ErrorCode::kNotFound);
}

TEST(LedgerCheckpoints, AtMostOnePerIntervalAndOneAtClose) {
  std::string dir = testing::MakeTempDir("fupin-checkpoints");
  testing::TestSigner admin(1, "admin");
  auto now = std::make_shared<std::atomic<int64_t>>(1599272100000);
  Clock clock = [now] { return now->load(); };
  ASSERT_TRUE(Ledger::Init(dir, admin.public_b64(), "admin", clock).ok());
  LedgerOptions options;
  options.clock = clock;
  auto region = [&](const char* code, const char* name, const char* level, const char* parent) {
    return admin.Sign("region.defined", testing::RegionBody(code, name, level, parent, false));
  };
  {
    auto ledger = std::move(Ledger::Open(dir, options)).value();
    ASSERT_TRUE(ledger->Append({region("430000", "湖南省", "province", "")}).ok());
    // Same second as genesis: no new checkpoint.
    EXPECT_EQ(ledger->LatestCheckpoint()->tree_size, 2u);
    now->fetch_add(1000);
    ASSERT_TRUE(ledger->Append({region("430100", "长沙市", "prefecture", "430000")}).ok());
    // A second later the tail is signed (by the commit or by the writer's
    // timer, whichever came first).
    uint64_t signed_size = ledger->LatestCheckpoint()->tree_size;
    EXPECT_GE(signed_size, 3u);
    ASSERT_TRUE(ledger->Append({region("430200", "株洲市", "prefecture", "430000")}).ok());
    EXPECT_EQ(ledger->LatestCheckpoint()->tree_size, signed_size);
  }
  // Closing signs the pending tail.
  auto reopened = std::move(Ledger::Open(dir, options)).value();
  Result<Checkpoint> last = reopened->LatestCheckpoint();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->tree_size, 5u);
  EXPECT_TRUE(VerifyCheckpoint(*last, reopened->system_public_key()));
  EXPECT_EQ(last->root_hash, *reopened->RootAt(5));
  reopened.reset();
  std::filesystem::remove_all(dir);
}

TEST(LedgerRestart, ReopenKeepsTreeAndContinuesChains) {
  TestLedger t;
  t.SeedWorld();
  uint64_t size = t.ledger().tree_size();
  merkle::Hash root = *t.ledger().RootAt(size);
  t.Reopen();
  EXPECT_EQ(t.ledger().tree_size(), size);
  EXPECT_EQ(*t.ledger().RootAt(size), root);
  AppendedEvent sale = t.MustAppend(t.op.Sign("sale.recorded", SaleBody("S-1", 2, 3500)));
  EXPECT_EQ(sale.seq, size);
  boost::json::object object = RecordObject(*t.ledger().ReadRecord(sale.seq));
  EXPECT_EQ(object["stream_version"].as_int64(), 2);
}

TEST(LedgerRestart, ReadOnlyOpenRefusesAppends) {
  TestLedger t;
  t.Close();
  LedgerOptions options;
  options.read_only = true;
  Result<std::unique_ptr<Ledger>> opened = Ledger::Open(t.dir(), options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ((*opened)->tree_size(), 2u);
  AppendResult result = (*opened)->Append({t.admin.Sign(
      "region.defined", testing::RegionBody("430000", "湖南省", "province", "", false))});
  EXPECT_EQ(result.status.code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace fupin
