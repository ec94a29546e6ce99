// The ledger's identity, its stored checkpoints (each signature checked on
// the workers) and the consistency proofs between them.
#include <algorithm>
#include <cstring>

#include "ledger/codec.h"
#include "ledger/merkle_store.h"
#include "ledger/record.h"
#include "ledger/store_format.h"
#include "ledger/tlog_checkpoint.h"
#include "verify/verifier.h"

namespace fupin::verify {
namespace sf = store_format;

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
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> origin, store_.Get(Cf::kMeta, sf::kMetaOrigin));
  Result<note::VerifierKey> note_key = note::MakeVerifierKey(
      origin ? *origin : tlog::DefaultOrigin(*log_id), note::kTypeEd25519, key->raw());
  if (!note_key.ok()) return Status(ErrorCode::kDataLoss, "meta origin is not a valid origin");
  note_key_ = std::move(note_key).value();
  identity_ = LedgerIdentity{*log_id, *key_id, std::move(key).value()};
  // The log's hash is the one seq 0 names. A seq 0 that cannot be read
  // leaves SHA-256: the record pass reports seq 0, and its leaf hash will
  // not be the log id.
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> seq0,
                         store_.Get(Cf::kRecords, sf::Uint64Key(0)));
  if (seq0.has_value()) {
    Result<StoredRecordView> record = ViewStoredRecord(*seq0);
    Result<merkle::HashAlg> hash = record.ok() ? LogHashOfGenesis(record->leaf_data)
                                               : Result<merkle::HashAlg>(record.status());
    if (hash.ok()) identity_->hash = *hash;
  }
  edge_ = LogEdge(identity_->hash);
  fold_ = std::make_unique<LogFold>(*identity_);
  Result<std::optional<StoreDb::Entry>> last = store_.Last(Cf::kRecords, "");
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
                    c->key_id == identity_->system_key_id && c->hash == identity_->hash;
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
                at + ": tree size, log id, key or hash differ from where it is stored");
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

Status Verifier::CheckNotes() {
  // Read here, judged on the workers: one Ed25519 check per note, and one
  // per policy witness with a policy.
  struct Judged {
    const StoredCheckpoint* checkpoint = nullptr;
    std::optional<std::string> bytes;
    std::string failure;  // empty when the note is its checkpoint's, signed
    std::optional<WitnessJudgement> witnesses;
  };
  std::vector<Judged> judged(checkpoints_.size());
  for (std::size_t i = 0; i < checkpoints_.size(); ++i) {
    judged[i].checkpoint = &checkpoints_[i];
    FUPIN_ASSIGN_OR_RETURN(judged[i].bytes,
                           store_.Get(Cf::kNotes, sf::Uint64Key(checkpoints_[i].size)));
  }
  const std::optional<WitnessPolicy>& policy = options_.witness_policy;
  std::vector<std::future<void>> work =
      pool_->Ranges(judged.size(), [this, &judged, &policy](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          Judged& j = judged[i];
          if (!j.bytes) continue;
          Result<note::Note> parsed = note::ParseNote(*j.bytes);
          if (!parsed.ok()) {
            j.failure = parsed.status().message();
            continue;
          }
          const std::string text =
              tlog::CheckpointText({note_key_->name, j.checkpoint->size, j.checkpoint->root});
          if (parsed->text != text) {
            j.failure = "its text is not this checkpoint's origin, size and root";
            continue;
          }
          std::vector<const note::NoteSignature*> own = note::SignaturesBy(*parsed, *note_key_);
          const bool signed_before = anchor_ && j.checkpoint->size <= anchor_->tree_size;
          if (own.empty() ||
              (!signed_before && !std::all_of(own.begin(), own.end(), [&](const auto* s) {
                return note::VerifyEd25519(*note_key_, text, *s);
              }))) {
            j.failure = "no valid signature of the system key (" +
                        note::FormatVerifierKey(*note_key_) + ")";
            continue;
          }
          if (policy) j.witnesses = JudgeCosignatures(*policy, text, *parsed);
        }
      });
  WaitAll(work);
  for (const Judged& j : judged) {
    const uint64_t size = j.checkpoint->size;
    if (!j.bytes) continue;
    ++report_.counts.notes;
    if (!j.failure.empty()) {
      sink_.Add(FailureKind::kCheckpointNote, size - 1,
                "note of checkpoint " + std::to_string(size) + ": " + j.failure);
      continue;
    }
    if (!j.witnesses) continue;
    for (const std::string& name : j.witnesses->invalid) {
      sink_.Add(FailureKind::kCosignature, size - 1,
                "checkpoint " + std::to_string(size) + ": the cosignature of " + name +
                    " does not verify");
    }
    if (j.witnesses->quorum_met) {
      report_.witnessed = WitnessedCheckpoint{size, policy->quorum, j.witnesses->valid};
    }
  }
  if (policy && !report_.witnessed) {
    // Who the newest checkpoint still lacks.
    std::string missing;
    if (!judged.empty() && judged.back().witnesses) {
      for (const std::string& name : judged.back().witnesses->missing) {
        missing += (missing.empty() ? "" : ", ") + name;
      }
    }
    const uint64_t newest = checkpoints_.empty() ? 0 : checkpoints_.back().size;
    sink_.Add(FailureKind::kWitnessQuorum, newest == 0 ? std::nullopt : std::optional(newest - 1),
              "no checkpoint carries " + std::to_string(policy->quorum) + " of " +
                  std::to_string(policy->witnesses.size()) + " witness cosignatures" +
                  (missing.empty()
                       ? std::string()
                       : "; checkpoint " + std::to_string(newest) + " is missing " + missing));
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
void Verifier::CheckConsistency() {
  // Each proof reads its own few stored nodes: the proofs run on the
  // workers, their failures are added here.
  const StoredMerkleNodes nodes(store_);
  auto prove = [&](uint64_t first, const merkle::Hash& first_root, const StoredCheckpoint& second,
                   std::vector<Finding>& findings) {
    if (first == 0 || second.size > verified_) return;
    Result<std::vector<merkle::Hash>> path =
        merkle::ConsistencyPath(identity_->hash, nodes, first, second.size);
    Status proven = path.ok() ? merkle::VerifyConsistency(identity_->hash, first, second.size,
                                                          first_root, second.root, *path)
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

}  // namespace fupin::verify
