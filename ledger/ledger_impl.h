// Private to ledger/: the state behind Ledger, shared by its three parts —
// ledger.cc (genesis, opening, the system key), ledger_writer.cc (the
// writer thread: queue, sequencing, group commit, checkpoints) and
// ledger_reads.cc (records, streams, indexes, checkpoints and proofs).
//
// Thread-safety: Append and the reads may be called from any thread; the
// members under "Writer-thread state" belong to the writer thread alone.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ledger/event_key.h"
#include "ledger/ledger.h"
#include "ledger/merkle_store.h"
#include "ledger/sequencer.h"
#include "ledger/signed_note.h"
#include "ledger/store_db.h"

namespace fupin {

// SPEC §5: a batch holds at most 1000 events.
inline constexpr std::size_t kMaxBatchEvents = 1000;

class Ledger::Impl {
 public:
  struct Pending {
    std::vector<Envelope> events;
    std::vector<std::optional<SignatureHint>> hints;
    std::promise<AppendResult> done;
  };

  Impl(std::unique_ptr<StoreDb> db, LedgerOptions options)
      : db_(std::move(db)), options_(std::move(options)), sequencer_(*db_) {}
  // Stops the writer after it has committed everything queued.
  ~Impl();

  // Reads the meta entries, the log's end, the Merkle frontier and the last
  // checkpoint; a read-write ledger loads its system key and starts the
  // writer. kDataLoss when the store does not hold what it claims.
  Status Load(const std::string& data_dir);
  Result<Envelope> SignAsSystem(boost::json::object event) const;
  // Ledger::Replicate (ledger_replica.cc).
  Status Replicate(const std::vector<StoredRecord>& records,
                   const std::optional<ReplicatedCheckpoint>& checkpoint,
                   const ReplicaProof& prove);
  // Queues the batch for the writer and waits until it is durable.
  AppendResult Append(std::vector<Envelope> batch);

  // --- reads ---
  StoreDb& db() const { return *db_; }
  // The stored Merkle nodes, upper levels cached (merkle_store.h).
  StoredMerkleNodes merkle_nodes() const { return StoredMerkleNodes(*db_, &merkle_cache_); }
  uint64_t tree_size() const { return tree_size_.load(std::memory_order_acquire); }
  const GenesisInfo& info() const { return info_; }
  const std::string& data_dir() const { return data_dir_; }
  const crypto::Ed25519PublicKey& system_public() const { return system_public_; }
  const note::VerifierKey& note_key() const { return note_key_; }
  bool read_only() const { return options_.read_only || system_key_ == nullptr; }
  // Serializes AddCosignatures' read-modify-write of a note.
  std::mutex& notes_mu() { return notes_mu_; }

 private:
  // Verifies signatures on the caller's thread against the committed key
  // registry; the writer re-checks only what changed since.
  std::vector<std::optional<SignatureHint>> CheckSignatures(
      const std::vector<Envelope>& batch) const;
  std::optional<SignatureHint> CheckSignature(const Envelope& event) const;
  void WriterLoop();
  int64_t CheckpointWaitMs() const;
  Checkpoint MakeCheckpoint(const merkle::Frontier& frontier, int64_t now) const;
  void NoteCheckpoint(const Checkpoint& checkpoint, int64_t now);
  // Read-write opens of a ledger older than notes: the default origin in
  // meta, a signed note for every checkpoint that has none.
  Status BackfillNotes();
  void CommitGroup(std::vector<std::unique_ptr<Pending>>& group);

  std::unique_ptr<StoreDb> db_;
  LedgerOptions options_;
  Sequencer sequencer_;
  GenesisInfo info_;
  std::string data_dir_;
  crypto::Ed25519PublicKey system_public_;
  std::unique_ptr<crypto::Ed25519PrivateKey> system_key_;
  note::VerifierKey note_key_;
  std::mutex notes_mu_;
  mutable MerkleNodeCache merkle_cache_;

  std::atomic<uint64_t> tree_size_{0};
  std::atomic<uint64_t> stats_groups_{0};
  std::atomic<uint64_t> stats_events_{0};
  std::atomic<uint64_t> stats_sync_micros_{0};
  std::atomic<uint64_t> stats_max_group_{0};
  // Writer-thread state.
  merkle::Frontier frontier_{merkle::HashAlg::kSha256};  // Load sets the log's hash
  int64_t last_recorded_ms_ = 0;
  uint64_t checkpoint_size_ = 0;
  int64_t last_checkpoint_ms_ = 0;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Pending>> queue_;
  bool stopping_ = false;
  std::thread writer_;

  friend class Ledger;
};

// "system-" and 16 hex digits of the key's SHA-256: the system key's id.
std::string SystemKeyIdFor(const std::string& public_raw);
// What genesis records write: the key `key_id` with `role` over all regions.
ValidatedEvent GenesisValidated(const std::string& key_id, const crypto::EventPublicKey& public_key,
                                Role role);

// The meta rows of a new data directory (a ledger's or a mirror's): the
// layout, the log's identity, its origin, and a mirror's source.
void AddGenesisMetaPuts(const GenesisInfo& info, std::vector<DbPut>& puts);

// The rows of a newly signed checkpoint: its JSON (SPEC §2.3) in the
// checkpoints column family, and its C2SP note under `origin`, signed by
// `key` too, in the notes column family.
void AddCheckpointPuts(const Checkpoint& checkpoint, const std::string& origin,
                       const crypto::Ed25519PrivateKey& key, std::vector<DbPut>& puts);
// The signed note of `checkpoint` alone (no cosignatures yet).
std::string CheckpointNote(const Checkpoint& checkpoint, const std::string& origin,
                           const crypto::Ed25519PrivateKey& key);

}  // namespace fupin
