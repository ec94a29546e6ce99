#include "ledger/crypto.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "ledger/codec.h"
#include "ledger/hash_alg.h"
#include "tests/support/fixtures.h"

namespace fupin::crypto {
namespace {

std::string Unhex(std::string_view hex) {
  Result<std::string> bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

// RFC 8032 §7.1: secret seed, public key, message and signature, in hex.
struct Rfc8032Vector {
  const char* secret;
  const char* public_key;
  const char* message;
  const char* signature;
};

inline constexpr Rfc8032Vector kRfc8032Test1 = {
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    "",
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb882"
    "1590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
};

inline constexpr Rfc8032Vector kRfc8032Test2 = {
    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    "72",
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1"
    "e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
};

inline constexpr Rfc8032Vector kRfc8032Test3 = {
    "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
    "af82",
    "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b"
    "538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
};

void ExpectRfc8032Vector(const Rfc8032Vector& v) {
  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::FromSeed(Unhex(v.secret));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(HexEncode(key->public_raw()), v.public_key);
  const std::string signature = key->Sign(Unhex(v.message));
  EXPECT_EQ(HexEncode(signature), v.signature);

  Result<Ed25519PublicKey> public_key = Ed25519PublicKey::FromRaw(Unhex(v.public_key));
  ASSERT_TRUE(public_key.ok()) << public_key.status().ToString();
  EXPECT_TRUE(public_key->Verify(Unhex(v.message), Unhex(v.signature)));
}

Ed25519PrivateKey Rfc8032Test1Key() {
  return Ed25519PrivateKey::FromSeed(Unhex(kRfc8032Test1.secret)).value();
}

TEST(Sha256Test, EmptyInputKnownAnswer) {
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Test, AbcKnownAnswer) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, WithPrefixEqualsHashOfConcatenation) {
  const std::string data = "leaf data \x01\x02";
  EXPECT_EQ(HashWithPrefix(HashAlg::kSha256, 0x00, data), Sha256(std::string(1, '\0') + data));
  EXPECT_EQ(HashWithPrefix(HashAlg::kSha256, 0x01, ""), Sha256("\x01"));
}

TEST(Sha256Test, NodeWithPrefixEqualsHashOfConcatenation) {
  const Digest left = Sha256("left");
  const Digest right = Sha256("right");
  std::string joined = "\x01";
  joined.append(reinterpret_cast<const char*>(left.data()), left.size());
  joined.append(reinterpret_cast<const char*>(right.data()), right.size());
  EXPECT_EQ(HashWithPrefix(HashAlg::kSha256, 0x01, left, right), Sha256(joined));
}

TEST(Sha256Test, HasherIncrementalEqualsOneShot) {
  Hasher hasher(HashAlg::kSha256);
  hasher.Update("a");
  hasher.Update("");
  hasher.Update("bc");
  EXPECT_EQ(hasher.Final(), Sha256("abc"));
}

// The reference vectors of SipHash-2-4 (Aumasson and Bernstein, the
// paper's appendix and vectors.h): key 00 01 .. 0f, messages 00 01 .. of
// length 0 and 15.
SipHasher::Key ReferenceSipKey() {
  SipHasher::Key key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i);
  return key;
}

std::string Counting(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += static_cast<char>(i);
  return out;
}

TEST(SipHasherTest, ReferenceVectors) {
  SipHasher hasher(ReferenceSipKey());
  EXPECT_EQ(hasher.Final(), 0x726fdb47dd0e0e31u);
  hasher.Update(Counting(15));
  EXPECT_EQ(hasher.Final(), 0xa129ca6149be45e5u);
}

TEST(SipHasherTest, PiecesRestartAndKeys) {
  SipHasher hasher(ReferenceSipKey());
  hasher.Update(Counting(7));
  hasher.Update("");
  hasher.Update(Counting(15).substr(7));
  EXPECT_EQ(hasher.Final(), 0xa129ca6149be45e5u);  // restarted with the same key
  hasher.Update(Counting(15));
  EXPECT_EQ(hasher.Final(), 0xa129ca6149be45e5u);
  SipHasher::Key other = ReferenceSipKey();
  other[0] ^= 1;
  SipHasher keyed(other);
  keyed.Update(Counting(15));
  EXPECT_NE(keyed.Final(), 0xa129ca6149be45e5u);
}

TEST(Sha256Test, HasherRestartsAfterFinal) {
  Hasher hasher(HashAlg::kSha256);
  hasher.Update("first message");
  (void)hasher.Final();
  hasher.Update("abc");
  EXPECT_EQ(hasher.Final(), Sha256("abc"));
  EXPECT_EQ(hasher.Final(), Sha256(""));
}

TEST(Ed25519Test, Rfc8032Test1) { ExpectRfc8032Vector(kRfc8032Test1); }

TEST(Ed25519Test, Rfc8032Test2) { ExpectRfc8032Vector(kRfc8032Test2); }

TEST(Ed25519Test, Rfc8032Test3) { ExpectRfc8032Vector(kRfc8032Test3); }

TEST(Ed25519Test, ContractVectorSignatureIsReproduced) {
  const boost::json::value doc =
      boost::json::parse(fupin::testing::ReadFixture("contract-vectors.json"));
  const boost::json::object& root = doc.as_object();
  const boost::json::object& event = root.at("events").as_array()[0].as_object();
  const std::string secret(root.at("ed25519_secret_hex").as_string());
  const std::string public_b64(root.at("ed25519_public_b64").as_string());
  const std::string input(event.at("signing_input_utf8").as_string());
  const std::string sig(event.at("signed").at("sig").as_string());

  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::FromSeed(Unhex(secret));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(Base64Encode(key->public_raw()), public_b64);
  EXPECT_EQ(Base64Encode(key->Sign(input)), sig);

  Result<Ed25519PublicKey> public_key = Ed25519PublicKey::FromBase64(public_b64);
  ASSERT_TRUE(public_key.ok()) << public_key.status().ToString();
  Result<std::string> raw_sig = Base64Decode(sig);
  ASSERT_TRUE(raw_sig.ok());
  EXPECT_TRUE(public_key->Verify(input, *raw_sig));
}

TEST(Ed25519Test, TamperedMessageFailsVerification) {
  const Ed25519PrivateKey key = Rfc8032Test1Key();
  const std::string signature = key.Sign("amount_fen=7000");
  EXPECT_TRUE(key.public_key().Verify("amount_fen=7000", signature));
  EXPECT_FALSE(key.public_key().Verify("amount_fen=7001", signature));
}

TEST(Ed25519Test, TamperedSignatureFailsVerification) {
  const Ed25519PrivateKey key = Rfc8032Test1Key();
  std::string signature = key.Sign("message");
  signature[10] = static_cast<char>(signature[10] ^ 0x01);
  EXPECT_FALSE(key.public_key().Verify("message", signature));
}

TEST(Ed25519Test, OtherKeyFailsVerification) {
  Result<Ed25519PrivateKey> other = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  const std::string signature = Rfc8032Test1Key().Sign("message");
  EXPECT_FALSE(other->public_key().Verify("message", signature));
}

TEST(Ed25519Test, WrongLengthSignatureFailsVerification) {
  const Ed25519PrivateKey key = Rfc8032Test1Key();
  const std::string signature = key.Sign("message");
  EXPECT_FALSE(key.public_key().Verify("message", signature.substr(0, 63)));
  EXPECT_FALSE(key.public_key().Verify("message", signature + '\0'));
  EXPECT_FALSE(key.public_key().Verify("message", ""));
}

TEST(Ed25519Test, DefaultConstructedPublicKeyVerifiesNothing) {
  const std::string signature = Rfc8032Test1Key().Sign("message");
  EXPECT_FALSE(Ed25519PublicKey().Verify("message", signature));
}

TEST(Ed25519Test, WrongLengthPublicKeyIsRejected) {
  const std::string raw = Unhex(kRfc8032Test1.public_key);
  EXPECT_EQ(Ed25519PublicKey::FromRaw(raw.substr(0, 31)).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(Ed25519PublicKey::FromRaw(raw + '\0').status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Ed25519PublicKey::FromRaw("").status().code(), ErrorCode::kInvalidArgument);
}

TEST(Ed25519Test, WrongLengthBase64PublicKeyIsRejected) {
  EXPECT_EQ(Ed25519PublicKey::FromBase64(Base64Encode(std::string(31, 'k'))).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST(Ed25519Test, MalformedBase64PublicKeyIsRejected) {
  // The contract key without its padding.
  EXPECT_EQ(
      Ed25519PublicKey::FromBase64("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo").status().code(),
      ErrorCode::kInvalidArgument);
}

TEST(Ed25519Test, WrongLengthSeedIsRejected) {
  EXPECT_EQ(Ed25519PrivateKey::FromSeed(std::string(31, 's')).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(Ed25519PrivateKey::FromSeed(std::string(33, 's')).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST(Ed25519Test, GeneratedKeySignsAndVerifies) {
  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->public_raw().size(), kEd25519PublicKeySize);
  const std::string signature = key->Sign("checkpoint");
  EXPECT_EQ(signature.size(), kEd25519SignatureSize);
  EXPECT_TRUE(key->public_key().Verify("checkpoint", signature));
}

TEST(Ed25519Test, GeneratedKeysDiffer) {
  Result<Ed25519PrivateKey> a = Ed25519PrivateKey::Generate();
  Result<Ed25519PrivateKey> b = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->public_raw(), b->public_raw());
}

// --- PEM --------------------------------------------------------------------

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

// PKCS#8 PEM of a foreign key, optionally encrypted with a passphrase.
std::string Pkcs8Pem(EVP_PKEY* pkey, const char* passphrase = nullptr) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  const EVP_CIPHER* cipher = passphrase != nullptr ? EVP_aes_256_cbc() : nullptr;
  const int ok = PEM_write_bio_PKCS8PrivateKey(
      bio.get(), pkey, cipher, passphrase,
      passphrase != nullptr ? static_cast<int>(strlen(passphrase)) : 0, nullptr, nullptr);
  EXPECT_EQ(ok, 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

TEST(Ed25519PemTest, RoundTripKeepsTheKey) {
  const Ed25519PrivateKey key = Rfc8032Test1Key();
  const std::string pem = key.ToPem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u) << pem;
  Result<Ed25519PrivateKey> read = Ed25519PrivateKey::FromPem(pem);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->public_raw(), key.public_raw());
  EXPECT_EQ(read->Sign("m"), key.Sign("m"));
}

TEST(Ed25519PemTest, GarbageIsInvalidArgument) {
  EXPECT_EQ(Ed25519PrivateKey::FromPem("not a key").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Ed25519PrivateKey::FromPem("").status().code(), ErrorCode::kInvalidArgument);
}

TEST(Ed25519PemTest, RsaKeyIsInvalidArgument) {
  PkeyPtr rsa(EVP_RSA_gen(2048));
  ASSERT_NE(rsa, nullptr);
  Result<Ed25519PrivateKey> key = Ed25519PrivateKey::FromPem(Pkcs8Pem(rsa.get()));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(key.status().message().find("RSA"), std::string::npos) << key.status().message();
}

TEST(Ed25519PemTest, EncryptedKeyIsRefusedWithoutPrompting) {
  const std::string seed = Unhex(kRfc8032Test1.secret);
  PkeyPtr ed25519(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()), seed.size()));
  ASSERT_NE(ed25519, nullptr);
  const std::string pem = Pkcs8Pem(ed25519.get(), "secret");
  EXPECT_EQ(pem.rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----\n", 0), 0u);
  EXPECT_EQ(Ed25519PrivateKey::FromPem(pem).status().code(), ErrorCode::kInvalidArgument);
}

class Ed25519PemFileTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = fupin::testing::MakeTempDir("crypto-test"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string PathOf(const std::string& name) const { return dir_ + "/" + name; }
  std::string WriteText(const std::string& name, const std::string& text) {
    std::ofstream(PathOf(name), std::ios::binary) << text;
    return PathOf(name);
  }

  std::string dir_;
};

TEST_F(Ed25519PemFileTest, WriteThenReadKeepsTheKey) {
  const Ed25519PrivateKey key = Rfc8032Test1Key();
  ASSERT_TRUE(key.WritePemFile(PathOf("ledger.pem")).ok());
  Result<Ed25519PrivateKey> read = Ed25519PrivateKey::ReadPemFile(PathOf("ledger.pem"));
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->public_raw(), key.public_raw());
}

TEST_F(Ed25519PemFileTest, WrittenFileModeIsExactly0600) {
  // Even a permissive umask must not widen a key file.
  const mode_t old_umask = ::umask(0);
  const Status status = Rfc8032Test1Key().WritePemFile(PathOf("k.pem"));
  ::umask(old_umask);
  ASSERT_TRUE(status.ok()) << status.ToString();
  struct stat st {};
  ASSERT_EQ(::stat(PathOf("k.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(Ed25519PemFileTest, RefusesToOverwrite) {
  const std::string path = WriteText("k.pem", "precious");
  const Status status = Rfc8032Test1Key().WritePemFile(path);
  EXPECT_EQ(status.code(), ErrorCode::kAlreadyExists);
  std::ifstream in(path);
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(contents, "precious");
}

TEST_F(Ed25519PemFileTest, WriteIntoMissingDirectoryIsIoError) {
  const std::string path = PathOf("no-such-dir/k.pem");
  EXPECT_EQ(Rfc8032Test1Key().WritePemFile(path).code(), ErrorCode::kIoError);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(Ed25519PemFileTest, ReadGarbageIsInvalidArgument) {
  const std::string path = WriteText("garbage.pem", "-----BEGIN nonsense\n");
  EXPECT_EQ(Ed25519PrivateKey::ReadPemFile(path).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(Ed25519PemFileTest, ReadMissingFileIsIoError) {
  EXPECT_EQ(Ed25519PrivateKey::ReadPemFile(PathOf("missing.pem")).status().code(),
            ErrorCode::kIoError);
}

TEST_F(Ed25519PemFileTest, ReadRsaKeyIsInvalidArgument) {
  PkeyPtr rsa(EVP_RSA_gen(2048));
  ASSERT_NE(rsa, nullptr);
  const std::string path = WriteText("rsa.pem", Pkcs8Pem(rsa.get()));
  EXPECT_EQ(Ed25519PrivateKey::ReadPemFile(path).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(Ed25519PemFileTest, ReadEcKeyIsInvalidArgument) {
  PkeyPtr ec(EVP_EC_gen("P-256"));
  ASSERT_NE(ec, nullptr);
  const std::string pem = Pkcs8Pem(ec.get());
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u) << pem;
  const std::string path = WriteText("ec.pem", pem);
  EXPECT_EQ(Ed25519PrivateKey::ReadPemFile(path).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(Ed25519PemFileTest, ReadOversizedFileIsInvalidArgument) {
  const std::string path = WriteText("big.pem", std::string(1 << 20, 'A'));
  EXPECT_EQ(Ed25519PrivateKey::ReadPemFile(path).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fupin::crypto
