// VerifyStore: one ordered pass over the records (hashes, Merkle nodes,
// checkpoints, the re-validating fold, stream chains, index expectations)
// with signature checks on worker threads, then the index, entity-state
// and derived-state comparisons.
#include "ledger/verify.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/store_format.h"
#include "ledger/time.h"
#include "ledger/verify_fold.h"

namespace fupin::verify {
namespace {

namespace sf = store_format;
namespace fs = std::filesystem;

// Chunks whose signatures may still be in verification while the fold
// moves on: keeps every worker busy without holding the whole log.
inline constexpr std::size_t kChunksInFlight = 4;

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

// A fixed set of threads running submitted tasks in order of submission.
class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads) {
    for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  std::future<void> Submit(std::function<void()> fn) {
    auto task = std::make_shared<std::packaged_task<void()>>(std::move(fn));
    std::future<void> done = task->get_future();
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back([task] { (*task)(); });
    }
    cv_.notify_one();
    return done;
  }
  // Runs fn(begin, end) over [0, n) cut into one range per thread.
  std::vector<std::future<void>> Ranges(std::size_t n,
                                        const std::function<void(std::size_t, std::size_t)>& fn) {
    std::vector<std::future<void>> done;
    const std::size_t parts = std::max<std::size_t>(1, threads_.size());
    const std::size_t step = (n + parts - 1) / parts;
    for (std::size_t begin = 0; begin < n; begin += step) {
      const std::size_t end = std::min(n, begin + step);
      done.push_back(Submit([fn, begin, end] { fn(begin, end); }));
    }
    return done;
  }

 private:
  void Run() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

void WaitAll(std::vector<std::future<void>>& futures) {
  for (std::future<void>& f : futures) f.get();
  futures.clear();
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

// One record through the pass.
struct Entry {
  uint64_t seq = 0;
  std::string raw;  // the stored record bytes
  // Decoded on a worker.
  std::string decode_error;  // non-empty: undecodable
  StoredRecord record;
  merkle::Hash computed{};
  Status parse_status;  // leaf data not a canonical record
  Envelope envelope;
  RecordHeader header;
  int64_t recorded_ms = 0;
  // Decided by the fold; checked on a worker.
  const crypto::Ed25519PublicKey* signer = nullptr;
  bool signature_ok = true;
};

Status ParseLeaf(const std::string& leaf, Entry& e) {
  Result<boost::json::object> parsed = json::ParseStrictObject(leaf);
  if (!parsed.ok()) return Status(ErrorCode::kDataLoss, "leaf data: " + parsed.status().ToString());
  const boost::json::object& object = *parsed;
  const boost::json::value* event = object.if_contains("event");
  const boost::json::value* seq = object.if_contains("seq");
  const boost::json::value* recorded_at = object.if_contains("recorded_at");
  const boost::json::value* stream = object.if_contains("stream");
  const boost::json::value* version = object.if_contains("stream_version");
  const boost::json::value* prev = object.if_contains("prev_stream_hash");
  if (object.size() != 6 || event == nullptr || !event->is_object() || seq == nullptr ||
      !seq->is_int64() || seq->get_int64() < 0 || recorded_at == nullptr ||
      !recorded_at->is_string() || stream == nullptr || !stream->is_string() ||
      version == nullptr || !version->is_int64() || version->get_int64() < 1 || prev == nullptr ||
      !prev->is_string()) {
    return Status(ErrorCode::kDataLoss, "leaf data: record members missing or of the wrong type");
  }
  Result<Envelope> envelope = ParseEnvelope(event->get_object());
  if (!envelope.ok()) return Status(ErrorCode::kDataLoss, "event: " + envelope.status().ToString());
  e.envelope = std::move(envelope).value();
  e.header.seq = static_cast<uint64_t>(seq->get_int64());
  e.header.recorded_at = std::string(recorded_at->get_string());
  e.header.stream = std::string(stream->get_string());
  e.header.stream_version = static_cast<uint64_t>(version->get_int64());
  e.header.prev_stream_hash = std::string(prev->get_string());
  Result<int64_t> recorded_ms = ParseRfc3339Millis(e.header.recorded_at);
  if (!recorded_ms.ok()) return Status(ErrorCode::kDataLoss, "recorded_at is not RFC 3339");
  e.recorded_ms = *recorded_ms;
  // The bytes must be exactly what the ledger writes (docs/format.md §3).
  if (BuildLeafData(e.header, e.envelope.canonical) != leaf) {
    return Status(ErrorCode::kDataLoss, "leaf data is not the canonical record");
  }
  return Status::Ok();
}

void DecodeEntry(Entry& e, bool parse) {
  Result<StoredRecord> record = DecodeStoredRecord(e.raw);
  if (!record.ok()) {
    e.decode_error = record.status().message();
    return;
  }
  e.record = std::move(record).value();
  e.computed = merkle::LeafHash(e.record.leaf_data);
  if (parse) e.parse_status = ParseLeaf(e.record.leaf_data, e);
}

// Order-independent digest of index entries per seq: the ledger's
// expectation is added, the stored entries subtracted; both must cancel.
enum IndexKind : std::size_t { kStreamIdx = 0, kEventIdIdx = 1, kReferenceIdx = 2 };
inline constexpr FailureKind kIndexFailure[] = {FailureKind::kStreamIndex,
                                                FailureKind::kEventIdIndex,
                                                FailureKind::kReferenceIndex};
inline constexpr std::string_view kIndexName[] = {"stream index", "event-id index",
                                                  "reference index"};

uint64_t EntryDigest(std::string_view key, std::string_view value) {
  std::string bytes = sf::Uint64Key(key.size());
  bytes.append(key);
  bytes.append(value);
  crypto::Digest digest = crypto::Sha256(bytes);
  uint64_t out = 0;
  std::memcpy(&out, digest.data(), sizeof(out));
  return out;
}

struct IndexTally {
  std::vector<uint64_t> digest;
  std::vector<int32_t> count;
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
  void ReadChunk(StoreCursor& cursor, std::vector<Entry>& chunk, bool& ended);
  void FoldEntry(Entry& e);
  void CheckConsistency();
  Status CheckIndexes();
  Status CheckEntityStates();
  bool Hashing() const { return mode_ == VerifyMode::kHashOnly; }

  const StoreDb& store_;
  const VerifyOptions& options_;
  const std::optional<VerifyReport>& previous_;
  FailureSink sink_;
  VerifyReport report_;
  VerifyMode mode_ = VerifyMode::kFull;
  std::optional<VerifiedCheckpoint> anchor_;

  std::optional<LedgerIdentity> identity_;
  std::unique_ptr<LogFold> fold_;
  uint64_t log_end_ = 0;    // last record key + 1
  uint64_t read_ = 0;       // records read from the store so far
  uint64_t verified_ = 0;   // records the pass went through (stops at a gap)
  std::vector<StoredCheckpoint> checkpoints_;  // valid ones, ascending
  std::size_t next_checkpoint_ = 0;
  merkle::Frontier frontier_;
  StoredNodeCursor nodes_;
  std::map<std::string, std::pair<uint64_t, merkle::Hash>> heads_;  // stream -> version, hash
  int64_t last_recorded_ms_ = 0;
  IndexTally tally_[3];
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
  bool truncated_reported = false;
  Status scanned = store_.Scan(Cf::kCheckpoints, "", "", [&](std::string_view key,
                                                             std::string_view value) {
    ++report_.counts.checkpoints;
    std::optional<uint64_t> size = sf::ParseUint64Key(key);
    if (!size || *size == 0) {
      sink_.Add(FailureKind::kCheckpointMalformed, std::nullopt, "checkpoint key malformed");
      return true;
    }
    report_.checkpoint_sizes.push_back(*size);
    const uint64_t seq = *size - 1;
    const std::string at = "checkpoint " + std::to_string(*size);
    Result<Checkpoint> checkpoint = ParseCheckpoint(value);
    if (!checkpoint.ok()) {
      sink_.Add(FailureKind::kCheckpointMalformed, seq, at + ": " + checkpoint.status().message());
      return true;
    }
    if (checkpoint->tree_size != *size || checkpoint->log_id != identity_->log_id ||
        checkpoint->key_id != identity_->system_key_id) {
      sink_.Add(FailureKind::kCheckpointMalformed, seq,
                at + ": tree size, log id or key differ from where it is stored");
      return true;
    }
    const bool signed_before = anchor_ && *size <= anchor_->tree_size;
    if (!signed_before && !VerifyCheckpoint(*checkpoint, identity_->system_key)) {
      sink_.Add(FailureKind::kCheckpointSignature, seq, at + ": signature does not verify");
      return true;
    }
    if (*size > log_end_) {
      if (!truncated_reported) {
        sink_.Add(FailureKind::kLogTruncated, log_end_,
                  at + " covers " + std::to_string(*size) + " records, the log holds " +
                      std::to_string(log_end_));
        truncated_reported = true;
      }
      return true;
    }
    checkpoints_.push_back({*size, checkpoint->root_hash});
    return true;
  });
  return scanned;
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
      sink_.Add(FailureKind::kCheckpointMissing, size - 1,
                "checkpoint " + std::to_string(size) +
                    " was verified earlier and is no longer stored");
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

void Verifier::ReadChunk(StoreCursor& cursor, std::vector<Entry>& chunk, bool& ended) {
  chunk.clear();
  const std::size_t limit = std::max<std::size_t>(1, options_.chunk_records);
  while (chunk.size() < limit && !ended) {
    if (!cursor.Valid()) {
      ended = true;
      break;
    }
    std::optional<uint64_t> seq = sf::ParseUint64Key(cursor.key());
    const uint64_t expected = read_;
    if (!seq || *seq != expected) {
      sink_.Add(FailureKind::kRecordMissing, expected,
                "no record at seq " + std::to_string(expected) + " (next key " +
                    (seq ? std::to_string(*seq) : std::string("malformed")) + ")");
      ended = true;
      break;
    }
    Entry& e = chunk.emplace_back();
    e.seq = *seq;
    e.raw.assign(cursor.value());
    ++read_;
    cursor.Next();
  }
}

void Verifier::FoldEntry(Entry& e) {
  const uint64_t seq = e.seq;
  if (!e.decode_error.empty()) {
    sink_.Add(FailureKind::kRecordUndecodable, seq, e.decode_error);
  } else {
    if (e.record.seq != seq) {
      sink_.Add(FailureKind::kRecordSeqMismatch, seq,
                "record stored at seq " + std::to_string(seq) + " claims seq " +
                    std::to_string(e.record.seq));
    }
    if (e.record.leaf_hash != e.computed) {
      sink_.Add(FailureKind::kLeafHash, seq, "stored leaf hash " + HexEncode(e.record.leaf_hash) +
                                                 " != SHA-256 of the leaf data " +
                                                 HexEncode(e.computed));
    }
  }
  std::vector<merkle::NodeWrite> completed;
  frontier_.Append(e.computed, &completed);
  for (const merkle::NodeWrite& node : completed) {
    ++report_.counts.merkle_nodes;
    std::string wrong = nodes_.Check(node);
    if (!wrong.empty()) {
      // Named by the leaf that completed it: a node differs first where
      // the leaf that changed it was appended.
      sink_.Add(FailureKind::kMerkleNode, seq,
                "Merkle node (" + std::to_string(node.id.level) + ", " +
                    std::to_string(node.id.index) + ") " + wrong);
    }
  }
  while (next_checkpoint_ < checkpoints_.size() &&
         checkpoints_[next_checkpoint_].size == frontier_.size()) {
    if (checkpoints_[next_checkpoint_].root != frontier_.Root()) {
      sink_.Add(FailureKind::kCheckpointRoot, seq,
                "checkpoint " + std::to_string(frontier_.size()) + " root " +
                    HexEncode(checkpoints_[next_checkpoint_].root) + " != rebuilt root " +
                    HexEncode(frontier_.Root()));
    }
    ++next_checkpoint_;
  }
  if (Hashing() || !e.decode_error.empty()) return;
  if (!e.parse_status.ok()) {
    sink_.Add(FailureKind::kLeafData, seq, e.parse_status.message());
    return;
  }
  if (e.header.seq != seq) {
    sink_.Add(FailureKind::kLeafData, seq, "leaf data names seq " + std::to_string(e.header.seq));
  }
  if (e.recorded_ms < last_recorded_ms_) {
    sink_.Add(FailureKind::kLeafData, seq, "recorded_at " + e.header.recorded_at +
                                               " is earlier than the record before");
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
  const std::string want_prev = fresh ? std::string() : HexEncode(head->second.second);
  if (e.header.stream_version != want_version || e.header.prev_stream_hash != want_prev) {
    sink_.Add(FailureKind::kStreamChain, seq,
              "stream " + e.header.stream + ": version " +
                  std::to_string(e.header.stream_version) + " (expected " +
                  std::to_string(want_version) + ") or prev_stream_hash does not chain");
  }
  head->second = {e.header.stream_version, e.computed};
  if (e.envelope.expected_version &&
      static_cast<uint64_t>(*e.envelope.expected_version) + 1 != e.header.stream_version) {
    sink_.Add(FailureKind::kEventInvalid, seq, "expected_version does not match the stream");
  }

  // What the ledger wrote beside the record.
  tally_[kStreamIdx].digest[seq] +=
      EntryDigest(sf::StreamKey(e.header.stream, e.header.stream_version),
                  sf::StreamValue(seq, e.computed));
  ++tally_[kStreamIdx].count[seq];
  tally_[kEventIdIdx].digest[seq] +=
      EntryDigest(e.envelope.id, sf::EventIdValue(seq, crypto::Sha256(e.envelope.canonical)));
  ++tally_[kEventIdIdx].count[seq];
  if (!outcome.failure) {
    for (const std::string& entity : outcome.validated.references) {
      tally_[kReferenceIdx].digest[seq] += EntryDigest(sf::ReferenceKey(entity, seq), "");
      ++tally_[kReferenceIdx].count[seq];
    }
  }
}

Status Verifier::RecordPass() {
  const unsigned threads =
      options_.threads != 0 ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
  WorkerPool pool(threads);
  if (!Hashing()) {
    for (IndexTally& tally : tally_) tally.Resize(log_end_);
  }
  std::unique_ptr<StoreCursor> cursor = store_.NewCursor(Cf::kRecords);
  cursor->Seek(sf::Uint64Key(0));
  bool ended = log_end_ == 0;
  const bool parse = !Hashing();
  const uint64_t signed_before = anchor_ ? anchor_->tree_size : 0;

  struct Chunk {
    std::vector<Entry> entries;
    std::vector<std::future<void>> work;
  };
  auto start_decode = [&](Chunk& chunk) {
    chunk.work = pool.Ranges(chunk.entries.size(), [&entries = chunk.entries, parse](
                                                       std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) DecodeEntry(entries[i], parse);
    });
  };
  std::deque<std::unique_ptr<Chunk>> verifying;
  auto finish = [&](Chunk& chunk) {
    WaitAll(chunk.work);
    for (const Entry& e : chunk.entries) {
      if (!e.signature_ok) {
        sink_.Add(FailureKind::kEventSignature, e.seq,
                  "signature does not verify with key \"" + e.envelope.key_id + "\"");
      }
    }
  };

  auto next = std::make_unique<Chunk>();
  ReadChunk(*cursor, next->entries, ended);
  start_decode(*next);
  while (!next->entries.empty()) {
    std::unique_ptr<Chunk> current = std::move(next);
    next = std::make_unique<Chunk>();
    ReadChunk(*cursor, next->entries, ended);
    if (!next->entries.empty()) start_decode(*next);
    WaitAll(current->work);
    for (Entry& e : current->entries) FoldEntry(e);
    verified_ += current->entries.size();
    if (!Hashing()) {
      current->work = pool.Ranges(
          current->entries.size(),
          [&entries = current->entries, signed_before](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
              Entry& e = entries[i];
              if (e.signer == nullptr || e.seq < signed_before || !e.parse_status.ok() ||
                  !e.decode_error.empty()) {
                continue;
              }
              e.signature_ok = e.signer->Verify(e.envelope.signing_input, e.envelope.signature);
            }
          });
      for (const Entry& e : current->entries) {
        if (e.signer != nullptr && e.seq >= signed_before && e.parse_status.ok() &&
            e.decode_error.empty()) {
          ++report_.counts.signatures;
        }
      }
    }
    verifying.push_back(std::move(current));
    while (verifying.size() > kChunksInFlight) {
      finish(*verifying.front());
      verifying.pop_front();
    }
    if (options_.progress) options_.progress(verified_, log_end_);
  }
  while (!verifying.empty()) {
    finish(*verifying.front());
    verifying.pop_front();
  }
  report_.counts.records = verified_;
  return cursor->status();
}

void Verifier::CheckConsistency() {
  StoredNodeReader nodes(store_);
  auto prove = [&](uint64_t first, const merkle::Hash& first_root, const StoredCheckpoint& second) {
    if (first == 0 || second.size > verified_) return;
    Result<std::vector<merkle::Hash>> path = merkle::ConsistencyPath(nodes, first, second.size);
    Status proven = path.ok() ? merkle::VerifyConsistency(first, second.size, first_root,
                                                          second.root, *path)
                              : path.status();
    if (!proven.ok()) {
      sink_.Add(FailureKind::kCheckpointConsistency, second.size - 1,
                "checkpoint " + std::to_string(second.size) + " is not consistent with " +
                    std::to_string(first) + ": " + proven.message());
    }
  };
  for (std::size_t i = 1; i < checkpoints_.size(); ++i) {
    if (anchor_ && checkpoints_[i].size <= anchor_->tree_size) continue;
    prove(checkpoints_[i - 1].size, checkpoints_[i - 1].root, checkpoints_[i]);
    if (anchor_) prove(anchor_->tree_size, anchor_->root_hash, checkpoints_[i]);
  }
}

Status Verifier::CheckIndexes() {
  const uint64_t end = verified_;
  auto subtract = [&](std::size_t index, std::optional<uint64_t> seq, std::string_view key,
                      std::string_view value) {
    ++report_.counts.index_entries;
    if (!seq) {
      sink_.Add(kIndexFailure[index], std::nullopt,
                std::string(kIndexName[index]) + " entry malformed");
    } else if (*seq >= end) {
      sink_.Add(kIndexFailure[index], *seq,
                std::string(kIndexName[index]) + " entry names seq " + std::to_string(*seq) +
                    " beyond the verified log");
    } else {
      tally_[index].digest[*seq] -= EntryDigest(key, value);
      --tally_[index].count[*seq];
    }
    return true;
  };
  FUPIN_RETURN_IF_ERROR(store_.Scan(Cf::kStreams, "", "", [&](std::string_view key,
                                                              std::string_view value) {
    uint64_t seq = 0;
    merkle::Hash hash;
    bool ok = sf::ParseStreamValue(value, &seq, &hash);
    return subtract(kStreamIdx, ok ? std::optional<uint64_t>(seq) : std::nullopt, key, value);
  }));
  FUPIN_RETURN_IF_ERROR(store_.Scan(Cf::kEventIds, "", "", [&](std::string_view key,
                                                               std::string_view value) {
    uint64_t seq = 0;
    crypto::Digest content;
    bool ok = sf::ParseEventIdValue(value, &seq, &content);
    return subtract(kEventIdIdx, ok ? std::optional<uint64_t>(seq) : std::nullopt, key, value);
  }));
  FUPIN_RETURN_IF_ERROR(store_.Scan(Cf::kReferences, "", "", [&](std::string_view key,
                                                                 std::string_view value) {
    std::optional<uint64_t> seq;
    if (key.size() > 9 && key[key.size() - 9] == '\0') {
      seq = sf::ParseUint64Key(key.substr(key.size() - 8));
    }
    return subtract(kReferenceIdx, seq, key, value);
  }));
  for (std::size_t index = 0; index < 3; ++index) {
    for (uint64_t seq = 0; seq < end; ++seq) {
      const int32_t count = tally_[index].count[seq];
      if (count == 0 && tally_[index].digest[seq] == 0) continue;
      std::string what = count > 0   ? std::to_string(count) + " entries missing"
                         : count < 0 ? std::to_string(-count) + " extra entries"
                                     : "an entry differs from the record";
      sink_.Add(kIndexFailure[index], seq,
                std::string(kIndexName[index]) + " of seq " + std::to_string(seq) + ": " + what);
    }
  }
  return Status::Ok();
}

Status Verifier::CheckEntityStates() {
  const auto& folded = fold_->states();
  std::size_t matched = 0;
  FUPIN_RETURN_IF_ERROR(store_.Scan(Cf::kState, "", "", [&](std::string_view key,
                                                            std::string_view value) {
    ++report_.counts.entity_states;
    auto it = folded.find(std::string(key));
    if (it == folded.end()) {
      sink_.Add(FailureKind::kEntityState, std::nullopt,
                "stored entity state " + HexEncode(key.substr(0, 1)) + ":" +
                    std::string(key.substr(1)) + " was written by no record");
      return true;
    }
    ++matched;
    if (EncodeEntityState(it->second.state) != value) {
      sink_.Add(FailureKind::kEntityState, it->second.seq,
                "stored state of " + std::string(key.substr(1)) +
                    " differs from the state folded from the log");
    }
    return true;
  }));
  if (matched != folded.size()) {
    for (const auto& [key, held] : folded) {
      Result<std::optional<std::string>> stored = store_.Get(Cf::kState, key);
      if (stored.ok() && !stored->has_value()) {
        sink_.Add(FailureKind::kEntityState, held.seq,
                  "state of " + key.substr(1) + " written by seq " + std::to_string(held.seq) +
                      " is missing");
      }
    }
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
  FUPIN_RETURN_IF_ERROR(LoadIdentity());
  FUPIN_RETURN_IF_ERROR(LoadCheckpoints());
  CompareWithPrevious();

  FUPIN_RETURN_IF_ERROR(RecordPass());
  CheckConsistency();
  report_.durations.records_ms = MsSince(started);

  if (!Hashing()) {
    const auto indexes_started = std::chrono::steady_clock::now();
    FUPIN_RETURN_IF_ERROR(CheckIndexes());
    FUPIN_RETURN_IF_ERROR(CheckEntityStates());
    report_.durations.indexes_ms = MsSince(indexes_started);
    const auto derived_started = std::chrono::steady_clock::now();
    const unsigned threads = options_.threads != 0 ? options_.threads : 0;
    for (const DerivedStateCheck* check : options_.derived) {
      FUPIN_RETURN_IF_ERROR(
          check->Check(store_, verified_, threads, sink_, &report_.counts.derived_states));
    }
    report_.durations.derived_ms = MsSince(derived_started);
  }

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
  Result<std::unique_ptr<StoreDb>> store = StoreDb::Open(db_path, DbMode::kReadOnly);
  if (!store.ok()) return store.status();
  Result<std::optional<VerifyReport>> previous = LoadLastVerification(**store, data_dir);
  if (!previous.ok()) return previous.status();
  return VerifyStore(**store, options, *previous);
}

}  // namespace fupin::verify
