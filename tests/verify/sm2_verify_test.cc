// `verify --full` on a log whose keys are half SM2 (docs/format.md, "SM2
// keys"): clean as written, and a tampered SM2-signed record is caught by
// its signature.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/ledger.h"
#include "ledger/record.h"
#include "ledger/store_db.h"
#include "ledger/store_format.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"
#include "tests/support/store_tamper.h"
#include "verify/verify.h"

namespace fupin {
namespace {

namespace fs = std::filesystem;
namespace sf = store_format;
using testing::KeyBody;
using testing::SaleBody;
using testing::TestSigner;
using verify::FailureKind;

inline constexpr int kSalesPerKey = 6;

// The seeded world (six Ed25519 keys with genesis) plus six SM2 keys, two
// of them operators over 430100 whose sales alternate with the Ed25519
// operator's.
class Sm2VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_.SeedWorld();
    const std::string day = "2020-08-03T09:00:00+08:00";
    const std::vector<std::string> roles = {"certifier", "reporter", "supervisor", "certifier"};
    for (std::size_t i = 0; i < roles.size(); ++i) {
      TestSigner other =
          TestSigner::Sm2(static_cast<uint8_t>(0x20 + i), "sm2-" + std::to_string(i));
      t_.MustAppend(t_.admin.Sign("key.registered", KeyBody(other, {roles[i]}, {"430000"}), day));
    }
    for (const TestSigner* op : {&sm2_op_a_, &sm2_op_b_}) {
      t_.MustAppend(t_.admin.Sign("key.registered", KeyBody(*op, {"operator"}, {"430100"}), day));
    }
    for (int i = 0; i < kSalesPerKey; ++i) {
      const std::string n = std::to_string(i);
      t_.MustAppend(t_.op.Sign("sale.recorded", SaleBody("E-" + n, 1, 3500)));
      sm2_sale_seq_ =
          t_.MustAppend(sm2_op_a_.Sign("sale.recorded", SaleBody("A-" + n, 1, 3500))).seq;
      t_.MustAppend(sm2_op_b_.Sign("sale.recorded", SaleBody("B-" + n, 2, 3500)));
    }
    size_ = t_.ledger().tree_size();
    t_.Close();
  }

  verify::VerifyReport Verify() {
    verify::VerifyOptions options;
    options.mode = verify::VerifyMode::kFull;
    options.threads = 2;
    Result<verify::VerifyReport> report = verify::VerifyDataDir(t_.dir(), options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? std::move(report).value() : verify::VerifyReport{};
  }

  testing::TestLedger t_;
  TestSigner sm2_op_a_ = TestSigner::Sm2(0x31, "operator-sm2-a");
  TestSigner sm2_op_b_ = TestSigner::Sm2(0x32, "operator-sm2-b");
  uint64_t sm2_sale_seq_ = 0;
  uint64_t size_ = 0;
};

TEST_F(Sm2VerifyTest, HalfSm2LogVerifiesClean) {
  verify::VerifyReport report = Verify();
  EXPECT_TRUE(report.clean()) << (report.failures.empty() ? "" : report.failures[0].detail);
}

TEST_F(Sm2VerifyTest, AlteredSm2SignedRecordFailsItsSignature) {
  {
    // Change the sale's buyer and cover the tracks: a matching leaf hash
    // and a rebuilt tree; only the SM2 signature still tells.
    auto db = std::move(StoreDb::Open(t_.dir() + "/db", DbMode::kReadWrite)).value();
    StoredRecord record =
        *DecodeStoredRecord(**db->Get(Cf::kRecords, sf::Uint64Key(sm2_sale_seq_)));
    boost::json::object leaf = boost::json::parse(record.leaf_data).as_object();
    leaf["event"].as_object()["body"].as_object()["buyer_ref"] = "B-FORGED";
    record.leaf_data = json::Canonicalize(leaf);
    record.leaf_hash = merkle::LeafHash(merkle::HashAlg::kSha256, record.leaf_data);
    ASSERT_TRUE(
        db->Write({{Cf::kRecords, sf::Uint64Key(sm2_sale_seq_), EncodeStoredRecord(record)}}, true)
            .ok());
    testing::RebuildMerkle(*db, size_);
  }
  verify::VerifyReport report = Verify();
  ASSERT_FALSE(report.clean());
  bool signature_failed = false;
  for (const verify::IntegrityFailure& f : report.failures) {
    signature_failed = signature_failed || (f.kind == FailureKind::kEventSignature &&
                                            f.seq == std::optional<uint64_t>(sm2_sale_seq_));
  }
  EXPECT_TRUE(signature_failed) << report.failures[0].detail;
}

}  // namespace
}  // namespace fupin
