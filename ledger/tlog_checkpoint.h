// C2SP tlog-checkpoint v1.0.0 (https://c2sp.org/tlog-checkpoint@v1.0.0)
// and tlog-cosignature v1.0.1 (https://c2sp.org/tlog-cosignature@v1.0.1):
// the checkpoint as a signed note's text, and the timestamped Ed25519
// cosignatures witnesses add to it.
//
// Every checkpoint the ledger signs (SPEC §2.3) also exists as a note whose
// text is "<origin>\n<tree size>\n<base64 root>\n", signed by the system
// key under the origin as key name (docs/format.md "Signed notes"). Pure
// functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/crypto.h"
#include "ledger/merkle.h"
#include "ledger/signed_note.h"
#include "ledger/status.h"

namespace fupin::tlog {

// What a checkpoint note states.
struct TreeHead {
  std::string origin;
  uint64_t size = 0;
  merkle::Hash root{};
  bool operator==(const TreeHead&) const = default;
};

// tlog-checkpoint §"Note text": the origin line, the size in decimal
// without leading zeros, the base64 root; no extension lines.
std::string CheckpointText(const TreeHead& head);
// The inverse: exactly three lines (extension lines are refused: the
// ledger writes none, and a cosignature over lines a verifier cannot check
// would assert nothing), a non-empty origin, a canonical decimal size up to
// 2^63-1 and a 32-byte root. kMalformedEvent naming the line otherwise.
Result<TreeHead> ParseCheckpointText(std::string_view text);

// The origin a ledger names itself by: tlog-checkpoint recommends "a
// schema-less URL containing neither Unicode spaces nor plus"; it is also
// the system key's name in signed notes, so it must be a valid key name,
// and at most 255 bytes.
bool IsValidOrigin(std::string_view origin);

// Empty when `note` is the checkpoint (`log_key`'s name as origin, size,
// root) as a signed note, every signature of `log_key` in it verifying and
// at least one there; else why not. Other signatures (cosignatures) are
// not judged here.
std::string CheckSignedCheckpointNote(std::string_view note, const note::VerifierKey& log_key,
                                      uint64_t size, const merkle::Hash& root);
// "fupin-ledger/<log id hex>", the origin of a ledger initialized without
// one (and of every ledger older than origins).
std::string DefaultOrigin(std::string_view log_id_hex);

// tlog-cosignature §"Signed message": "cosignature/v1\ntime <t>\n" followed
// by the checkpoint text.
std::string CosignatureMessage(uint64_t timestamp, std::string_view checkpoint_text);

// A cosignature/v1 line of `key` (a 0x04 cosigner named `name`) at
// `timestamp` (POSIX seconds, at most 2^63-1): the signature field is the
// 8-byte big-endian timestamp followed by the Ed25519 signature.
note::NoteSignature Cosign(std::string_view name, const crypto::Ed25519PrivateKey& key,
                           uint64_t timestamp, std::string_view checkpoint_text);

struct Cosignature {
  uint64_t timestamp = 0;
  std::string signature;  // the 64 Ed25519 bytes
};
// The cosignature in `signature` when it is `key`'s (a 0x04 key: same name
// and key ID), 72 bytes long, its timestamp at most 2^63-1, and it verifies
// over `checkpoint_text`; nullopt otherwise.
std::optional<Cosignature> VerifyCosignature(const note::VerifierKey& key,
                                             std::string_view checkpoint_text,
                                             const note::NoteSignature& signature);

}  // namespace fupin::tlog
