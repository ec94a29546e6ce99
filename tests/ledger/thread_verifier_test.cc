// VerifyWithThreadCache: the same answers as a fresh key's Verify, across
// keys, bad signatures, unusable keys and a cache that starts over.
#include "ledger/thread_verifier.h"

#include <gtest/gtest.h>

#include <string>

#include "ledger/crypto.h"

namespace fupin::crypto {
namespace {

Ed25519PrivateKey KeyOf(uint32_t n) {
  std::string seed(32, '\0');
  for (int i = 0; i < 4; ++i) seed[i] = static_cast<char>(n >> (8 * i));
  return std::move(Ed25519PrivateKey::FromSeed(seed)).value();
}

TEST(ThreadVerifier, AnswersAsAFreshKeyDoes) {
  const Ed25519PrivateKey key = KeyOf(1);
  const std::string raw = key.public_key().raw();
  const std::string signature = key.Sign("message");
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(VerifyWithThreadCache(raw, "message", signature), true);
    EXPECT_EQ(VerifyWithThreadCache(raw, "messagf", signature), false);
    std::string flipped = signature;
    flipped[5] ^= 1;
    EXPECT_EQ(VerifyWithThreadCache(raw, "message", flipped), false);
    EXPECT_EQ(VerifyWithThreadCache(raw, "message", signature.substr(1)), false);
  }
  // Another key's signature does not verify under this key.
  EXPECT_EQ(VerifyWithThreadCache(raw, "message", KeyOf(2).Sign("message")), false);
}

TEST(ThreadVerifier, AnUnusableKeyIsNoAnswer) {
  EXPECT_FALSE(VerifyWithThreadCache(std::string(31, 'k'), "m", std::string(64, 's')));
}

TEST(ThreadVerifier, StaysCorrectWhenTheCacheStartsOver) {
  const Ed25519PrivateKey first = KeyOf(7);
  const std::string signature = first.Sign("m");
  EXPECT_EQ(VerifyWithThreadCache(first.public_key().raw(), "m", signature), true);
  for (uint32_t n = 100; n < 100 + kThreadKeyCacheSize + 2; ++n) {
    std::string raw = KeyOf(n).public_key().raw();
    ASSERT_EQ(VerifyWithThreadCache(raw, "m", signature), false);
  }
  EXPECT_EQ(VerifyWithThreadCache(first.public_key().raw(), "m", signature), true);
}

}  // namespace
}  // namespace fupin::crypto
