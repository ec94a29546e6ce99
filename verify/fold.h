// Internal to verification (verify.cc): the ordered re-validation of the
// log. Folds the key registry and entity state from the records in seq
// order, exactly as the ledger's writer built them, and says for each
// record which key must have signed it and what the ledger must have
// written beside it (stream, references, entity states).
//
// Not thread-safe: used by the verifying thread only.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "ledger/crypto.h"
#include "ledger/entity_state.h"
#include "ledger/event.h"
#include "ledger/event_key.h"
#include "ledger/record.h"
#include "ledger/validation.h"
#include "verify/huge_pages.h"
#include "verify/verify.h"

namespace fupin::verify {

// The trust anchor: what meta says about the ledger's own key.
struct LedgerIdentity {
  std::string log_id;  // hex leaf hash of seq 0
  std::string system_key_id;
  crypto::Ed25519PublicKey system_key;
  // The log's hash, as seq 0 names it (SHA-256 when seq 0 is unreadable:
  // the record pass then reports seq 0 itself).
  merkle::HashAlg hash = merkle::HashAlg::kSha256;
};

// What the fold decided about one record.
struct FoldOutcome {
  // The failure, if the record may not stand where it is (the ledger
  // would have refused it); then `validated` holds what could be derived.
  std::optional<std::pair<FailureKind, std::string>> failure;
  ValidatedEvent validated;
  // The key the signature must verify with; null when the signer is
  // unknown (the failure says so).
  const crypto::EventPublicKey* signer = nullptr;
};

// The verification pass's tables keyed by store key or stream name: open
// addressing, in huge pages (both are as large as the log and looked up at
// random).
template <typename Value>
using HugePageStringMap =
    boost::unordered_flat_map<std::string, Value, boost::hash<std::string>,
                              std::equal_to<std::string>,
                              HugePageAllocator<std::pair<const std::string, Value>>>;

class LogFold {
 public:
  explicit LogFold(const LedgerIdentity& identity)
      : identity_(identity), system_signer_(identity.system_key) {}

  // Re-validates the record at `seq` (leaf already parsed) against the
  // state folded so far and applies its state writes when valid.
  FoldOutcome Apply(uint64_t seq, const Envelope& envelope, int64_t recorded_ms);

  // Entity states as folded, by store key (store_format::StateKey), with
  // the seq of the record that last wrote each.
  struct Held {
    EntityState state;
    uint64_t seq = 0;
  };
  // Open addressing: the fold looks up several entities per record among
  // as many as the log has records, and a node-based map paid two or three
  // cache misses per lookup. Huge pages: the table is hundreds of megabytes
  // on a large log and every lookup lands somewhere else in it.
  using States = HugePageStringMap<Held>;
  const States& states() const { return view_.states; }

 private:
  class View : public LedgerView {
   public:
    Result<const EntityState*> Find(EntityKind kind, std::string_view id) const override;
    States states;

   private:
    mutable std::string key_;  // reused by Find: no allocation per lookup
  };

  FoldOutcome Genesis(uint64_t seq, const Envelope& envelope);
  const crypto::EventPublicKey* KeyFor(const KeyState& key);

  const LedgerIdentity& identity_;
  const crypto::EventPublicKey system_signer_;  // identity_.system_key
  View view_;
  // Parsed public keys by raw bytes (their length tells the algorithm:
  // 32 bytes Ed25519, 65 SM2); node-based so pointers stay valid.
  std::map<std::string, crypto::EventPublicKey> keys_;
};

}  // namespace fupin::verify
