// The ordered pass over the records in aligned chunks (chunk.h: read,
// hashed, Merkle subtrees compared and parsed on the workers; joined onto
// the log's edge, checkpoint roots checked and folded in seq order on the
// calling thread, which also feeds the derived-state folds; signatures and
// reference digests on the workers again).
#include <algorithm>
#include <bit>
#include <deque>

#include "ledger/codec.h"
#include "ledger/store_format.h"
#include "verify/verifier.h"

namespace fupin::verify {
namespace {

namespace sf = store_format;

// Chunks whose signatures may still be in verification while the fold
// moves on: keeps every worker busy without holding the whole log.
inline constexpr std::size_t kChunksInFlight = 4;
// The hash-only pass has no signature work to pace: larger chunks spread
// the per-chunk cursor seeks over more records.
inline constexpr uint64_t kHashOnlyChunkFactor = 16;

}  // namespace

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
                                log_end_,   !Hashing(),
                                index_key_, identity_->hash};
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
          thread_local crypto::EventVerifier verifier;
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

}  // namespace fupin::verify
