// Replay's signature checks on SM2-signed records (docs/format.md, "SM2
// keys"): the timeline finds them valid, and an evidence bundle of an
// entity whose records an SM2 key signed (and whose key an Ed25519 admin
// registered) verifies, and fails when an SM2 signature is altered.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdint>
#include <limits>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "replay/bundle.h"
#include "replay/timeline.h"
#include "tests/support/event_builder.h"

namespace fupin::replay {
namespace {

using fupin::testing::KeyBody;
using fupin::testing::SaleBody;
using fupin::testing::TestSigner;

// The seeded world, an SM2 operator key, and sales on outlet C-1 by it and
// by the Ed25519 operator; reopened so that a checkpoint covers them.
class Sm2ReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_.SeedWorld();
    t_.MustAppend(t_.admin.Sign("key.registered", KeyBody(sm2_op_, {"operator"}, {"430100"}),
                                "2020-08-03T09:00:00+08:00"));
    t_.MustAppend(sm2_op_.Sign("sale.recorded", SaleBody("S-1", 1, 3500)));
    t_.MustAppend(t_.op.Sign("sale.recorded", SaleBody("S-2", 1, 3500)));
    t_.MustAppend(sm2_op_.Sign("sale.recorded", SaleBody("S-3", 1, 3500)));
    t_.Reopen();
  }

  fupin::testing::TestLedger t_;
  TestSigner sm2_op_ = TestSigner::Sm2(0x41, "operator-sm2");
};

TEST_F(Sm2ReplayTest, TimelineFindsSm2SignaturesValid) {
  Result<Timeline> timeline =
      BuildTimeline(t_.ledger(), "outlet:C-1", 0, std::numeric_limits<uint64_t>::max());
  ASSERT_TRUE(timeline.ok()) << timeline.status().ToString();
  EXPECT_TRUE(timeline->ok());
  int sm2_signed = 0;
  for (const TimelineEntry& e : timeline->entries) {
    EXPECT_EQ(e.signature, SignatureCheck::kValid) << e.seq;
    if (e.key_id == sm2_op_.key_id()) ++sm2_signed;
  }
  EXPECT_EQ(sm2_signed, 2);
}

TEST_F(Sm2ReplayTest, BundleWithSm2SignedRecordsVerifies) {
  Result<std::string> bundle = BuildBundle(t_.ledger(), "outlet:C-1");
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  BundleVerification verified =
      VerifyBundle(*bundle, {t_.ledger().info().log_id, t_.ledger().info().system_public_key});
  EXPECT_TRUE(verified.ok()) << verified.reason();
}

TEST_F(Sm2ReplayTest, BundleWithAnAlteredSm2SignatureFails) {
  Result<std::string> bundle = BuildBundle(t_.ledger(), "outlet:C-1");
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  boost::json::object parsed = boost::json::parse(*bundle).as_object();
  // Flip the last byte of the first SM2 signature inside a record's leaf.
  bool altered = false;
  for (boost::json::value& record : parsed.at("records").as_array()) {
    boost::json::object leaf = boost::json::parse(record.at("leaf").as_string()).as_object();
    boost::json::object& event = leaf["event"].as_object();
    if (altered || event["key"].as_string() != sm2_op_.key_id()) continue;
    std::string der = *Base64Decode(event["sig"].as_string());
    der.back() ^= 0x01;
    event["sig"] = Base64Encode(der);
    record.as_object()["leaf"] = json::Canonicalize(leaf);
    altered = true;
  }
  ASSERT_TRUE(altered);
  BundleVerification verified =
      VerifyBundle(boost::json::serialize(parsed),
                   {t_.ledger().info().log_id, t_.ledger().info().system_public_key});
  ASSERT_FALSE(verified.ok());
  bool signature_failed = false;
  for (const std::string& failure : verified.failures) {
    signature_failed = signature_failed || failure.find("signature") != std::string::npos;
  }
  EXPECT_TRUE(signature_failed) << verified.reason();
}

}  // namespace
}  // namespace fupin::replay
