// The signing keys of a generated campaign: derived from the seed, so the
// same seed always gives the same keys (and signatures), and written out
// for tools and tests. TEST ONLY: anyone with the seed has the keys.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generator/world.h"
#include "ledger/status.h"

namespace fupin::generator {

// Ed25519PrivateKey::FromSeed(SHA-256(seed as 8 big-endian bytes ‖ key id)).
KeyEntry DeriveKey(uint64_t seed, std::string key_id, std::vector<std::string> roles,
                   std::vector<std::string> regions, std::string supplier_id = "");

// Which algorithm a generated campaign's keys use (`generate --key-alg`).
enum class KeyAlgMix { kEd25519, kSm2, kMixed };
// "ed25519", "sm2" or "mixed"; nullopt for another name.
std::optional<KeyAlgMix> ParseKeyAlgMix(std::string_view name);

// Makes the keys SM2 as `mix` says: all of them (kSm2), every other one
// from keys[1] on (kMixed: the admin key stays Ed25519, its neighbours
// alternate) or none. An SM2 key's scalar is SHA-256("sm2" ‖ the Ed25519
// seed input), hashed again while it is not in [1, n - 2]: derived from
// the seed like the Ed25519 keys.
void ApplyKeyAlgMix(uint64_t seed, KeyAlgMix mix, std::vector<KeyEntry>& keys);

// Writes DIR/<key id>.pem (PKCS#8, mode 0600) for every key, DIR/keys.json
// (one object per key: id, roles, regions, public_key, supplier_id when
// set, file) and DIR/README.txt. kIoError on any failure.
Status WriteKeys(const std::string& dir, const std::vector<KeyEntry>& keys);

}  // namespace fupin::generator
