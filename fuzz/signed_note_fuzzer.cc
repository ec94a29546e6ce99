// C2SP signed notes, checkpoints and cosignatures (ledger/signed_note.h,
// ledger/tlog_checkpoint.h) and witness policies (ledger/witness_policy.h):
// the bytes a witness, a mirror's source or a bundle hands the ledger.
//
// Input: a selector byte (modulo 4), then:
//   0 a signed note: ParseNote, then the checkpoint text inside it, the
//     log's signatures (CheckSignedCheckpointNote) and every cosignature
//     of the witness key (VerifyCosignature, JudgeCosignatures);
//   1 a verifier key ("<name>+<hex id>+<base64>"): ParseVerifierKey;
//   2 a checkpoint text: ParseCheckpointText, IsValidOrigin;
//   3 a witness policy document: ParseWitnessPolicy.
// The keys are fixed (as in fuzz/make-seeds.py), so
// seeds made with them reach past the signature checks.
//
// Invariants: a parsed note, verifier key, checkpoint text or policy
// formats back to bytes that parse to the same thing.
#include <string>

#include "fuzz/fuzz_input.h"
#include "ledger/signed_note.h"
#include "ledger/tlog_checkpoint.h"
#include "ledger/witness_policy.h"

namespace fupin {
namespace {

// The log's and the witness's Ed25519 seeds: 32 bytes of 0x11 and 0x22.
inline constexpr std::string_view kLogName = "fuzz.example/log";
inline constexpr std::string_view kWitnessName = "fuzz.example/witness";

struct Keys {
  note::VerifierKey log;
  note::VerifierKey witness;
  WitnessPolicy policy;
};

const Keys& FixedKeys() {
  static const Keys keys = [] {
    Keys k;
    Result<crypto::Ed25519PrivateKey> log =
        crypto::Ed25519PrivateKey::FromSeed(std::string(32, '\x11'));
    Result<crypto::Ed25519PrivateKey> witness =
        crypto::Ed25519PrivateKey::FromSeed(std::string(32, '\x22'));
    FUZZ_CHECK(log.ok() && witness.ok());
    Result<note::VerifierKey> log_key =
        note::MakeVerifierKey(kLogName, note::kTypeEd25519, log->public_raw());
    Result<note::VerifierKey> witness_key =
        note::MakeVerifierKey(kWitnessName, note::kTypeCosignatureV1, witness->public_raw());
    FUZZ_CHECK(log_key.ok() && witness_key.ok());
    k.log = *log_key;
    k.witness = *witness_key;
    k.policy.witnesses.push_back({k.witness, ""});
    k.policy.quorum = 1;
    return k;
  }();
  return keys;
}

void SignedNote(std::string_view bytes) {
  const Keys& keys = FixedKeys();
  Result<note::Note> parsed = note::ParseNote(bytes);
  if (!parsed.ok()) return;
  const std::string formatted = note::FormatNote(*parsed);
  Result<note::Note> again = note::ParseNote(formatted);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(note::FormatNote(*again) == formatted);

  Result<tlog::TreeHead> head = tlog::ParseCheckpointText(parsed->text);
  if (!head.ok()) return;
  (void)tlog::CheckSignedCheckpointNote(bytes, keys.log, head->size, head->root);
  for (const note::NoteSignature* signature : note::SignaturesBy(*parsed, keys.witness)) {
    (void)tlog::VerifyCosignature(keys.witness, parsed->text, *signature);
  }
  (void)JudgeCosignatures(keys.policy, parsed->text, *parsed);
}

void VerifierKeyText(std::string_view bytes) {
  Result<note::VerifierKey> key = note::ParseVerifierKey(bytes);
  if (!key.ok()) return;
  FUZZ_CHECK(note::FormatVerifierKey(*key) == bytes);
}

void CheckpointText(std::string_view bytes) {
  (void)tlog::IsValidOrigin(bytes);
  Result<tlog::TreeHead> head = tlog::ParseCheckpointText(bytes);
  if (!head.ok()) return;
  FUZZ_CHECK(tlog::CheckpointText(*head) == bytes);
}

void Policy(std::string_view bytes) {
  Result<WitnessPolicy> policy = ParseWitnessPolicy(bytes);
  if (!policy.ok()) return;
  FUZZ_CHECK(policy->quorum <= policy->witnesses.size());
}

}  // namespace
}  // namespace fupin

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace fupin;
  const fuzz::SelectedInput in = fuzz::Select(data, size);
  switch (in.selector % 4) {
    case 0:
      SignedNote(in.bytes);
      break;
    case 1:
      VerifierKeyText(in.bytes);
      break;
    case 2:
      CheckpointText(in.bytes);
      break;
    case 3:
      Policy(in.bytes);
      break;
  }
  return 0;
}
