// Internal to the ledger: turns batches of parsed events into records, on
// the single writer thread, against an overlay of the commit group being
// built on top of the committed store.
//
// Not thread-safe: owned and used by the writer only. Batches are
// all-or-nothing: a failing batch leaves the group exactly as before it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger/entity_state.h"
#include "ledger/event.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "ledger/record.h"
#include "ledger/store_db.h"
#include "ledger/validation.h"

namespace fupin {

// A signature already checked on a caller's thread against the public key
// the key id had in the committed store at the time.
struct SignatureHint {
  KeyAlg alg = KeyAlg::kEd25519;
  std::string public_key;  // raw; empty when the key was unknown then
  bool valid = false;
};

struct StreamHead {
  uint64_t version = 0;  // 0: the stream has no record yet
  merkle::Hash leaf_hash{};
};

// The pending state of a commit group (or of one batch on top of it).
struct GroupOverlay {
  // An empty overlay of a log whose hash is `alg` (its frontier's).
  explicit GroupOverlay(merkle::HashAlg alg) : frontier(alg) {}
  struct IdEntry {
    uint64_t seq = 0;
    crypto::Digest content{};
    merkle::Hash leaf_hash{};
  };
  std::map<std::string, EntityState> states;  // by StateKey
  std::map<std::string, StreamHead> heads;
  std::map<std::string, IdEntry> ids;
  std::vector<DbPut> puts;  // records, indexes, state and nodes, in order
  merkle::Frontier frontier;
  uint64_t next_seq = 0;

  // Moves a batch's changes into this (its parent) overlay.
  void Absorb(GroupOverlay&& batch);
};

class Sequencer {
 public:
  explicit Sequencer(const StoreDb& db) : db_(db) {}

  // Sequences `batch` at recorded_ms on top of *group. On success the
  // records are in *group and the results returned; on failure *group is
  // unchanged and *failed_index names the event.
  Result<std::vector<AppendedEvent>> SequenceBatch(
      const std::vector<Envelope>& batch, const std::vector<std::optional<SignatureHint>>& hints,
      int64_t recorded_ms, GroupOverlay* group, std::size_t* failed_index) const;

  // Appends an event that is trusted without validation (genesis only).
  Result<AppendedEvent> AppendTrusted(const Envelope& envelope, const ValidatedEvent& validated,
                                      int64_t recorded_ms, GroupOverlay* overlay) const;

 private:
  class View;
  Result<AppendedEvent> SequenceOne(const Envelope& envelope,
                                    const std::optional<SignatureHint>& hint, int64_t recorded_ms,
                                    const GroupOverlay& group, GroupOverlay* batch) const;
  Result<std::optional<GroupOverlay::IdEntry>> FindId(const std::string& id,
                                                      const GroupOverlay& group,
                                                      const GroupOverlay& batch) const;
  Result<StreamHead> Head(const std::string& stream, const GroupOverlay& group,
                          const GroupOverlay& batch) const;

  const StoreDb& db_;
};

}  // namespace fupin
