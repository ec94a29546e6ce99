// The ledger: a durable, append-only log of signed events in RocksDB, with
// per-stream hash chains, entity and event-id indexes, an RFC 9162 Merkle
// tree and signed checkpoints (SPEC §2, §6).
//
// Ownership and threads: a Ledger owns its RocksDB instance and one writer
// thread. Append() may be called from any number of threads at once: each
// call verifies its signatures on the calling thread (so callers provide the
// parallelism), then hands the batch to the writer, which sequences,
// validates and group-commits (one WriteBatch, one WAL sync per group) and
// wakes the callers only after the sync. All read methods are thread-safe
// and see exactly the committed prefix of the log (never a half-written
// group). Destroying the Ledger finishes queued groups, writes a final
// checkpoint and closes the database.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/crypto.h"
#include "ledger/event.h"
#include "ledger/merkle.h"
#include "ledger/record.h"
#include "ledger/signed_note.h"
#include "ledger/status.h"
#include "ledger/store_db.h"
#include "ledger/witness_policy.h"

namespace fupin {

// Wall clock in Unix milliseconds; injectable for tests.
using Clock = std::function<int64_t()>;
Clock SystemClock();

struct LedgerOptions {
  Clock clock = SystemClock();
  // SPEC §2.3: at most one checkpoint per second.
  int64_t checkpoint_interval_ms = 1000;
  // A commit group takes queued batches until it holds this many events;
  // bounds the latency of the first caller in the group.
  std::size_t max_group_events = 4096;
  // Open without the writer: Append fails with kUnavailable.
  bool read_only = false;
  // RocksDB's memory budget (StoreOpenOptions::memory_bytes).
  std::size_t store_memory_bytes = kDefaultStoreMemoryBytes;
  // Open a mirror's data directory (InitMirror) read-write: no system key,
  // no writer; Append fails with kUnavailable and Replicate stores what the
  // source sequenced. A mirror opened without this (other than read-only)
  // is refused, and a ledger opened with it too.
  bool mirror = false;
};

struct GenesisInfo {
  std::string log_id;  // hex leaf hash of seq 0
  std::string system_key_id;
  std::string system_public_key;  // base64 raw key
  std::string admin_key_id;
  // The log's hash (seq 0's "hash"; SHA-256 when it names none).
  crypto::HashAlg hash = crypto::HashAlg::kSha256;
  // C2SP: the origin line of every checkpoint note, and the system key's
  // verifier key under it ("<origin>+<hex key id>+<base64(0x01 ‖ key)>").
  std::string origin;
  std::string vkey;
  // A mirror's source ("http://…"); empty for a ledger that sequences.
  std::string mirror_source;
};

// A checkpoint a mirror took from its source: the SPEC §2.3 form and, when
// the source serves one, its C2SP note with the cosignatures it carried.
struct ReplicatedCheckpoint {
  Checkpoint checkpoint;
  std::string note;  // empty: none served
};

// Called by Ledger::Replicate with the root of the records it re-sequenced,
// before anything is written; an error refuses the whole call (a mirror
// checks that the root is a prefix of the source's signed tree).
using ReplicaProof = std::function<Status(uint64_t tree_size, const merkle::Hash& root)>;

struct AppendedEvent {
  std::string id;
  uint64_t seq = 0;
  merkle::Hash leaf_hash{};
  bool duplicate = false;  // already in the log with the same content
};

// Outcome of one Append. Either every event was appended (or found as an
// exact duplicate) or none was: then `status` says why and `failed_index`
// which event of the batch failed.
struct [[nodiscard]] AppendResult {
  Status status;
  std::size_t failed_index = 0;
  std::vector<AppendedEvent> events;
  uint64_t tree_size = 0;  // after the commit
  bool ok() const { return status.ok(); }
};

// Counters of the writer's group commits since open (for /metrics and
// benchmarks). Monotonic; read without locking.
struct CommitStats {
  uint64_t groups = 0;       // WriteBatches written
  uint64_t events = 0;       // records they held
  uint64_t sync_micros = 0;  // total time in the synced Write
  uint64_t max_group_events = 0;
};

struct StreamEntry {
  uint64_t version = 0;
  StoredRecord record;
};

class Ledger {
 public:
  // Creates a new ledger in `data_dir` (which must not hold one): the
  // system key (written to data_dir/system-key.pem, mode 0600) and the
  // genesis records of SPEC §2.4. `origin` names the log in its C2SP
  // checkpoint notes (tlog::IsValidOrigin); empty means
  // tlog::DefaultOrigin(log id). `hash` is the log's hash for good
  // (recorded in seq 0). The admin key is Ed25519 (32 bytes) or SM2 (the
  // 65-byte point). Errors: kAlreadyExists, kInvalidArgument (bad admin key
  // or id, bad origin), kIoError.
  static Result<GenesisInfo> Init(const std::string& data_dir,
                                  std::string_view admin_public_key_b64,
                                  std::string_view admin_key_id, const Clock& clock = SystemClock(),
                                  std::string_view origin = {},
                                  crypto::HashAlg hash = crypto::HashAlg::kSha256);

  // Creates a mirror's data directory from the source's genesis records
  // (seq 0 and 1, as served) and its checkpoint of size 2: record 0 must
  // register a system key signed by itself, record 1 an admin key signed by
  // it, both re-sequenced to the very bytes served, and the checkpoint's
  // root and signature must be theirs. The system key's private half is
  // never there. Errors: kAlreadyExists, kInvalidArgument (bad origin),
  // kDataLoss naming what the source got wrong, kIoError.
  static Result<GenesisInfo> InitMirror(const std::string& data_dir,
                                        const std::vector<StoredRecord>& genesis,
                                        const ReplicatedCheckpoint& first, std::string_view origin,
                                        std::string_view source);

  // Opens an existing ledger. A read-write open of a ledger older than
  // origins and notes records the default origin and signs the notes of its
  // existing checkpoints. Errors: kNotFound (no ledger there), kDataLoss
  // (inconsistent store), kIoError.
  static Result<std::unique_ptr<Ledger>> Open(const std::string& data_dir,
                                              LedgerOptions options = {});

  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Appends a batch all-or-nothing; returns once durable (or rejected).
  // Thread-safe; blocks the caller for the signature checks and the commit.
  AppendResult Append(std::vector<Envelope> batch);

  // A mirror's write (LedgerOptions::mirror): `records` continue the log
  // (records[0].seq == tree_size()). Each is re-sequenced from its event and
  // recorded_at exactly as a ledger would (signature against the key
  // registry as of its seq, the catalog's rules, the stream chain) and must
  // come out byte for byte as served. Then `prove` sees the new root, and
  // `checkpoint`, when given, must be of the new size, signed by the system
  // key and have that root; it is stored with its note. All of it is
  // written in one synced batch, or nothing is. Errors: kDataLoss naming
  // the first record or checkpoint that fails (the source's fault), what
  // `prove` returns, kInvalidArgument (not a mirror, not contiguous),
  // kIoError. One caller at a time.
  Status Replicate(const std::vector<StoredRecord>& records,
                   const std::optional<ReplicatedCheckpoint>& checkpoint,
                   const ReplicaProof& prove);

  // Signs an event as the ledger itself (SPEC §2.4: the system key appends
  // flag.raised): sets "key" to the system key id and adds "sig". The
  // private key never leaves the ledger. Ed25519 is deterministic, so the
  // same event always gets the same bytes. Errors: kUnavailable when
  // opened read-only, SignEvent's.
  Result<Envelope> SignAsSystem(boost::json::object unsigned_event) const;

  // --- Reads: thread-safe, bounded by the committed tree size. ---
  uint64_t tree_size() const;
  CommitStats commit_stats() const;
  const GenesisInfo& info() const;
  // The data directory the ledger was opened from (files kept beside the
  // database, e.g. the last verification result while a server runs).
  const std::string& data_dir() const;
  const crypto::Ed25519PublicKey& system_public_key() const;

  // kNotFound when seq >= tree_size().
  Result<StoredRecord> ReadRecord(uint64_t seq) const;
  // Records [from, min(from + limit, tree_size())).
  Result<std::vector<StoredRecord>> ReadRecords(uint64_t from, std::size_t limit) const;
  // Records of `stream` with version >= from_version, in order; the hash
  // chain (prev_stream_hash) is not checked here.
  Result<std::vector<StreamEntry>> ReadStream(std::string_view stream, uint64_t from_version,
                                              std::size_t limit) const;
  // Seqs of records naming `entity` ("product:P-1") with seq >= from_seq.
  Result<std::vector<uint64_t>> ReferencingSeqs(std::string_view entity, uint64_t from_seq,
                                                std::size_t limit) const;
  // The seq of the event with this id, if appended.
  Result<std::optional<uint64_t>> FindEvent(std::string_view event_id) const;

  // Latest checkpoint (there is always one after Init).
  Result<Checkpoint> LatestCheckpoint() const;
  // The checkpoint of `tree_size` as a C2SP signed note, with every
  // cosignature stored for it. kNotFound when none was signed at that size.
  Result<note::Note> NoteAt(uint64_t tree_size) const;
  // Adds cosignature lines to the note of `tree_size` (a line of the same
  // name and key ID replaces the older one) and writes it durably. The
  // caller has verified them. Thread-safe; kNotFound without that note,
  // kUnavailable when read-only.
  Status AddCosignatures(uint64_t tree_size, const std::vector<note::NoteSignature>& lines);
  // The newest checkpoint at or below the latest whose stored note carries
  // `policy`'s quorum of valid cosignatures, looking back over at most
  // `look_back` stored notes; nullopt when none does.
  Result<std::optional<uint64_t>> NewestWitnessedSize(const WitnessPolicy& policy,
                                                      uint64_t look_back) const;
  // The system key's note verifier key (type 0x01, named by the origin).
  const note::VerifierKey& note_key() const;
  // kNotFound when no checkpoint was signed at that size.
  Result<Checkpoint> CheckpointAt(uint64_t tree_size) const;
  // Root/proofs over the committed tree; kInvalidArgument for sizes beyond
  // tree_size() or invalid ranges.
  Result<merkle::Hash> RootAt(uint64_t tree_size) const;
  Result<std::vector<merkle::Hash>> InclusionPath(uint64_t seq, uint64_t tree_size) const;
  Result<std::vector<merkle::Hash>> ConsistencyPath(uint64_t first, uint64_t second) const;

  // The underlying store, for components that keep derived state beside
  // the log in their own column family (projections: Cf::kProjections).
  // They must never write the log's column families.
  StoreDb& store() const;

 private:
  class Impl;
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fupin
