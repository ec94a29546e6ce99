// A witness (C2SP tlog-witness v1.0.0, https://c2sp.org/tlog-witness@v1.0.0):
// it cosigns a log's checkpoint only if the checkpoint is signed by the log
// and consistent with everything it cosigned for that log before, so a log
// that rewrites or forks its history can no longer gather cosignatures.
//
// AddCheckpoint is the whole protocol, transport-free: the HTTP server
// (api/witness_server.h) maps its outcome to the spec's status codes:
//   kMalformedEvent  400  body, note or checkpoint malformed; more than 63
//                         proof lines; old size larger than the checkpoint
//   kNotFound        404  origin of no configured log
//   kBadSignature    403  no valid signature of the log's key, or one of
//                         its signatures fails
//   kVersionConflict 409  old size is not the latest cosigned size
//                         (conflict_size holds it: text/x.tlog.size)
//   kInvalidField    422  the consistency proof fails, or the same size
//                         with another root (the C2SP main branch's 422,
//                         which litewitness and sunlight answer too)
//   kIoError         500  the new state could not be stored: nothing is
//                         cosigned
//   what `vouch` returns  (kUnavailable 503: not verified yet)
// Thread-safety: AddCheckpoint may be called from any thread; the check of
// the old size and the durable update of the state happen under one lock,
// so two requests can never roll a log's size back (§"add-checkpoint").
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/crypto.h"
#include "ledger/signed_note.h"
#include "ledger/status.h"
#include "ledger/tlog_checkpoint.h"
#include "witness/witness_state.h"

namespace fupin::witness {

// tlog-witness §"add-checkpoint": "The client MUST NOT send more than 63
// consistency proof lines."
inline constexpr std::size_t kMaxProofLines = 63;

struct WitnessOptions {
  std::string name;                     // the cosigner name (a valid key name)
  std::vector<note::VerifierKey> logs;  // trusted log keys (type 0x01), by origin = name
  // The origins among `logs` whose trees hash with SM3 (docs/format.md
  // "SM3 logs"); the others are RFC 9162's SHA-256.
  std::set<std::string, std::less<>> sm3_logs;
  std::string state_path;  // the durable state file
  // POSIX seconds for cosignature timestamps; injectable for tests.
  std::function<uint64_t()> clock;
  // Asked once every check passed, before anything is stored: a witness
  // that cosigns only what something else vouches for (a mirror: only
  // what it has verified record by record, mirror/follower.h). `note` is
  // the log's signed note as submitted. An error refuses the checkpoint
  // with that error (kUnavailable answers 503: ask again later). Called
  // under the witness's lock.
  std::function<Status(const tlog::TreeHead& head, std::string_view note)> vouch;
};

struct AddCheckpointOutcome {
  Status status;
  std::optional<uint64_t> conflict_size;  // with kVersionConflict
  std::string cosignature_lines;          // on success: "— <name> <b64>\n"
};

class Witness {
 public:
  // kInvalidArgument for a bad name or a log key that is not type 0x01;
  // WitnessState::Load's errors.
  static Result<std::unique_ptr<Witness>> Create(crypto::Ed25519PrivateKey key,
                                                 WitnessOptions options);

  AddCheckpointOutcome AddCheckpoint(std::string_view body);

  // This witness's cosigner key (type 0x04) and its vkey text.
  const note::VerifierKey& verifier_key() const { return verifier_key_; }
  // The latest cosigned size of `origin` (0 when never cosigned).
  uint64_t LatestSize(std::string_view origin) const;

 private:
  Witness(crypto::Ed25519PrivateKey key, WitnessOptions options, WitnessState state,
          note::VerifierKey verifier_key);

  crypto::Ed25519PrivateKey key_;
  WitnessOptions options_;
  note::VerifierKey verifier_key_;
  std::map<std::string, note::VerifierKey, std::less<>> logs_;  // origin -> key
  mutable std::mutex mu_;
  WitnessState state_;  // guarded by mu_
};

// The cosigner key of a witness key under `name` (type 0x04).
Result<note::VerifierKey> CosignerKey(std::string_view name, const crypto::Ed25519PrivateKey& key);

}  // namespace fupin::witness
