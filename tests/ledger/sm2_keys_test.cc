// SM2 event keys beside Ed25519 (docs/format.md, "SM2 keys"): registered
// by the admin, their events accepted through Ledger::Append, signatures
// made by the openssl command accepted when they use the distinguishing ID
// and refused (kBadSignature, nothing written) when not; bad SM2 public
// keys refused (kInvalidField naming the field, nothing written).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/event.h"
#include "ledger/event_key.h"
#include "ledger/ledger.h"
#include "ledger/signing.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

using testing::KeyBody;
using testing::SaleBody;
using testing::TestLedger;
using testing::TestSigner;

inline constexpr std::string_view kDay = "2020-08-02T09:00:00+08:00";

// The world of TestLedger plus an SM2 operator key over 430100.
class Sm2EventKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_.SeedWorld();
    t_.MustAppend(t_.admin.Sign("key.registered", KeyBody(sm2_op_, {"operator"}, {"430100"}),
                                std::string(kDay)));
  }

  // An unsigned sale.recorded event by the SM2 operator key.
  boost::json::object UnsignedSale(const std::string& sale_id) const {
    boost::json::object event =
        boost::json::parse(sm2_op_.SignJson("sale.recorded", SaleBody(sale_id, 1, 3500)))
            .as_object();
    event.erase("sig");
    return event;
  }

  // Expects `envelope` refused with `code`, the log unchanged.
  void ExpectRefused(const Envelope& envelope, ErrorCode code, std::string_view mention = {}) {
    const uint64_t before = t_.ledger().tree_size();
    AppendResult result = t_.TryAppend(envelope);
    EXPECT_EQ(result.status.code(), code) << result.status.ToString();
    EXPECT_NE(result.status.message().find(mention), std::string::npos) << result.status.ToString();
    EXPECT_EQ(t_.ledger().tree_size(), before);
  }

  TestLedger t_;
  TestSigner sm2_op_ = TestSigner::Sm2(0x5a, "operator-sm2");
};

TEST_F(Sm2EventKeyTest, EventsSignedWithAnSm2KeyAreAppended) {
  AppendedEvent appended = t_.MustAppend(sm2_op_.Sign("sale.recorded", SaleBody("S-1", 2, 3500)));
  EXPECT_FALSE(appended.duplicate);
  EXPECT_GT(appended.seq, 0u);
}

TEST_F(Sm2EventKeyTest, Sm2AndEd25519KeysSignInOneLogAcrossARestart) {
  t_.MustAppend(sm2_op_.Sign("sale.recorded", SaleBody("S-1", 1, 3500)));
  t_.MustAppend(t_.op.Sign("sale.recorded", SaleBody("S-2", 1, 3500)));
  // The key states (an SM2 one in entity-state format 2) come back from
  // the store.
  t_.Reopen();
  t_.MustAppend(sm2_op_.Sign("sale.recorded", SaleBody("S-3", 1, 3500)));
  t_.MustAppend(t_.op.Sign("sale.recorded", SaleBody("S-4", 1, 3500)));
}

TEST_F(Sm2EventKeyTest, FlippedBitInAnSm2SignatureIsBadSignatureAndNothingWritten) {
  boost::json::object event = *SignEvent(UnsignedSale("S-1"), sm2_op_.key());
  std::string der = *Base64Decode(event["sig"].as_string());
  der.back() ^= 0x01;  // the last byte of s: still well-formed DER
  event["sig"] = Base64Encode(der);
  ExpectRefused(*ParseEnvelope(json::Canonicalize(event)), ErrorCode::kBadSignature,
                "operator-sm2");
}

TEST_F(Sm2EventKeyTest, Ed25519SignatureUnderAnSm2KeyIdIsBadSignature) {
  boost::json::object event = UnsignedSale("S-1");
  ExpectRefused(*ParseEnvelope(json::Canonicalize(*SignEvent(event, t_.op.key()))),
                ErrorCode::kBadSignature);
}

TEST_F(Sm2EventKeyTest, Sm2SignatureUnderAnEd25519KeyIdIsBadSignature) {
  boost::json::object event = UnsignedSale("S-1");
  event["key"] = t_.op.key_id();
  ExpectRefused(*ParseEnvelope(json::Canonicalize(*SignEvent(event, sm2_op_.key()))),
                ErrorCode::kBadSignature);
}

// --- key.registered with alg sm2 --------------------------------------------

class Sm2KeyRegistrationTest : public ::testing::Test {
 protected:
  void SetUp() override { t_.SeedWorld(); }

  // key.registered of an operator key with `alg` and base64 of `raw`:
  // refused with kInvalidField naming `field`, nothing written.
  void ExpectInvalid(std::string_view alg, std::string_view raw, std::string_view field) {
    boost::json::object body = KeyBody(sm2_, {"operator"}, {"430100"});
    body["alg"] = alg;
    body["public_key"] = Base64Encode(raw);
    const uint64_t before = t_.ledger().tree_size();
    AppendResult result = t_.TryAppend(t_.admin.Sign("key.registered", std::move(body)));
    EXPECT_EQ(result.status.code(), ErrorCode::kInvalidField) << result.status.ToString();
    EXPECT_NE(result.status.message().find(field), std::string::npos) << result.status.ToString();
    EXPECT_EQ(t_.ledger().tree_size(), before);
  }

  std::string Point() const { return sm2_.key().public_raw(); }

  TestLedger t_;
  TestSigner sm2_ = TestSigner::Sm2(0x11, "operator-sm2");
};

TEST_F(Sm2KeyRegistrationTest, PointOfWrongLengthIsRefused) {
  ExpectInvalid("sm2", Point().substr(0, 64), "body.public_key");
  ExpectInvalid("sm2", Point() + "x", "body.public_key");
}

TEST_F(Sm2KeyRegistrationTest, CompressedPointIsRefused) {
  std::string compressed = Point().substr(0, 33);
  compressed[0] = static_cast<char>(0x02 + (static_cast<uint8_t>(Point()[64]) & 1));
  ExpectInvalid("sm2", compressed, "body.public_key");
}

TEST_F(Sm2KeyRegistrationTest, PointNotStartingWith04IsRefused) {
  std::string point = Point();
  point[0] = 0x06;  // "hybrid" form, which OpenSSL itself would read
  ExpectInvalid("sm2", point, "body.public_key");
}

TEST_F(Sm2KeyRegistrationTest, PointOffTheCurveIsRefused) {
  std::string point = Point();
  point[64] ^= 0x01;
  ExpectInvalid("sm2", point, "body.public_key");
}

TEST_F(Sm2KeyRegistrationTest, Ed25519KeyClaimedAsSm2IsRefused) {
  ExpectInvalid("sm2", t_.stranger.key().public_raw(), "body.public_key");
}

TEST_F(Sm2KeyRegistrationTest, Sm2PointClaimedAsEd25519IsRefused) {
  ExpectInvalid("ed25519", Point(), "body.public_key");
}

TEST_F(Sm2KeyRegistrationTest, UnknownAlgIsRefused) {
  ExpectInvalid("SM2", Point(), "body.alg");
  ExpectInvalid("ecdsa", Point(), "body.alg");
}

// --- Signatures made by the openssl command ---------------------------------

// Debian's openssl package, as in gm_crypto_test.cc: missing, the shell
// exits 127 and the test fails rather than skips.
inline constexpr std::string_view kOpenSsl = "/usr/bin/openssl";

class Sm2OpenSslEventTest : public Sm2EventKeyTest {
 protected:
  void SetUp() override {
    Sm2EventKeyTest::SetUp();
    dir_ = testing::MakeTempDir("fupin-sm2-event");
    Write("key.pem", sm2_op_.key().ToPem());
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void Write(const std::string& name, std::string_view bytes) const {
    std::ofstream out(dir_ + "/" + name, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good());
  }
  std::string Read(const std::string& name) const {
    std::ifstream in(dir_ + "/" + name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  // The event signed by `openssl pkeyutl -sign` over its signing input,
  // with the extra `options` (the distinguishing ID or none).
  Envelope SignedByOpenSsl(boost::json::object event, std::string_view options) {
    std::string input(kEventSignaturePrefix);
    input += json::Canonicalize(event);
    Write("msg.bin", input);
    const std::string command = "cd '" + dir_ + "' && " + std::string(kOpenSsl) +
                                " pkeyutl -sign -rawin -digest sm3 -inkey key.pem " +
                                std::string(options) + " -in msg.bin -out sig.der >out.txt 2>&1";
    const int status = std::system(command.c_str());
    EXPECT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0) << Read("out.txt");
    event["sig"] = Base64Encode(Read("sig.der"));
    Result<Envelope> envelope = ParseEnvelope(json::Canonicalize(event));
    EXPECT_TRUE(envelope.ok()) << envelope.status().ToString();
    return std::move(envelope).value();
  }

  std::string dir_;
};

TEST_F(Sm2OpenSslEventTest, SignatureWithTheDistinguishingIdIsAccepted) {
  Envelope envelope = SignedByOpenSsl(UnsignedSale("S-1"), "-pkeyopt distid:1234567812345678");
  const uint64_t before = t_.ledger().tree_size();
  t_.MustAppend(envelope);
  EXPECT_EQ(t_.ledger().tree_size(), before + 1);
}

TEST_F(Sm2OpenSslEventTest, SignatureWithTheEmptyIdIsBadSignatureAndNothingWritten) {
  // Without -pkeyopt distid: OpenSSL 3.x signs with the empty ID.
  ExpectRefused(SignedByOpenSsl(UnsignedSale("S-1"), ""), ErrorCode::kBadSignature, "operator-sm2");
}

// --- The worked example of docs/format.md ("SM2 keys") ----------------------

// Generated once with `openssl genpkey -algorithm SM2`; the signature by
// `openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:1234567812345678`.
inline constexpr std::string_view kDocKeyPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQg2sejwcoUcAJHc7Q2\n"
    "DXpiNsxdE/q0rDrOdHqwRk2DbEKhRANCAASBVCrhuviUg9HDY+1jIhi30k9Qy3HO\n"
    "FyBBvPR2SzQ3AJYNpYXIRMpEVSFlvFiDPRJsTUTNnz6fvD6AAgYOfn1D\n"
    "-----END PRIVATE KEY-----\n";
inline constexpr std::string_view kDocPublicKey =
    "BIFUKuG6+JSD0cNj7WMiGLfST1DLcc4XIEG89HZLNDcAlg2lhchEykRVIWW8WIM9EmxNRM2fPp+8PoACBg5+fUM=";
inline constexpr std::string_view kDocEvent =
    R"({"body":{"amount_fen":7000,"buyer_kind":"individual","buyer_ref":"B-0000001",)"
    R"("outlet_id":"C-430102-0001","product_id":"P-001","quantity":2,"sale_id":"S-000001",)"
    R"("unit_price_fen":3500},"id":"0b5e2f4c-3d1a-4e8b-9c7d-2a1b3c4d5e6f",)"
    R"("key":"test-sm2-key-1","occurred_at":"2020-09-05T10:15:00+08:00",)"
    R"("type":"sale.recorded","v":1})";
inline constexpr std::string_view kDocSignature =
    "MEYCIQCpHhyKPnjHWO+vVg68bHrctN04myxI0KwBFh88ipjlaAIhAPZSRKKWF2AAkEENnOk0iTe9ICvZ23spxXSeo/"
    "0+ghGG";

TEST(Sm2FormatDocTest, WorkedExampleVerifies) {
  Result<crypto::EventSigningKey> key = crypto::EventSigningKey::FromPem(kDocKeyPem);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->alg(), KeyAlg::kSm2);
  EXPECT_EQ(Base64Encode(key->public_raw()), kDocPublicKey);
  Result<crypto::EventPublicKey> public_key =
      crypto::EventPublicKey::FromBase64(KeyAlg::kSm2, kDocPublicKey);
  ASSERT_TRUE(public_key.ok()) << public_key.status().ToString();
  // The event with its sig parses, and its signing input is the doc's.
  boost::json::object event = boost::json::parse(kDocEvent).as_object();
  event["sig"] = kDocSignature;
  Result<Envelope> envelope = ParseEnvelope(json::Canonicalize(event));
  ASSERT_TRUE(envelope.ok()) << envelope.status().ToString();
  EXPECT_EQ(envelope->signing_input, std::string(kEventSignaturePrefix) + std::string(kDocEvent));
  EXPECT_TRUE(public_key->Verify(envelope->signing_input, envelope->signature));
  EXPECT_FALSE(public_key->Verify(envelope->signing_input + " ", envelope->signature));
}

TEST(Sm2FormatDocTest, DocumentHoldsTheseBytes) {
  std::ifstream in(std::string(FUPIN_SOURCE_DIR) + "/docs/format.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(doc.empty());
  EXPECT_NE(doc.find(kDocKeyPem), std::string::npos);
  EXPECT_NE(doc.find(kDocPublicKey), std::string::npos);
  EXPECT_NE(doc.find(kDocEvent), std::string::npos);
  EXPECT_NE(doc.find(kDocSignature), std::string::npos);
}

}  // namespace
}  // namespace fupin
