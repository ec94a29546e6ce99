// Integrity verification of a ledger's store (`fupin-ledger verify`): proves
// from the stored bytes alone, trusting only (log id, system public key)
// kept in meta, that nothing in the log, its indexes, its Merkle tree, its
// checkpoints or its derived state was altered.
//
// What is checked (docs/operations.md, "Verification"):
//   records     gapless seqs, decodable, stored seq = key, leaf hash =
//               SHA-256(0x00 ‖ leaf data), leaf data canonical and its
//               header (seq, recorded_at never decreasing);
//   Merkle      every stored complete-subtree node equals the rebuilt one;
//   checkpoints every one: log id, key, signature with the system key,
//               root = the rebuilt root at its size, consistency proof
//               with the previous one; none beyond the log, none missing
//               that an earlier verification saw;
//   events      genesis as SPEC §2.4; every other event re-validated in
//               log order against the key registry and entity state folded
//               from the records before it (role, scope, validity window,
//               revocation, catalog rules), and its signature verified;
//   streams     derived stream, versions 1, 2, … and prev_stream_hash chain;
//   indexes     stream, event-id and reference index entries equal exactly
//               those the records imply (nothing missing, nothing extra),
//               and the stored entity state equals the folded one;
//   derived     DerivedStateCheck hooks (projections: stored state equals
//               a fresh fold of the records the pass read), supplied by
//               the caller;
//   notes       every checkpoint's C2SP note (tlog_checkpoint.h): its text
//               states the checkpoint's origin, size and root and the
//               system key signed it; with a witness policy, every
//               cosignature of a policy witness verifies and some
//               checkpoint carries the quorum (the newest such is the
//               report's `witnessed`). A missing note is no failure (a
//               ledger older than notes, opened only read-only since).
// Modes: kFull checks everything; kSinceLast skips the signatures of
// events and checkpoints an earlier clean verification already checked
// (the cheap checks still cover the whole log, because the key registry
// at the anchor is itself folded from the log) and proves the anchor
// checkpoint consistent with every later one; kHashOnly checks records,
// Merkle nodes and checkpoints only.
//
// Thread-safety: VerifyStore uses `threads` worker threads of its own
// (reading, hashing, parsing, signatures, index comparison) beside the
// calling thread (the ordered fold, derived-state checks) and reads the
// store through cursors; the store may be a read-only view of a database a
// server is writing.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/event.h"
#include "ledger/event_types.h"
#include "ledger/merkle.h"
#include "ledger/record.h"
#include "ledger/status.h"
#include "ledger/store_db.h"
#include "ledger/witness_policy.h"

namespace fupin::verify {

// What failed. Names (FailureKindName) are stable: reports, the meta entry
// and /v1/integrity carry them. When two failures concern the same seq,
// the one listed first here is the first failure.
enum class FailureKind : uint8_t {
  kRecordMissing,        // a seq below the log's end has no record
  kLogTruncated,         // a checkpoint or earlier verification saw more records
  kRecordUndecodable,    // the stored record is not a stored record
  kRecordSeqMismatch,    // the stored record claims another seq
  kLeafHash,             // stored leaf hash != SHA-256(0x00 ‖ leaf data)
  kLeafData,             // leaf data not a canonical record, or its header wrong
  kMerkleNode,           // a stored Merkle node missing or != the rebuilt one
  kCheckpointMalformed,  // unparseable, wrong log id or key, stored under another size
  kCheckpointSignature,
  kCheckpointRoot,         // root != the rebuilt root at its size
  kCheckpointConsistency,  // no valid consistency proof from the previous one
  kCheckpointMissing,      // a checkpoint an earlier verification saw is gone
  kEventSignature,
  kEventKey,      // unknown/revoked/expired key, role, scope, supplier
  kEventInvalid,  // breaks the catalog's rules given the log before it
  kStreamChain,   // stream, version or prev_stream_hash wrong
  kStreamIndex,
  kEventIdIndex,
  kReferenceIndex,
  kEntityState,      // stored entity state != the folded one
  kProjectionState,  // stored projection state != a fresh fold
  kCheckpointNote,   // a C2SP note malformed, not its checkpoint's, or not signed by the ledger
  kCosignature,      // a policy witness's cosignature does not verify
  kWitnessQuorum,    // no checkpoint carries the policy's quorum of cosignatures
};
std::string_view FailureKindName(FailureKind kind);

struct IntegrityFailure {
  FailureKind kind = FailureKind::kRecordMissing;
  // The seq the failure is about (for a checkpoint: its tree size - 1; for
  // derived state: the last seq folded into it); none when no record can
  // be named (an index entry that names no valid seq).
  std::optional<uint64_t> seq;
  std::string detail;
};

// Receives failures; keeps the first `limit` in seq order.
class FailureSink {
 public:
  explicit FailureSink(std::size_t limit) : limit_(limit) {}
  void Add(FailureKind kind, std::optional<uint64_t> seq, std::string detail);
  // Sorted by (seq, kind); failures without a seq last.
  std::vector<IntegrityFailure> Sorted() const;
  uint64_t total() const { return total_; }

 private:
  std::size_t limit_;
  uint64_t total_ = 0;
  std::vector<IntegrityFailure> kept_;
};

// One record of the record pass as a derived-state check folds it: valid
// only during the DerivedFold::Apply call that receives it.
struct PassedRecord {
  uint64_t seq = 0;
  const Envelope* envelope = nullptr;  // the event, strictly parsed
  const RecordHeader* header = nullptr;
  merkle::Hash leaf_hash{};  // SHA-256 of the leaf data as read
  // The typed body, when the re-validation of the record produced one;
  // the fold may move it out. Empty for genesis and for records that
  // failed validation: the fold types the body itself.
  std::optional<EventBody>* body = nullptr;
};

// The fold of one derived-state check over the record pass: it receives
// records 0, 1, 2, … in order on the verifying thread while the pass
// runs, so the log is read and parsed once for every check.
class DerivedFold {
 public:
  virtual ~DerivedFold() = default;
  // The next record. Failures go to the sink given to Begin.
  virtual void Apply(PassedRecord& record) = 0;
  // The pass is over: records [0, folded) were applied (fewer than
  // `tree_size` when a record could not be parsed) and [0, tree_size)
  // were verified. Reports what could not be compared and counts what was
  // in *checked.
  virtual void Finish(uint64_t folded, uint64_t tree_size, uint64_t* checked) = 0;
};

// A check of state derived from the log and stored beside it (the
// projections), plugged in by a layer above ledger/.
class DerivedStateCheck {
 public:
  virtual ~DerivedStateCheck() = default;
  virtual std::string_view name() const = 0;
  // Reads what `store` holds (for records [0, log_end) at most) and
  // returns the fold that compares it with the log, or nullptr when
  // nothing is stored to compare. Failures of what was read go to `sink`,
  // which must outlive the fold. Errors only when it could not run (I/O).
  virtual Result<std::unique_ptr<DerivedFold>> Begin(const StoreDb& store, uint64_t log_end,
                                                     FailureSink& sink) const = 0;
};

enum class VerifyMode : uint8_t { kFull, kSinceLast, kHashOnly };
std::string_view VerifyModeName(VerifyMode mode);

// The signed tree head a run ends at (the anchor of the next --since-last).
struct VerifiedCheckpoint {
  uint64_t tree_size = 0;
  merkle::Hash root_hash{};
};

struct VerifyCounts {
  uint64_t records = 0;
  uint64_t signatures = 0;   // event signatures verified
  uint64_t checkpoints = 0;  // checkpoints checked
  uint64_t merkle_nodes = 0;
  uint64_t index_entries = 0;  // stream + event-id + reference entries
  uint64_t entity_states = 0;
  uint64_t derived_states = 0;  // projection states compared
  uint64_t notes = 0;           // checkpoint notes checked
};

// With a witness policy: the newest checkpoint whose cosignatures meet the
// quorum, and who cosigned it.
struct WitnessedCheckpoint {
  uint64_t tree_size = 0;
  std::size_t quorum = 0;
  std::vector<WitnessCosignature> cosigners;
};

struct VerifyDurations {
  int64_t total_ms = 0;
  int64_t records_ms = 0;  // the record pass (hashes, fold, signatures)
  // The index and entity-state comparison after the record pass, and
  // what the derived-state checks do after it (their folds run within
  // the record pass); side by side, each timed on its own.
  int64_t indexes_ms = 0;
  int64_t derived_ms = 0;
};

// The outcome of one run. clean() when no failure was found.
struct VerifyReport {
  VerifyMode mode = VerifyMode::kFull;
  int64_t started_at_ms = 0;  // wall clock, Unix ms
  int64_t finished_at_ms = 0;
  uint64_t tree_size = 0;                        // records verified
  std::optional<VerifiedCheckpoint> checkpoint;  // the last checkpoint verified
  std::optional<VerifiedCheckpoint> since;       // kSinceLast: the anchor used
  std::string note;                              // e.g. why --since-last fell back to a full run
  std::vector<IntegrityFailure> failures;        // sorted, at most max_failures
  uint64_t failures_total = 0;
  VerifyCounts counts;
  VerifyDurations durations;
  // Sizes of every checkpoint seen, ascending (stored for the next run,
  // which reports any of them that disappeared).
  std::vector<uint64_t> checkpoint_sizes;
  // Set when a witness policy was given and a checkpoint met it.
  std::optional<WitnessedCheckpoint> witnessed;

  bool clean() const { return failures_total == 0; }
};

struct VerifyOptions {
  VerifyMode mode = VerifyMode::kFull;
  unsigned threads = 0;  // 0: one per hardware thread
  std::size_t max_failures = 100;
  // Records per chunk handed between reading, folding and verifying: ~50 ms
  // of signature work per chunk on one core, so the hand-over costs
  // nothing and only a few chunks are held in memory. Rounded down to a
  // power of two: a chunk is an aligned subtree of the Merkle tree, read,
  // hashed and compared with the stored nodes by one worker. The hash-only
  // pass, with no signatures to pace, uses chunks 16 times larger. Tests
  // use small chunks to run the pipeline over many of them.
  std::size_t chunk_records = 512;
  // Called on the verifying thread: records checked so far and the total.
  std::function<void(uint64_t done, uint64_t total)> progress;
  std::vector<const DerivedStateCheck*> derived;
  // Wall clock (Unix ms) for started/finished times; injectable for tests.
  std::function<int64_t()> clock;
  // The witnesses whose cosignatures some checkpoint must carry
  // (docs/trust.md); none: cosignatures are not judged.
  std::optional<WitnessPolicy> witness_policy;
};

// Verifies the store of `data_dir` (DIR/db), opened read-only (so it runs
// beside a server, on the log as of the open). The previous result
// (LoadLastVerification) supplies the --since-last anchor and the
// checkpoints seen before. Errors (could not run): kNotFound (no ledger),
// kIoError, kDataLoss when meta itself is unreadable.
Result<VerifyReport> VerifyDataDir(const std::string& data_dir, const VerifyOptions& options);

// The same over an open store; `previous` is the last stored result.
Result<VerifyReport> VerifyStore(const StoreDb& store, const VerifyOptions& options,
                                 const std::optional<VerifyReport>& previous);

// JSON of a report: {"status":"clean"|"tampered","mode",…,"first_failure",
// "failures","counts","durations_ms"}. With `for_storage` also the
// checkpoint sizes the next run compares against.
boost::json::object ReportJson(const VerifyReport& report, bool for_storage);
// Parses a stored report; kDataLoss when malformed.
Result<VerifyReport> ParseReport(std::string_view json);

// Where the last result is kept: the meta column family (key
// kVerifyMetaKey) when the database can be opened for writing, else the
// file kVerifyResultFile next to it (a server holds the database's lock).
inline constexpr std::string_view kVerifyMetaKey = "verify/last";
inline constexpr std::string_view kVerifyResultFile = "verify-last.json";

enum class SavedTo : uint8_t { kMeta, kFile };
// Stores `report` as the last result of `data_dir`. Errors: kIoError.
Result<SavedTo> SaveLastVerification(const std::string& data_dir, const VerifyReport& report);
// The latest stored result (the newer of meta and file by finished time),
// read through `store` (any mode) and the file. nullopt when none.
Result<std::optional<VerifyReport>> LoadLastVerification(const StoreDb& store,
                                                         const std::string& data_dir);

}  // namespace fupin::verify
