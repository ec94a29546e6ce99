// A mirror's store replicating SM2-signed records (Ledger::Replicate
// re-checks every signature through the sequencer): accepted as served,
// and refused with nothing written when an SM2 signature was altered.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/ledger.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

using testing::TestSigner;

class Sm2ReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_.SeedWorld();
    world_.MustAppend(world_.admin.Sign("key.registered",
                                        testing::KeyBody(sm2_op_, {"operator"}, {"430100"}),
                                        "2020-08-03T09:00:00+08:00"));
    for (int i = 0; i < 4; ++i) {
      const TestSigner& signer = i % 2 == 0 ? sm2_op_ : world_.op;
      sm2_seq_ = world_
                     .MustAppend(signer.Sign("sale.recorded",
                                             testing::SaleBody("S-" + std::to_string(i), 1, 3500)))
                     .seq;
    }
    sm2_seq_ -= 1;  // the last sale by the SM2 key (i = 2)
    world_.Close();
    LedgerOptions read_only;
    read_only.read_only = true;
    source_ = std::move(Ledger::Open(world_.dir(), read_only)).value();
    records_ = std::move(source_->ReadRecords(0, 1000)).value();
    mirror_dir_ = testing::MakeTempDir("fupin-sm2-replica");
    std::filesystem::remove_all(mirror_dir_);
    ASSERT_TRUE(Ledger::InitMirror(mirror_dir_, {records_[0], records_[1]}, Replicated(2),
                                   source_->info().origin, "http://source.example:8080")
                    .ok());
    LedgerOptions options;
    options.mirror = true;
    mirror_ = std::move(Ledger::Open(mirror_dir_, options)).value();
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
  static Status Proven(uint64_t, const merkle::Hash&) { return Status::Ok(); }

  testing::TestLedger world_;
  TestSigner sm2_op_ = TestSigner::Sm2(0x51, "operator-sm2");
  uint64_t sm2_seq_ = 0;
  std::unique_ptr<Ledger> source_;
  std::vector<StoredRecord> records_;
  std::string mirror_dir_;
  std::unique_ptr<Ledger> mirror_;
};

TEST_F(Sm2ReplicaTest, Sm2SignedRecordsReplicate) {
  const uint64_t size = records_.size();
  Status status =
      mirror_->Replicate({records_.begin() + 2, records_.end()}, Replicated(size), Proven);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(mirror_->tree_size(), size);
}

TEST_F(Sm2ReplicaTest, AlteredSm2SignatureIsRefusedAndNothingWritten) {
  std::vector<StoredRecord> rest(records_.begin() + 2, records_.end());
  StoredRecord& record = rest[sm2_seq_ - 2];
  boost::json::object leaf = boost::json::parse(record.leaf_data).as_object();
  boost::json::object& event = leaf["event"].as_object();
  ASSERT_EQ(event["key"].as_string(), sm2_op_.key_id());
  std::string der = *Base64Decode(event["sig"].as_string());
  der.back() ^= 0x01;
  event["sig"] = Base64Encode(der);
  record.leaf_data = json::Canonicalize(leaf);
  record.leaf_hash = merkle::LeafHash(merkle::HashAlg::kSha256, record.leaf_data);
  Status status = mirror_->Replicate(rest, std::nullopt, Proven);
  EXPECT_EQ(status.code(), ErrorCode::kDataLoss) << status.ToString();
  EXPECT_NE(status.message().find("record " + std::to_string(sm2_seq_)), std::string::npos)
      << status.ToString();
  EXPECT_NE(status.message().find(std::string(ErrorCodeName(ErrorCode::kBadSignature))),
            std::string::npos)
      << status.ToString();
  EXPECT_EQ(mirror_->tree_size(), 2u);
}

}  // namespace
}  // namespace fupin
