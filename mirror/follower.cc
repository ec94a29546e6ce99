#include "mirror/follower.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <future>

#include "ledger/codec.h"
#include "ledger/file_io.h"
#include "ledger/store_format.h"
#include "ledger/time.h"
#include "ledger/tlog_checkpoint.h"

namespace fupin::mirror {
namespace {

namespace bj = boost::json;
namespace fs = std::filesystem;

constexpr std::chrono::milliseconds kMaxBackoff{30000};

std::string At(uint64_t size) { return "checkpoint " + std::to_string(size); }

}  // namespace

Result<std::unique_ptr<Ledger>> OpenMirror(const std::string& data_dir,
                                           const SourceOptions& source_options,
                                           const std::function<void(const GenesisInfo&)>& created) {
  std::optional<crypto::Ed25519PublicKey> pinned;
  if (!source_options.public_key.empty()) {
    Result<crypto::Ed25519PublicKey> key =
        crypto::Ed25519PublicKey::FromBase64(source_options.public_key);
    if (!key.ok()) {
      return Status(ErrorCode::kInvalidArgument,
                    "the pinned system key is not a base64 Ed25519 public key");
    }
    pinned = std::move(key).value();
  }
  std::error_code ec;
  if (!fs::exists(fs::path(data_dir) / store_format::kDbDir, ec)) {
    FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<Source> source, Source::Connect(source_options));
    FUPIN_ASSIGN_OR_RETURN(SourceCheckpoint latest, source->Latest());
    FUPIN_ASSIGN_OR_RETURN(std::vector<StoredRecord> genesis, source->Records(0, 2));
    FUPIN_ASSIGN_OR_RETURN(std::optional<Checkpoint> first, source->CheckpointAt(2));
    if (pinned && first && !VerifyCheckpoint(*first, *pinned)) {
      return Status(ErrorCode::kDataLoss,
                    "the source " + source->url() +
                        "'s genesis checkpoint is not signed by the pinned system key " +
                        source_options.public_key);
    }
    if (!first) {
      return Status(ErrorCode::kUnavailable, "the source " + source->url() +
                                                 " serves no checkpoint of its genesis (size 2)");
    }
    ReplicatedCheckpoint replicated{*first, ""};
    if (latest.replicated.checkpoint.tree_size == 2) replicated.note = latest.replicated.note;
    FUPIN_ASSIGN_OR_RETURN(GenesisInfo info, Ledger::InitMirror(data_dir, genesis, replicated,
                                                                latest.origin, source->url()));
    if (created) created(info);
  }
  LedgerOptions options;
  options.mirror = true;
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::Open(data_dir, options));
  if (!source_options.public_key.empty() &&
      ledger->info().system_public_key != source_options.public_key) {
    return Status(ErrorCode::kDataLoss, data_dir + " mirrors the log of system key " +
                                            ledger->info().system_public_key + ", not the pinned " +
                                            source_options.public_key);
  }
  return ledger;
}

Result<std::unique_ptr<Follower>> Follower::Create(Ledger& ledger, FollowerOptions options) {
  if (ledger.info().mirror_source.empty()) {
    return Status(ErrorCode::kInvalidArgument, "the ledger is not a mirror");
  }
  if (options.page_records == 0 || options.stretch_records == 0) {
    return Status(ErrorCode::kInvalidArgument, "page and stretch sizes must be positive");
  }
  std::unique_ptr<Follower> follower(new Follower(ledger, std::move(options)));
  const std::string path = (fs::path(ledger.data_dir()) / kEvidenceFile).string();
  std::error_code ec;
  if (fs::exists(path, ec)) {
    FUPIN_ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(path));
    Result<Evidence> evidence = ParseEvidence(bytes);
    if (!evidence.ok()) return evidence.status().WithContext(path);
    follower->evidence_ = std::move(bytes);
    follower->evidence_summary_ = evidence->summary;
  }
  return follower;
}

Follower::~Follower() { Stop(); }

void Follower::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

bool Follower::forked() const {
  std::lock_guard<std::mutex> lock(mu_);
  return evidence_.has_value();
}

bool Follower::CaughtUp() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rounds_ > 0 && source_size_ > 0 && behind_since_ms_ == 0 && last_error_.empty() &&
         ledger_.tree_size() >= source_size_;
}

Result<RoundOutcome> Follower::Round() {
  if (forked()) return RoundOutcome::kForkDetected;
  if (!source_) {
    FUPIN_ASSIGN_OR_RETURN(source_, Source::Connect(options_.source));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++rounds_;
  }
  Result<SourceCheckpoint> latest = source_->Latest();
  if (!latest.ok()) return latest.status();
  // A witness request asked about a newer checkpoint than the source
  // publishes (it publishes only witnessed ones): follow that one.
  std::optional<Hint> hint;
  {
    std::lock_guard<std::mutex> lock(mu_);
    hint = hint_;
  }
  bool hinted = false;
  if (hint && hint->size > latest->replicated.checkpoint.tree_size) {
    Result<std::optional<Checkpoint>> at = source_->CheckpointAt(hint->size);
    if (!at.ok()) return at.status();
    if (*at) {
      latest->replicated = {**at, hint->note};
      hinted = true;
    } else {
      std::lock_guard<std::mutex> lock(mu_);
      hint_.reset();  // the source signed no checkpoint there (any more)
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    source_size_ = latest->replicated.checkpoint.tree_size;
    source_seen_ms_ = options_.clock();
    if (source_size_ > ledger_.tree_size() && behind_since_ms_ == 0) {
      behind_since_ms_ = source_seen_ms_;
    }
  }
  Result<RoundOutcome> outcome = Follow(*source_, *latest, hinted);
  if (outcome.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    if (hint_ && ledger_.tree_size() >= hint_->size) hint_.reset();
    if (*outcome == RoundOutcome::kCaughtUp) {
      waiting_.clear();
      behind_since_ms_ = 0;
    }
    last_error_.clear();
  }
  return outcome;
}

Result<RoundOutcome> Follower::Follow(Source& source, const SourceCheckpoint& latest, bool hinted) {
  const Checkpoint& b = latest.replicated.checkpoint;
  const GenesisInfo& log = ledger_.info();
  // Nothing unsigned proves anything: a checkpoint of another log or key,
  // or one whose signature fails, is a refusal to retry, not evidence.
  if (b.log_id != log.log_id || b.key_id != log.system_key_id) {
    return Status(ErrorCode::kUnavailable,
                  "the source serves " + At(b.tree_size) + " of another log or key");
  }
  if (!VerifyCheckpoint(b, ledger_.system_public_key())) {
    return Status(ErrorCode::kUnavailable,
                  "the source's " + At(b.tree_size) + " is not signed by the system key");
  }
  if (!latest.origin.empty() && latest.origin != log.origin) {
    return Status(ErrorCode::kUnavailable,
                  "the source names its log \"" + latest.origin + "\", not \"" + log.origin + "\"");
  }
  SourceCheckpoint checked = latest;
  if (!checked.replicated.note.empty() &&
      !tlog::CheckSignedCheckpointNote(checked.replicated.note, ledger_.note_key(), b.tree_size,
                                       b.root_hash)
           .empty()) {
    // Unusable, and no proof of anything: followed as if none was served.
    Log("fupin-ledger mirror: the source's note of " + At(b.tree_size) +
        " is not that checkpoint signed by the system key; ignored");
    checked.replicated.note.clear();
  }
  const ReplicatedCheckpoint& target = checked.replicated;
  // A hinted checkpoint awaits this mirror's own cosignature: the policy
  // cannot be met yet, and the records are verified one by one anyway.
  if (options_.witness_policy && !hinted) {
    std::string why;
    if (target.note.empty()) {
      why = "the source serves no note with its checkpoint, so no cosignature";
    } else {
      Result<note::Note> parsed = note::ParseNote(target.note);
      const std::string text = tlog::CheckpointText({log.origin, b.tree_size, b.root_hash});
      if (!parsed.ok() || parsed->text != text) {
        why = "the source's note is not its checkpoint's";
      } else {
        WitnessJudgement judged = JudgeCosignatures(*options_.witness_policy, text, *parsed);
        if (!judged.quorum_met) {
          why = At(b.tree_size) + " has " + std::to_string(judged.valid.size()) +
                " valid cosignatures of the " + std::to_string(options_.witness_policy->quorum) +
                " the witness policy needs";
        }
      }
    }
    if (!why.empty()) {
      std::lock_guard<std::mutex> lock(mu_);
      waiting_ = why;
      return RoundOutcome::kWaiting;
    }
  }
  bool behind = false;
  FUPIN_ASSIGN_OR_RETURN(std::optional<Evidence> contradiction,
                         Contradiction(source, target, &behind));
  if (contradiction) {
    FUPIN_RETURN_IF_ERROR(StoreEvidence(std::move(*contradiction)));
    return RoundOutcome::kForkDetected;
  }
  if (behind) {
    std::lock_guard<std::mutex> lock(mu_);
    behind_since_ms_ = 0;
    waiting_ = "the source's " + At(b.tree_size) + " is behind the mirror's " +
               std::to_string(ledger_.tree_size()) + " records (and consistent with them)";
    return RoundOutcome::kWaiting;
  }
  Status caught = CatchUp(source, target);
  if (caught.code() == ErrorCode::kDataLoss) {
    // The source's records are not what its signed checkpoint commits to,
    // or one of them is refused as the ledger would refuse it.
    Evidence evidence;
    Result<Checkpoint> verified = ledger_.LatestCheckpoint();
    if (!verified.ok()) return verified.status();
    evidence.verified.checkpoint = *verified;
    evidence.served = target;
    evidence.proof_kind = "none";
    evidence.summary = "the source's records do not verify against its signed " + At(b.tree_size) +
                       ": " + caught.message();
    evidence.served_path_error = "not asked: the checkpoints are consistent by the source's proof";
    FUPIN_RETURN_IF_ERROR(StoreEvidence(std::move(evidence)));
    return RoundOutcome::kForkDetected;
  }
  FUPIN_RETURN_IF_ERROR(caught);
  return RoundOutcome::kCaughtUp;
}

Result<std::optional<Evidence>> Follower::Contradiction(Source& source,
                                                        const ReplicatedCheckpoint& served,
                                                        bool* behind) {
  FUPIN_ASSIGN_OR_RETURN(Checkpoint a, ledger_.LatestCheckpoint());
  const Checkpoint& b = served.checkpoint;
  const uint64_t local = ledger_.tree_size();
  Evidence e;
  e.verified.checkpoint = a;
  if (Result<note::Note> note = ledger_.NoteAt(a.tree_size); note.ok()) {
    e.verified.note = note::FormatNote(*note);
  }
  e.served = served;

  if (b.tree_size <= a.tree_size) {
    FUPIN_ASSIGN_OR_RETURN(merkle::Hash own, ledger_.RootAt(b.tree_size));
    if (own == b.root_hash) {
      *behind = b.tree_size < local;
      return std::optional<Evidence>();
    }
    if (b.tree_size == a.tree_size) {
      e.proof_kind = "same-size";
      e.summary = "the source signed " + At(b.tree_size) + " with root " + HexEncode(b.root_hash) +
                  " after the mirror had verified root " + HexEncode(a.root_hash);
    } else {
      e.proof_kind = "consistency";
      e.own_root = own;
      FUPIN_ASSIGN_OR_RETURN(e.own_path, ledger_.ConsistencyPath(b.tree_size, a.tree_size));
      e.summary = "the source signed " + At(b.tree_size) +
                  " with a root that is not the prefix of " + "the verified " + At(a.tree_size);
    }
    e.served_path_error = "not asked: the mirror's own tree proves it";
    return std::optional<Evidence>(std::move(e));
  }

  // The source is ahead: its proof from the verified checkpoint must hold.
  Result<std::vector<merkle::Hash>> path = source.Consistency(a.tree_size, b.tree_size);
  if (!path.ok()) return path.status();  // a refusal proves nothing; retry
  Status holds = merkle::VerifyConsistency(ledger_.info().hash, a.tree_size, b.tree_size,
                                           a.root_hash, b.root_hash, *path);
  if (holds.ok()) {
    if (local > a.tree_size) {
      // Records stored towards an earlier target: this one must hold them.
      FUPIN_ASSIGN_OR_RETURN(merkle::Hash own, ledger_.RootAt(std::min(local, b.tree_size)));
      if (local <= b.tree_size) {
        Result<std::vector<merkle::Hash>> more = source.Consistency(local, b.tree_size);
        if (!more.ok()) return more.status();
        if (!merkle::VerifyConsistency(ledger_.info().hash, local, b.tree_size, own, b.root_hash,
                                       *more)
                 .ok()) {
          return Status(ErrorCode::kUnavailable,
                        "the mirror's " + std::to_string(local) + " records are not a prefix of " +
                            At(b.tree_size) + " by the source's proof; retrying");
        }
      } else if (own == b.root_hash) {
        *behind = true;
      } else {
        return Status(ErrorCode::kUnavailable,
                      "the mirror's first " + std::to_string(b.tree_size) +
                          " records do not give " + At(b.tree_size) +
                          "'s root, though the source proves it consistent with " +
                          At(a.tree_size) + "; retrying");
      }
    }
    return std::optional<Evidence>();
  }
  e.served_path = *path;
  e.proof_kind = "none";
  e.summary = "the source's " + At(b.tree_size) + " is not consistent with the verified " +
              At(a.tree_size) + ": " + holds.message();
  Log("fupin-ledger mirror: " + e.summary + "; locating the first differing record");
  // The first leaf the trees disagree on: the smallest prefix size whose
  // root (the mirror's) the source cannot prove into its checkpoint.
  uint64_t good = 0;
  uint64_t bad = a.tree_size;
  while (bad - good > 1) {
    const uint64_t mid = good + (bad - good) / 2;
    Result<merkle::Hash> own = ledger_.RootAt(mid);
    Result<std::vector<merkle::Hash>> proof = source.Consistency(mid, b.tree_size);
    if (!own.ok()) return own.status();
    if (!proof.ok()) return proof.status();  // retried: a failed request proves nothing
    if (merkle::VerifyConsistency(ledger_.info().hash, mid, b.tree_size, *own, b.root_hash, *proof)
            .ok()) {
      good = mid;
    } else {
      bad = mid;
    }
  }
  const uint64_t seq = bad - 1;
  Result<std::vector<StoredRecord>> theirs = source.Records(seq, 1);
  Result<std::vector<merkle::Hash>> their_path = source.Inclusion(seq, b.tree_size);
  Result<StoredRecord> ours = ledger_.ReadRecord(seq);
  Result<std::vector<merkle::Hash>> our_path = ledger_.InclusionPath(seq, a.tree_size);
  if (theirs.ok() && theirs->size() == 1 && their_path.ok() && ours.ok() && our_path.ok() &&
      (*theirs)[0].seq == seq && (*theirs)[0].leaf_hash != ours->leaf_hash &&
      merkle::LeafHash(ledger_.info().hash, (*theirs)[0].leaf_data) == (*theirs)[0].leaf_hash &&
      merkle::VerifyInclusion(ledger_.info().hash, seq, b.tree_size, (*theirs)[0].leaf_hash,
                              *their_path, b.root_hash)
          .ok()) {
    e.proof_kind = "fork-record";
    e.verified_side = ForkSide{std::move(ours).value(), std::move(our_path).value()};
    e.served_side = ForkSide{(*theirs)[0], std::move(their_path).value()};
    e.summary += "; record " + std::to_string(seq) + " differs";
  }
  return std::optional<Evidence>(std::move(e));
}

Status Follower::CatchUp(Source& source, const ReplicatedCheckpoint& target) {
  const Checkpoint& b = target.checkpoint;
  uint64_t local = ledger_.tree_size();
  if (local > b.tree_size) return Status::Ok();
  const uint64_t start = local;
  auto started = std::chrono::steady_clock::now();
  auto last_log = started;
  // The records of [from, end), page by page, over `reader`.
  auto fetch = [this, &b](Source& reader, uint64_t from,
                          uint64_t end) -> Result<std::vector<StoredRecord>> {
    std::vector<StoredRecord> records;
    records.reserve(end - from);
    while (from + records.size() < end) {
      const uint64_t at = from + records.size();
      FUPIN_ASSIGN_OR_RETURN(
          std::vector<StoredRecord> page,
          reader.Records(at, std::min<uint64_t>(options_.page_records, end - at)));
      if (page.empty()) {
        return Status(ErrorCode::kUnavailable, "the source served no records from " +
                                                   std::to_string(at) + " below its " +
                                                   At(b.tree_size));
      }
      for (StoredRecord& record : page) {
        if (from + records.size() == end) break;
        records.push_back(std::move(record));
      }
    }
    return records;
  };
  // The next stretch is fetched (and parsed) on its own connection while
  // this one is verified and written.
  if (!prefetch_source_) {
    FUPIN_ASSIGN_OR_RETURN(prefetch_source_, Source::Connect(options_.source));
  }
  auto stretch_end = [&](uint64_t from) {
    return std::min<uint64_t>(b.tree_size, from + options_.stretch_records);
  };
  std::future<Result<std::vector<StoredRecord>>> next =
      std::async(std::launch::async, fetch, std::ref(*prefetch_source_), local, stretch_end(local));
  do {
    const uint64_t end = stretch_end(local);
    Result<std::vector<StoredRecord>> fetched = next.get();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return Status(ErrorCode::kUnavailable, "stopping");
    }
    if (!fetched.ok()) {
      prefetch_source_.reset();
      return fetched.status();
    }
    std::vector<StoredRecord> records = std::move(fetched).value();
    if (end < b.tree_size) {
      next =
          std::async(std::launch::async, fetch, std::ref(*prefetch_source_), end, stretch_end(end));
    }
    // Whatever happens to this stretch, the prefetch must end first.
    struct Drain {
      std::future<Result<std::vector<StoredRecord>>>& f;
      ~Drain() {
        if (f.valid()) f.wait();
      }
    } drain{next};
    const bool last = end == b.tree_size;
    auto prove = [&](uint64_t size, const merkle::Hash& root) -> Status {
      if (size == b.tree_size) return Status::Ok();  // the checkpoint itself is compared
      FUPIN_ASSIGN_OR_RETURN(std::vector<merkle::Hash> path, source.Consistency(size, b.tree_size));
      Status holds = merkle::VerifyConsistency(ledger_.info().hash, size, b.tree_size, root,
                                               b.root_hash, path);
      if (!holds.ok()) {
        return Status(ErrorCode::kDataLoss, "records " + std::to_string(local) + " to " +
                                                std::to_string(size - 1) + " are not a prefix of " +
                                                At(b.tree_size) + " (" + holds.message() + ")");
      }
      return Status::Ok();
    };
    Result<Checkpoint> stored = ledger_.LatestCheckpoint();
    const bool checkpoint_stored = stored.ok() && stored->tree_size == b.tree_size;
    if (!records.empty() || !checkpoint_stored) {
      FUPIN_RETURN_IF_ERROR(ledger_.Replicate(
          records, last && !checkpoint_stored ? std::optional(target) : std::nullopt, prove));
    }
    local = end;
    {
      std::lock_guard<std::mutex> lock(mu_);
      verified_records_ += records.size();
      if (last) last_verified_ms_ = options_.clock();
    }
    if (options_.stored) options_.stored();
    auto now = std::chrono::steady_clock::now();
    if (now - last_log >= std::chrono::seconds(5) && local < b.tree_size) {
      last_log = now;
      const double seconds = std::chrono::duration<double>(now - started).count();
      Log("fupin-ledger mirror: " + std::to_string(local) + " of " + std::to_string(b.tree_size) +
          " records verified and stored (" +
          std::to_string(static_cast<uint64_t>((local - start) / std::max(seconds, 1e-3))) +
          " records/s)");
    }
  } while (local < b.tree_size);
  return Status::Ok();
}

Status Follower::StoreEvidence(Evidence evidence) {
  evidence.source = options_.source.url;
  evidence.detected_at = FormatUtcSeconds(options_.clock() / 1000);
  evidence.log = ledger_.info();
  std::string json = mirror::EvidenceJson(evidence);
  const std::string path = (fs::path(ledger_.data_dir()) / kEvidenceFile).string();
  FUPIN_RETURN_IF_ERROR(WriteFileDurably(path, json));
  Log("fupin-ledger mirror: ALARM: " + evidence.summary + "; following stopped, evidence in " +
      path + " (check it with `fupin-ledger verify-evidence " + path + "`)");
  std::lock_guard<std::mutex> lock(mu_);
  evidence_ = std::move(json);
  evidence_summary_ = evidence.summary;
  return Status::Ok();
}

Status Follower::Vouch(const tlog::TreeHead& head, std::string_view note) {
  const uint64_t local = ledger_.tree_size();
  if (head.size <= local) {
    FUPIN_ASSIGN_OR_RETURN(merkle::Hash root, ledger_.RootAt(head.size));
    if (root != head.root) {
      return Status(ErrorCode::kInvalidField, "the mirror verified another root for the first " +
                                                  std::to_string(head.size) + " records");
    }
    return Status::Ok();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (evidence_) {
      return Status(ErrorCode::kInvalidField,
                    "the mirror stopped following: its source contradicted a verified checkpoint");
    }
    if (!hint_ || hint_->size < head.size) hint_ = Hint{head.size, std::string(note)};
  }
  cv_.notify_all();
  return Status(ErrorCode::kUnavailable, "the mirror has verified " + std::to_string(local) +
                                             " records of the " + std::to_string(head.size) +
                                             " this checkpoint holds; ask again shortly");
}

void Follower::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Follower::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Follower::Loop() {
  std::chrono::milliseconds pause = options_.interval;
  for (;;) {
    Result<RoundOutcome> outcome = Round();
    if (outcome.ok() && *outcome == RoundOutcome::kForkDetected) return;
    if (outcome.ok()) {
      pause = options_.interval;
    } else {
      std::string error = outcome.status().ToString();
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++errors_;
        if (error != last_error_) Log("fupin-ledger mirror: " + error + "; retrying");
        last_error_ = error;
      }
      source_.reset();  // reconnect: the source may have restarted
      pause = std::min(kMaxBackoff, pause * 2);
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, pause, [&] {
      return stopping_ || (hint_ && hint_->size > ledger_.tree_size() && outcome.ok());
    });
    if (stopping_) return;
  }
}

std::string Follower::StatusJson() const {
  const uint64_t local = ledger_.tree_size();
  Result<Checkpoint> verified = ledger_.LatestCheckpoint();
  std::lock_guard<std::mutex> lock(mu_);
  bj::object out;
  out["source"] = options_.source.url;
  out["source_tree_size"] = source_size_;
  out["local_tree_size"] = local;
  out["lag_records"] = source_size_ > local ? source_size_ - local : 0;
  out["lag_seconds"] =
      behind_since_ms_ == 0 ? 0.0 : static_cast<double>(options_.clock() - behind_since_ms_) / 1000;
  out["last_verified_checkpoint"] =
      verified.ok() ? bj::parse(CheckpointJson(*verified)) : bj::value(nullptr);
  out["last_verified_at"] =
      last_verified_ms_ == 0 ? bj::value(nullptr) : bj::value(FormatUtcMillis(last_verified_ms_));
  out["source_checked_at"] =
      source_seen_ms_ == 0 ? bj::value(nullptr) : bj::value(FormatUtcMillis(source_seen_ms_));
  out["following"] = !evidence_.has_value();
  bj::array alarms;
  if (evidence_) alarms.push_back(bj::string("fork: " + evidence_summary_));
  out["alarms"] = std::move(alarms);
  out["waiting"] = waiting_.empty() ? bj::value(nullptr) : bj::value(waiting_);
  out["last_error"] = last_error_.empty() ? bj::value(nullptr) : bj::value(last_error_);
  out["verified_records"] = verified_records_;
  out["witness_quorum"] = options_.witness_policy ? options_.witness_policy->quorum : 0;
  return bj::serialize(out);
}

std::optional<std::string> Follower::EvidenceJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  return evidence_;
}

std::vector<api::MetricFamily> Follower::MetricFamilies() const {
  const uint64_t local = ledger_.tree_size();
  std::lock_guard<std::mutex> lock(mu_);
  const uint64_t lag_ms = behind_since_ms_ == 0 ? 0 : options_.clock() - behind_since_ms_;
  return {
      {"fupin_mirror_source_tree_size",
       "gauge",
       "The tree size of the source's checkpoint at the last round.",
       {{"", source_size_}}},
      {"fupin_mirror_local_tree_size", "gauge", "Records verified and stored.", {{"", local}}},
      {"fupin_mirror_lag_records",
       "gauge",
       "Records the source's checkpoint holds beyond the mirror.",
       {{"", source_size_ > local ? source_size_ - local : 0}}},
      {"fupin_mirror_lag_seconds",
       "gauge",
       "Whole seconds since the mirror was last caught up (0: caught up).",
       {{"", lag_ms / 1000}}},
      {"fupin_mirror_verified_records_total",
       "counter",
       "Records this process verified and stored.",
       {{"", verified_records_}}},
      {"fupin_mirror_errors_total",
       "counter",
       "Rounds that failed (source unreachable or refusing).",
       {{"", errors_}}},
      {"fupin_mirror_fork_detected",
       "gauge",
       "1 once the source contradicted a verified checkpoint (following stopped).",
       {{"", evidence_ ? 1u : 0u}}},
  };
}

}  // namespace fupin::mirror
