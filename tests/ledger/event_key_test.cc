// EventPublicKey, EventVerifier, VerifyEventSignatureWithThreadCache and
// EventSigningKey: the same answers for either algorithm as the
// algorithm's own key classes, and a PEM of either kind loads as what it
// holds.
#include "ledger/event_key.h"

#include <gtest/gtest.h>

#include <string>

namespace fupin::crypto {
namespace {

EventSigningKey Sm2Key() { return EventSigningKey(Sm2PrivateKey::Generate().value()); }
EventSigningKey Ed25519Key() { return EventSigningKey(Ed25519PrivateKey::Generate().value()); }

TEST(EventKeyTest, EitherAlgorithmSignsAndVerifies) {
  for (const EventSigningKey& key : {Ed25519Key(), Sm2Key()}) {
    const std::string signature = key.Sign("message");
    const EventPublicKey public_key = key.public_key();
    EXPECT_EQ(public_key.alg(), key.alg());
    EXPECT_EQ(public_key.raw(), key.public_raw());
    EXPECT_TRUE(public_key.Verify("message", signature));
    EXPECT_FALSE(public_key.Verify("messagf", signature));
    EventVerifier verifier;
    EXPECT_TRUE(verifier.Verify(public_key, "message", signature));
    EXPECT_FALSE(verifier.Verify(public_key, "messagf", signature));
    EXPECT_EQ(
        VerifyEventSignatureWithThreadCache(key.alg(), key.public_raw(), "message", signature),
        true);
    EXPECT_EQ(
        VerifyEventSignatureWithThreadCache(key.alg(), key.public_raw(), "messagf", signature),
        false);
  }
}

TEST(EventKeyTest, Sm2SignatureIsDerAndEd25519Is64Bytes) {
  EXPECT_EQ(Ed25519Key().Sign("m").size(), kEd25519SignatureSize);
  const std::string der = Sm2Key().Sign("m");
  EXPECT_LE(der.size(), kSm2MaxSignatureSize);
  EXPECT_EQ(der[0], '\x30');
}

TEST(EventKeyTest, ASignatureOfOneAlgorithmNeverVerifiesUnderTheOther) {
  const EventSigningKey sm2 = Sm2Key();
  const EventSigningKey ed25519 = Ed25519Key();
  EXPECT_FALSE(sm2.public_key().Verify("m", ed25519.Sign("m")));
  EXPECT_FALSE(ed25519.public_key().Verify("m", sm2.Sign("m")));
}

TEST(EventKeyTest, RawKeyOfTheWrongAlgorithmIsRefused) {
  EXPECT_EQ(EventPublicKey::FromRaw(KeyAlg::kSm2, Ed25519Key().public_raw()).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(EventPublicKey::FromRaw(KeyAlg::kEd25519, Sm2Key().public_raw()).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(VerifyEventSignatureWithThreadCache(KeyAlg::kSm2, std::string(65, '\x04'), "m", "s"),
            std::nullopt);
}

TEST(EventKeyTest, PemOfEitherKindLoadsAsWhatItHolds) {
  for (const EventSigningKey& key : {Ed25519Key(), Sm2Key()}) {
    Result<EventSigningKey> loaded = EventSigningKey::FromPem(key.ToPem());
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(loaded->alg(), key.alg());
    EXPECT_EQ(loaded->public_raw(), key.public_raw());
  }
}

TEST(EventKeyTest, PemOfNoKeyIsRefusedAsByEitherParser) {
  Result<EventSigningKey> loaded = EventSigningKey::FromPem("not a key");
  EXPECT_EQ(loaded.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(loaded.status().message(), Ed25519PrivateKey::FromPem("not a key").status().message());
}

TEST(EventKeyTest, AlgNamesRoundTrip) {
  EXPECT_EQ(ParseKeyAlg("ed25519"), KeyAlg::kEd25519);
  EXPECT_EQ(ParseKeyAlg("sm2"), KeyAlg::kSm2);
  EXPECT_EQ(ParseKeyAlg("SM2"), std::nullopt);
  EXPECT_EQ(KeyAlgName(KeyAlg::kSm2), "sm2");
  EXPECT_EQ(KeyAlgName(KeyAlg::kEd25519), "ed25519");
}

}  // namespace
}  // namespace fupin::crypto
