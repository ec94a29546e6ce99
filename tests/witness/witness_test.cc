// The witness's add-checkpoint (C2SP tlog-witness v1.0.0) against the public
// request sequence of litewitness (FiloSottile/litetlog
// cmd/litewitness/testdata/litewitness.txt, reused by sunlight's
// TestAddCheckpoint): a log of 5 leaves, its signed checkpoints at sizes 1,
// 3 and 5, and their consistency proofs. Every refusal leaves the stored
// state as it was.
#include "witness/witness.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ledger/codec.h"
#include "ledger/file_io.h"
#include "ledger/tlog_checkpoint.h"
#include "tests/support/fixtures.h"

namespace fupin::witness {
namespace {

constexpr std::string_view kOrigin =
    "sigsum.org/v1/tree/4d6d8825a6bb689d459628312889dfbb0bcd41b5211d9e1ce768b0ff0309e562";
constexpr std::string_view kOwnOrigin = "fupin-ledger/witness-test";
constexpr std::string_view kLogVkey =
    "sigsum.org/v1/tree/4d6d8825a6bb689d459628312889dfbb0bcd41b5211d9e1ce768b0ff0309e562+5202289b+"
    "Af/cLU2Y5BJNP+r3iMDC+av9eWCD0fBJVDfzAux5zxAP";
constexpr std::string_view kWitnessSeedHex =
    "31ffc2116ecbe003acaa800ab70757bd7d53206e3febef6a6d0796d95530b34f";
constexpr std::string_view kRoot1 = "KgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
constexpr std::string_view kRoot3 = "RcCI1Nk56ZcSmIEfIn0SleqtV7uvrlXNccFx595Iwl0=";
constexpr std::string_view kRoot5 = "QrtXrQZCCvpIgsSmOsah7HdICzMLLyDfxToMql9WTjY=";
constexpr std::string_view kSig1 =
    "UgIom7fPZTqpxWWhyjWduBvTvGVqsokMbqTArsQilegKoFBJQjUFAmQ0+YeSPM3wfUQMFSzVnnNuWRTYrajXpNUbIQY=";
constexpr std::string_view kSig3 =
    "UgIom2VbtIcdFbwFAy1n7s6IkAxIY6J/GQOTuZF2ORV39d75cbAj2aQYwyJre36kezNobZs4SUUdrcawfAB8WVrx6go=";
constexpr std::string_view kSig5 =
    "UgIomw/EOJmWi0i1FQsOj+etB7F8IccFam/jgd6wzRns4QPVmyEZtdvl1U2KEmLOZ/ASRcWJi0tW90dJWAShei7sDww=";
constexpr std::string_view kProof1To3 =
    "KgEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nKgIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
constexpr std::string_view kProof1To5 =
    "KgEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n+fUDV+k970B4I3uKrqJM4aP1lloPZP8mvr2Z4wRw2LI=\n"
    "KgQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
constexpr std::string_view kProof3To5 =
    "KgIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nKgMAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
    "wgiIFdZfYNv6WU1OllBKsWnLYIS/DBMqt8Uh/S4OukE=\nKgQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

std::string Checkpoint(std::string_view origin, uint64_t size, std::string_view root,
                       std::string_view sig) {
  return std::string(origin) + "\n" + std::to_string(size) + "\n" + std::string(root) + "\n\n" +
         "\xE2\x80\x94 " + std::string(kOrigin) + " " + std::string(sig) + "\n";
}

std::string Body(uint64_t old_size, std::string_view proof, const std::string& checkpoint) {
  return "old " + std::to_string(old_size) + "\n" + std::string(proof) + "\n" + checkpoint;
}

const std::string kCheckpoint1 = Checkpoint(kOrigin, 1, kRoot1, kSig1);
const std::string kCheckpoint3 = Checkpoint(kOrigin, 3, kRoot3, kSig3);
const std::string kCheckpoint5 = Checkpoint(kOrigin, 5, kRoot5, kSig5);

class WitnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fupin::testing::MakeTempDir("fupin-witness");
    state_path_ = dir_ + "/witness-state.json";
    Open();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Open() {
    witness_.reset();
    WitnessOptions options;
    options.name = "example.com/witness";
    options.logs = {
        note::ParseVerifierKey(kLogVkey).value(),
        note::MakeVerifierKey(kOwnOrigin, note::kTypeEd25519, own_key_.public_raw()).value()};
    options.state_path = state_path_;
    options.clock = [] { return uint64_t{1700000000}; };
    Result<std::unique_ptr<Witness>> created = Witness::Create(
        crypto::Ed25519PrivateKey::FromSeed(*HexDecode(kWitnessSeedHex)).value(), options);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    witness_ = std::move(created).value();
  }

  std::string StateBytes() const {
    Result<std::string> bytes = ReadFileBytes(state_path_);
    return bytes.ok() ? *bytes : "";
  }

  // Submits a request that must be refused with `code`, and checks the
  // stored state did not change.
  AddCheckpointOutcome Refused(const std::string& body, ErrorCode code,
                               std::string_view origin = kOrigin) {
    const std::string before = StateBytes();
    const uint64_t size = witness_->LatestSize(origin);
    AddCheckpointOutcome outcome = witness_->AddCheckpoint(body);
    EXPECT_EQ(outcome.status.code(), code) << outcome.status.ToString();
    EXPECT_TRUE(outcome.cosignature_lines.empty());
    EXPECT_EQ(StateBytes(), before);
    EXPECT_EQ(witness_->LatestSize(origin), size);
    return outcome;
  }

  void Cosigned(const std::string& body, uint64_t size, std::string_view origin = kOrigin) {
    AddCheckpointOutcome outcome = witness_->AddCheckpoint(body);
    ASSERT_TRUE(outcome.status.ok()) << outcome.status.ToString();
    EXPECT_EQ(witness_->LatestSize(origin), size);
    EXPECT_TRUE(outcome.cosignature_lines.starts_with("\xE2\x80\x94 example.com/witness "));
  }

  // A checkpoint of the test's own log, signed by its key.
  std::string OwnCheckpoint(uint64_t size, const merkle::Hash& root) const {
    note::Note signed_note{tlog::CheckpointText({std::string(kOwnOrigin), size, root}), {}};
    signed_note.signatures.push_back(note::SignEd25519(kOwnOrigin, own_key_, signed_note.text));
    return note::FormatNote(signed_note);
  }

  const crypto::Ed25519PrivateKey own_key_ =
      crypto::Ed25519PrivateKey::FromSeed(std::string(32, '\x07')).value();

  std::string dir_;
  std::string state_path_;
  std::unique_ptr<Witness> witness_;
};

TEST_F(WitnessTest, VerifierKeyIsTheCosignerKeyOfItsName) {
  EXPECT_EQ(note::FormatVerifierKey(witness_->verifier_key()),
            "example.com/witness+10a1c019+BGSEitir7W6FmBs7OHWyUrh2frtLAvcDrKOx5xu9ao5Q");
}

TEST_F(WitnessTest, LitewitnessSequenceGetsTheSpecsAnswers) {
  Cosigned(Body(0, "", kCheckpoint1), 1);
  std::string tampered_sig(kSig3);
  tampered_sig[20] = tampered_sig[20] == 'A' ? 'B' : 'A';  // still base64, another signature
  const std::string tampered = Checkpoint(kOrigin, 3, kRoot3, tampered_sig);
  Refused(Body(1, kProof1To3, tampered), ErrorCode::kBadSignature);
  std::string other_origin(kOrigin);
  other_origin.back() = '3';
  Refused(Body(1, kProof1To3, Checkpoint(other_origin, 3, kRoot3, kSig3)), ErrorCode::kNotFound);
  Refused(Body(1, "", kCheckpoint3), ErrorCode::kInvalidField);
  std::string bad_proof(kProof1To3);
  bad_proof[bad_proof.size() - 4] = 'B';
  Refused(Body(1, bad_proof, kCheckpoint3), ErrorCode::kInvalidField);
  Cosigned(Body(1, kProof1To3, kCheckpoint3), 3);
  AddCheckpointOutcome stale =
      Refused(Body(1, kProof1To5, kCheckpoint5), ErrorCode::kVersionConflict);
  EXPECT_EQ(stale.conflict_size, 3u);
  Cosigned(Body(3, kProof3To5, kCheckpoint5), 5);
  AddCheckpointOutcome fresh = Refused(Body(0, "", kCheckpoint5), ErrorCode::kVersionConflict);
  EXPECT_EQ(fresh.conflict_size, 5u);
}

TEST_F(WitnessTest, CosignatureIsTheTimestampedSignatureOfTheCheckpointText) {
  AddCheckpointOutcome outcome = witness_->AddCheckpoint(Body(0, "", kCheckpoint5));
  ASSERT_TRUE(outcome.status.ok());
  // Ed25519 is deterministic: the same key, time and text give this line.
  EXPECT_EQ(
      outcome.cosignature_lines,
      "\xE2\x80\x94 example.com/witness EKHAGQAAAABlU/EAlI35wCPypA3E9QobqYNABOzIiyvxpuLMSKmmVzm"
      "38Qc0lojEd2oeslC6/SnNNwkzx9F6htfOMmv3WST7CXdBDA==\n");
  Result<note::Note> note = note::ParseNote(kCheckpoint5 + outcome.cosignature_lines);
  ASSERT_TRUE(note.ok());
  std::optional<tlog::Cosignature> verified =
      tlog::VerifyCosignature(witness_->verifier_key(), note->text,
                              *note::SignaturesBy(*note, witness_->verifier_key())[0]);
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->timestamp, 1700000000u);
}

TEST_F(WitnessTest, OldSizeLargerThanTheCheckpointIs400) {
  Refused(Body(7, "", kCheckpoint5), ErrorCode::kMalformedEvent);
}

TEST_F(WitnessTest, MalformedBodiesAre400) {
  std::string too_many;
  for (int i = 0; i < 64; ++i) too_many += "KgEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
  for (const std::string& body : {
           std::string("old 0\n"),
           "older 0\n\n" + kCheckpoint1,
           "old 01\n\n" + kCheckpoint1,
           "old -1\n\n" + kCheckpoint1,
           "old 0\nnot base64\n\n" + kCheckpoint1,
           "old 0\nKgEA\n\n" + kCheckpoint1,
           "old 1\n" + too_many + "\n" + kCheckpoint5,
           Body(0, "", std::string(kOrigin) + "\n1\n" + std::string(kRoot1) + "\n"),
           Body(0, "",
                std::string(kOrigin) + "\nfive\n" + std::string(kRoot1) + "\n\n\xE2\x80\x94 " +
                    std::string(kOrigin) + " " + std::string(kSig1) + "\n"),
       }) {
    Refused(body, ErrorCode::kMalformedEvent);
  }
}

TEST_F(WitnessTest, OldSizeZeroTakesNoProof) {
  Refused(Body(0, kProof1To3, kCheckpoint3), ErrorCode::kInvalidField);
}

TEST_F(WitnessTest, SameSizeSameRootIsCosignedAgainWithAFreshTimestamp) {
  Cosigned(Body(0, "", kCheckpoint3), 3);
  Cosigned(Body(3, "", kCheckpoint3), 3);
}

TEST_F(WitnessTest, SameSizeAnotherRootIs422) {
  // A log of our own, whose key can sign any root.
  merkle::Hash root_a{};
  merkle::Hash root_b{};
  root_b[0] = 1;
  Cosigned(Body(0, "", OwnCheckpoint(3, root_a)), 3, kOwnOrigin);
  Refused(Body(3, "", OwnCheckpoint(3, root_b)), ErrorCode::kInvalidField, kOwnOrigin);
}

TEST_F(WitnessTest, EmptyTreeMustHaveTheEmptyRoot) {
  merkle::Hash not_empty{};
  Refused(Body(0, "", OwnCheckpoint(0, not_empty)), ErrorCode::kInvalidField, kOwnOrigin);
  Cosigned(Body(0, "", OwnCheckpoint(0, merkle::EmptyRoot(merkle::HashAlg::kSha256))), 0,
           kOwnOrigin);
}

TEST_F(WitnessTest, SignatureOfAnotherKeyUnderTheLogsNameIs403) {
  const crypto::Ed25519PrivateKey stranger = crypto::Ed25519PrivateKey::Generate().value();
  note::Note forged{tlog::CheckpointText({std::string(kOwnOrigin), 2, merkle::Hash{}}), {}};
  note::NoteSignature signature = note::SignEd25519(kOwnOrigin, stranger, forged.text);
  forged.signatures.push_back(signature);
  Refused(Body(0, "", note::FormatNote(forged)), ErrorCode::kBadSignature, kOwnOrigin);
  // The same key id as the log's but a signature that fails: the note is
  // refused even beside a valid one.
  note::Note mixed{forged.text, {note::SignEd25519(kOwnOrigin, own_key_, forged.text)}};
  signature.key_id = mixed.signatures[0].key_id;
  mixed.signatures.push_back(signature);
  Refused(Body(0, "", note::FormatNote(mixed)), ErrorCode::kBadSignature, kOwnOrigin);
}

TEST_F(WitnessTest, RestartRemembersTheLatestCosignedSize) {
  Cosigned(Body(0, "", kCheckpoint3), 3);
  Open();
  EXPECT_EQ(witness_->LatestSize(kOrigin), 3u);
  AddCheckpointOutcome stale =
      Refused(Body(1, kProof1To5, kCheckpoint5), ErrorCode::kVersionConflict);
  EXPECT_EQ(stale.conflict_size, 3u);
  Cosigned(Body(3, kProof3To5, kCheckpoint5), 5);
}

TEST_F(WitnessTest, CorruptStateFileRefusesToStart) {
  ASSERT_TRUE(WriteFileDurably(state_path_, "{\"version\":1,\"logs\":{\"x\":{\"size\":-1}}}").ok());
  WitnessOptions options;
  options.name = "example.com/witness";
  options.state_path = state_path_;
  Result<std::unique_ptr<Witness>> created =
      Witness::Create(crypto::Ed25519PrivateKey::Generate().value(), options);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), ErrorCode::kDataLoss);
}

}  // namespace
}  // namespace fupin::witness
