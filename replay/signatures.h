// Checking who signed a record: the key registry as of a seq, and the
// event signature of SPEC §2.1 over a record's leaf data.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "ledger/key_alg.h"
#include "ledger/ledger.h"
#include "ledger/status.h"
#include "replay/replay_source.h"

namespace fupin::replay {

// A public key as key.registered states it: `alg` and `public_key`.
struct PublicKeyText {
  KeyAlg alg = KeyAlg::kEd25519;
  std::string b64;  // standard base64 of the raw key
  bool operator==(const PublicKeyText&) const = default;
};

// A signing key as registered in the log.
struct RegisteredKey {
  std::string key_id;
  PublicKeyText public_key;     // as in key.registered
  uint64_t registered_seq = 0;  // the key.registered record in force
};

// The public key of a key.registered event naming `key_id`, from its body;
// kNotFound when the event is not a key.registered of that key (or names
// no algorithm this build knows).
Result<PublicKeyText> RegisteredPublicKey(const LeafFields& leaf, std::string_view key_id);

// True iff the event in `leaf` carries a valid signature by `key` (Ed25519,
// or SM2: event_key.h) over "fupin-ledger/event/v1\n" + JCS(event without
// sig). Parsed keys are cached per thread. Errors: kDataLoss when the
// event is not a well-formed envelope, or the key is not a valid key of
// its algorithm.
Result<bool> VerifyEventSignature(const LeafFields& leaf, const PublicKeyText& key);

// Resolves keys against the log's key streams: the key in force for a
// record at `seq` is the last key.registered of that id at or before seq
// (at: the genesis record registers the system key and is signed by it).
// Caches per key id. Not thread-safe.
class KeyRegistry {
 public:
  explicit KeyRegistry(const Ledger& ledger) : ledger_(ledger) {}
  // kNotFound when no registration of `key_id` precedes `seq`.
  Result<RegisteredKey> KeyAt(std::string_view key_id, uint64_t seq);

 private:
  Status Load(std::string_view key_id);
  const Ledger& ledger_;
  // key id -> (registration seq -> public key)
  std::map<std::string, std::map<uint64_t, PublicKeyText>, std::less<>> registrations_;
};

}  // namespace fupin::replay
