// Which witnesses a verifier trusts and how many of them must have cosigned
// a checkpoint before it believes it (docs/trust.md). The same shape serves
// the server's configuration (which witnesses to ask) and a verifier's
// policy file (`verify`, `verify-bundle`, `replay bundle --witness-policy`):
//
//   {"witness_quorum": 2,
//    "witnesses": [{"name": "湘西州扶贫办", "vkey": "湘西州扶贫办+1a2b3c4d+B…",
//                   "url": "http://…"}, …]}
//
// `vkey` is the witness's cosigner key (tlog-cosignature v1.0.1 §"Format":
// type 0x04); `name`, when given, must be the vkey's name; `url` is used by
// the server only. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/signed_note.h"
#include "ledger/status.h"
#include "ledger/tlog_checkpoint.h"

namespace fupin {

struct PolicyWitness {
  note::VerifierKey key;  // type 0x04
  std::string url;        // where the server submits checkpoints ("" in a policy)
};

struct WitnessPolicy {
  std::vector<PolicyWitness> witnesses;
  // Cosignatures needed; 0 when no witness is configured.
  std::size_t quorum = 0;
};

// Reads the policy document above. kInvalidArgument naming the entry: not
// JSON, a vkey that is not a cosigner key, a name that differs from its
// vkey, two witnesses with one name, a quorum above the number of
// witnesses, or witnesses without a quorum of at least 1.
Result<WitnessPolicy> ParseWitnessPolicy(std::string_view json);
// The same from a file (kIoError when it cannot be read).
Result<WitnessPolicy> ReadWitnessPolicyFile(const std::string& path);

// One witness's cosignature on a checkpoint, verified.
struct WitnessCosignature {
  std::string name;
  uint32_t key_id = 0;
  uint64_t timestamp = 0;  // POSIX seconds
  std::string signature;   // the whole signature field (timestamp ‖ Ed25519)
};

// What the cosignatures of one checkpoint note amount to under a policy.
struct WitnessJudgement {
  std::vector<WitnessCosignature> valid;  // at most one per witness
  std::vector<std::string> invalid;       // names whose cosignature fails
  std::vector<std::string> missing;       // names that did not cosign
  bool quorum_met = false;                // valid >= quorum and no invalid
};

// Judges the cosignatures in `note` on `checkpoint_text` (signed-note
// §"Signatures": signatures of keys outside the policy are ignored; a
// known key's signature that fails makes the note invalid).
WitnessJudgement JudgeCosignatures(const WitnessPolicy& policy, std::string_view checkpoint_text,
                                   const note::Note& note);

}  // namespace fupin
