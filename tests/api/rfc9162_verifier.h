// An independent Merkle verifier for the server tests: the tree hash of
// RFC 9162 §2.1.1 and the verification algorithms of §2.1.3.2 (inclusion)
// and §2.1.4.2 (consistency), written from the RFC with OpenSSL's SHA-256
// directly. It deliberately shares no code with ledger/merkle.h, so a bug
// there cannot hide itself in these tests.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fupin::api::testing {

using Digest32 = std::array<uint8_t, 32>;

inline Digest32 Sha256Of(std::string_view bytes) {
  Digest32 out{};
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, EVP_sha256(), nullptr);
  return out;
}

inline Digest32 InteriorHash(const Digest32& left, const Digest32& right) {
  std::string bytes(1, '\x01');
  bytes.append(reinterpret_cast<const char*>(left.data()), left.size());
  bytes.append(reinterpret_cast<const char*>(right.data()), right.size());
  return Sha256Of(bytes);
}

inline Digest32 LeafHashOf(std::string_view leaf_data) {
  std::string bytes(1, '\x00');
  bytes.append(leaf_data);
  return Sha256Of(bytes);
}

// Lower-case hex to bytes; nullopt unless exactly 64 hex digits.
inline std::optional<Digest32> FromHex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  Digest32 out{};
  for (std::size_t i = 0; i < 32; ++i) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    int hi = nibble(hex[2 * i]);
    int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return out;
}

// MTH(D[begin:end]) over leaf hashes (RFC 9162 §2.1.1), recursively.
inline Digest32 TreeHash(const std::vector<Digest32>& leaves, std::size_t begin, std::size_t end) {
  std::size_t n = end - begin;
  if (n == 0) return Sha256Of("");
  if (n == 1) return leaves[begin];
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;  // the largest power of two smaller than n
  return InteriorHash(TreeHash(leaves, begin, begin + k), TreeHash(leaves, begin + k, end));
}

// RFC 9162 §2.1.3.2.
inline bool VerifyInclusionProof(uint64_t leaf_index, uint64_t tree_size, const Digest32& leaf,
                                 const std::vector<Digest32>& path, const Digest32& root) {
  if (leaf_index >= tree_size) return false;
  uint64_t fn = leaf_index;
  uint64_t sn = tree_size - 1;
  Digest32 r = leaf;
  for (const Digest32& p : path) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = InteriorHash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = InteriorHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

// RFC 9162 §2.1.4.2; first == second holds iff the path is empty and the
// roots are equal (the proof of §2.1.4.1 is then empty).
inline bool VerifyConsistencyProof(uint64_t first, uint64_t second, const Digest32& first_root,
                                   const Digest32& second_root, std::vector<Digest32> path) {
  if (first == 0 || first > second) return false;
  if (first == second) return path.empty() && first_root == second_root;
  if (path.empty()) return false;
  if ((first & (first - 1)) == 0) path.insert(path.begin(), first_root);
  uint64_t fn = first - 1;
  uint64_t sn = second - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Digest32 fr = path[0];
  Digest32 sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Digest32& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = InteriorHash(c, fr);
      sr = InteriorHash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = InteriorHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == first_root && sr == second_root && sn == 0;
}

}  // namespace fupin::api::testing
