// 国密 (Chinese commercial cryptography): the SM3 hash (GB/T 32905-2016)
// and SM2 signatures (GB/T 32918-2016), through OpenSSL 3 EVP, beside
// crypto.h's SHA-256 and Ed25519 and with the same conventions.
//
// Every OpenSSL object is owned by an RAII wrapper; no OpenSSL type appears
// in this header. Keys, points, digests and signatures are raw bytes in
// std::string: an SM2 public key is the 65-byte uncompressed point
// 04 ‖ X ‖ Y, an SM2 signature the DER SEQUENCE { INTEGER r, INTEGER s }
// that OpenSSL and GM/T 0009 use. Key objects are immutable after
// construction and safe to use from several threads at once (each call
// creates its own EVP_MD_CTX).
//
// Every SM2 signature is over SM3 with the distinguishing ID
// kSm2DefaultId, always passed to OpenSSL explicitly: OpenSSL 1.1.1 to 3.x
// use an EMPTY ID when none is set, OpenSSL 4.0 uses "1234567812345678",
// and the ID enters the signed hash (e = SM3(Z_A ‖ M), Z_A = SM3(ENTL ‖ ID
// ‖ a ‖ b ‖ G ‖ public key)), so a signature made with one ID never
// verifies with another.
//
// Errors: parsing and files return Status/Result. Hashing, signing and
// ToPem cannot fail for a constructed key except when OpenSSL cannot
// allocate, which is reported as std::bad_alloc like any other allocation.
// A default-constructed (or moved-from) key holds nothing: Verify returns
// false, and Sign/ToPem/public_key/WritePemFile must not be called on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ledger/crypto.h"
#include "ledger/status.h"

namespace fupin::crypto {

inline constexpr std::size_t kSm3Size = 32;
static_assert(kSm3Size == kSha256Size, "SM3 and SHA-256 digests share the Digest type");

// The distinguishing ID of GM/T 0009-2012 §10 ("1234567812345678" when the
// parties agree on none), the one every SM2 signature here uses: 16 bytes,
// without a terminating NUL (a 17-byte ID would give another Z_A).
inline constexpr std::string_view kSm2DefaultId = "1234567812345678";
// Public key: the uncompressed point 04 ‖ X ‖ Y on the curve sm2p256v1.
inline constexpr std::size_t kSm2PublicKeySize = 65;
// Private key: the scalar d, big-endian, 1 <= d <= n - 2 (GB/T 32918.1).
inline constexpr std::size_t kSm2PrivateKeySize = 32;
// The longest DER signature: SEQUENCE header (2) + two INTEGERs of 33
// bytes (a leading 00 when the top bit is set) with their headers (2 each).
inline constexpr std::size_t kSm2MaxSignatureSize = 72;

// SM3 (hash_alg.h has the prefixed and incremental forms).
Digest Sm3(std::string_view data);

class Sm2PublicKey {
 public:
  // From the 65-byte uncompressed point 04 ‖ X ‖ Y. kInvalidArgument on
  // another length, another first byte (OpenSSL itself would take a
  // 33-byte compressed point, a 65-byte "hybrid" 06/07 one, or the single
  // byte 00 of the point at infinity), a coordinate >= p, or a point not on
  // the curve. The curve has cofactor 1, so every point on it that is not
  // infinity is a valid public key.
  static Result<Sm2PublicKey> FromRaw(std::string_view point65);
  // Standard base64 (with padding) of the 65-byte point, as in
  // key.registered. kInvalidArgument on bad base64 or as for FromRaw.
  static Result<Sm2PublicKey> FromBase64(std::string_view b64);

  // True iff `der_signature` is a valid SM2 signature of `message` under
  // this key, with SM3 and kSm2DefaultId. Anything else is simply false:
  // a bad signature, a signature made with another ID (the empty one of
  // OpenSSL 3.x by default), raw r ‖ s, BER or non-minimal DER, trailing
  // bytes, r or s outside [1, n - 1].
  bool Verify(std::string_view message, std::string_view der_signature) const;
  const std::string& raw() const { return raw_; }

 private:
  struct Pkey;
  std::shared_ptr<const Pkey> pkey_;
  std::string raw_;
};

class Sm2PrivateKey {
 public:
  // A fresh key from the OS random source (kInternal on failure).
  static Result<Sm2PrivateKey> Generate();
  // From the 32-byte big-endian scalar d (tests, vectors such as GB/T
  // 32918.5 Annex A). kInvalidArgument on a wrong length or when d is not
  // in [1, n - 2].
  static Result<Sm2PrivateKey> FromScalar(std::string_view d32);
  // Unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----") of an SM2 key,
  // as `openssl genpkey -algorithm SM2` writes it; the public point may be
  // stored in any form or left out. kInvalidArgument when the text is not a
  // key, is encrypted (no passphrase is ever prompted for) or is a key of
  // another type (the message names it: ED25519, EC, RSA...).
  static Result<Sm2PrivateKey> FromPem(std::string_view pem);
  // kIoError when unreadable (missing, no permission), kInvalidArgument
  // when the contents are not an SM2 key as for FromPem.
  static Result<Sm2PrivateKey> ReadPemFile(const std::string& path);

  // Unencrypted PKCS#8 PEM of the key; FromPem and `openssl pkey` read it.
  std::string ToPem() const;
  // As Ed25519PrivateKey::WritePemFile: mode exactly 0600, synced, never
  // overwriting (kAlreadyExists), kIoError otherwise.
  Status WritePemFile(const std::string& path) const;

  // The DER signature (at most kSm2MaxSignatureSize bytes) of `message`
  // with SM3 and kSm2DefaultId. SM2 signing is randomized: two signatures
  // of one message differ, and both verify.
  std::string Sign(std::string_view message) const;
  // The 65-byte uncompressed public point.
  const std::string& public_raw() const { return public_raw_; }
  Sm2PublicKey public_key() const;

 private:
  struct Pkey;
  // Takes a freshly made or parsed key of any type; kInvalidArgument
  // unless it is an SM2 key.
  static Result<Sm2PrivateKey> Adopt(std::unique_ptr<Pkey> parsed);

  std::shared_ptr<const Pkey> pkey_;
  std::string public_raw_;
};

}  // namespace fupin::crypto
