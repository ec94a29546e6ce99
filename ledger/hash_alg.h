// The hash of a log: SHA-256 (the default) or SM3 (GB/T 32905, for
// deployments that must use the national algorithms). A log's hash is
// chosen at genesis, recorded in seq 0 and in every checkpoint, and used for
// everything the log commits to: leaf and node hashes (RFC 9162 structure
// with its 0x00/0x01 prefixes), stream chains, the log id, roots and
// proofs. Both digests are 32 bytes and share crypto::Digest.
//
// Hashes that are not commitments of the log stay SHA-256 whatever the
// log's hash: read-token digests in the server config, ETags, signed-note
// key IDs (C2SP signed-note fixes SHA-256), flag ids and internal content
// digests (docs/format.md "SM3 logs").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "ledger/crypto.h"

namespace fupin::crypto {

enum class HashAlg : uint8_t { kSha256 = 0, kSm3 = 1 };

// "sha256" / "sm3": the names in seq 0's body, checkpoints and `init --hash`.
std::string_view HashAlgName(HashAlg alg);
std::optional<HashAlg> HashAlgFromName(std::string_view name);

Digest HashOf(HashAlg alg, std::string_view data);
// The digest of the `prefix` byte followed by data (RFC 9162 leaf and node
// hashing); the data is fed to the digest in place, never copied.
Digest HashWithPrefix(HashAlg alg, uint8_t prefix, std::string_view data);
Digest HashWithPrefix(HashAlg alg, uint8_t prefix, const Digest& left, const Digest& right);

// Incremental hashing over several pieces. One hasher is not thread-safe;
// use one per thread.
class Hasher {
 public:
  explicit Hasher(HashAlg alg);
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  HashAlg alg() const { return alg_; }
  void Update(std::string_view data);
  Digest Final();  // the hasher can be reused after Final (it restarts)

 private:
  struct Impl;
  HashAlg alg_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fupin::crypto
