// VerifyStore: one ordered pass over the records in aligned chunks
// (verify_chunk.h: read, hashed, Merkle subtrees compared and parsed on
// worker threads; joined onto the log's edge, checkpoint roots checked and
// folded in seq order on the calling thread, which also feeds the
// derived-state folds; signatures and reference digests on the workers
// again), then the index and entity-state comparisons on the workers.
#include "verify/verify.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstring>
#include <deque>
#include <filesystem>
#include <future>
#include <new>
#include <thread>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "verify/huge_pages.h"
#include "ledger/random.h"
#include "ledger/store_format.h"
#include "ledger/time.h"
#include "verify/chunk.h"
#include "verify/fold.h"
#include "verify/pool.h"

namespace fupin::verify {
namespace {

namespace sf = store_format;
namespace fs = std::filesystem;

// Chunks whose signatures may still be in verification while the fold
// moves on: keeps every worker busy without holding the whole log.
inline constexpr std::size_t kChunksInFlight = 4;
// The hash-only pass has no signature work to pace: larger chunks spread
// the per-chunk cursor seeks over more records.
inline constexpr uint64_t kHashOnlyChunkFactor = 16;

// True when `hex` is the lower-case hex of `hash` (no string built).
bool IsHexOf(std::string_view hex, const merkle::Hash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (hex.size() != 2 * hash.size()) return false;
  for (std::size_t i = 0; i < hash.size(); ++i) {
    if (hex[2 * i] != kDigits[hash[i] >> 4] || hex[2 * i + 1] != kDigits[hash[i] & 0xf]) {
      return false;
    }
  }
  return true;
}

int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

// Complete-subtree hashes as stored (for consistency proofs).
class StoredNodeReader : public merkle::NodeReader {
 public:
  explicit StoredNodeReader(const StoreDb& store) : store_(store) {}
  Result<merkle::Hash> Node(merkle::NodeId id) const override {
    Result<std::optional<std::string>> value = store_.Get(Cf::kMerkle, sf::MerkleKey(id));
    if (!value.ok()) return value.status();
    merkle::Hash hash;
    if (!value->has_value() || (*value)->size() != hash.size()) {
      return Status(ErrorCode::kNotFound, "Merkle node (" + std::to_string(id.level) + ", " +
                                              std::to_string(id.index) + ") missing");
    }
    std::memcpy(hash.data(), (*value)->data(), hash.size());
    return hash;
  }

 private:
  const StoreDb& store_;
};

// Compares rebuilt Merkle nodes with the stored ones, level by level, each
// level read in order by its own cursor.
class StoredNodeCursor {
 public:
  explicit StoredNodeCursor(const StoreDb& store) : store_(store) {}
  // Empty when equal; otherwise what is wrong.
  std::string Check(const merkle::NodeWrite& node) {
    if (cursors_.size() <= node.id.level) cursors_.resize(node.id.level + 1);
    std::unique_ptr<StoreCursor>& cursor = cursors_[node.id.level];
    const std::string key = sf::MerkleKey(node.id);
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
  std::unique_ptr<LogFold> fold_;
  uint64_t log_end_ = 0;                       // last record key + 1
  uint64_t verified_ = 0;                      // records the pass went through (stops at a gap)
  std::vector<StoredCheckpoint> checkpoints_;  // valid ones, ascending
  std::size_t next_checkpoint_ = 0;
  uint64_t signed_before_ = 0;  // signatures below this seq were checked earlier
  LogEdge edge_;
  StoredNodeCursor nodes_;  // the nodes above the chunks
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

Status Verifier::LoadIdentity() {
  auto meta = [&](std::string_view name) -> Result<std::string> {
    Result<std::optional<std::string>> value = store_.Get(Cf::kMeta, name);
    if (!value.ok()) return value.status();
    if (!value->has_value()) {
      return Status(ErrorCode::kDataLoss, "meta entry " + std::string(name) + " is missing");
    }
    return std::move(value).value().value();
  };
  Result<std::string> log_id = meta(sf::kMetaLogId);
  Result<std::string> key_id = meta(sf::kMetaSystemKeyId);
  Result<std::string> public_b64 = meta(sf::kMetaSystemPublicKey);
  for (const auto* r : {&log_id, &key_id, &public_b64}) {
    if (!r->ok()) return r->status();
  }
  Result<crypto::Ed25519PublicKey> key = crypto::Ed25519PublicKey::FromBase64(*public_b64);
  if (!key.ok()) return Status(ErrorCode::kDataLoss, "meta system_public_key is not a key");
  identity_ = LedgerIdentity{*log_id, *key_id, std::move(key).value()};
  fold_ = std::make_unique<LogFold>(*identity_);
  Result<std::optional<std::pair<std::string, std::string>>> last = store_.Last(Cf::kRecords, "");
  if (!last.ok()) return last.status();
  if (last->has_value()) {
    std::optional<uint64_t> seq = sf::ParseUint64Key((*last)->first);
    if (!seq) return Status(ErrorCode::kDataLoss, "the last record key is malformed");
    log_end_ = *seq + 1;
  }
  return Status::Ok();
}

Status Verifier::LoadCheckpoints() {
  std::vector<std::pair<std::string, std::string>> stored;
  FUPIN_RETURN_IF_ERROR(
      store_.Scan(Cf::kCheckpoints, "", "", [&](std::string_view key, std::string_view value) {
        stored.emplace_back(key, value);
        return true;
      }));
  // Parsed first, then the signatures (one Ed25519 check each, hundreds on
  // a large log) on the workers, then judged in order.
  struct Loaded {
    std::optional<uint64_t> size;
    std::optional<Result<Checkpoint>> checkpoint;
    bool well_formed = false;
    bool signature_ok = true;
  };
  std::vector<Loaded> loaded(stored.size());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    Loaded& l = loaded[i];
    l.size = sf::ParseUint64Key(stored[i].first);
    if (!l.size || *l.size == 0) continue;
    l.checkpoint = ParseCheckpoint(stored[i].second);
    const Result<Checkpoint>& c = *l.checkpoint;
    l.well_formed = c.ok() && c->tree_size == *l.size && c->log_id == identity_->log_id &&
                    c->key_id == identity_->system_key_id;
  }
  std::vector<std::future<void>> signatures =
      pool_->Ranges(loaded.size(), [this, &loaded](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          Loaded& l = loaded[i];
          const bool signed_before = anchor_ && l.size && *l.size <= anchor_->tree_size;
          if (l.well_formed && !signed_before) {
            l.signature_ok = VerifyCheckpoint(**l.checkpoint, identity_->system_key);
          }
        }
      });
  WaitAll(signatures);

  bool truncated_reported = false;
  for (Loaded& l : loaded) {
    ++report_.counts.checkpoints;
    if (!l.size || *l.size == 0) {
      sink_.Add(FailureKind::kCheckpointMalformed, std::nullopt, "checkpoint key malformed");
      continue;
    }
    const uint64_t size = *l.size;
    report_.checkpoint_sizes.push_back(size);
    const uint64_t seq = size - 1;
    const std::string at = "checkpoint " + std::to_string(size);
    const Result<Checkpoint>& checkpoint = *l.checkpoint;
    if (!checkpoint.ok()) {
      sink_.Add(FailureKind::kCheckpointMalformed, seq, at + ": " + checkpoint.status().message());
      continue;
    }
    if (!l.well_formed) {
      sink_.Add(FailureKind::kCheckpointMalformed, seq,
                at + ": tree size, log id or key differ from where it is stored");
      continue;
    }
    if (!l.signature_ok) {
      sink_.Add(FailureKind::kCheckpointSignature, seq, at + ": signature does not verify");
      continue;
    }
    if (size > log_end_) {
      if (!truncated_reported) {
        sink_.Add(FailureKind::kLogTruncated, log_end_,
                  at + " covers " + std::to_string(size) + " records, the log holds " +
                      std::to_string(log_end_));
        truncated_reported = true;
      }
      continue;
    }
    checkpoints_.push_back({size, checkpoint->root_hash});
  }
  return Status::Ok();
}

void Verifier::CompareWithPrevious() {
  if (!previous_) return;
  if (previous_->tree_size > log_end_) {
    sink_.Add(FailureKind::kLogTruncated, log_end_,
              "an earlier verification saw " + std::to_string(previous_->tree_size) +
                  " records, the log holds " + std::to_string(log_end_));
  }
  for (uint64_t size : previous_->checkpoint_sizes) {
    if (!std::binary_search(report_.checkpoint_sizes.begin(), report_.checkpoint_sizes.end(),
                            size)) {
      sink_.Add(
          FailureKind::kCheckpointMissing, size - 1,
          "checkpoint " + std::to_string(size) + " was verified earlier and is no longer stored");
    }
  }
  if (anchor_) {
    auto it = std::find_if(checkpoints_.begin(), checkpoints_.end(),
                           [&](const StoredCheckpoint& c) { return c.size == anchor_->tree_size; });
    if (it != checkpoints_.end() && it->root != anchor_->root_hash) {
      sink_.Add(FailureKind::kCheckpointRoot, anchor_->tree_size - 1,
                "checkpoint " + std::to_string(anchor_->tree_size) +
                    " differs from the one verified earlier");
    }
  }
}

uint64_t Verifier::ChunkRecords() const {
  const uint64_t records = std::bit_floor(std::max<uint64_t>(1, options_.chunk_records));
  return Hashing() ? records * kHashOnlyChunkFactor : records;
}

void Verifier::JoinChunk(ChunkResult& chunk) {
  for (Finding& f : chunk.findings) sink_.Add(f.kind, f.seq, std::move(f.detail));
  report_.counts.merkle_nodes += chunk.merkle_nodes;
  std::vector<merkle::NodeWrite> completed;
  for (const ChunkResult::CheckpointEdge& at : chunk.checkpoint_edges) {
    while (next_checkpoint_ < checkpoints_.size() &&
           checkpoints_[next_checkpoint_].size < at.size) {
      ++next_checkpoint_;
    }
    if (next_checkpoint_ == checkpoints_.size() || checkpoints_[next_checkpoint_].size != at.size) {
      continue;
    }
    LogEdge tree = edge_;
    for (const merkle::NodeWrite& node : at.edge) tree.Append(node, &completed);
    const merkle::Hash root = tree.Root();
    if (checkpoints_[next_checkpoint_].root != root) {
      sink_.Add(FailureKind::kCheckpointRoot, at.size - 1,
                "checkpoint " + std::to_string(at.size) + " root " +
                    HexEncode(checkpoints_[next_checkpoint_].root) + " != rebuilt root " +
                    HexEncode(root));
    }
    ++next_checkpoint_;
  }
  // The nodes above the chunk, completed by joining it onto the log.
  completed.clear();
  for (const merkle::NodeWrite& node : chunk.edge) edge_.Append(node, &completed);
  for (const merkle::NodeWrite& node : completed) {
    ++report_.counts.merkle_nodes;
    std::string wrong = nodes_.Check(node);
    if (!wrong.empty()) {
      sink_.Add(FailureKind::kMerkleNode, ((node.id.index + 1) << node.id.level) - 1,
                "Merkle node (" + std::to_string(node.id.level) + ", " +
                    std::to_string(node.id.index) + ") " + wrong);
    }
  }
}

void Verifier::FoldEntry(Entry& e) {
  // Records that could not be decoded or parsed were reported by the
  // chunk's worker; no derived state can be folded past them.
  if (!e.parsed) {
    derived_stopped_ = true;
    return;
  }
  const uint64_t seq = e.seq;
  if (e.recorded_ms < last_recorded_ms_) {
    sink_.Add(FailureKind::kLeafData, seq,
              "recorded_at " + e.header.recorded_at + " is earlier than the record before");
  }
  last_recorded_ms_ = std::max(last_recorded_ms_, e.recorded_ms);

  FoldOutcome outcome = fold_->Apply(seq, e.envelope, e.recorded_ms);
  if (outcome.failure) sink_.Add(outcome.failure->first, seq, outcome.failure->second);
  e.signer = outcome.signer;
  const std::string& stream = outcome.validated.stream;
  if (!stream.empty() && stream != e.header.stream) {
    sink_.Add(FailureKind::kStreamChain, seq,
              "record says stream " + e.header.stream + ", the event belongs to " + stream);
  }
  auto [head, fresh] = heads_.try_emplace(e.header.stream, 0, merkle::Hash{});
  const uint64_t want_version = head->second.first + 1;
  const bool chained = fresh ? e.header.prev_stream_hash.empty()
                             : IsHexOf(e.header.prev_stream_hash, head->second.second);
  if (e.header.stream_version != want_version || !chained) {
    sink_.Add(FailureKind::kStreamChain, seq,
              "stream " + e.header.stream + ": version " + std::to_string(e.header.stream_version) +
                  " (expected " + std::to_string(want_version) +
                  ") or prev_stream_hash does not chain");
  }
  head->second = {e.header.stream_version, e.computed};
  if (e.envelope.expected_version &&
      static_cast<uint64_t>(*e.envelope.expected_version) + 1 != e.header.stream_version) {
    sink_.Add(FailureKind::kEventInvalid, seq, "expected_version does not match the stream");
  }
  // The reference index entries of a valid record; digested beside its
  // signature check.
  if (!outcome.failure) e.references = std::move(outcome.validated.references);
  FoldDerived(e, outcome.validated.body);
}

void Verifier::FoldDerived(Entry& e, std::optional<EventBody>& body) {
  if (derived_.empty() || derived_stopped_ || e.seq != derived_folded_) return;
  PassedRecord record{e.seq, &e.envelope, &e.header, e.computed, &body};
  for (std::unique_ptr<DerivedFold>& fold : derived_) fold->Apply(record);
  ++derived_folded_;
}

Status Verifier::BeginDerived() {
  for (const DerivedStateCheck* check : options_.derived) {
    Result<std::unique_ptr<DerivedFold>> fold = check->Begin(store_, log_end_, sink_);
    if (!fold.ok()) return fold.status();
    if (*fold != nullptr) derived_.push_back(std::move(fold).value());
  }
  return Status::Ok();
}

bool Verifier::ChecksSignature(const Entry& e) const {
  return e.parsed && e.signer != nullptr && e.seq >= signed_before_;
}

void Verifier::FinishChunk(ChunkResult& chunk, std::vector<std::future<void>>& work) {
  WaitAll(work);
  for (const Entry& e : chunk.entries) {
    if (!e.signature_ok) {
      sink_.Add(FailureKind::kEventSignature, e.seq,
                "signature does not verify with key \"" + e.envelope.key_id + "\"");
    }
    if (!e.parsed) continue;
    tally_[kStreamIdx].digest[e.seq] += e.stream_digest;
    ++tally_[kStreamIdx].count[e.seq];
    tally_[kEventIdIdx].digest[e.seq] += e.event_id_digest;
    ++tally_[kEventIdIdx].count[e.seq];
    tally_[kReferenceIdx].digest[e.seq] += e.reference_digest;
    tally_[kReferenceIdx].count[e.seq] += e.reference_count;
  }
}

Status Verifier::RecordPass() {
  WorkerPool& pool = *pool_;
  if (!Hashing()) {
    for (IndexTally& tally : tally_) tally.Resize(log_end_);
  }
  signed_before_ = anchor_ ? anchor_->tree_size : 0;
  std::vector<uint64_t> checkpoint_sizes;
  for (const StoredCheckpoint& c : checkpoints_) checkpoint_sizes.push_back(c.size);
  const uint64_t chunk_records = ChunkRecords();
  const std::size_t read_ahead = 2 * static_cast<std::size_t>(threads_) + 2;

  struct Pending {
    ChunkPlan plan;
    ChunkResult result;
    std::future<void> read;
    std::vector<std::future<void>> signatures;
  };
  std::deque<std::unique_ptr<Pending>> reading;
  std::deque<std::unique_ptr<Pending>> signing;
  uint64_t next_begin = 0;
  bool stopped = false;
  Status status;
  auto submit_reads = [&] {
    while (!stopped && reading.size() < read_ahead && next_begin < log_end_) {
      auto pending = std::make_unique<Pending>();
      pending->plan = ChunkPlan{next_begin, std::min(log_end_, next_begin + chunk_records),
                                log_end_, !Hashing(), index_key_};
      next_begin = pending->plan.end;
      Pending* p = pending.get();
      pending->read = pool.Submit([&store = store_, &checkpoint_sizes, p] {
        ReadChunk(store, p->plan, checkpoint_sizes, &p->result);
      });
      reading.push_back(std::move(pending));
    }
  };
  auto check_signatures = [&](Pending& p) {
    p.signatures = pool.Ranges(p.result.entries.size(), [this, &entries = p.result.entries](
                                                            std::size_t begin, std::size_t end) {
      crypto::SipHasher index_hasher(index_key_);
      for (std::size_t i = begin; i < end; ++i) {
        Entry& e = entries[i];
        if (ChecksSignature(e)) {
          // One per pool thread, for the pool's lifetime (this run).
          thread_local crypto::Ed25519Verifier verifier;
          e.signature_ok =
              verifier.Verify(*e.signer, e.envelope.signing_input, e.envelope.signature);
        }
        for (const std::string& entity : e.references) {
          e.reference_digest += IndexEntryDigest(index_hasher, sf::ReferenceKey(entity, e.seq), "");
          ++e.reference_count;
        }
      }
    });
  };

  submit_reads();
  while (!reading.empty() && !stopped) {
    std::unique_ptr<Pending> current = std::move(reading.front());
    reading.pop_front();
    current->read.get();
    submit_reads();
    ChunkResult& chunk = current->result;
    if (!chunk.status.ok()) {
      status = chunk.status;
      break;
    }
    JoinChunk(chunk);
    verified_ += chunk.count;
    stopped = chunk.stopped;
    if (!Hashing()) {
      for (Entry& e : chunk.entries) {
        FoldEntry(e);
        if (ChecksSignature(e)) ++report_.counts.signatures;
      }
      check_signatures(*current);
      signing.push_back(std::move(current));
      while (signing.size() > kChunksInFlight) {
        FinishChunk(signing.front()->result, signing.front()->signatures);
        // Freed on a worker, where its parsed records were allocated: the
        // verifying thread spent a third of its time freeing them.
        std::shared_ptr<Pending> done(std::move(signing.front()));
        signing.pop_front();
        pool.Submit([done = std::move(done)]() mutable { done.reset(); });
      }
    }
    if (options_.progress) options_.progress(verified_, log_end_);
  }
  // Reads submitted beyond a gap or an error are discarded, but they run
  // on the pool and must end before their results go.
  for (std::unique_ptr<Pending>& p : reading) p->read.get();
  while (!signing.empty()) {
    FinishChunk(signing.front()->result, signing.front()->signatures);
    signing.pop_front();
  }
  report_.counts.records = verified_;
  return status;
}

void Verifier::CheckConsistency() {
  // Each proof reads its own few stored nodes: the proofs run on the
  // workers, their failures are added here.
  const StoredNodeReader nodes(store_);
  auto prove = [&](uint64_t first, const merkle::Hash& first_root, const StoredCheckpoint& second,
                   std::vector<Finding>& findings) {
    if (first == 0 || second.size > verified_) return;
    Result<std::vector<merkle::Hash>> path = merkle::ConsistencyPath(nodes, first, second.size);
    Status proven =
        path.ok() ? merkle::VerifyConsistency(first, second.size, first_root, second.root, *path)
                  : path.status();
    if (!proven.ok()) {
      findings.push_back({FailureKind::kCheckpointConsistency, second.size - 1,
                          "checkpoint " + std::to_string(second.size) + " is not consistent with " +
                              std::to_string(first) + ": " + proven.message()});
    }
  };
  std::vector<std::vector<Finding>> found(checkpoints_.size());
  std::vector<std::future<void>> work =
      pool_->Ranges(checkpoints_.size(), [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = std::max<std::size_t>(begin, 1); i < end; ++i) {
          if (anchor_ && checkpoints_[i].size <= anchor_->tree_size) continue;
          prove(checkpoints_[i - 1].size, checkpoints_[i - 1].root, checkpoints_[i], found[i]);
          if (anchor_) prove(anchor_->tree_size, anchor_->root_hash, checkpoints_[i], found[i]);
        }
      });
  WaitAll(work);
  for (std::vector<Finding>& findings : found) {
    for (Finding& f : findings) sink_.Add(f.kind, f.seq, std::move(f.detail));
  }
}

Status Verifier::CheckIndex(std::size_t index, std::vector<Finding>& findings, uint64_t& entries) {
  const uint64_t end = verified_;
  IndexTally& tally = tally_[index];
  crypto::SipHasher hasher(index_key_);
  auto subtract = [&](std::optional<uint64_t> seq, std::string_view key, std::string_view value) {
    ++entries;
    if (!seq) {
      findings.push_back({kIndexFailure[index], std::nullopt,
                          std::string(kIndexName[index]) + " entry malformed"});
    } else if (*seq >= end) {
      findings.push_back({kIndexFailure[index], *seq,
                          std::string(kIndexName[index]) + " entry names seq " +
                              std::to_string(*seq) + " beyond the verified log"});
    } else {
      tally.digest[*seq] -= IndexEntryDigest(hasher, key, value);
      --tally.count[*seq];
    }
  };
  // Read once, start to end: a scan cursor keeps the blocks out of the
  // block cache.
  constexpr Cf kIndexCf[] = {Cf::kStreams, Cf::kEventIds, Cf::kReferences};
  std::unique_ptr<StoreCursor> cursor = store_.NewScanCursor(kIndexCf[index]);
  for (cursor->Seek(""); cursor->Valid(); cursor->Next()) {
    const std::string_view key = cursor->key();
    const std::string_view value = cursor->value();
    std::optional<uint64_t> seq;
    if (index == kStreamIdx) {
      uint64_t at = 0;
      merkle::Hash hash;
      if (sf::ParseStreamValue(value, &at, &hash)) seq = at;
    } else if (index == kEventIdIdx) {
      uint64_t at = 0;
      crypto::Digest content;
      if (sf::ParseEventIdValue(value, &at, &content)) seq = at;
    } else if (key.size() > 9 && key[key.size() - 9] == '\0') {
      seq = sf::ParseUint64Key(key.substr(key.size() - 8));
    }
    subtract(seq, key, value);
  }
  FUPIN_RETURN_IF_ERROR(cursor->status());
  for (uint64_t seq = 0; seq < end; ++seq) {
    const int32_t count = tally.count[seq];
    if (count == 0 && tally.digest[seq] == 0) continue;
    std::string what = count > 0   ? std::to_string(count) + " entries missing"
                       : count < 0 ? std::to_string(-count) + " extra entries"
                                   : "an entry differs from the record";
    findings.push_back(
        {kIndexFailure[index], seq,
         std::string(kIndexName[index]) + " of seq " + std::to_string(seq) + ": " + what});
  }
  return Status::Ok();
}

Status Verifier::CheckEntityStates(std::vector<Finding>& findings, uint64_t& compared) {
  const LogFold::States& folded = fold_->states();
  std::size_t matched = 0;
  std::string lookup;
  std::unique_ptr<StoreCursor> cursor = store_.NewScanCursor(Cf::kState);
  for (cursor->Seek(""); cursor->Valid(); cursor->Next()) {
    const std::string_view key = cursor->key();
    const std::string_view value = cursor->value();
    ++compared;
    lookup.assign(key);
    auto it = folded.find(lookup);
    if (it == folded.end()) {
      findings.push_back({FailureKind::kEntityState, std::nullopt,
                          "stored entity state " + HexEncode(key.substr(0, 1)) + ":" +
                              std::string(key.substr(1)) + " was written by no record"});
      continue;
    }
    ++matched;
    if (EncodeEntityState(it->second.state) != value) {
      findings.push_back({FailureKind::kEntityState, it->second.seq,
                          "stored state of " + std::string(key.substr(1)) +
                              " differs from the state folded from the log"});
    }
  }
  FUPIN_RETURN_IF_ERROR(cursor->status());
  if (matched != folded.size()) {
    for (const auto& [key, held] : folded) {
      Result<std::optional<std::string>> stored = store_.Get(Cf::kState, key);
      if (stored.ok() && !stored->has_value()) {
        findings.push_back({FailureKind::kEntityState, held.seq,
                            "state of " + key.substr(1) + " written by seq " +
                                std::to_string(held.seq) + " is missing"});
      }
    }
  }
  return Status::Ok();
}

Status Verifier::CheckDerived() {
  // The three indexes and the entity states are compared on the workers
  // while the derived-state folds finish here.
  struct Part {
    Status status;
    std::vector<Finding> findings;
    uint64_t count = 0;
  };
  std::vector<Part> parts(4);
  const auto started = std::chrono::steady_clock::now();
  std::atomic<int64_t> indexes_done_ms{0};
  std::atomic<int> left{4};
  auto done = [&] {
    if (--left == 0) indexes_done_ms = MsSince(started);
  };
  std::vector<std::future<void>> work;
  for (std::size_t index = 0; index < 3; ++index) {
    work.push_back(pool_->Submit([&, index] {
      Part& part = parts[index];
      part.status = CheckIndex(index, part.findings, part.count);
      done();
    }));
  }
  work.push_back(pool_->Submit([&] {
    Part& part = parts[3];
    part.status = CheckEntityStates(part.findings, part.count);
    done();
    // The fold's tables (a few strings per entity of the log) are freed
    // here, beside the other checks, rather than after the run.
    fold_.reset();
  }));
  work.push_back(pool_->Submit([&] { HugePageStringMap<StreamHead>().swap(heads_); }));
  for (std::unique_ptr<DerivedFold>& fold : derived_) {
    fold->Finish(derived_folded_, verified_, &report_.counts.derived_states);
  }
  derived_.clear();
  report_.durations.derived_ms = MsSince(started);
  WaitAll(work);
  report_.durations.indexes_ms = indexes_done_ms;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    FUPIN_RETURN_IF_ERROR(parts[i].status);
    for (Finding& f : parts[i].findings) sink_.Add(f.kind, f.seq, std::move(f.detail));
    (i < 3 ? report_.counts.index_entries : report_.counts.entity_states) += parts[i].count;
  }
  return Status::Ok();
}

Result<VerifyReport> Verifier::Run() {
  const auto clock = options_.clock ? options_.clock : WallClockMs;
  const auto started = std::chrono::steady_clock::now();
  report_.started_at_ms = clock();
  mode_ = options_.mode;
  if (mode_ == VerifyMode::kSinceLast) {
    if (previous_ && previous_->clean() && previous_->checkpoint &&
        previous_->mode != VerifyMode::kHashOnly) {
      anchor_ = previous_->checkpoint;
      report_.since = anchor_;
    } else {
      mode_ = VerifyMode::kFull;
      report_.note = "no earlier clean verification to start from: ran a full verification";
    }
  }
  report_.mode = mode_;
  Result<std::string> secret = RandomBytes(index_key_.size());
  if (!secret.ok()) return secret.status();
  std::memcpy(index_key_.data(), secret->data(), index_key_.size());
  try {
    // Said here, before any worker depends on it, if OpenSSL cannot
    // provide SipHash (e.g. a FIPS-only configuration).
    crypto::SipHasher probe(index_key_);
  } catch (const std::bad_alloc&) {
    return Status(ErrorCode::kInternal, "OpenSSL provides no SipHash for the index digests");
  }
  threads_ =
      options_.threads != 0 ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
  pool_ = std::make_unique<WorkerPool>(threads_);
  FUPIN_RETURN_IF_ERROR(LoadIdentity());
  FUPIN_RETURN_IF_ERROR(LoadCheckpoints());
  CompareWithPrevious();

  if (!Hashing()) FUPIN_RETURN_IF_ERROR(BeginDerived());
  FUPIN_RETURN_IF_ERROR(RecordPass());
  CheckConsistency();
  report_.durations.records_ms = MsSince(started);

  if (!Hashing()) FUPIN_RETURN_IF_ERROR(CheckDerived());

  report_.tree_size = verified_;
  for (auto it = checkpoints_.rbegin(); it != checkpoints_.rend(); ++it) {
    if (it->size <= verified_) {
      report_.checkpoint = VerifiedCheckpoint{it->size, it->root};
      break;
    }
  }
  report_.failures = sink_.Sorted();
  report_.failures_total = sink_.total();
  report_.durations.total_ms = MsSince(started);
  report_.finished_at_ms = std::max(clock(), report_.started_at_ms);
  return std::move(report_);
}

}  // namespace

Result<VerifyReport> VerifyStore(const StoreDb& store, const VerifyOptions& options,
                                 const std::optional<VerifyReport>& previous) {
  Verifier verifier(store, options, previous);
  return verifier.Run();
}

Result<VerifyReport> VerifyDataDir(const std::string& data_dir, const VerifyOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(data_dir, ec)) {
    return Status(ErrorCode::kNotFound, "no data directory at " + data_dir);
  }
  const std::string db_path = (fs::path(data_dir) / sf::kDbDir).string();
  // One pass over everything: no block cache (StoreOpenOptions).
  Result<std::unique_ptr<StoreDb>> store =
      StoreDb::Open(db_path, DbMode::kReadOnly, StoreOpenOptions{.block_cache = false});
  if (!store.ok()) return store.status();
  Result<std::optional<VerifyReport>> previous = LoadLastVerification(**store, data_dir);
  if (!previous.ok()) return previous.status();
  return VerifyStore(**store, options, *previous);
}

}  // namespace fupin::verify
