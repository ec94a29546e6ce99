// Fork evidence (docs/trust.md, "Mirrors"): what a mirror keeps when its
// source shows it a history that contradicts one it verified before, in a
// form a third party checks offline (`fupin-ledger verify-evidence FILE`).
//
// The document ("fupin-ledger/mirror-evidence/v1") holds the log's system
// key, the checkpoint the mirror had verified and the one the source served
// later (both signed by that key, each with its note when served), and one
// of these proofs that the two cannot both be honest:
//   - "same-size":   both checkpoints have one tree size and two roots;
//   - "consistency": the source's checkpoint is the smaller; the mirror's
//                    own consistency proof from the root its records give
//                    at that size to the verified checkpoint, and that root
//                    is not the source's;
//   - "fork-record": the first record the two trees disagree on, each with
//                    its inclusion proof in its checkpoint;
//   - "none":        only the source's consistency proof between the two,
//                    which fails. This alone does not prove a fork (the
//                    source may have served a wrong proof): anyone can ask
//                    the source for the proof again.
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "ledger/record.h"
#include "ledger/status.h"

namespace fupin::mirror {

inline constexpr std::string_view kEvidenceFormat = "fupin-ledger/mirror-evidence/v1";

// One side of a fork: a record and its inclusion proof in a checkpoint.
struct ForkSide {
  StoredRecord record;
  std::vector<merkle::Hash> path;
};

struct Evidence {
  std::string source;
  std::string detected_at;  // RFC 3339
  GenesisInfo log;          // log id, origin, system key id, public key, vkey
  std::string summary;      // what the mirror saw, in one sentence
  ReplicatedCheckpoint verified;
  ReplicatedCheckpoint served;
  std::string proof_kind;  // "same-size", "consistency", "fork-record", "none"
  // "consistency": the mirror's root at served's size and its path.
  merkle::Hash own_root{};
  std::vector<merkle::Hash> own_path;
  // "fork-record": the verified tree's record and the served tree's.
  std::optional<ForkSide> verified_side;
  std::optional<ForkSide> served_side;
  // The source's consistency proof between the two, as served (may be
  // absent when the source refused to give one).
  std::optional<std::vector<merkle::Hash>> served_path;
  std::string served_path_error;
};

std::string EvidenceJson(const Evidence& evidence);
// kInvalidArgument naming the member when the document is not evidence.
Result<Evidence> ParseEvidence(std::string_view json);

struct EvidenceVerdict {
  // True when the evidence proves that one key signed two checkpoints that
  // no single append-only log can have produced.
  bool proven = false;
  // What was checked and found, one line each.
  std::vector<std::string> findings;
};

// Checks everything offline. `pinned_public_key` (base64), when given, must
// be the evidence's system key: evidence is only as good as the knowledge
// that this key is the operator's. Errors only for a document that cannot
// be read; a document whose signatures or proofs fail is a verdict with
// proven == false and findings saying why.
Result<EvidenceVerdict> VerifyEvidence(const Evidence& evidence,
                                       const std::string& pinned_public_key = "");

}  // namespace fupin::mirror
