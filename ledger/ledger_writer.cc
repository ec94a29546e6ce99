// The writer of Ledger (ledger_impl.h): callers verify signatures and
// queue their batch; one thread sequences every queued batch into a commit
// group, writes it with one WAL sync, then wakes the callers; checkpoints
// are signed at most once per interval and when the ledger closes.
#include <algorithm>
#include <chrono>

#include "ledger/entity_state.h"
#include "ledger/event_key.h"
#include "ledger/ledger_impl.h"
#include "ledger/signing.h"
#include "ledger/store_format.h"
#include "ledger/time.h"
#include "ledger/tlog_checkpoint.h"

namespace fupin {

namespace sf = store_format;

std::string CheckpointNote(const Checkpoint& checkpoint, const std::string& origin,
                           const crypto::Ed25519PrivateKey& key) {
  note::Note signed_note;
  signed_note.text = tlog::CheckpointText({origin, checkpoint.tree_size, checkpoint.root_hash});
  signed_note.signatures.push_back(note::SignEd25519(origin, key, signed_note.text));
  return note::FormatNote(signed_note);
}

void AddCheckpointPuts(const Checkpoint& checkpoint, const std::string& origin,
                       const crypto::Ed25519PrivateKey& key, std::vector<DbPut>& puts) {
  const std::string size = sf::Uint64Key(checkpoint.tree_size);
  puts.push_back({Cf::kCheckpoints, size, CheckpointJson(checkpoint)});
  puts.push_back({Cf::kNotes, size, CheckpointNote(checkpoint, origin, key)});
}

Ledger::Impl::~Impl() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

AppendResult Ledger::Impl::Append(std::vector<Envelope> batch) {
  AppendResult result;
  if (options_.read_only || system_key_ == nullptr) {
    result.status = Status(ErrorCode::kUnavailable, "ledger opened read-only");
    return result;
  }
  if (batch.empty()) {
    result.status = Status(ErrorCode::kInvalidArgument, "empty batch");
    return result;
  }
  if (batch.size() > kMaxBatchEvents) {
    result.status = Status(ErrorCode::kBatchTooLarge, "a batch holds at most 1000 events, got " +
                                                          std::to_string(batch.size()));
    return result;
  }
  auto pending = std::make_unique<Pending>();
  pending->hints = CheckSignatures(batch);
  pending->events = std::move(batch);
  std::future<AppendResult> done = pending->done.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      result.status = Status(ErrorCode::kUnavailable, "ledger is shutting down");
      return result;
    }
    queue_.push_back(std::move(pending));
  }
  cv_.notify_all();
  return done.get();
}

// Verifies signatures on the caller's thread against the committed key
// registry; the writer re-checks only what changed since.
std::vector<std::optional<SignatureHint>> Ledger::Impl::CheckSignatures(
    const std::vector<Envelope>& batch) const {
  std::vector<std::optional<SignatureHint>> hints(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) hints[i] = CheckSignature(batch[i]);
  return hints;
}

std::optional<SignatureHint> Ledger::Impl::CheckSignature(const Envelope& event) const {
  Result<std::optional<std::string>> stored =
      db_->Get(Cf::kState, sf::StateKey(static_cast<uint8_t>(EntityKind::kKey), event.key_id));
  if (!stored.ok() || !stored->has_value()) return std::nullopt;
  Result<EntityState> state = DecodeEntityState(**stored);
  if (!state.ok()) return std::nullopt;
  const KeyState* key = std::get_if<KeyState>(&*state);
  if (key == nullptr) return std::nullopt;
  std::optional<bool> valid = crypto::VerifyEventSignatureWithThreadCache(
      key->alg, key->public_key, event.signing_input, event.signature);
  if (!valid) return std::nullopt;
  return SignatureHint{key->alg, key->public_key, *valid};
}

void Ledger::Impl::WriterLoop() {
  for (;;) {
    std::vector<std::unique_ptr<Pending>> group;
    bool stop = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto ready = [&] { return stopping_ || !queue_.empty(); };
      if (checkpoint_size_ < tree_size()) {
        cv_.wait_for(lock, std::chrono::milliseconds(CheckpointWaitMs()), ready);
      } else {
        cv_.wait(lock, ready);
      }
      std::size_t events = 0;
      while (!queue_.empty() && events < options_.max_group_events) {
        events += queue_.front()->events.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      stop = stopping_ && queue_.empty();
    }
    if (!group.empty()) CommitGroup(group);
    int64_t now = options_.clock();
    if (checkpoint_size_ < tree_size() &&
        (stop || now - last_checkpoint_ms_ >= options_.checkpoint_interval_ms)) {
      std::vector<DbPut> puts;
      Checkpoint checkpoint = MakeCheckpoint(frontier_, now);
      AddCheckpointPuts(checkpoint, info_.origin, *system_key_, puts);
      if (db_->Write(puts, true).ok()) NoteCheckpoint(checkpoint, now);
    }
    if (stop) return;
  }
}

int64_t Ledger::Impl::CheckpointWaitMs() const {
  int64_t due = last_checkpoint_ms_ + options_.checkpoint_interval_ms - options_.clock();
  return std::max<int64_t>(due, 1);
}

Checkpoint Ledger::Impl::MakeCheckpoint(const merkle::Frontier& frontier, int64_t now) const {
  Checkpoint checkpoint;
  checkpoint.log_id = info_.log_id;
  checkpoint.tree_size = frontier.size();
  checkpoint.root_hash = frontier.Root();
  checkpoint.timestamp = FormatUtcSeconds(std::max(now, last_checkpoint_ms_) / 1000);
  checkpoint.key_id = info_.system_key_id;
  checkpoint.hash = info_.hash;
  return SignCheckpoint(std::move(checkpoint), *system_key_);
}

void Ledger::Impl::NoteCheckpoint(const Checkpoint& checkpoint, int64_t now) {
  checkpoint_size_ = checkpoint.tree_size;
  last_checkpoint_ms_ = std::max(now, last_checkpoint_ms_);
}

void Ledger::Impl::CommitGroup(std::vector<std::unique_ptr<Pending>>& group) {
  int64_t now = options_.clock();
  int64_t recorded_ms = std::max(now, last_recorded_ms_);
  GroupOverlay overlay(frontier_.alg());
  overlay.frontier = frontier_;
  overlay.next_seq = tree_size();
  std::vector<AppendResult> results(group.size());
  for (std::size_t i = 0; i < group.size(); ++i) {
    Result<std::vector<AppendedEvent>> appended = sequencer_.SequenceBatch(
        group[i]->events, group[i]->hints, recorded_ms, &overlay, &results[i].failed_index);
    if (appended.ok()) {
      results[i].events = std::move(appended).value();
    } else {
      results[i].status = appended.status();
    }
  }
  Status written = Status::Ok();
  if (!overlay.puts.empty()) {
    std::optional<Checkpoint> checkpoint;
    if (now - last_checkpoint_ms_ >= options_.checkpoint_interval_ms) {
      checkpoint = MakeCheckpoint(overlay.frontier, now);
      AddCheckpointPuts(*checkpoint, info_.origin, *system_key_, overlay.puts);
    }
    auto started = std::chrono::steady_clock::now();
    written = db_->Write(overlay.puts, /*sync=*/true);
    uint64_t micros = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                std::chrono::steady_clock::now() - started)
                                                .count());
    if (written.ok()) {
      uint64_t events = overlay.next_seq - tree_size();
      stats_groups_.fetch_add(1, std::memory_order_relaxed);
      stats_events_.fetch_add(events, std::memory_order_relaxed);
      stats_sync_micros_.fetch_add(micros, std::memory_order_relaxed);
      if (events > stats_max_group_.load(std::memory_order_relaxed)) {
        stats_max_group_.store(events, std::memory_order_relaxed);
      }
      frontier_ = overlay.frontier;
      last_recorded_ms_ = recorded_ms;
      tree_size_.store(overlay.next_seq, std::memory_order_release);
      if (checkpoint) NoteCheckpoint(*checkpoint, now);
    }
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (results[i].ok() && !written.ok()) results[i].status = written;
    results[i].tree_size = tree_size();
    group[i]->done.set_value(std::move(results[i]));
  }
}

}  // namespace fupin
