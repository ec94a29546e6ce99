// C2SP signed-note v1.0.0 against the public vectors: the Go sumdb/note
// example key and note (golang.org/x/mod/sumdb/note, example_test.go and
// note_test.go) and the spec's own example.
#include "ledger/signed_note.h"

#include <gtest/gtest.h>

#include <string>

#include "ledger/codec.h"

namespace fupin::note {
namespace {

constexpr std::string_view kPeterVkey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kPeterSeedHex =
    "810a1402d5146c8d84f2443330f54080ebf98ee17d9c74f6252fc5d5c7283173";
constexpr std::string_view kEnochVkey =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
constexpr std::string_view kText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kPeterSig =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
constexpr std::string_view kEnochSig =
    "\xE2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
    "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

std::string Note(std::string_view signatures) {
  return std::string(kText) + "\n" + std::string(signatures);
}

crypto::Ed25519PrivateKey PeterKey() {
  return crypto::Ed25519PrivateKey::FromSeed(*HexDecode(kPeterSeedHex)).value();
}

TEST(SignedNote, GoExampleVerifierKeyParsesToItsNameIdAndKey) {
  Result<VerifierKey> key = ParseVerifierKey(kPeterVkey);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->name, "PeterNeumann");
  EXPECT_EQ(key->type, kTypeEd25519);
  EXPECT_EQ(key->key_id, 0xc74f20a3u);
  EXPECT_EQ(HexEncode(key->public_key),
            "1a5cd907143c384c41e830c5bce12aa8817ec5649aaabf2c31388b35b2d744d6");
  EXPECT_EQ(FormatVerifierKey(*key), kPeterVkey);
}

TEST(SignedNote, KeyIdIsTheFirstFourBytesOfTheNameTypeAndKeyHash) {
  Result<VerifierKey> key = ParseVerifierKey(kPeterVkey);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(KeyId("PeterNeumann", kTypeEd25519, key->public_key), 0xc74f20a3u);
  EXPECT_EQ(KeyIdHex(0xc74f20a3u), "c74f20a3");
}

TEST(SignedNote, SigningTheGoExampleTextGivesTheGoExampleSignatureLine) {
  const crypto::Ed25519PrivateKey key = PeterKey();
  NoteSignature signature = SignEd25519("PeterNeumann", key, kText);
  EXPECT_EQ(SignatureLine(signature), kPeterSig);
  EXPECT_EQ(FormatNote({std::string(kText), {signature}}), Note(kPeterSig));
}

TEST(SignedNote, GoExampleNoteParsesAndVerifies) {
  Result<struct Note> note = ParseNote(Note(kPeterSig));
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(note->text, kText);
  ASSERT_EQ(note->signatures.size(), 1u);
  EXPECT_EQ(note->signatures[0].name, "PeterNeumann");
  EXPECT_EQ(note->signatures[0].key_id, 0xc74f20a3u);
  Result<VerifierKey> key = ParseVerifierKey(kPeterVkey);
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(VerifyEd25519(*key, note->text, note->signatures[0]));
}

TEST(SignedNote, DoublySignedGoExampleKeepsBothSignaturesAndIgnoresTheUnknownOne) {
  Result<struct Note> note = ParseNote(Note(std::string(kPeterSig) + std::string(kEnochSig)));
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  ASSERT_EQ(note->signatures.size(), 2u);
  Result<VerifierKey> peter = ParseVerifierKey(kPeterVkey);
  Result<VerifierKey> enoch = ParseVerifierKey(kEnochVkey);
  ASSERT_TRUE(peter.ok() && enoch.ok());
  EXPECT_EQ(SignaturesBy(*note, *peter).size(), 1u);
  EXPECT_TRUE(VerifyEd25519(*enoch, note->text, *SignaturesBy(*note, *enoch).at(0)));
}

TEST(SignedNote, SpecExampleVerifies) {
  Result<VerifierKey> key =
      ParseVerifierKey("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  Result<struct Note> note = ParseNote(
      "This is an example message.\n\n\xE2\x80\x94 example.com/foo "
      "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM="
      "\n");
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_TRUE(VerifyEd25519(*key, note->text, note->signatures.at(0)));
}

TEST(SignedNote, AlteredSignatureDoesNotVerify) {
  std::string altered(kPeterSig);
  altered.insert(60, "ABCD");
  Result<struct Note> note = ParseNote(Note(altered));
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  Result<VerifierKey> key = ParseVerifierKey(kPeterVkey);
  EXPECT_FALSE(VerifyEd25519(*key, note->text, note->signatures.at(0)));
}

TEST(SignedNote, TextAlteredByOneByteDoesNotVerify) {
  std::string bytes = Note(kPeterSig);
  bytes[3] = 'X';
  Result<struct Note> note = ParseNote(bytes);
  ASSERT_TRUE(note.ok());
  EXPECT_FALSE(VerifyEd25519(*ParseVerifierKey(kPeterVkey), note->text, note->signatures[0]));
}

// golang.org/x/mod/sumdb/note TestOpen: each of these is malformed.
TEST(SignedNote, GoMalformedNotesAreRefused) {
  const std::string peter(kPeterSig);
  std::string many;
  for (int i = 0; i < 101; ++i) many += peter;
  const std::string cases[] = {
      std::string(kText),
      std::string(kText) + "\n",
      Note(peter.substr(0, peter.size() - 1)),
      "\x01" + Note(peter),
      "\xff" + Note(peter),
      std::string(kText) +
          "\n\xE2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGU"
          "gYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
      Note(peter) + "Unexpected line.\n",
      Note(many),
  };
  for (const std::string& bytes : cases) {
    Result<struct Note> note = ParseNote(bytes);
    ASSERT_FALSE(note.ok()) << bytes;
    EXPECT_EQ(note.status().code(), ErrorCode::kMalformedEvent) << bytes;
  }
}

TEST(SignedNote, TheTextEndsAtTheLastBlankLine) {
  Result<struct Note> note = ParseNote("first\n\nsecond\n\n" + std::string(kPeterSig));
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(note->text, "first\n\nsecond\n");
}

// golang.org/x/mod/sumdb/note TestNewVerifier: every proper prefix of the
// vkey, and every single-byte change, is refused.
TEST(SignedNote, EveryPrefixAndMutationOfAVerifierKeyIsRefused) {
  const std::string vkey(kPeterVkey);
  for (std::size_t i = 0; i < vkey.size(); ++i) {
    EXPECT_FALSE(ParseVerifierKey(vkey.substr(0, i)).ok()) << vkey.substr(0, i);
    std::string mutated = vkey;
    ++mutated[i];
    EXPECT_FALSE(ParseVerifierKey(mutated).ok()) << mutated;
  }
}

TEST(SignedNote, VerifierKeysWithAnotherKeyLengthOrAlgorithmAreRefused) {
  for (std::string_view vkey :
       {"PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"}) {
    Result<VerifierKey> key = ParseVerifierKey(vkey);
    ASSERT_FALSE(key.ok()) << vkey;
    EXPECT_EQ(key.status().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(SignedNote, PlusSignsInTheKeyMaterialStayInTheKey) {
  Result<VerifierKey> key =
      ParseVerifierKey("example.org/key+57bfe580+BAFFLINGNESS+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->type, kTypeCosignatureV1);
  EXPECT_EQ(key->name, "example.org/key");
}

TEST(SignedNote, KeyNamesRefuseSpacesPlusAndControlCharacters) {
  EXPECT_TRUE(IsValidKeyName("湘西州扶贫办"));
  EXPECT_TRUE(IsValidKeyName("fupin-ledger/hunan"));
  for (std::string_view bad : {"", "a b", "a+b", "a\tb",
                               "a\xE3\x80\x80"
                               "b",
                               "a\x7f", "\xff"}) {
    EXPECT_FALSE(IsValidKeyName(bad)) << bad;
  }
}

}  // namespace
}  // namespace fupin::note
