// C2SP tlog-checkpoint v1.0.0 and tlog-cosignature v1.0.1 against public
// vectors (sigsum-go pkg/checkpoint/checkpoint_test.go) and the ledger's
// own checkpoint notes.
#include "ledger/tlog_checkpoint.h"

#include <gtest/gtest.h>

#include <string>

#include "ledger/codec.h"

namespace fupin::tlog {
namespace {

// sigsum-go: the private key is 0x11 followed by 31 zero bytes.
crypto::Ed25519PrivateKey SigsumKey() {
  std::string seed(32, '\0');
  seed[0] = 0x11;
  return crypto::Ed25519PrivateKey::FromSeed(seed).value();
}

constexpr std::string_view kSigsumText =
    "example.org/log\n10\nHA5HAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
constexpr std::string_view kSigsumCosignature =
    "\xE2\x80\x94 example.org/witness "
    "ys8uUAAAAAAAAATSftMzceM8zssdZ9jin9SjwIxzx9iADMf63VqirX2hafol9RsqNqbofIz0LVRqHXI2kpEBSki5RTXFtx"
    "z1vo9+Cg==\n";

TEST(TlogCheckpoint, TextIsOriginSizeAndBase64Root) {
  TreeHead head;
  head.origin = "fupin-ledger/hunan";
  head.size = 15323;
  head.root.fill(0xab);
  const std::string text = CheckpointText(head);
  EXPECT_EQ(text, "fupin-ledger/hunan\n15323\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n");
  Result<TreeHead> parsed = ParseCheckpointText(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, head);
}

TEST(TlogCheckpoint, MalformedTextsAreRefused) {
  for (std::string_view text : {
           "",
           "origin\n10\n",
           "\n10\nHA5HAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
           "origin\n010\nHA5HAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
           "origin\n+10\nHA5HAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
           "origin\n9223372036854775808\nHA5HAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
           "origin\n10\nHA5H\n",
           "origin\n10\nHA5HAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
           "origin\n10\nHA5HAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nextension\n",
       }) {
    Result<TreeHead> parsed = ParseCheckpointText(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kMalformedEvent) << text;
  }
}

TEST(TlogCheckpoint, SigsumCosignatureIsReproducedByteForByte) {
  const note::NoteSignature line = Cosign("example.org/witness", SigsumKey(), 1234, kSigsumText);
  EXPECT_EQ(line.key_id, 0xcacf2e50u);
  EXPECT_EQ(note::SignatureLine(line), kSigsumCosignature);
  EXPECT_EQ(CosignatureMessage(1234, kSigsumText),
            "cosignature/v1\ntime 1234\n" + std::string(kSigsumText));
}

TEST(TlogCheckpoint, SigsumCosignatureVerifiesWithItsVkey) {
  Result<note::VerifierKey> key = note::ParseVerifierKey(
      "example.org/witness+cacf2e50+BGbguFjkYqYJ5m/nE3DIFtiEb/ED1UmaIqf+w3/bxCSn");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  Result<note::Note> note =
      note::ParseNote(std::string(kSigsumText) + "\n" + std::string(kSigsumCosignature));
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  std::optional<Cosignature> verified = VerifyCosignature(*key, note->text, note->signatures.at(0));
  ASSERT_TRUE(verified.has_value());
  EXPECT_EQ(verified->timestamp, 1234u);
}

TEST(TlogCheckpoint, CosignatureOfAnotherNameKeyOrTextIsRefused) {
  Result<note::VerifierKey> key = note::ParseVerifierKey(
      "example.org/witness+cacf2e50+BGbguFjkYqYJ5m/nE3DIFtiEb/ED1UmaIqf+w3/bxCSn");
  ASSERT_TRUE(key.ok());
  const note::NoteSignature line = Cosign("example.org/witness", SigsumKey(), 1234, kSigsumText);
  note::NoteSignature renamed = line;
  renamed.name = "example.org/witness-2";
  EXPECT_FALSE(VerifyCosignature(*key, kSigsumText, renamed));
  note::NoteSignature other_id = line;
  other_id.key_id ^= 1;
  EXPECT_FALSE(VerifyCosignature(*key, kSigsumText, other_id));
  note::NoteSignature short_field = line;
  short_field.signature.pop_back();
  EXPECT_FALSE(VerifyCosignature(*key, kSigsumText, short_field));
  EXPECT_FALSE(VerifyCosignature(
      *key, "example.org/log\n11\nHA5HAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", line));
  // The log's own key (type 0x01) is not a cosigner key.
  Result<note::VerifierKey> log_key =
      note::MakeVerifierKey("example.org/witness", note::kTypeEd25519, SigsumKey().public_raw());
  EXPECT_FALSE(VerifyCosignature(*log_key, kSigsumText, line));
}

TEST(TlogCheckpoint, OriginsAreKeyNamesOfAtMost255Bytes) {
  EXPECT_TRUE(IsValidOrigin("hunan.fupin.gov.cn/ledger/2020"));
  EXPECT_FALSE(IsValidOrigin("has space"));
  EXPECT_FALSE(IsValidOrigin("has+plus"));
  EXPECT_FALSE(IsValidOrigin(""));
  EXPECT_FALSE(IsValidOrigin(std::string(256, 'a')));
  EXPECT_EQ(DefaultOrigin("00ff"), "fupin-ledger/00ff");
}

}  // namespace
}  // namespace fupin::tlog
