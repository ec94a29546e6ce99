// The signing keys of a generated campaign: derived from the seed, so the
// same seed always gives the same keys (and signatures), and written out
// for tools and tests. TEST ONLY: anyone with the seed has the keys.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "generator/world.h"
#include "ledger/status.h"

namespace fupin::generator {

// Ed25519PrivateKey::FromSeed(SHA-256(seed as 8 big-endian bytes ‖ key id)).
KeyEntry DeriveKey(uint64_t seed, std::string key_id, std::vector<std::string> roles,
                   std::vector<std::string> regions, std::string supplier_id = "");

// Writes DIR/<key id>.pem (PKCS#8, mode 0600) for every key, DIR/keys.json
// (one object per key: id, roles, regions, public_key, supplier_id when
// set, file) and DIR/README.txt. kIoError on any failure.
Status WriteKeys(const std::string& dir, const std::vector<KeyEntry>& keys);

}  // namespace fupin::generator
