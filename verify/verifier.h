// Private to verify/: the one verification run behind VerifyStore, split
// along its stages — checkpoints.cc (the identity, the stored checkpoints,
// their consistency), record_pass.cc (the ordered pass over the records and
// the derived-state folds it feeds), indexes.cc (the indexes, entity states
// and derived states compared after the pass) and verify.cc (the run).
//
// Thread-safety: one Verifier is driven by one thread; it hands work to its
// own WorkerPool and joins it before returning.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstring>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/crypto.h"
#include "ledger/merkle.h"
#include "ledger/signed_note.h"
#include "ledger/status.h"
#include "ledger/store_db.h"
#include "ledger/store_format.h"
#include "verify/chunk.h"
#include "verify/fold.h"
#include "verify/huge_pages.h"
#include "verify/pool.h"
#include "verify/verify.h"

namespace fupin::verify {

inline int64_t MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

// Compares rebuilt Merkle nodes with the stored ones, level by level, each
// level read in order by its own cursor.
class StoredNodeCursor {
 public:
  explicit StoredNodeCursor(const StoreDb& store) : store_(store) {}
  // Empty when equal; otherwise what is wrong.
  std::string Check(const merkle::NodeWrite& node) {
    if (cursors_.size() <= node.id.level) cursors_.resize(node.id.level + 1);
    std::unique_ptr<StoreCursor>& cursor = cursors_[node.id.level];
    const std::string key = store_format::MerkleKey(node.id);
    if (cursor == nullptr) {
      cursor = store_.NewCursor(Cf::kMerkle);
      cursor->Seek(key);
    }
    if (!cursor->Valid() || cursor->key() != key) return "is missing";
    const std::string_view value = cursor->value();
    const bool equal = value.size() == node.hash.size() &&
                       std::memcmp(value.data(), node.hash.data(), node.hash.size()) == 0;
    cursor->Next();
    return equal ? std::string() : "differs from the rebuilt node";
  }

 private:
  const StoreDb& store_;
  std::vector<std::unique_ptr<StoreCursor>> cursors_;
};

// Order-independent digest of index entries per seq: the ledger's
// expectation is added, the stored entries subtracted; both must cancel.
enum IndexKind : std::size_t { kStreamIdx = 0, kEventIdIdx = 1, kReferenceIdx = 2 };
inline constexpr FailureKind kIndexFailure[] = {
    FailureKind::kStreamIndex, FailureKind::kEventIdIndex, FailureKind::kReferenceIndex};
inline constexpr std::string_view kIndexName[] = {"stream index", "event-id index",
                                                  "reference index"};

// Indexed by seq, in the order of the index keys (random in seq): huge
// pages, as the fold's tables.
struct IndexTally {
  std::vector<uint64_t, HugePageAllocator<uint64_t>> digest;
  std::vector<int32_t, HugePageAllocator<int32_t>> count;
  void Resize(uint64_t n) {
    digest.assign(n, 0);
    count.assign(n, 0);
  }
};
class Verifier {
 public:
  Verifier(const StoreDb& store, const VerifyOptions& options,
           const std::optional<VerifyReport>& previous)
      : store_(store),
        options_(options),
        previous_(previous),
        sink_(options.max_failures),
        nodes_(store) {}

  Result<VerifyReport> Run();

 private:
  struct StoredCheckpoint {
    uint64_t size = 0;
    merkle::Hash root{};
  };

  Status LoadIdentity();
  Status LoadCheckpoints();
  // The checkpoints' C2SP notes (signatures on the workers) and, with a
  // witness policy, their cosignatures; sets report_.witnessed.
  Status CheckNotes();
  void CompareWithPrevious();
  Status RecordPass();
  uint64_t ChunkRecords() const;
  void JoinChunk(ChunkResult& chunk);
  void FoldEntry(Entry& e);
  bool ChecksSignature(const Entry& e) const;
  void FinishChunk(ChunkResult& chunk, std::vector<std::future<void>>& work);
  void CheckConsistency();
  Status CheckIndex(std::size_t index, std::vector<Finding>& findings, uint64_t& entries);
  Status CheckEntityStates(std::vector<Finding>& findings, uint64_t& compared);
  Status BeginDerived();
  void FoldDerived(Entry& e, std::optional<EventBody>& body);
  Status CheckDerived();
  bool Hashing() const { return mode_ == VerifyMode::kHashOnly; }

  const StoreDb& store_;
  const VerifyOptions& options_;
  unsigned threads_ = 1;
  std::unique_ptr<WorkerPool> pool_;
  const std::optional<VerifyReport>& previous_;
  FailureSink sink_;
  VerifyReport report_;
  VerifyMode mode_ = VerifyMode::kFull;
  std::optional<VerifiedCheckpoint> anchor_;

  std::optional<LedgerIdentity> identity_;
  std::optional<note::VerifierKey> note_key_;  // the system key under the origin
  std::unique_ptr<LogFold> fold_;
  uint64_t log_end_ = 0;                       // last record key + 1
  uint64_t verified_ = 0;                      // records the pass went through (stops at a gap)
  std::vector<StoredCheckpoint> checkpoints_;  // valid ones, ascending
  std::size_t next_checkpoint_ = 0;
  uint64_t signed_before_ = 0;              // signatures below this seq were checked earlier
  LogEdge edge_{merkle::HashAlg::kSha256};  // LoadIdentity sets the log's hash
  StoredNodeCursor nodes_;                  // the nodes above the chunks
  // stream -> version, leaf hash of its last record
  using StreamHead = std::pair<uint64_t, merkle::Hash>;
  HugePageStringMap<StreamHead> heads_;
  int64_t last_recorded_ms_ = 0;
  IndexTally tally_[3];
  // The derived-state folds, fed by FoldEntry; records [0, derived_folded_)
  // were applied, up to the first that could not be parsed.
  std::vector<std::unique_ptr<DerivedFold>> derived_;
  uint64_t derived_folded_ = 0;
  bool derived_stopped_ = false;
  // Drawn when the run starts: what was stored before cannot have been
  // chosen to cancel out in the index sums (crypto::SipHasher).
  crypto::SipHasher::Key index_key_{};
};

}  // namespace fupin::verify
