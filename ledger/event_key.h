// Event keys of either algorithm (key_alg.h): what verifies and makes the
// `sig` of an event (SPEC §2.1; SM2 is the extension of docs/format.md).
// Every verifier of event signatures goes through EventPublicKey,
// EventVerifier or VerifyEventSignatureWithThreadCache, and every signer
// of events through EventSigningKey, so no caller branches on the
// algorithm.
//
// The signed bytes are the same for both: kEventSignaturePrefix + JCS of
// the event without "sig". Ed25519 signatures are the 64 raw bytes of RFC
// 8032; SM2 signatures the DER SEQUENCE { r, s } over SM3 with the
// distinguishing ID kSm2DefaultId (gm_crypto.h).
//
// Keys are immutable after construction and safe to share between threads;
// EventVerifier is one per thread. Errors are Status/Result as in crypto.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "ledger/crypto.h"
#include "ledger/gm_crypto.h"
#include "ledger/key_alg.h"
#include "ledger/status.h"

namespace fupin::crypto {

// The longest event signature of any algorithm, in bytes.
inline constexpr std::size_t kMaxEventSignatureSize =
    kSm2MaxSignatureSize > kEd25519SignatureSize ? kSm2MaxSignatureSize : kEd25519SignatureSize;

// The raw size of a public key of `alg`: 32 (Ed25519) or 65 (SM2).
std::size_t PublicKeySize(KeyAlg alg);

class EventPublicKey {
 public:
  EventPublicKey() = default;  // an Ed25519 key holding nothing: verifies nothing
  EventPublicKey(Ed25519PublicKey key) : key_(std::move(key)) {}  // NOLINT: a key is a key
  EventPublicKey(Sm2PublicKey key) : key_(std::move(key)) {}      // NOLINT

  // kInvalidArgument when `raw` is not a public key of `alg` (as
  // Ed25519PublicKey::FromRaw / Sm2PublicKey::FromRaw).
  static Result<EventPublicKey> FromRaw(KeyAlg alg, std::string_view raw);
  // Standard base64 of the raw key, as in key.registered.
  static Result<EventPublicKey> FromBase64(KeyAlg alg, std::string_view b64);

  // True iff `signature` is a valid signature of `message` by this key in
  // its algorithm's form (above). Anything else is simply false.
  bool Verify(std::string_view message, std::string_view signature) const;

  KeyAlg alg() const { return key_.index() == 0 ? KeyAlg::kEd25519 : KeyAlg::kSm2; }
  const std::string& raw() const;
  // The Ed25519 key, or null for an SM2 one (the bulk verifier's fast path).
  const Ed25519PublicKey* ed25519() const { return std::get_if<Ed25519PublicKey>(&key_); }

 private:
  std::variant<Ed25519PublicKey, Sm2PublicKey> key_;
};

// Verifies event signatures on one thread: Ed25519 through an
// Ed25519Verifier (one OpenSSL context per key, set up once), SM2 through
// the parsed key itself (an SM2 verification costs far more than setting a
// context up). Holds a reference to every Ed25519 key it has used. Not
// thread-safe: one per thread.
class EventVerifier {
 public:
  // The same answer as key.Verify(message, signature).
  bool Verify(const EventPublicKey& key, std::string_view message, std::string_view signature);

 private:
  Ed25519Verifier ed25519_;
};

// As VerifyWithThreadCache (thread_verifier.h), for a key of either
// algorithm given as (alg, raw bytes): the calling thread keeps the parsed
// keys (at most kThreadKeyCacheSize of each algorithm). Parsing an SM2
// point (a curve check, a provider key import) costs about as much as a
// verification. nullopt when `raw` is not a usable key of `alg`.
std::optional<bool> VerifyEventSignatureWithThreadCache(KeyAlg alg, std::string_view raw,
                                                        std::string_view message,
                                                        std::string_view signature);

// A private key that signs events, of either algorithm.
class EventSigningKey {
 public:
  // Implicit: wherever an event signer is taken, a key of either kind is one.
  EventSigningKey(Ed25519PrivateKey key) : key_(std::move(key)) {}  // NOLINT
  EventSigningKey(Sm2PrivateKey key) : key_(std::move(key)) {}      // NOLINT

  // A fresh key of `alg` (kInternal when the OS random source fails).
  static Result<EventSigningKey> Generate(KeyAlg alg);
  // Unencrypted PKCS#8 PEM of an Ed25519 or SM2 key, whichever it holds.
  // kInvalidArgument when it is neither: for text that is no usable key
  // (not PEM, encrypted) with the message of Ed25519PrivateKey::FromPem,
  // for a key of another type naming that type.
  static Result<EventSigningKey> FromPem(std::string_view pem);
  // kIoError when unreadable, kInvalidArgument as for FromPem.
  static Result<EventSigningKey> ReadPemFile(const std::string& path);

  KeyAlg alg() const { return key_.index() == 0 ? KeyAlg::kEd25519 : KeyAlg::kSm2; }
  // The algorithm's signature of `message` (64 raw bytes, or SM2 DER).
  std::string Sign(std::string_view message) const;
  // 32 raw bytes (Ed25519) or the 65-byte point 04 ‖ X ‖ Y (SM2).
  const std::string& public_raw() const;
  EventPublicKey public_key() const;
  // As Ed25519PrivateKey::ToPem / WritePemFile (mode 0600, never overwriting).
  std::string ToPem() const;
  Status WritePemFile(const std::string& path) const;

 private:
  std::variant<Ed25519PrivateKey, Sm2PrivateKey> key_;
};

}  // namespace fupin::crypto
