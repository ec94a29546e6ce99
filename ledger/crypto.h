// Hashing, Ed25519 signatures and key files, through OpenSSL 3 EVP.
//
// Every OpenSSL object is owned by an RAII wrapper; no OpenSSL type appears
// in this header. Keys and hashes are passed as raw bytes in std::string
// (32-byte public keys and digests, 64-byte signatures). Key objects are
// immutable after construction and safe to use from several threads at
// once (each call creates its own EVP_MD_CTX).
//
// Errors: parsing and files return Status/Result. Hashing, signing and
// ToPem cannot fail for a constructed key except when OpenSSL cannot
// allocate, which is reported as std::bad_alloc like any other allocation.
// A default-constructed (or moved-from) key holds nothing: Verify returns
// false, and Sign/ToPem/public_key/WritePemFile must not be called on it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ledger/status.h"

namespace fupin::crypto {

inline constexpr std::size_t kSha256Size = 32;
inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SeedSize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

using Digest = std::array<uint8_t, kSha256Size>;

// SHA-256 (hash_alg.h has the prefixed and incremental forms for either
// of a log's hashes).
Digest Sha256(std::string_view data);

// SipHash-2-4 (64-bit output) keyed with a 16-byte secret: a PRF for
// digests an adversary must not be able to steer. Verification sums one
// digest per index entry and compares the sums; with an unkeyed hash an
// adversary who may rewrite the store could search offline for a few forged
// entries whose digests sum to the ones they replace (a generalized
// birthday search over 64 bits is cheap), while a key drawn when the run
// starts leaves nothing to search. One hasher is not thread-safe; use one
// per thread.
class SipHasher {
 public:
  static constexpr std::size_t kKeySize = 16;
  using Key = std::array<uint8_t, kKeySize>;
  explicit SipHasher(const Key& key);
  ~SipHasher();
  SipHasher(const SipHasher&) = delete;
  SipHasher& operator=(const SipHasher&) = delete;
  void Update(std::string_view data);
  // The digest of everything updated since the last Final, its 8 output
  // bytes read little-endian as SipHash defines them; the hasher then
  // restarts with the same key.
  uint64_t Final();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class Ed25519PublicKey {
 public:
  // kInvalidArgument unless exactly 32 bytes. OpenSSL does not decode the
  // curve point at import, so 32 bytes that are not a point on the curve
  // are accepted here and simply never verify anything.
  static Result<Ed25519PublicKey> FromRaw(std::string_view raw32);
  // Standard base64 (with padding) of the raw key, as in key.registered.
  // kInvalidArgument on bad base64 or a wrong length.
  static Result<Ed25519PublicKey> FromBase64(std::string_view b64);

  // True iff `signature` (64 raw bytes) is valid for `message` (RFC 8032
  // Ed25519, as implemented by OpenSSL). Any other signature length is
  // simply invalid. This is the hot path: the key is parsed once, and a
  // call allocates only its own EVP_MD_CTX.
  bool Verify(std::string_view message, std::string_view signature) const;
  const std::string& raw() const { return raw_; }

 private:
  friend class Ed25519Verifier;
  struct Pkey;
  std::shared_ptr<const Pkey> pkey_;
  std::string raw_;
};

// Verifies signatures on one thread with one OpenSSL context per key, set
// up at the key's first use: setting a context up for every signature (as
// Ed25519PublicKey::Verify does) costs about 2% of the verification, which
// matters when a log's signatures are checked in bulk. Holds a reference to
// every key it has used until it is destroyed. Not thread-safe: one per
// thread.
class Ed25519Verifier {
 public:
  Ed25519Verifier();
  ~Ed25519Verifier();
  Ed25519Verifier(const Ed25519Verifier&) = delete;
  Ed25519Verifier& operator=(const Ed25519Verifier&) = delete;
  // The same answer as key.Verify(message, signature).
  bool Verify(const Ed25519PublicKey& key, std::string_view message, std::string_view signature);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class Ed25519PrivateKey {
 public:
  // A fresh key from the OS random source (kInternal on failure).
  static Result<Ed25519PrivateKey> Generate();
  // From the 32-byte RFC 8032 secret seed (tests, vectors).
  // kInvalidArgument on a wrong length.
  static Result<Ed25519PrivateKey> FromSeed(std::string_view seed32);
  // Unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
  // kInvalidArgument when the text is not a key, is encrypted (no
  // passphrase is ever prompted for) or is a key of another type (RSA, EC).
  static Result<Ed25519PrivateKey> FromPem(std::string_view pem);
  // kIoError when unreadable (missing, no permission), kInvalidArgument
  // when the contents are not an Ed25519 key as for FromPem.
  static Result<Ed25519PrivateKey> ReadPemFile(const std::string& path);

  // Unencrypted PKCS#8 PEM of the key; FromPem reads it back.
  std::string ToPem() const;
  // Writes the PEM with mode exactly 0600 (whatever the umask), creating
  // the file, and syncs it and its directory before returning. Refuses to
  // overwrite an existing file (kAlreadyExists); any other failure is
  // kIoError with the errno text, and the partial file is removed.
  Status WritePemFile(const std::string& path) const;

  std::string Sign(std::string_view message) const;  // 64 raw bytes
  const std::string& public_raw() const { return public_raw_; }
  Ed25519PublicKey public_key() const;

 private:
  struct Pkey;
  // Takes a freshly parsed key of any type (its public_key not yet set);
  // kInvalidArgument unless it is Ed25519.
  static Result<Ed25519PrivateKey> Adopt(std::unique_ptr<Pkey> parsed);

  std::shared_ptr<const Pkey> pkey_;
  std::string public_raw_;
};

}  // namespace fupin::crypto
