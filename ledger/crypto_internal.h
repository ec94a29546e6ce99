// Private to the crypto files (crypto.cc, gm_crypto.cc), the one room
// OpenSSL lives in: RAII owners of OpenSSL objects, the handling of its
// error queue, digests over any fetched EVP_MD, and the private-key PEM text
// and key files that every key type writes and reads the same way.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "ledger/crypto.h"
#include "ledger/status.h"

namespace fupin::crypto::internal {

template <auto kFree>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* p) const {
    kFree(p);
  }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX_free>>;
using EvpMdPtr = std::unique_ptr<EVP_MD, OpenSslDeleter<EVP_MD_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free>>;

// Drains this thread's OpenSSL error queue so a stale entry cannot be
// mistaken for the cause of a later failure; returns the first reason.
std::string TakeOpenSslError();

// For a valid, already-parsed key or a fetched digest, OpenSSL fails only
// when it cannot allocate; report that the way every std::string here does
// (std::bad_alloc), with the error queue cleared.
void CheckAllocation(bool ok);

Status InvalidArgument(std::string message);

// --- Digests (32-byte output) ---------------------------------------------

// The digest `name` ("SHA256", "SM3") fetched from the default provider;
// the caller keeps it for the life of the process. An explicit fetch avoids
// the implicit lookup that EVP_sha256() costs inside every init.
EvpMdPtr FetchDigest(const char* name);
// SHA-256 and SM3, each fetched once per process (fetching looks the
// algorithm up under a lock).
const EVP_MD* Sha256Md();
const EVP_MD* Sm3Md();
// A context initialised for `md`.
EvpMdCtxPtr NewDigestCtx(const EVP_MD* md);
void DigestUpdate(EVP_MD_CTX* ctx, const void* data, std::size_t size);
Digest DigestFinal(EVP_MD_CTX* ctx);
// DigestFinal, then restarts `ctx` with the same digest.
Digest DigestFinalAndRestart(EVP_MD_CTX* ctx);
Digest DigestOf(const EVP_MD* md, std::string_view data);
// The digest of the `prefix` byte followed by the data (RFC 9162 leaf and
// node hashing); the data is fed to the digest in place, never copied.
Digest DigestWithPrefix(const EVP_MD* md, uint8_t prefix, std::string_view data);
Digest DigestWithPrefix(const EVP_MD* md, uint8_t prefix, const Digest& left, const Digest& right);

// --- Private keys as PEM text and files -----------------------------------

// Overwrites a buffer that held key material before it is released.
class CleansedString {
 public:
  CleansedString() = default;
  explicit CleansedString(std::string s) : s_(std::move(s)) {}
  ~CleansedString();
  CleansedString(const CleansedString&) = delete;
  CleansedString& operator=(const CleansedString&) = delete;

  std::string& get() { return s_; }

 private:
  std::string s_;
};

// A private key of any type from unencrypted PEM (PKCS#8 "BEGIN PRIVATE
// KEY"); kInvalidArgument when the text is not a key or is encrypted (no
// passphrase is ever prompted for). The caller checks the key's type.
Result<EvpPkeyPtr> ParsePrivateKeyPem(std::string_view pem);

// kInvalidArgument "key is <type>, expected <expected>".
Status WrongKeyType(EVP_PKEY* pkey, std::string_view expected);

// Unencrypted PKCS#8 PEM of the key.
std::string PrivateKeyPem(EVP_PKEY* pkey);

// Reads a key file into `pem`: kIoError when unreadable (missing, no
// permission), kInvalidArgument when it is too large to be a key.
Status ReadKeyFile(const std::string& path, CleansedString& pem);

// Writes `pem` with mode exactly 0600 (whatever the umask), creating the
// file, and syncs it and its directory before returning; `pem` is cleared
// from memory after. Refuses to overwrite an existing file
// (kAlreadyExists); any other failure is kIoError with the errno text, and
// the partial file is removed.
Status WriteKeyFile(const std::string& path, std::string pem);

// Key::ReadPemFile for every private key type: ReadKeyFile, then
// Key::FromPem, whose errors are prefixed with the path.
template <typename Key>
Result<Key> ReadPrivateKeyFile(const std::string& path) {
  CleansedString pem;
  FUPIN_RETURN_IF_ERROR(ReadKeyFile(path, pem));
  Result<Key> key = Key::FromPem(pem.get());
  if (!key.ok()) return key.status().WithContext(path);
  return key;
}

}  // namespace fupin::crypto::internal
