// Evidence bundles (replay/bundle.h, docs/bundle.md): VerifyBundle, what
// `fupin-ledger verify-bundle` runs on a file someone hands an
// investigator: its JSON, the checkpoint and its note, the records, the
// keys, the inclusion proofs, the stream chain and the recomputed summary.
// It must report every problem in its result, never crash.
//
// Input: a selector byte, then the bundle. Selector bit 0: a trust anchor
// is given (a log id and system key that are not the bundle's, so the
// anchor checks fail as they would for a forged bundle); bit 1: a witness
// policy of one witness (the fixed key of the signed_note target) with a
// quorum of one.
#include <string>

#include "fuzz/fuzz_input.h"
#include "ledger/signed_note.h"
#include "ledger/witness_policy.h"
#include "replay/bundle.h"

namespace fupin {
namespace {

const WitnessPolicy& Policy() {
  static const WitnessPolicy policy = [] {
    WitnessPolicy p;
    Result<crypto::Ed25519PrivateKey> witness =
        crypto::Ed25519PrivateKey::FromSeed(std::string(32, '\x22'));
    FUZZ_CHECK(witness.ok());
    Result<note::VerifierKey> key = note::MakeVerifierKey(
        "fuzz.example/witness", note::kTypeCosignatureV1, witness->public_raw());
    FUZZ_CHECK(key.ok());
    p.witnesses.push_back({*key, ""});
    p.quorum = 1;
    return p;
  }();
  return policy;
}

}  // namespace
}  // namespace fupin

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace fupin;
  const fuzz::SelectedInput in = fuzz::Select(data, size);
  replay::TrustAnchor anchor;
  if ((in.selector & 1) != 0) {
    anchor.log_id = std::string(64, 'a');
    anchor.system_key_b64 = "ZUwm8t3iFBjzYZQHWgqTE2zOMxCIoH8cEkon3FK+MPE=";
  }
  const WitnessPolicy* policy = (in.selector & 2) != 0 ? &Policy() : nullptr;
  replay::BundleVerification verification = replay::VerifyBundle(in.bytes, anchor, policy);
  (void)replay::BundleVerificationJson(verification);
  if (verification.ok()) FUZZ_CHECK(verification.reason().empty());
  return 0;
}
