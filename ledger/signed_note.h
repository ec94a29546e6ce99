// C2SP signed-note v1.0.0 (https://c2sp.org/signed-note@v1.0.0): a text
// followed by signature lines "— <key name> <base64(key ID ‖ signature)>",
// and verifier keys "<name>+<hex key ID>+<base64(type ‖ public key)>".
// The ledger signs its checkpoints as notes (tlog_checkpoint.h); witnesses
// add their cosignatures as further lines of the same note.
//
// Only Ed25519 keys exist here: type 0x01 (a note signer such as the
// ledger's system key) and type 0x04 (a tlog-cosignature/v1 cosigner, whose
// signature carries a timestamp; tlog_checkpoint.h). Pure functions,
// thread-safe. Parsing errors are kMalformedEvent with a message naming
// what is wrong (the bytes come from outside: a witness, a mirror's
// source, a bundle).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/crypto.h"
#include "ledger/status.h"

namespace fupin::note {

// signed-note §"Signature types".
inline constexpr uint8_t kTypeEd25519 = 0x01;
inline constexpr uint8_t kTypeCosignatureV1 = 0x04;

// signed-note §"Format": verifiers "MUST accept at least up to 16
// signatures"; 100 is Go's sumdb/note limit, well above any witness set.
inline constexpr std::size_t kMaxSignatures = 100;
// A note is a few lines; 64 KiB bounds a hostile one.
inline constexpr std::size_t kMaxNoteBytes = 64 * 1024;

// The em dash (U+2014) and space that open every signature line.
inline constexpr std::string_view kSignatureLinePrefix = "\xE2\x80\x94 ";

// signed-note §"Signatures": key ID = SHA-256(name ‖ 0x0A ‖ type ‖ public
// key)[:4], read big-endian.
uint32_t KeyId(std::string_view name, uint8_t type, std::string_view public_key);
// "%08x" of a key ID (vkeys, JSON answers).
std::string KeyIdHex(uint32_t key_id);

// signed-note §"Format": non-empty, valid UTF-8, no Unicode space, no '+',
// no control character.
bool IsValidKeyName(std::string_view name);

// A verifier key of type 0x01 or 0x04 with a 32-byte Ed25519 public key.
struct VerifierKey {
  std::string name;
  uint8_t type = kTypeEd25519;
  std::string public_key;  // 32 raw bytes
  uint32_t key_id = 0;     // KeyId(name, type, public_key)
};

// The key of `name` for a raw Ed25519 public key (kInvalidArgument for a
// bad name or key length).
Result<VerifierKey> MakeVerifierKey(std::string_view name, uint8_t type,
                                    std::string_view public_key);
// signed-note §"Verifier keys": split at the first two '+' only (the base64
// may hold '+'), the hex ID must be 8 lower-case digits equal to the
// recomputed key ID, the type 0x01 or 0x04 and the key 32 bytes.
// kInvalidArgument naming what is wrong.
Result<VerifierKey> ParseVerifierKey(std::string_view vkey);
std::string FormatVerifierKey(const VerifierKey& key);

// One signature line: the key name, the key ID and what follows the key ID
// (64 bytes of Ed25519 signature for type 0x01, 8 + 64 for 0x04).
struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::string signature;
};

struct Note {
  std::string text;  // ends with '\n'
  std::vector<NoteSignature> signatures;
};

// signed-note §"Format": valid UTF-8 without control characters but '\n';
// the text is everything up to the last blank line (its final newline
// included); then one or more signature lines, each ending in '\n', at most
// kMaxSignatures, each with a valid name and at least one byte after the
// key ID. kMalformedEvent otherwise.
Result<Note> ParseNote(std::string_view bytes);
// "— <name> <base64(key ID ‖ signature)>\n".
std::string SignatureLine(const NoteSignature& signature);
// The text, a blank line and every signature line.
std::string FormatNote(const Note& note);

// An Ed25519 (type 0x01) signature of `text` by `key` under `name`.
NoteSignature SignEd25519(std::string_view name, const crypto::Ed25519PrivateKey& key,
                          std::string_view text);
// True when `signature` is `key`'s (same name and key ID) and verifies over
// `text`. `key` must be of type 0x01.
bool VerifyEd25519(const VerifierKey& key, std::string_view text, const NoteSignature& signature);

// The signatures of `note` by `key` (same name and key ID); signed-note
// §"Signatures": signatures of unknown keys are ignored.
std::vector<const NoteSignature*> SignaturesBy(const Note& note, const VerifierKey& key);

}  // namespace fupin::note
