// Tamper detection: a copy of a small ledger's RocksDB is altered directly
// through StoreDb, the way an intruder with file access would, and
// verification must name the first altered seq and what failed.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstring>
#include <filesystem>
#include <functional>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/entity_state.h"
#include "ledger/ledger.h"
#include "ledger/record.h"
#include "ledger/store_db.h"
#include "ledger/store_format.h"
#include "projections/ledger_projections.h"
#include "projections/projection_layout.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"
#include "tests/support/store_tamper.h"
#include "verify/projection_check.h"
#include "verify/verify.h"

namespace fupin {
namespace {

namespace fs = std::filesystem;
namespace sf = store_format;
using testing::RebuildMerkle;
using verify::FailureKind;
using verify::VerifyReport;

inline constexpr int kSales = 24;

// The seeded world plus kSales sales, a checkpoint after every commit, and
// saved projection states; built once for the suite.
struct BaseLedger {
  std::string dir;
  uint64_t size = 0;
  std::vector<uint64_t> sale_seqs;
  uint64_t operator_key_seq = 0;
  std::vector<uint64_t> checkpoint_sizes;
  testing::TestSigner stranger{7, "stranger"};
};

BaseLedger* base = nullptr;

void BuildBase() {
  base = new BaseLedger();
  testing::TestLedger world;
  world.SeedWorld();
  world.Close();
  base->dir = testing::MakeTempDir("fupin-tamper-base");
  fs::copy(world.dir(), base->dir, fs::copy_options::recursive);
  LedgerOptions options;
  options.clock = testing::TestClock();
  options.checkpoint_interval_ms = 0;  // a checkpoint after every commit
  std::unique_ptr<Ledger> ledger = std::move(Ledger::Open(base->dir, options)).value();
  for (int i = 0; i < kSales; ++i) {
    AppendResult result = ledger->Append(
        {world.op.Sign("sale.recorded", testing::SaleBody("S-" + std::to_string(i), 2, 3500))});
    ASSERT_TRUE(result.ok()) << result.status.ToString();
    base->sale_seqs.push_back(result.events[0].seq);
  }
  base->operator_key_seq = (*ledger->ReadStream("key:operator-1", 1, 1))[0].record.seq;
  auto projections = std::move(projections::LedgerProjections::Open(*ledger)).value();
  ASSERT_TRUE(projections->runner().CatchUp().ok());
  ASSERT_TRUE(projections->runner().Save().ok());
  projections.reset();
  base->size = ledger->tree_size();
  ledger.reset();
  auto db = std::move(StoreDb::Open(base->dir + "/db", DbMode::kReadOnly)).value();
  ASSERT_TRUE(db->Scan(Cf::kCheckpoints, "", "", [](std::string_view key, std::string_view) {
                  base->checkpoint_sizes.push_back(*sf::ParseUint64Key(key));
                  return true;
                }).ok());
}

class TamperTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (base == nullptr) BuildBase();
  }

  void SetUp() override {
    ASSERT_NE(base, nullptr);
    dir_ = testing::MakeTempDir("fupin-tamper");
    fs::copy(base->dir, dir_, fs::copy_options::recursive);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void Tamper(const std::function<void(StoreDb&)>& change) {
    auto db = StoreDb::Open(dir_ + "/db", DbMode::kReadWrite);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    change(**db);
  }

  VerifyReport Verify(verify::VerifyMode mode = verify::VerifyMode::kFull) {
    verify::VerifyOptions options;
    options.mode = mode;
    options.threads = 2;
    options.chunk_records = 7;  // many chunks in flight, boundaries inside the world
    options.derived.push_back(&projection_check_);
    Result<VerifyReport> report = verify::VerifyDataDir(dir_, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? std::move(report).value() : VerifyReport{};
  }

  static void ExpectFirst(const VerifyReport& report, uint64_t seq, FailureKind kind) {
    ASSERT_FALSE(report.clean()) << "tampering not detected";
    const verify::IntegrityFailure& first = report.failures.front();
    EXPECT_EQ(first.seq, std::optional<uint64_t>(seq)) << first.detail;
    EXPECT_EQ(verify::FailureKindName(first.kind), verify::FailureKindName(kind)) << first.detail;
  }

  static StoredRecord Read(StoreDb& db, uint64_t seq) {
    auto bytes = db.Get(Cf::kRecords, sf::Uint64Key(seq));
    EXPECT_TRUE(bytes.ok() && bytes->has_value());
    return *DecodeStoredRecord(**bytes);
  }
  static void Put(StoreDb& db, Cf cf, std::string key, std::string value) {
    ASSERT_TRUE(db.Write({{cf, std::move(key), std::move(value)}}, true).ok());
  }
  // Rewrites the leaf data of `seq` with `edit` applied, with a matching
  // leaf hash.
  static void RewriteLeaf(StoreDb& db, uint64_t seq,
                          const std::function<void(boost::json::object&)>& edit) {
    StoredRecord record = Read(db, seq);
    boost::json::object leaf = boost::json::parse(record.leaf_data).as_object();
    edit(leaf);
    record.leaf_data = json::Canonicalize(leaf);
    record.leaf_hash = merkle::LeafHash(merkle::HashAlg::kSha256, record.leaf_data);
    Put(db, Cf::kRecords, sf::Uint64Key(seq), EncodeStoredRecord(record));
  }

  std::string dir_;
  verify::ProjectionStateCheck projection_check_;
};

TEST_F(TamperTest, CleanCopyVerifiesClean) {
  VerifyReport report = Verify();
  EXPECT_TRUE(report.clean()) << report.failures.front().detail;
  EXPECT_EQ(report.tree_size, base->size);
  EXPECT_EQ(report.counts.signatures, base->size);
  EXPECT_EQ(report.counts.checkpoints, base->checkpoint_sizes.size());
  EXPECT_GT(report.counts.derived_states, 0u);
  ASSERT_TRUE(report.checkpoint.has_value());
  EXPECT_EQ(report.checkpoint->tree_size, base->size);
}

// Every field of the stored record: cereal header, each member of the
// leaf data, the stored leaf hash.
TEST_F(TamperTest, FlippedByteInEveryFieldIsDetectedAtItsSeq) {
  const uint64_t seq = base->sale_seqs[5];
  std::string original;
  std::string leaf;
  Tamper([&](StoreDb& db) {
    original = **db.Get(Cf::kRecords, sf::Uint64Key(seq));
    leaf = Read(db, seq).leaf_data;
  });
  // cereal: u32 version, u64 seq, u64 length, leaf bytes, 32-byte hash.
  const std::size_t leaf_at = 20;
  struct Position {
    std::string field;
    std::size_t offset;
    FailureKind kind;
  };
  std::vector<Position> positions = {
      {"version", 0, FailureKind::kRecordUndecodable},
      {"seq", 4, FailureKind::kRecordSeqMismatch},
      {"length", 12, FailureKind::kRecordUndecodable},
      {"leaf hash", original.size() - 32, FailureKind::kLeafHash},
      {"leaf hash end", original.size() - 1, FailureKind::kLeafHash}};
  for (const char* member :
       {"\"body\":", "\"amount_fen\":", "\"buyer_ref\":", "\"id\":", "\"key\":", "\"occurred_at\":",
        "\"sig\":", "\"type\":", "\"prev_stream_hash\":", "\"recorded_at\":", "\"seq\":",
        "\"stream\":", "\"stream_version\":"}) {
    std::size_t at = leaf.find(member);
    ASSERT_NE(at, std::string::npos) << member;
    // The first byte of the member's value.
    positions.push_back({member, leaf_at + at + std::strlen(member) + 1, FailureKind::kLeafHash});
  }
  for (const Position& position : positions) {
    SCOPED_TRACE(position.field);
    Tamper([&](StoreDb& db) {
      std::string bytes = original;
      bytes[position.offset] = static_cast<char>(bytes[position.offset] ^ 0x01);
      Put(db, Cf::kRecords, sf::Uint64Key(seq), bytes);
    });
    ExpectFirst(Verify(), seq, position.kind);
  }
}

TEST_F(TamperTest, DeletedRecordIsMissing) {
  const uint64_t seq = base->sale_seqs[3];
  Tamper([&](StoreDb& db) { ASSERT_TRUE(db.Delete(Cf::kRecords, sf::Uint64Key(seq)).ok()); });
  ExpectFirst(Verify(), seq, FailureKind::kRecordMissing);
}

TEST_F(TamperTest, SwappedRecordsAreDetectedAtTheFirst) {
  const uint64_t a = base->sale_seqs[2];
  const uint64_t b = base->sale_seqs[9];
  Tamper([&](StoreDb& db) {
    std::string at_a = **db.Get(Cf::kRecords, sf::Uint64Key(a));
    std::string at_b = **db.Get(Cf::kRecords, sf::Uint64Key(b));
    Put(db, Cf::kRecords, sf::Uint64Key(a), at_b);
    Put(db, Cf::kRecords, sf::Uint64Key(b), at_a);
  });
  ExpectFirst(Verify(), a, FailureKind::kRecordSeqMismatch);
}

TEST_F(TamperTest, ChangedRecordWithRecomputedLeafHashBreaksTheTree) {
  const uint64_t seq = base->sale_seqs[7];
  Tamper([&](StoreDb& db) {
    RewriteLeaf(db, seq, [](boost::json::object& leaf) {
      leaf["event"].as_object()["body"].as_object()["buyer_ref"] = "B-FORGED";
    });
  });
  ExpectFirst(Verify(), seq, FailureKind::kMerkleNode);
}

TEST_F(TamperTest, ChangedRecordWithRebuiltTreeFailsItsCheckpointAndSignature) {
  const uint64_t seq = base->sale_seqs[7];
  Tamper([&](StoreDb& db) {
    RewriteLeaf(db, seq, [](boost::json::object& leaf) {
      leaf["event"].as_object()["body"].as_object()["buyer_ref"] = "B-FORGED";
    });
    RebuildMerkle(db, base->size);
  });
  VerifyReport report = Verify();
  // The checkpoint signed right after the record (size seq + 1) no longer
  // matches the rebuilt tree, and the event's signature fails: both at seq.
  ExpectFirst(report, seq, FailureKind::kCheckpointRoot);
  bool signature_failed = false;
  for (const verify::IntegrityFailure& f : report.failures) {
    signature_failed = signature_failed || (f.kind == FailureKind::kEventSignature && f.seq == seq);
  }
  EXPECT_TRUE(signature_failed);
}

TEST_F(TamperTest, AlteredEventIdIndexEntryIsDetected) {
  const uint64_t seq = base->sale_seqs[4];
  Tamper([&](StoreDb& db) {
    boost::json::object leaf = boost::json::parse(Read(db, seq).leaf_data).as_object();
    std::string id(leaf["event"].as_object()["id"].as_string());
    std::string value = **db.Get(Cf::kEventIds, id);
    // Point the id at a later seq.
    std::string moved = sf::Uint64Key(base->sale_seqs[10]) + value.substr(8);
    Put(db, Cf::kEventIds, id, moved);
  });
  ExpectFirst(Verify(), seq, FailureKind::kEventIdIndex);
}

TEST_F(TamperTest, ExtraReferenceIndexEntryIsDetected) {
  const uint64_t seq = base->sale_seqs[6];
  Tamper(
      [&](StoreDb& db) { Put(db, Cf::kReferences, sf::ReferenceKey("household:H-X", seq), ""); });
  ExpectFirst(Verify(), seq, FailureKind::kReferenceIndex);
}

TEST_F(TamperTest, RemovedStreamIndexEntryIsDetected) {
  const uint64_t seq = base->sale_seqs[8];
  Tamper([&](StoreDb& db) {
    // outlet:C-1 holds outlet.deployed at version 1, then the sales.
    ASSERT_TRUE(db.Delete(Cf::kStreams, sf::StreamKey("outlet:C-1", 8 + 2)).ok());
  });
  ExpectFirst(Verify(), seq, FailureKind::kStreamIndex);
}

TEST_F(TamperTest, AlteredCheckpointFailsItsSignature) {
  const uint64_t size = base->checkpoint_sizes[base->checkpoint_sizes.size() / 2];
  Tamper([&](StoreDb& db) {
    Checkpoint checkpoint = *ParseCheckpoint(**db.Get(Cf::kCheckpoints, sf::Uint64Key(size)));
    checkpoint.root_hash[0] ^= 1;
    Put(db, Cf::kCheckpoints, sf::Uint64Key(size), CheckpointJson(checkpoint));
  });
  ExpectFirst(Verify(), size - 1, FailureKind::kCheckpointSignature);
}

TEST_F(TamperTest, CheckpointResignedWithTheSystemKeyFailsItsRoot) {
  const uint64_t size = base->checkpoint_sizes[base->checkpoint_sizes.size() / 2];
  Tamper([&](StoreDb& db) {
    auto key = crypto::Ed25519PrivateKey::ReadPemFile(dir_ + "/system-key.pem");
    ASSERT_TRUE(key.ok());
    Checkpoint checkpoint = *ParseCheckpoint(**db.Get(Cf::kCheckpoints, sf::Uint64Key(size)));
    checkpoint.root_hash[0] ^= 1;
    Put(db, Cf::kCheckpoints, sf::Uint64Key(size),
        CheckpointJson(SignCheckpoint(checkpoint, *key)));
  });
  ExpectFirst(Verify(), size - 1, FailureKind::kCheckpointRoot);
  // Every checkpoint of the test log lies inside a hash-only chunk (64
  // records): its root is assembled from the log's edge and the chunk's.
  ExpectFirst(Verify(verify::VerifyMode::kHashOnly), size - 1, FailureKind::kCheckpointRoot);
}

TEST_F(TamperTest, DeletedCheckpointIsMissingAfterAnEarlierVerification) {
  VerifyReport first = Verify();
  ASSERT_TRUE(first.clean());
  ASSERT_TRUE(verify::SaveLastVerification(dir_, first).ok());
  const uint64_t size = base->checkpoint_sizes[3];
  Tamper([&](StoreDb& db) { ASSERT_TRUE(db.Delete(Cf::kCheckpoints, sf::Uint64Key(size)).ok()); });
  ExpectFirst(Verify(), size - 1, FailureKind::kCheckpointMissing);
}

TEST_F(TamperTest, TruncatedLogIsDetected) {
  const uint64_t keep = base->size - 3;
  Tamper([&](StoreDb& db) {
    for (uint64_t seq = keep; seq < base->size; ++seq) {
      ASSERT_TRUE(db.Delete(Cf::kRecords, sf::Uint64Key(seq)).ok());
    }
  });
  ExpectFirst(Verify(), keep, FailureKind::kLogTruncated);
}

// A complete forgery: record, leaf hash, chain, Merkle nodes and indexes
// all consistent, signed by a key nobody registered.
TEST_F(TamperTest, ForgedRecordSignedByAnUnregisteredKeyIsDetected) {
  const uint64_t seq = base->size;
  Tamper([&](StoreDb& db) {
    Envelope forged = base->stranger.Sign("sale.recorded", testing::SaleBody("S-FORGED", 1, 3500));
    StoredRecord last_sale = Read(db, base->sale_seqs.back());
    boost::json::object last = boost::json::parse(last_sale.leaf_data).as_object();
    RecordHeader header;
    header.seq = seq;
    header.recorded_at = std::string(last["recorded_at"].as_string());
    header.stream = "outlet:C-1";
    header.stream_version = static_cast<uint64_t>(last["stream_version"].as_int64()) + 1;
    header.prev_stream_hash = HexEncode(last_sale.leaf_hash);
    StoredRecord record;
    record.seq = seq;
    record.leaf_data = BuildLeafData(header, forged.canonical);
    record.leaf_hash = merkle::LeafHash(merkle::HashAlg::kSha256, record.leaf_data);
    Put(db, Cf::kRecords, sf::Uint64Key(seq), EncodeStoredRecord(record));
    Put(db, Cf::kStreams, sf::StreamKey(header.stream, header.stream_version),
        sf::StreamValue(seq, record.leaf_hash));
    Put(db, Cf::kEventIds, forged.id, sf::EventIdValue(seq, crypto::Sha256(forged.canonical)));
    RebuildMerkle(db, seq + 1);
  });
  ExpectFirst(Verify(), seq, FailureKind::kEventKey);
}

TEST_F(TamperTest, KeyRegistrationChangedInStateIsDetected) {
  Tamper([&](StoreDb& db) {
    const std::string key = sf::StateKey(static_cast<uint8_t>(EntityKind::kKey), "operator-1");
    EntityState state = *DecodeEntityState(**db.Get(Cf::kState, key));
    std::get<KeyState>(state).roles |= kRoleAdmin;
    Put(db, Cf::kState, key, EncodeEntityState(state));
  });
  ExpectFirst(Verify(), base->operator_key_seq, FailureKind::kEntityState);
}

TEST_F(TamperTest, KeyRegistrationChangedInTheLogIsDetected) {
  Tamper([&](StoreDb& db) {
    RewriteLeaf(db, base->operator_key_seq, [](boost::json::object& leaf) {
      leaf["event"].as_object()["body"].as_object()["regions"] = boost::json::array{"000000"};
    });
    RebuildMerkle(db, base->size);
  });
  ExpectFirst(Verify(), base->operator_key_seq, FailureKind::kEventSignature);
}

TEST_F(TamperTest, AlteredProjectionStateIsDetected) {
  uint64_t position = 0;
  Tamper([&](StoreDb& db) {
    auto head =
        projections::DecodeHead(**db.Get(Cf::kProjections, projections::HeadKey("statistics")));
    ASSERT_TRUE(head.ok());
    position = head->position;
    const std::string key = head->state_in_snapshot
                                ? projections::SnapshotKey("statistics", position)
                                : projections::StateKey("statistics");
    auto blob = projections::DecodeStateBlob(**db.Get(Cf::kProjections, key));
    ASSERT_TRUE(blob.ok());
    blob->state.back() = static_cast<char>(blob->state.back() ^ 0x01);
    Put(db, Cf::kProjections, key, projections::EncodeStateBlob(*blob));
  });
  ExpectFirst(Verify(), position - 1, FailureKind::kProjectionState);
}

// The projections are folded from the records the pass parsed: a record
// that cannot be parsed ends their fold, said without a seq (the record
// pass names the seq and what is wrong).
TEST_F(TamperTest, UnparsableRecordEndsTheProjectionFold) {
  const uint64_t seq = base->sale_seqs[6];
  Tamper([&](StoreDb& db) {
    StoredRecord record = Read(db, seq);
    record.leaf_data = "not a record";
    record.leaf_hash = merkle::LeafHash(merkle::HashAlg::kSha256, record.leaf_data);
    Put(db, Cf::kRecords, sf::Uint64Key(seq), EncodeStoredRecord(record));
    RebuildMerkle(db, base->size);
  });
  VerifyReport report = Verify();
  ExpectFirst(report, seq, FailureKind::kLeafData);
  std::vector<std::string> projection_failures;
  for (const verify::IntegrityFailure& f : report.failures) {
    if (f.kind == FailureKind::kProjectionState) {
      EXPECT_FALSE(f.seq.has_value()) << f.detail;
      projection_failures.push_back(f.detail);
    }
  }
  ASSERT_EQ(projection_failures.size(), 2u);  // statistics and entities
  for (const std::string& detail : projection_failures) {
    EXPECT_NE(detail.find("cannot be folded past seq " + std::to_string(seq) + ": seq " +
                          std::to_string(seq) + " could not be parsed"),
              std::string::npos)
        << detail;
  }
}

// A gap ends the pass: stored projection states beyond it are reported at
// the gap, not compared with a fold that stopped short of them.
TEST_F(TamperTest, ProjectionStoredBeyondAGapIsReportedAtTheGap) {
  const uint64_t seq = base->sale_seqs[10];
  Tamper([&](StoreDb& db) { ASSERT_TRUE(db.Delete(Cf::kRecords, sf::Uint64Key(seq)).ok()); });
  VerifyReport report = Verify();
  ExpectFirst(report, seq, FailureKind::kRecordMissing);
  EXPECT_EQ(report.tree_size, seq);
  int beyond = 0;
  for (const verify::IntegrityFailure& f : report.failures) {
    if (f.kind != FailureKind::kProjectionState) continue;
    EXPECT_EQ(f.seq, std::optional<uint64_t>(seq)) << f.detail;
    EXPECT_NE(f.detail.find("is stored at position " + std::to_string(base->size) +
                            ", beyond the log (" + std::to_string(seq) + ")"),
              std::string::npos)
        << f.detail;
    ++beyond;
  }
  EXPECT_EQ(beyond, 2);
}

TEST_F(TamperTest, SinceLastStillDetectsARecordChangedBeforeTheAnchor) {
  VerifyReport first = Verify();
  ASSERT_TRUE(first.clean());
  ASSERT_TRUE(verify::SaveLastVerification(dir_, first).ok());
  const uint64_t seq = base->sale_seqs[1];
  Tamper([&](StoreDb& db) {
    StoredRecord record = Read(db, seq);
    record.leaf_data[40] = static_cast<char>(record.leaf_data[40] ^ 0x01);
    Put(db, Cf::kRecords, sf::Uint64Key(seq), EncodeStoredRecord(record));
  });
  VerifyReport report = Verify(verify::VerifyMode::kSinceLast);
  EXPECT_EQ(report.mode, verify::VerifyMode::kSinceLast);
  ExpectFirst(report, seq, FailureKind::kLeafHash);
}

TEST_F(TamperTest, HashOnlyDetectsAChangedLeafButSkipsSignatures) {
  const uint64_t seq = base->sale_seqs[0];
  Tamper([&](StoreDb& db) {
    StoredRecord record = Read(db, seq);
    record.leaf_data[30] = static_cast<char>(record.leaf_data[30] ^ 0x01);
    Put(db, Cf::kRecords, sf::Uint64Key(seq), EncodeStoredRecord(record));
  });
  VerifyReport report = Verify(verify::VerifyMode::kHashOnly);
  EXPECT_EQ(report.counts.signatures, 0u);
  ExpectFirst(report, seq, FailureKind::kLeafHash);
}

// Chunks are aligned runs of 2^k records read by separate cursors: a key
// between two chunks (here after the last seq of one, with chunk_records
// 7 -> chunks of 4) is a gap, as a single sequential read finds it.
TEST_F(TamperTest, StrayRecordKeyBetweenChunksIsAGap) {
  const uint64_t last_of_chunk = (base->sale_seqs[4] | 3);
  ASSERT_LT(last_of_chunk + 1, base->size);
  Tamper([&](StoreDb& db) {
    std::string bytes = **db.Get(Cf::kRecords, sf::Uint64Key(last_of_chunk));
    Put(db, Cf::kRecords, sf::Uint64Key(last_of_chunk) + "x", bytes);
  });
  ExpectFirst(Verify(), last_of_chunk + 1, FailureKind::kRecordMissing);
  ExpectFirst(Verify(verify::VerifyMode::kHashOnly), last_of_chunk + 1,
              FailureKind::kRecordMissing);
}

// A stored node above the chunks (joined on the verifying thread) and one
// inside a chunk (compared on a worker) are both checked.
TEST_F(TamperTest, AlteredMerkleNodesAboveAndInsideChunksAreDetected) {
  // Level 3 spans 8 leaves: above a 4-record chunk of the full pass.
  const merkle::NodeId above{3, 1};
  const merkle::NodeId inside{1, 5};
  for (const merkle::NodeId& id : {above, inside}) {
    SCOPED_TRACE(std::to_string(id.level));
    Tamper([&](StoreDb& db) {
      std::string hash = **db.Get(Cf::kMerkle, sf::MerkleKey(id));
      hash[0] = static_cast<char>(hash[0] ^ 0x01);
      Put(db, Cf::kMerkle, sf::MerkleKey(id), hash);
    });
    const uint64_t completing = ((id.index + 1) << id.level) - 1;
    ExpectFirst(Verify(), completing, FailureKind::kMerkleNode);
    ExpectFirst(Verify(verify::VerifyMode::kHashOnly), completing, FailureKind::kMerkleNode);
    Tamper([&](StoreDb& db) {
      std::string hash = **db.Get(Cf::kMerkle, sf::MerkleKey(id));
      hash[0] = static_cast<char>(hash[0] ^ 0x01);
      Put(db, Cf::kMerkle, sf::MerkleKey(id), hash);
    });
  }
}

}  // namespace
}  // namespace fupin
