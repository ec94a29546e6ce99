// A mirror's store (Ledger::InitMirror, Ledger::Replicate): what a source
// served is stored only when it re-sequences to the very same bytes under
// a signed checkpoint; every refusal names what was wrong and writes
// nothing.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>

#include "ledger/canonical_json.h"
#include "ledger/ledger.h"
#include "ledger/store_format.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

using testing::TestLedger;

constexpr std::string_view kSource = "http://source.example:8080";

class ReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_.SeedWorld();
    for (int i = 0; i < 5; ++i) {
      boost::json::object body = testing::SaleBody("S-" + std::to_string(i), 2, 3500);
      body["outlet_id"] = "C-1";
      world_.MustAppend(world_.op.Sign("sale.recorded", std::move(body)));
    }
    world_.Close();  // writes the checkpoint of the whole log
    LedgerOptions read_only;
    read_only.read_only = true;
    source_ = std::move(Ledger::Open(world_.dir(), read_only)).value();
    records_ = std::move(source_->ReadRecords(0, 1000)).value();
    latest_ = std::move(source_->LatestCheckpoint()).value();
    ASSERT_EQ(latest_.tree_size, records_.size());
    mirror_dir_ = testing::MakeTempDir("fupin-replica");
    std::filesystem::remove_all(mirror_dir_);
  }
  void TearDown() override {
    mirror_.reset();
    std::filesystem::remove_all(mirror_dir_);
  }

  ReplicatedCheckpoint Replicated(uint64_t size) {
    ReplicatedCheckpoint out;
    out.checkpoint = std::move(source_->CheckpointAt(size)).value();
    out.note = note::FormatNote(std::move(source_->NoteAt(size)).value());
    return out;
  }
  Status Init() {
    Result<GenesisInfo> info = Ledger::InitMirror(mirror_dir_, {records_[0], records_[1]},
                                                  Replicated(2), source_->info().origin, kSource);
    return info.status();
  }
  void Open() {
    LedgerOptions options;
    options.mirror = true;
    Result<std::unique_ptr<Ledger>> opened = Ledger::Open(mirror_dir_, options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    mirror_ = std::move(opened).value();
  }
  std::vector<StoredRecord> Rest() const { return {records_.begin() + 2, records_.end()}; }
  static Status Proven(uint64_t, const merkle::Hash&) { return Status::Ok(); }
  ReplicatedCheckpoint Latest() { return Replicated(latest_.tree_size); }

  // The record with its leaf data rewritten by `edit` and the leaf hash
  // recomputed, as a source that altered it would serve it.
  static StoredRecord Altered(StoredRecord record,
                              const std::function<void(boost::json::object&)>& edit) {
    boost::json::object leaf = boost::json::parse(record.leaf_data).as_object();
    edit(leaf);
    record.leaf_data = json::Canonicalize(leaf);
    record.leaf_hash = merkle::LeafHash(merkle::HashAlg::kSha256, record.leaf_data);
    return record;
  }
  // A refused Replicate leaves the mirror as it was, also after a reopen.
  void ExpectRefused(const std::vector<StoredRecord>& records,
                     const std::optional<ReplicatedCheckpoint>& checkpoint, ErrorCode code,
                     const std::string& message_part, const ReplicaProof& prove = Proven) {
    Status status = mirror_->Replicate(records, checkpoint, prove);
    EXPECT_EQ(status.code(), code) << status.ToString();
    EXPECT_NE(status.message().find(message_part), std::string::npos) << status.ToString();
    EXPECT_EQ(mirror_->tree_size(), 2u);
    mirror_.reset();
    Open();
    EXPECT_EQ(mirror_->tree_size(), 2u);
    EXPECT_EQ(mirror_->LatestCheckpoint()->tree_size, 2u);
  }

  TestLedger world_;
  std::unique_ptr<Ledger> source_;
  std::vector<StoredRecord> records_;
  Checkpoint latest_;
  std::string mirror_dir_;
  std::unique_ptr<Ledger> mirror_;
};

TEST_F(ReplicaTest, StoresTheSourcesRecordsByteForByte) {
  ASSERT_TRUE(Init().ok());
  Open();
  EXPECT_EQ(mirror_->info().log_id, source_->info().log_id);
  EXPECT_EQ(mirror_->info().vkey, source_->info().vkey);
  EXPECT_EQ(mirror_->info().mirror_source, kSource);
  ASSERT_TRUE(mirror_->Replicate(Rest(), Latest(), Proven).ok());
  ASSERT_EQ(mirror_->tree_size(), records_.size());
  for (const StoredRecord& record : records_) {
    StoredRecord stored = std::move(mirror_->ReadRecord(record.seq)).value();
    EXPECT_EQ(stored.leaf_data, record.leaf_data) << record.seq;
    EXPECT_EQ(stored.leaf_hash, record.leaf_hash) << record.seq;
  }
  EXPECT_EQ(CheckpointJson(*mirror_->LatestCheckpoint()), CheckpointJson(latest_));
  EXPECT_EQ(note::FormatNote(*mirror_->NoteAt(latest_.tree_size)),
            note::FormatNote(*source_->NoteAt(latest_.tree_size)));
  // The indexes are the ledger's own: streams and event ids answer.
  EXPECT_EQ(mirror_->RootAt(7).value(), source_->RootAt(7).value());
  EXPECT_EQ(mirror_->ReadStream("outlet:C-1", 1, 100)->size(),
            source_->ReadStream("outlet:C-1", 1, 100)->size());
  // Reopened, it resumes where it stopped.
  mirror_.reset();
  Open();
  EXPECT_EQ(mirror_->tree_size(), records_.size());
}

TEST_F(ReplicaTest, StretchesWithoutACheckpointAreProvenByTheCaller) {
  ASSERT_TRUE(Init().ok());
  Open();
  std::vector<StoredRecord> rest = Rest();
  std::vector<StoredRecord> first(rest.begin(), rest.begin() + 4);
  std::vector<StoredRecord> second(rest.begin() + 4, rest.end());
  uint64_t asked_size = 0;
  merkle::Hash asked_root{};
  ASSERT_TRUE(mirror_
                  ->Replicate(first, std::nullopt,
                              [&](uint64_t size, const merkle::Hash& root) {
                                asked_size = size;
                                asked_root = root;
                                return Status::Ok();
                              })
                  .ok());
  EXPECT_EQ(asked_size, 6u);
  EXPECT_EQ(asked_root, source_->RootAt(6).value());
  EXPECT_EQ(mirror_->LatestCheckpoint()->tree_size, 2u);  // none was given
  ASSERT_TRUE(mirror_->Replicate(second, Latest(), Proven).ok());
  EXPECT_EQ(mirror_->tree_size(), records_.size());
}

TEST_F(ReplicaTest, ARefusedProofWritesNothing) {
  ASSERT_TRUE(Init().ok());
  Open();
  ExpectRefused(Rest(), std::nullopt, ErrorCode::kDataLoss, "not a prefix",
                [](uint64_t, const merkle::Hash&) {
                  return Status(ErrorCode::kDataLoss, "not a prefix of checkpoint 99");
                });
}

TEST_F(ReplicaTest, AnAlteredRecordIsRefusedNamingIt) {
  ASSERT_TRUE(Init().ok());
  Open();
  std::vector<StoredRecord> rest = Rest();
  // The amount changed and the hash recomputed: the signature fails.
  std::vector<StoredRecord> altered = rest;
  const std::size_t sale = altered.size() - 1;
  altered[sale] = Altered(altered[sale], [](boost::json::object& leaf) {
    leaf["event"].as_object()["body"].as_object()["quantity"] = 3;
    leaf["event"].as_object()["body"].as_object()["amount_fen"] = 10500;
  });
  ExpectRefused(altered, Latest(), ErrorCode::kDataLoss,
                "record " + std::to_string(altered[sale].seq) +
                    ": refused as the ledger would refuse it: bad_signature");
}

TEST_F(ReplicaTest, ALeafHashThatIsNotTheLeafsIsRefused) {
  ASSERT_TRUE(Init().ok());
  Open();
  std::vector<StoredRecord> rest = Rest();
  rest[0].leaf_hash[0] ^= 1;
  ExpectRefused(rest, Latest(), ErrorCode::kDataLoss,
                "record 2: leaf_hash is not the hash of its leaf data");
}

TEST_F(ReplicaTest, AnotherRecordTimeOrChainIsRefused) {
  ASSERT_TRUE(Init().ok());
  Open();
  std::vector<StoredRecord> rest = Rest();
  // The stream version claimed is not the one the log gives.
  rest[1] = Altered(rest[1], [](boost::json::object& leaf) {
    leaf["stream_version"] = leaf["stream_version"].as_int64() + 1;
  });
  ExpectRefused(rest, Latest(), ErrorCode::kDataLoss,
                "record 3: its leaf data is not what the event sequenced at its record time gives");
}

TEST_F(ReplicaTest, ARecordTimeBeforeThePreviousRecordsIsRefused) {
  ASSERT_TRUE(Init().ok());
  Open();
  std::vector<StoredRecord> rest = Rest();
  rest[2] = Altered(
      rest[2], [](boost::json::object& leaf) { leaf["recorded_at"] = "2020-09-01T00:00:00.000Z"; });
  ExpectRefused(rest, Latest(), ErrorCode::kDataLoss,
                "record 4: recorded_at is earlier than the record before");
}

TEST_F(ReplicaTest, ACheckpointWithAnotherRootOrSignatureIsRefused) {
  ASSERT_TRUE(Init().ok());
  Open();
  ReplicatedCheckpoint wrong_root = Latest();
  wrong_root.checkpoint.root_hash[0] ^= 1;
  ExpectRefused(Rest(), wrong_root, ErrorCode::kDataLoss, "signature does not verify");
  ReplicatedCheckpoint early = Replicated(2);
  ExpectRefused(Rest(), early, ErrorCode::kDataLoss, "does not end where the records do");
  ReplicatedCheckpoint bad_note = Latest();
  bad_note.note = Replicated(2).note;
  ExpectRefused(Rest(), bad_note, ErrorCode::kDataLoss, "its text is not this checkpoint's");
}

TEST_F(ReplicaTest, RecordsMustContinueTheLog) {
  ASSERT_TRUE(Init().ok());
  Open();
  std::vector<StoredRecord> rest = Rest();
  rest.erase(rest.begin());
  ExpectRefused(rest, std::nullopt, ErrorCode::kInvalidArgument,
                "records must continue the log at 2, got 3");
}

TEST_F(ReplicaTest, AGenesisThatIsNotTheLogsIsRefusedAndNothingIsCreated) {
  // Record 1 first: not a self-signed system key.
  Status swapped = Ledger::InitMirror(mirror_dir_, {records_[1], records_[0]}, Replicated(2),
                                      source_->info().origin, kSource)
                       .status();
  EXPECT_EQ(swapped.code(), ErrorCode::kDataLoss) << swapped.ToString();
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(mirror_dir_) / "db"));
  // A checkpoint of another size.
  Status late = Ledger::InitMirror(mirror_dir_, {records_[0], records_[1]}, Latest(),
                                   source_->info().origin, kSource)
                    .status();
  EXPECT_EQ(late.code(), ErrorCode::kDataLoss) << late.ToString();
  EXPECT_NE(late.message().find("does not end where the records do"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(mirror_dir_) / "db"));
  // An origin a note could not carry.
  Status origin =
      Ledger::InitMirror(mirror_dir_, {records_[0], records_[1]}, Replicated(2), "a b", kSource)
          .status();
  EXPECT_EQ(origin.code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(mirror_dir_) / "db"));
}

TEST_F(ReplicaTest, AMirrorTakesNoWritesAndALedgerIsNoMirror) {
  ASSERT_TRUE(Init().ok());
  Open();
  AppendResult appended = mirror_->Append({world_.op.Sign(
      "outlet.deployed",
      {{"outlet_id", "C-9"}, {"kind", "counter"}, {"name", "x"}, {"region", "430102"}})});
  EXPECT_EQ(appended.status.code(), ErrorCode::kUnavailable);
  mirror_.reset();
  // Opened as a ledger that sequences: refused, naming the source.
  Result<std::unique_ptr<Ledger>> as_ledger = Ledger::Open(mirror_dir_);
  ASSERT_FALSE(as_ledger.ok());
  EXPECT_NE(
      as_ledger.status().message().find(std::string("is a mirror of ") + std::string(kSource)),
      std::string::npos);
  // A ledger opened as a mirror: refused.
  source_.reset();
  LedgerOptions options;
  options.mirror = true;
  Result<std::unique_ptr<Ledger>> as_mirror = Ledger::Open(world_.dir(), options);
  ASSERT_FALSE(as_mirror.ok());
  EXPECT_NE(as_mirror.status().message().find("not a mirror"), std::string::npos);
  // Read-only opens work for both (verify, stats, replay).
  LedgerOptions read_only;
  read_only.read_only = true;
  EXPECT_TRUE(Ledger::Open(mirror_dir_, read_only).ok());
}

}  // namespace
}  // namespace fupin
