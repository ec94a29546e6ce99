#include "ledger/gm_crypto.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "ledger/codec.h"
#include "ledger/crypto.h"
#include "ledger/hash_alg.h"
#include "tests/support/fixtures.h"

namespace fupin::crypto {
namespace {

std::string Unhex(std::string_view hex) {
  Result<std::string> bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

// A refusal with `code` whose message contains `mention`.
template <typename T>
::testing::AssertionResult IsRefused(const Result<T>& result, ErrorCode code,
                                     std::string_view mention = {}) {
  if (result.ok()) return ::testing::AssertionFailure() << "accepted";
  if (result.status().code() != code ||
      result.status().message().find(mention) == std::string::npos) {
    return ::testing::AssertionFailure() << result.status().ToString() << " (expected "
                                         << ErrorCodeName(code) << " naming \"" << mention << "\")";
  }
  return ::testing::AssertionSuccess();
}

// GB/T 32905-2016 Appendix A (= GM/T 0004-2012): example 1 and example 2.
inline constexpr std::string_view kSm3OfAbc =
    "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0";
inline constexpr std::string_view kSm3OfAbcdTimes16 =
    "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732";

std::string AbcdTimes16() {
  std::string data;
  for (int i = 0; i < 16; ++i) data += "abcd";
  return data;
}

// The signature example on the recommended curve sm2p256v1 of GB/T
// 32918.5-2017 Annex A (= GM/T 0003.5-2012): key, message, ID and the (r, s)
// the standard computes with its fixed k. OpenSSL's test/sm2_internal_test.c
// reproduces it from the same values.
inline constexpr std::string_view kAnnexPrivateKey =
    "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8";
inline constexpr std::string_view kAnnexPublicKey =
    "04"
    "09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020"
    "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13";
inline constexpr std::string_view kAnnexMessage = "message digest";
inline constexpr std::string_view kAnnexR =
    "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3";
inline constexpr std::string_view kAnnexS =
    "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa";
// The same signature as DER: both INTEGERs need a leading 00 (top bit set).
inline constexpr std::string_view kAnnexDerSignature =
    "3046"
    "022100f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3"
    "022100b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa";
// The key as SubjectPublicKeyInfo, for the openssl command.
inline constexpr std::string_view kAnnexPublicKeyPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAECfnfMR5UIaFQ3X0WHkvFxnIXn60Y\n"
    "M/wHa7CP81bzUCDM6kkM4md1pS3G6nGMwapgCu0F+/NeCEpmMvYHLamtEw==\n"
    "-----END PUBLIC KEY-----\n";
// The order n of sm2p256v1.
inline constexpr std::string_view kSm2Order =
    "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123";

// A DER INTEGER of the big-endian magnitude `bytes`, minimal: leading zero
// bytes dropped, one 00 put back when the top bit is set.
std::string DerInteger(std::string bytes) {
  while (bytes.size() > 1 && bytes[0] == '\0') bytes.erase(0, 1);
  if ((static_cast<uint8_t>(bytes[0]) & 0x80) != 0) bytes.insert(0, 1, '\0');
  return std::string("\x02", 1) + static_cast<char>(bytes.size()) + bytes;
}

std::string DerSequence(const std::string& content) {
  return std::string("\x30", 1) + static_cast<char>(content.size()) + content;
}

std::string DerSignature(std::string_view r_hex, std::string_view s_hex) {
  return DerSequence(DerInteger(Unhex(r_hex)) + DerInteger(Unhex(s_hex)));
}

Sm2PublicKey AnnexPublicKey() { return Sm2PublicKey::FromRaw(Unhex(kAnnexPublicKey)).value(); }

// The message signed in the cross-checks: the event signing prefix, a NUL
// and UTF-8, so that both sides must hash the bytes exactly as given.
std::string CrossCheckMessage() {
  return std::string("fupin-ledger/event/v1\n{\"name\":\"湘西 ") + '\0' + " 猕猴桃\"}";
}

// --- SM3 ---------------------------------------------------------------------

TEST(Sm3Test, AbcMatchesGbt32905ExampleOne) { EXPECT_EQ(HexEncode(Sm3("abc")), kSm3OfAbc); }

TEST(Sm3Test, SixtyFourBytesMatchGbt32905ExampleTwo) {
  EXPECT_EQ(HexEncode(Sm3(AbcdTimes16())), kSm3OfAbcdTimes16);
}

TEST(Sm3Test, HasherInPiecesGivesTheOneShotDigest) {
  const std::string data = AbcdTimes16();
  for (std::size_t split : {std::size_t{0}, std::size_t{1}, std::size_t{31}, std::size_t{64}}) {
    Hasher hasher(HashAlg::kSm3);
    hasher.Update(std::string_view(data).substr(0, split));
    hasher.Update(std::string_view(data).substr(split));
    EXPECT_EQ(HexEncode(hasher.Final()), kSm3OfAbcdTimes16) << "split at " << split;
  }
}

TEST(Sm3Test, HasherRestartsAfterFinal) {
  Hasher hasher(HashAlg::kSm3);
  hasher.Update("ab");
  hasher.Update("c");
  EXPECT_EQ(HexEncode(hasher.Final()), kSm3OfAbc);
  hasher.Update(AbcdTimes16());
  EXPECT_EQ(HexEncode(hasher.Final()), kSm3OfAbcdTimes16);
}

TEST(Sm3Test, LeafPrefixVariantIsSm3OfTheConcatenation) {
  const std::string data = "leaf data";
  EXPECT_EQ(HashWithPrefix(HashAlg::kSm3, 0x00, data), Sm3(std::string(1, '\0') + data));
  EXPECT_EQ(HashWithPrefix(HashAlg::kSm3, 0x00, ""), Sm3(std::string(1, '\0')));
}

TEST(Sm3Test, NodePrefixVariantIsSm3OfTheConcatenation) {
  const Digest left = Sm3("left");
  const Digest right = Sm3("right");
  std::string concatenation = "\x01";
  concatenation.append(left.begin(), left.end());
  concatenation.append(right.begin(), right.end());
  EXPECT_EQ(HashWithPrefix(HashAlg::kSm3, 0x01, left, right), Sm3(concatenation));
  EXPECT_NE(HashWithPrefix(HashAlg::kSm3, 0x01, left, right),
            HashWithPrefix(HashAlg::kSha256, 0x01, left, right));
}

// --- SM2: the GB/T 32918.5 Annex A vector ------------------------------------

TEST(Sm2VectorTest, AnnexADerEncodingOfRAndS) {
  EXPECT_EQ(HexEncode(DerSignature(kAnnexR, kAnnexS)), kAnnexDerSignature);
}

TEST(Sm2VectorTest, AnnexASignatureVerifies) {
  EXPECT_TRUE(AnnexPublicKey().Verify(kAnnexMessage, Unhex(kAnnexDerSignature)));
}

TEST(Sm2VectorTest, AnnexAPrivateKeyGivesItsPublicKey) {
  Result<Sm2PrivateKey> key = Sm2PrivateKey::FromScalar(Unhex(kAnnexPrivateKey));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(HexEncode(key->public_raw()), kAnnexPublicKey);
  EXPECT_TRUE(AnnexPublicKey().Verify(kAnnexMessage, key->Sign(kAnnexMessage)));
}

TEST(Sm2VectorTest, FlippingAnyBitOfTheMessageFails) {
  const Sm2PublicKey key = AnnexPublicKey();
  const std::string signature = Unhex(kAnnexDerSignature);
  for (std::size_t bit = 0; bit < kAnnexMessage.size() * 8; ++bit) {
    std::string message(kAnnexMessage);
    message[bit / 8] = static_cast<char>(message[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_FALSE(key.Verify(message, signature)) << "message bit " << bit;
  }
}

TEST(Sm2VectorTest, FlippingAnyBitOfTheSignatureFails) {
  const Sm2PublicKey key = AnnexPublicKey();
  for (std::size_t bit = 0; bit < kAnnexDerSignature.size() / 2 * 8; ++bit) {
    std::string signature = Unhex(kAnnexDerSignature);
    signature[bit / 8] = static_cast<char>(signature[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_FALSE(key.Verify(kAnnexMessage, signature)) << "signature bit " << bit;
  }
}

TEST(Sm2VectorTest, RawRAndSWithoutDerIsFalse) {
  EXPECT_FALSE(AnnexPublicKey().Verify(kAnnexMessage, Unhex(kAnnexR) + Unhex(kAnnexS)));
}

TEST(Sm2VectorTest, ROrSOutsideOneToNMinusOneIsFalse) {
  const Sm2PublicKey key = AnnexPublicKey();
  const std::string zero(64, '0');
  const std::string all_ones(64, 'f');
  // r + n and s + n: the same residues mod n, so a verifier that reduced
  // instead of range-checking would accept them.
  const std::string r_plus_n = "01f5a03b0548d2c4630eeac513e1bb81a0cb48b9a3499bbc6c976872b628bc61d6";
  const std::string s_plus_n = "01b1b6aa28df212fd8763182bc0d421ca12d941868414547ffd7c75dcdbf9102cd";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {zero, std::string(kAnnexS)},
      {std::string(kAnnexR), zero},
      {std::string(kSm2Order), std::string(kAnnexS)},
      {std::string(kAnnexR), std::string(kSm2Order)},
      {all_ones, std::string(kAnnexS)},
      {std::string(kAnnexR), all_ones},
      {r_plus_n, std::string(kAnnexS)},
      {std::string(kAnnexR), s_plus_n},
  };
  for (const auto& [r, s] : cases) {
    EXPECT_FALSE(key.Verify(kAnnexMessage, DerSignature(r, s))) << "r=" << r << " s=" << s;
  }
}

TEST(Sm2VectorTest, NegativeRIsFalse) {
  // r's INTEGER without its 00: the same bytes read as a negative number.
  const std::string r = std::string("\x02\x20", 2) + Unhex(kAnnexR);
  const std::string signature = DerSequence(r + DerInteger(Unhex(kAnnexS)));
  EXPECT_FALSE(AnnexPublicKey().Verify(kAnnexMessage, signature));
}

TEST(Sm2VectorTest, EmptyTruncatedAndOversizedSignaturesAreFalse) {
  const Sm2PublicKey key = AnnexPublicKey();
  const std::string signature = Unhex(kAnnexDerSignature);
  EXPECT_FALSE(key.Verify(kAnnexMessage, ""));
  for (std::size_t size = 1; size < signature.size(); ++size) {
    EXPECT_FALSE(key.Verify(kAnnexMessage, signature.substr(0, size))) << "first " << size;
  }
  EXPECT_FALSE(key.Verify(kAnnexMessage, signature + std::string(1, '\0')));
  EXPECT_FALSE(key.Verify(kAnnexMessage, std::string(4096, '\x30')));
}

// --- SM2: non-canonical DER of a valid signature -----------------------------

// A signature by a fresh key short enough (both INTEGERs without a leading
// 00, so at most 70 bytes) that a longer encoding of it still fits in
// kSm2MaxSignatureSize and so reaches OpenSSL's own DER check.
struct ShortSignature {
  Sm2PublicKey key;
  std::string message = "short signature";
  std::string der;
  std::string r_integer;  // with its tag and length
  std::string s_integer;
};

ShortSignature MakeShortSignature() {
  ShortSignature out;
  const Sm2PrivateKey key = Sm2PrivateKey::Generate().value();
  out.key = key.public_key();
  // Each try has about a 1/4 chance (the top bits of r and s both clear).
  for (int attempt = 0; attempt < 400 && out.der.empty(); ++attempt) {
    std::string der = key.Sign(out.message);
    if (der.size() <= 70) out.der = std::move(der);
  }
  EXPECT_FALSE(out.der.empty()) << "no short signature in 400 tries";
  if (out.der.empty()) return out;
  const std::size_t r_size = 2 + static_cast<uint8_t>(out.der[3]);
  out.r_integer = out.der.substr(2, r_size);
  out.s_integer = out.der.substr(2 + r_size);
  return out;
}

TEST(Sm2DerTest, ShortSignatureVerifiesAsMade) {
  const ShortSignature sig = MakeShortSignature();
  ASSERT_FALSE(sig.der.empty());
  EXPECT_EQ(DerSequence(sig.r_integer + sig.s_integer), sig.der);
  EXPECT_TRUE(sig.key.Verify(sig.message, sig.der));
}

TEST(Sm2DerTest, TrailingBytesAreFalse) {
  const ShortSignature sig = MakeShortSignature();
  ASSERT_FALSE(sig.der.empty());
  EXPECT_FALSE(sig.key.Verify(sig.message, sig.der + std::string(1, '\0')));
  EXPECT_FALSE(sig.key.Verify(sig.message, sig.der + "\x05\x00"));
  // Inside the SEQUENCE, after s.
  EXPECT_FALSE(sig.key.Verify(sig.message,
                              DerSequence(sig.r_integer + sig.s_integer + std::string(1, '\0'))));
}

TEST(Sm2DerTest, NonMinimalIntegerIsFalse) {
  const ShortSignature sig = MakeShortSignature();
  ASSERT_FALSE(sig.der.empty());
  std::string padded_r = sig.r_integer;
  padded_r[1] = static_cast<char>(padded_r[1] + 1);
  padded_r.insert(2, 1, '\0');
  EXPECT_FALSE(sig.key.Verify(sig.message, DerSequence(padded_r + sig.s_integer)));
}

TEST(Sm2DerTest, LongFormLengthIsFalse) {
  const ShortSignature sig = MakeShortSignature();
  ASSERT_FALSE(sig.der.empty());
  const std::string content = sig.r_integer + sig.s_integer;
  // BER allows the length in long form; DER requires the short one.
  EXPECT_FALSE(sig.key.Verify(
      sig.message, std::string("\x30\x81", 2) + static_cast<char>(content.size()) + content));
  // BER's indefinite length, closed by an end-of-contents 00 00.
  EXPECT_FALSE(
      sig.key.Verify(sig.message, std::string("\x30\x80", 2) + content + std::string(2, '\0')));
}

TEST(Sm2DerTest, SwappedRAndSAreFalse) {
  const ShortSignature sig = MakeShortSignature();
  ASSERT_FALSE(sig.der.empty());
  EXPECT_FALSE(sig.key.Verify(sig.message, DerSequence(sig.s_integer + sig.r_integer)));
}

// --- SM2 keys ----------------------------------------------------------------

TEST(Sm2KeyTest, GeneratedKeySignsAndVerifies) {
  Result<Sm2PrivateKey> key = Sm2PrivateKey::Generate();
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  const std::string signature = key->Sign("a message");
  EXPECT_LE(signature.size(), kSm2MaxSignatureSize);
  EXPECT_EQ(signature[0], '\x30');
  EXPECT_TRUE(key->public_key().Verify("a message", signature));
  EXPECT_FALSE(key->public_key().Verify("another message", signature));
}

TEST(Sm2KeyTest, SignatureVerifiesWithTheKeyImportedFromItsRawPoint) {
  const Sm2PrivateKey key = Sm2PrivateKey::Generate().value();
  Result<Sm2PublicKey> imported = Sm2PublicKey::FromRaw(key.public_raw());
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_TRUE(imported->Verify("a message", key.Sign("a message")));
}

TEST(Sm2KeyTest, SigningIsRandomized) {
  const Sm2PrivateKey key = Sm2PrivateKey::Generate().value();
  const std::string first = key.Sign("a message");
  const std::string second = key.Sign("a message");
  EXPECT_NE(first, second);
  EXPECT_TRUE(key.public_key().Verify("a message", first));
  EXPECT_TRUE(key.public_key().Verify("a message", second));
}

TEST(Sm2KeyTest, GeneratedKeysDiffer) {
  EXPECT_NE(Sm2PrivateKey::Generate()->public_raw(), Sm2PrivateKey::Generate()->public_raw());
}

TEST(Sm2KeyTest, OtherKeyDoesNotVerify) {
  const Sm2PrivateKey key = Sm2PrivateKey::Generate().value();
  const Sm2PrivateKey other = Sm2PrivateKey::Generate().value();
  EXPECT_FALSE(other.public_key().Verify("a message", key.Sign("a message")));
}

TEST(Sm2KeyTest, DefaultConstructedPublicKeyVerifiesNothing) {
  EXPECT_FALSE(Sm2PublicKey().Verify(kAnnexMessage, Unhex(kAnnexDerSignature)));
}

TEST(Sm2KeyTest, PemRoundTrip) {
  const Sm2PrivateKey key = Sm2PrivateKey::Generate().value();
  const std::string pem = key.ToPem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u) << pem;
  Result<Sm2PrivateKey> reloaded = Sm2PrivateKey::FromPem(pem);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  EXPECT_EQ(reloaded->public_raw(), key.public_raw());
  EXPECT_EQ(reloaded->ToPem(), pem);
  EXPECT_TRUE(key.public_key().Verify("a message", reloaded->Sign("a message")));
}

TEST(Sm2KeyTest, RawPointRoundTrip) {
  const std::string raw = Sm2PrivateKey::Generate()->public_raw();
  ASSERT_EQ(raw.size(), kSm2PublicKeySize);
  EXPECT_EQ(raw[0], '\x04');
  Result<Sm2PublicKey> from_raw = Sm2PublicKey::FromRaw(raw);
  ASSERT_TRUE(from_raw.ok()) << from_raw.status().ToString();
  EXPECT_EQ(from_raw->raw(), raw);
  Result<Sm2PublicKey> from_base64 = Sm2PublicKey::FromBase64(Base64Encode(raw));
  ASSERT_TRUE(from_base64.ok()) << from_base64.status().ToString();
  EXPECT_EQ(from_base64->raw(), raw);
}

TEST(Sm2KeyTest, FromRawRefusesAWrongLength) {
  const std::string raw = Unhex(kAnnexPublicKey);
  for (const std::string& wrong :
       {std::string(), raw.substr(0, 64), raw + std::string(1, '\0'), std::string(1, '\0')}) {
    EXPECT_TRUE(IsRefused(Sm2PublicKey::FromRaw(wrong), ErrorCode::kInvalidArgument, "65-byte"))
        << wrong.size() << " bytes";
  }
}

TEST(Sm2KeyTest, FromRawRefusesCompressedPoints) {
  const std::string raw = Unhex(kAnnexPublicKey);
  // yA is odd (...13), so the valid compressed form starts with 03.
  const std::string compressed = "\x03" + raw.substr(1, 32);
  const std::string compressed_prefix = "\x02" + raw.substr(1);
  for (const std::string& wrong : {compressed, compressed_prefix}) {
    EXPECT_TRUE(IsRefused(Sm2PublicKey::FromRaw(wrong), ErrorCode::kInvalidArgument))
        << HexEncode(wrong);
  }
}

TEST(Sm2KeyTest, FromRawRefusesHybridPoints) {
  // OpenSSL's import takes 06/07 ‖ X ‖ Y; a ledger key has one encoding.
  const std::string raw = Unhex(kAnnexPublicKey);
  EXPECT_TRUE(IsRefused(Sm2PublicKey::FromRaw("\x07" + raw.substr(1)), ErrorCode::kInvalidArgument,
                        "first byte 07"));
}

TEST(Sm2KeyTest, FromRawRefusesAPointOffTheCurve) {
  std::string raw = Unhex(kAnnexPublicKey);
  raw.back() = static_cast<char>(raw.back() ^ 1);
  EXPECT_TRUE(IsRefused(Sm2PublicKey::FromRaw(raw), ErrorCode::kInvalidArgument, "not on curve"));
}

TEST(Sm2KeyTest, FromRawRefusesACoordinateOfPOrMore) {
  EXPECT_TRUE(IsRefused(Sm2PublicKey::FromRaw("\x04" + std::string(64, '\xff')),
                        ErrorCode::kInvalidArgument));
}

TEST(Sm2KeyTest, FromBase64RefusesBadBase64) {
  EXPECT_TRUE(IsRefused(Sm2PublicKey::FromBase64("not base64!"), ErrorCode::kInvalidArgument));
}

TEST(Sm2KeyTest, FromScalarRefusesOutOfRangeScalars) {
  const std::string n = Unhex(kSm2Order);
  std::string n_minus_one = n;
  n_minus_one.back() = static_cast<char>(n_minus_one.back() - 1);
  for (const std::string& d :
       {std::string(32, '\0'), n_minus_one, n, std::string(32, '\xff'), std::string(31, '\x01')}) {
    EXPECT_TRUE(IsRefused(Sm2PrivateKey::FromScalar(d), ErrorCode::kInvalidArgument))
        << HexEncode(d);
  }
}

TEST(Sm2KeyTest, FromScalarTakesTheEndsOfTheRange) {
  std::string one(32, '\0');
  one.back() = '\x01';
  std::string n_minus_two = Unhex(kSm2Order);
  n_minus_two.back() = static_cast<char>(n_minus_two.back() - 2);
  for (const std::string& d : {one, n_minus_two}) {
    Result<Sm2PrivateKey> key = Sm2PrivateKey::FromScalar(d);
    ASSERT_TRUE(key.ok()) << HexEncode(d) << ": " << key.status().ToString();
    EXPECT_TRUE(key->public_key().Verify("a message", key->Sign("a message")));
  }
}

TEST(Sm2KeyTest, FromPemRefusesAnEd25519Key) {
  const std::string pem = Ed25519PrivateKey::Generate()->ToPem();
  EXPECT_TRUE(IsRefused(Sm2PrivateKey::FromPem(pem), ErrorCode::kInvalidArgument,
                        "key is ED25519, expected SM2"));
}

TEST(Sm2KeyTest, Ed25519FromPemRefusesAnSm2Key) {
  const std::string pem = Sm2PrivateKey::Generate()->ToPem();
  EXPECT_TRUE(IsRefused(Ed25519PrivateKey::FromPem(pem), ErrorCode::kInvalidArgument,
                        "key is SM2, expected ED25519"));
}

TEST(Sm2KeyTest, FromPemRefusesText) {
  EXPECT_TRUE(IsRefused(Sm2PrivateKey::FromPem("not a key"), ErrorCode::kInvalidArgument));
}

// A fresh directory for each test, removed after it.
class Sm2TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("gm-crypto"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

using Sm2KeyFileTest = Sm2TempDirTest;

TEST_F(Sm2KeyFileTest, WrittenFileIsOwnerOnlyAndReadsBack) {
  const Sm2PrivateKey key = Sm2PrivateKey::Generate().value();
  const std::string path = dir_ + "/sm2.pem";
  ASSERT_TRUE(key.WritePemFile(path).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Result<Sm2PrivateKey> reloaded = Sm2PrivateKey::ReadPemFile(path);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  EXPECT_EQ(reloaded->public_raw(), key.public_raw());
}

TEST_F(Sm2KeyFileTest, WritingOverAnExistingFileIsAlreadyExists) {
  const std::string path = dir_ + "/sm2.pem";
  ASSERT_TRUE(Sm2PrivateKey::Generate()->WritePemFile(path).ok());
  EXPECT_EQ(Sm2PrivateKey::Generate()->WritePemFile(path).code(), ErrorCode::kAlreadyExists);
}

TEST_F(Sm2KeyFileTest, MissingFileIsIoError) {
  EXPECT_TRUE(IsRefused(Sm2PrivateKey::ReadPemFile(dir_ + "/missing.pem"), ErrorCode::kIoError));
}

TEST_F(Sm2KeyFileTest, Ed25519KeyFileIsInvalidArgumentNamingThePath) {
  const std::string path = dir_ + "/ed25519.pem";
  ASSERT_TRUE(Ed25519PrivateKey::Generate()->WritePemFile(path).ok());
  EXPECT_TRUE(IsRefused(Sm2PrivateKey::ReadPemFile(path), ErrorCode::kInvalidArgument, path));
}

// --- Cross-checks with the openssl command -----------------------------------

// Debian's openssl package (scripts/install-deps.sh installs it). When it
// is missing the shell exits 127, which no check below accepts: the tests
// fail rather than skip.
inline constexpr std::string_view kOpenSsl = "/usr/bin/openssl";
// The ID as the openssl command takes it (openssl-pkeyutl(1), "distid:").
inline constexpr std::string_view kDistIdOption = "-pkeyopt distid:1234567812345678";

class Sm2OpenSslCliTest : public Sm2TempDirTest {
 protected:
  std::string PathOf(const std::string& name) const { return dir_ + "/" + name; }

  void WriteFile(const std::string& name, std::string_view bytes) const {
    std::ofstream out(PathOf(name), std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good()) << PathOf(name);
  }

  std::string ReadFile(const std::string& name) const {
    std::ifstream in(PathOf(name), std::ios::binary);
    EXPECT_TRUE(in.good()) << "cannot read " << PathOf(name);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  // Runs `openssl <args>` in the test's directory; returns its exit code
  // and leaves what it printed (stdout and stderr) in output_.
  int OpenSsl(std::string_view args) {
    const std::string command = "cd '" + dir_ + "' && " + std::string(kOpenSsl) + " " +
                                std::string(args) + " >openssl.out 2>&1";
    const int status = std::system(command.c_str());
    output_ = ReadFile("openssl.out");
    return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // `openssl pkeyutl -verify` of sig.der over msg.bin with pub.pem, with
  // the given -pkeyopt options; true for exit 0 and "Signature Verified
  // Successfully", false for exit 1 and "Signature Verification Failure",
  // and a test failure for anything else (the command did not run).
  bool CliVerifies(std::string_view options) {
    const int rc = OpenSsl("pkeyutl -verify -rawin -digest sm3 -pubin -inkey pub.pem " +
                           std::string(options) + " -sigfile sig.der -in msg.bin");
    if (rc == 0 && output_.find("Signature Verified Successfully") != std::string::npos) {
      return true;
    }
    EXPECT_EQ(rc, 1) << output_;
    EXPECT_NE(output_.find("Signature Verification Failure"), std::string::npos) << output_;
    return false;
  }

  std::string output_;
};

TEST_F(Sm2OpenSslCliTest, CliKeyLoadsWithTheCliPublicPoint) {
  ASSERT_EQ(OpenSsl("genpkey -algorithm SM2 -out key.pem"), 0) << output_;
  ASSERT_EQ(OpenSsl("pkey -in key.pem -pubout -outform DER -out pub.der"), 0) << output_;
  Result<Sm2PrivateKey> key = Sm2PrivateKey::FromPem(ReadFile("key.pem"));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  // An SM2 SubjectPublicKeyInfo is 91 bytes and ends with the 65-byte point.
  const std::string spki = ReadFile("pub.der");
  ASSERT_EQ(spki.size(), 91u);
  EXPECT_EQ(HexEncode(key->public_raw()), HexEncode(spki.substr(91 - kSm2PublicKeySize)));
}

TEST_F(Sm2OpenSslCliTest, CliSignatureWithTheDefaultIdVerifies) {
  ASSERT_EQ(OpenSsl("genpkey -algorithm SM2 -out key.pem"), 0) << output_;
  WriteFile("msg.bin", CrossCheckMessage());
  ASSERT_EQ(OpenSsl("pkeyutl -sign -rawin -digest sm3 -inkey key.pem " +
                    std::string(kDistIdOption) + " -in msg.bin -out sig.der"),
            0)
      << output_;
  const Sm2PrivateKey key = Sm2PrivateKey::FromPem(ReadFile("key.pem")).value();
  EXPECT_TRUE(key.public_key().Verify(CrossCheckMessage(), ReadFile("sig.der")));
}

TEST_F(Sm2OpenSslCliTest, CliSignatureWithoutTheIdOptionDoesNotVerify) {
  ASSERT_EQ(OpenSsl("genpkey -algorithm SM2 -out key.pem"), 0) << output_;
  ASSERT_EQ(OpenSsl("pkey -in key.pem -pubout -out pub.pem"), 0) << output_;
  WriteFile("msg.bin", CrossCheckMessage());
  // OpenSSL 3.x signs with an empty ID when given none (4.0 will use the
  // default ID, and this test will then need "-pkeyopt distid:").
  ASSERT_EQ(OpenSsl("pkeyutl -sign -rawin -digest sm3 -inkey key.pem -in msg.bin -out sig.der"), 0)
      << output_;
  // The signature is good, for the empty ID...
  EXPECT_TRUE(CliVerifies("-pkeyopt distid:"));
  // ...and not for ours.
  const Sm2PrivateKey key = Sm2PrivateKey::FromPem(ReadFile("key.pem")).value();
  EXPECT_FALSE(key.public_key().Verify(CrossCheckMessage(), ReadFile("sig.der")));
}

TEST_F(Sm2OpenSslCliTest, OurSignatureVerifiesWithTheCliAndTheDefaultIdOnly) {
  const Sm2PrivateKey key = Sm2PrivateKey::Generate().value();
  WriteFile("key.pem", key.ToPem());
  ASSERT_EQ(OpenSsl("pkey -in key.pem -pubout -out pub.pem"), 0) << output_;
  WriteFile("msg.bin", CrossCheckMessage());
  WriteFile("sig.der", key.Sign(CrossCheckMessage()));
  EXPECT_TRUE(CliVerifies(kDistIdOption));
  EXPECT_FALSE(CliVerifies("-pkeyopt distid:"));
  EXPECT_FALSE(CliVerifies("-pkeyopt distid:1234567812345679"));
}

TEST_F(Sm2OpenSslCliTest, AnnexASignatureVerifiesWithTheDefaultIdOnly) {
  WriteFile("pub.pem", kAnnexPublicKeyPem);
  WriteFile("msg.bin", kAnnexMessage);
  WriteFile("sig.der", Unhex(kAnnexDerSignature));
  EXPECT_TRUE(CliVerifies(kDistIdOption));
  // The empty ID, explicit and (on OpenSSL 3.x) by default.
  EXPECT_FALSE(CliVerifies("-pkeyopt distid:"));
  EXPECT_FALSE(CliVerifies(""));
}

TEST_F(Sm2OpenSslCliTest, KeyWithACompressedOrNoPublicPointLoads) {
  ASSERT_EQ(OpenSsl("genpkey -algorithm SM2 -out key.pem"), 0) << output_;
  // PKCS#8 may store the point compressed, or leave it out (RFC 5915).
  ASSERT_EQ(OpenSsl("ec -in key.pem -conv_form compressed -out compressed-ec.pem"), 0) << output_;
  ASSERT_EQ(OpenSsl("pkcs8 -topk8 -nocrypt -in compressed-ec.pem -out compressed.pem"), 0)
      << output_;
  ASSERT_EQ(OpenSsl("ec -in key.pem -no_public -out no-public-ec.pem"), 0) << output_;
  ASSERT_EQ(OpenSsl("pkcs8 -topk8 -nocrypt -in no-public-ec.pem -out no-public.pem"), 0) << output_;
  const Sm2PrivateKey key = Sm2PrivateKey::FromPem(ReadFile("key.pem")).value();
  for (const std::string name : {"compressed.pem", "no-public.pem"}) {
    Result<Sm2PrivateKey> variant = Sm2PrivateKey::FromPem(ReadFile(name));
    ASSERT_TRUE(variant.ok()) << name << ": " << variant.status().ToString();
    EXPECT_EQ(HexEncode(variant->public_raw()), HexEncode(key.public_raw())) << name;
    EXPECT_TRUE(key.public_key().Verify("a message", variant->Sign("a message"))) << name;
  }
}

TEST_F(Sm2OpenSslCliTest, FromPemRefusesAnEcP256Key) {
  ASSERT_EQ(OpenSsl("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem"), 0)
      << output_;
  EXPECT_TRUE(IsRefused(Sm2PrivateKey::FromPem(ReadFile("key.pem")), ErrorCode::kInvalidArgument,
                        "key is EC, expected SM2"));
}

TEST_F(Sm2OpenSslCliTest, FromPemRefusesAnEncryptedKeyWithoutPrompting) {
  ASSERT_EQ(OpenSsl("genpkey -algorithm SM2 -aes-128-cbc -pass pass:secret -out key.pem"), 0)
      << output_;
  ASSERT_NE(ReadFile("key.pem").find("ENCRYPTED PRIVATE KEY"), std::string::npos);
  EXPECT_TRUE(IsRefused(Sm2PrivateKey::FromPem(ReadFile("key.pem")), ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace fupin::crypto
