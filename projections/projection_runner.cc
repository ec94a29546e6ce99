#include "projections/projection_runner.h"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

namespace fupin::projections {

ProjectionRunner::ProjectionRunner(const Ledger& ledger, RunnerOptions options)
    : ledger_(ledger), options_(std::move(options)) {}

ProjectionRunner::~ProjectionRunner() { Stop(); }

Result<std::unique_ptr<ProjectionRunner>> ProjectionRunner::Open(
    const Ledger& ledger, std::vector<std::unique_ptr<Projection>> projections,
    RunnerOptions options) {
  if (projections.empty()) {
    return Status(ErrorCode::kInvalidArgument, "a projection runner needs a projection");
  }
  if (options.snapshot_interval == 0 || options.persist_every == 0 ||
      options.save_bytes_per_record == 0) {
    return Status(ErrorCode::kInvalidArgument, "snapshot and save intervals must be positive");
  }
  std::set<std::string, std::less<>> names;
  for (const auto& p : projections) {
    if (p == nullptr || p->name().empty() || !names.insert(std::string(p->name())).second) {
      return Status(ErrorCode::kInvalidArgument, "projection names must be unique and non-empty");
    }
  }
  std::unique_ptr<ProjectionRunner> runner(new ProjectionRunner(ledger, std::move(options)));
  for (auto& p : projections) {
    Slot slot;
    slot.projection = std::move(p);
    FUPIN_RETURN_IF_ERROR(runner->Load(slot));
    runner->slots_.push_back(std::move(slot));
  }
  runner->position_ = runner->LowestPosition(runner->slots_);
  return runner;
}

Result<merkle::Hash> ProjectionRunner::LeafHashBefore(uint64_t position) const {
  if (position == 0) return merkle::Hash{};
  FUPIN_ASSIGN_OR_RETURN(StoredRecord record, ledger_.ReadRecord(position - 1));
  return record.leaf_hash;
}

Status ProjectionRunner::Load(Slot& slot) {
  const std::string_view name = slot.projection->name();
  StoreDb& db = ledger_.store();
  if (!options_.use_stored_state) return Status::Ok();
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> head_bytes,
                         db.Get(Cf::kProjections, HeadKey(name)));
  if (!head_bytes.has_value()) return Status::Ok();  // never saved: start from zero

  // Anything that makes the stored state unusable (another version, another
  // log, damage) discards it: projections are derived data, and folding
  // again from the log is always correct.
  auto discard = [&] {
    discarded_.emplace_back(name);
    slot.projection = slot.projection->NewEmpty();
    return Status::Ok();
  };
  Result<ProjectionHead> head = DecodeHead(*head_bytes);
  if (!head.ok() || head->projection_version != slot.projection->version() ||
      head->position > ledger_.tree_size()) {
    return discard();
  }
  FUPIN_ASSIGN_OR_RETURN(merkle::Hash expected_hash, LeafHashBefore(head->position));
  if (expected_hash != head->last_leaf_hash) return discard();
  const std::string key =
      head->state_in_snapshot ? SnapshotKey(name, head->position) : StateKey(name);
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> blob_bytes, db.Get(Cf::kProjections, key));
  if (!blob_bytes.has_value()) return discard();
  Result<StateBlob> blob = DecodeStateBlob(*blob_bytes);
  if (!blob.ok() || blob->projection_version != head->projection_version ||
      blob->position != head->position || blob->last_leaf_hash != head->last_leaf_hash ||
      !slot.projection->DecodeState(blob->state).ok()) {
    return discard();
  }
  slot.position = head->position;
  slot.last_leaf_hash = head->last_leaf_hash;
  slot.saved_position = head->position;
  slot.state_bytes = blob->state.size();
  for (uint64_t s : head->snapshots) {
    if (s <= head->position) slot.snapshots.push_back(s);
  }
  return Status::Ok();
}

uint64_t ProjectionRunner::LowestPosition(const std::vector<Slot>& slots) const {
  uint64_t lowest = std::numeric_limits<uint64_t>::max();
  for (const Slot& slot : slots) lowest = std::min(lowest, slot.position);
  return lowest;
}

uint64_t ProjectionRunner::lag() const {
  uint64_t size = ledger_.tree_size();
  uint64_t position = position_.load();
  return size > position ? size - position : 0;
}

uint64_t ProjectionRunner::LastSnapshot(const Slot& slot) const {
  std::lock_guard lock(snapshots_mutex_);
  return slot.snapshots.empty() ? 0 : slot.snapshots.back();
}

uint64_t ProjectionRunner::SaveSpacing(const Slot& slot, uint64_t floor) const {
  return std::max<uint64_t>(floor, slot.state_bytes / options_.save_bytes_per_record);
}

Status ProjectionRunner::SaveSlot(Slot& slot, bool write_head, bool as_snapshot) const {
  StateBlob blob;
  blob.projection_version = slot.projection->version();
  blob.position = slot.position;
  blob.last_leaf_hash = slot.last_leaf_hash;
  blob.state = slot.projection->EncodeState();
  const std::string_view name = slot.projection->name();
  std::vector<DbPut> puts;
  std::vector<uint64_t> snapshots;
  {
    std::lock_guard lock(snapshots_mutex_);
    snapshots = slot.snapshots;
  }
  if (as_snapshot) {
    puts.push_back({Cf::kProjections, SnapshotKey(name, slot.position), EncodeStateBlob(blob)});
    if (snapshots.empty() || snapshots.back() < slot.position) {
      snapshots.push_back(slot.position);
    }
  } else {
    puts.push_back({Cf::kProjections, StateKey(name), EncodeStateBlob(blob)});
  }
  if (write_head) {
    ProjectionHead head;
    head.projection_version = blob.projection_version;
    head.position = slot.position;
    head.last_leaf_hash = slot.last_leaf_hash;
    head.snapshots = snapshots;
    head.state_in_snapshot = as_snapshot;
    puts.push_back({Cf::kProjections, HeadKey(name), EncodeHead(head)});
  }
  // Not synced: the WAL keeps the batch atomic, and a save lost in a crash
  // only means folding those records again.
  const std::size_t state_bytes = blob.state.size();
  FUPIN_RETURN_IF_ERROR(ledger_.store().Write(puts, /*sync=*/false));
  {
    std::lock_guard lock(snapshots_mutex_);
    slot.snapshots = std::move(snapshots);
  }
  slot.state_bytes = state_bytes;
  if (write_head) slot.saved_position = slot.position;
  return Status::Ok();
}

Status ProjectionRunner::ApplyBatch(std::vector<Slot>& slots, std::span<const DecodedRecord> batch,
                                    FoldMode mode) const {
  const bool live = mode == FoldMode::kLive;
  const bool save_snapshots = options_.persist && mode != FoldMode::kPrivate;
  std::vector<char> due(slots.size(), 0);  // slots whose snapshot is due
  std::size_t i = 0;
  while (i < batch.size()) {
    // Apply under the exclusive lock up to the end of the batch or the
    // first record after which a snapshot is due, then save under the
    // shared lock so readers are not held up by the encoding.
    bool any_due = false;
    {
      std::unique_lock<std::shared_mutex> lock(state_mutex_, std::defer_lock);
      if (live) lock.lock();
      for (; i < batch.size() && !any_due; ++i) {
        const DecodedRecord& record = batch[i];
        for (std::size_t k = 0; k < slots.size(); ++k) {
          Slot& slot = slots[k];
          if (slot.position != record.seq) continue;
          slot.projection->Apply(record);
          slot.position = record.seq + 1;
          slot.last_leaf_hash = record.leaf_hash;
          if (save_snapshots && slot.position % options_.snapshot_interval == 0 &&
              slot.position - LastSnapshot(slot) >= SaveSpacing(slot, options_.snapshot_interval)) {
            due[k] = 1;
            any_due = true;
          }
        }
      }
      if (live) position_ = LowestPosition(slots);
    }
    if (any_due) {
      std::shared_lock<std::shared_mutex> lock(state_mutex_, std::defer_lock);
      if (live) lock.lock();
      for (std::size_t k = 0; k < slots.size(); ++k) {
        if (!due[k]) continue;
        due[k] = 0;
        FUPIN_RETURN_IF_ERROR(SaveSlot(slots[k], /*write_head=*/live, /*as_snapshot=*/true));
      }
    }
  }
  if (live && options_.persist) {
    std::shared_lock<std::shared_mutex> lock(state_mutex_);
    for (Slot& slot : slots) {
      if (slot.position - slot.saved_position >= SaveSpacing(slot, options_.persist_every)) {
        FUPIN_RETURN_IF_ERROR(SaveSlot(slot, /*write_head=*/true, /*as_snapshot=*/false));
      }
    }
  }
  return Status::Ok();
}

Status ProjectionRunner::Fold(std::vector<Slot>& slots, uint64_t target, FoldMode mode,
                              const ProgressFn& progress) const {
  const uint64_t from = LowestPosition(slots);
  if (from >= target) return Status::Ok();
  Status folded = ScanDecoded(ledger_.store(), from, target, options_.scan,
                              [&](std::span<const DecodedRecord> batch) -> Status {
                                FUPIN_RETURN_IF_ERROR(ApplyBatch(slots, batch, mode));
                                if (mode == FoldMode::kLive) {
                                  {
                                    std::lock_guard wake(wake_mutex_);
                                  }  // no lost wake-up for waiters
                                  wake_.notify_all();
                                }
                                if (progress) progress(batch.back().seq + 1, target);
                                return Status::Ok();
                              });
  return folded;
}

Status ProjectionRunner::CatchUp(const ProgressFn& progress) {
  std::lock_guard fold(fold_mutex_);
  return Fold(slots_, ledger_.tree_size(), FoldMode::kLive, progress);
}

Status ProjectionRunner::SaveAllLocked(bool force) {
  if (!options_.persist) return Status::Ok();
  std::shared_lock<std::shared_mutex> lock(state_mutex_);
  for (Slot& slot : slots_) {
    if (slot.position == slot.saved_position) continue;
    if (!force && slot.position - slot.saved_position < SaveSpacing(slot, 1)) continue;
    FUPIN_RETURN_IF_ERROR(SaveSlot(slot, /*write_head=*/true, /*as_snapshot=*/false));
  }
  return Status::Ok();
}

Status ProjectionRunner::Save() {
  std::lock_guard fold(fold_mutex_);
  return SaveAllLocked(/*force=*/true);
}

Status ProjectionRunner::Rebuild(const ProgressFn& progress) {
  std::lock_guard rebuild(rebuild_mutex_);
  std::vector<Slot> fresh;
  {
    std::shared_lock<std::shared_mutex> lock(state_mutex_);
    for (const Slot& slot : slots_) {
      Slot empty;
      empty.projection = slot.projection->NewEmpty();
      fresh.push_back(std::move(empty));
    }
  }
  // Most of the log is folded beside the live states, which keep serving
  // and catching up; only the last chunk is folded while they wait.
  for (;;) {
    const uint64_t target = ledger_.tree_size();
    if (target - LowestPosition(fresh) <= options_.scan.chunk_records) break;
    FUPIN_RETURN_IF_ERROR(Fold(fresh, target, FoldMode::kRebuild, progress));
  }
  std::lock_guard fold(fold_mutex_);
  FUPIN_RETURN_IF_ERROR(Fold(fresh, ledger_.tree_size(), FoldMode::kRebuild, progress));
  {
    std::unique_lock<std::shared_mutex> lock(state_mutex_);
    slots_.swap(fresh);
    position_ = LowestPosition(slots_);
  }
  { std::lock_guard wake(wake_mutex_); }
  wake_.notify_all();
  return SaveAllLocked(/*force=*/true);
}

void ProjectionRunner::Read(
    std::size_t index,
    const std::function<void(const Projection&, uint64_t position)>& read) const {
  std::shared_lock<std::shared_mutex> lock(state_mutex_);
  const Slot& slot = slots_.at(index);
  read(*slot.projection, slot.position);
}

Result<std::unique_ptr<ProjectionRunner::Slot>> ProjectionRunner::StartingPoint(
    std::size_t index, uint64_t position) const {
  auto start = std::make_unique<Slot>();
  std::vector<uint64_t> snapshots;
  bool live_usable = false;
  {
    std::shared_lock<std::shared_mutex> lock(state_mutex_);
    const Slot& live = slots_.at(index);
    start->projection = live.projection->NewEmpty();
    {
      std::lock_guard snapshots_lock(snapshots_mutex_);
      snapshots = live.snapshots;
    }
    uint64_t best_stored = 0;
    for (uint64_t s : snapshots) {
      if (s <= position) best_stored = std::max(best_stored, s);
    }
    // The live state is the nearest start when it is not past `position`
    // and closer than any snapshot: copy it through its encoding.
    if (live.position <= position && live.position > best_stored) {
      live_usable = start->projection->DecodeState(live.projection->EncodeState()).ok();
      if (live_usable) {
        start->position = live.position;
        start->last_leaf_hash = live.last_leaf_hash;
      } else {
        start->projection = live.projection->NewEmpty();
      }
    }
  }
  if (live_usable) return start;
  // Else the nearest kept snapshot at or before `position`.
  const std::string_view name = start->projection->name();
  for (auto it = snapshots.rbegin(); it != snapshots.rend(); ++it) {
    if (*it > position) continue;
    FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                           ledger_.store().Get(Cf::kProjections, SnapshotKey(name, *it)));
    if (!bytes.has_value()) continue;
    Result<StateBlob> blob = DecodeStateBlob(*bytes);
    FUPIN_ASSIGN_OR_RETURN(merkle::Hash hash, LeafHashBefore(*it));
    // A snapshot that does not check out is skipped, never trusted: an
    // earlier one (or zero) gives the same answer, only slower.
    if (blob.ok() && blob->position == *it && blob->last_leaf_hash == hash &&
        blob->projection_version == start->projection->version() &&
        start->projection->DecodeState(blob->state).ok()) {
      start->position = *it;
      start->last_leaf_hash = hash;
      return start;
    }
    start->projection = start->projection->NewEmpty();
  }
  return start;
}

Result<std::unique_ptr<Projection>> ProjectionRunner::StateAt(std::size_t index, uint64_t position,
                                                              const ProgressFn& progress) const {
  if (position > ledger_.tree_size()) {
    return Status(ErrorCode::kInvalidArgument, "as_of " + std::to_string(position) +
                                                   " records is beyond the log's " +
                                                   std::to_string(ledger_.tree_size()));
  }
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<Slot> start, StartingPoint(index, position));
  std::vector<Slot> one;
  one.push_back(std::move(*start));
  FUPIN_RETURN_IF_ERROR(Fold(one, position, FoldMode::kPrivate, progress));
  return std::move(one.front().projection);
}

void ProjectionRunner::Start() {
  std::lock_guard wake(wake_mutex_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void ProjectionRunner::Stop() {
  {
    std::lock_guard wake(wake_mutex_);
    if (!thread_.joinable()) return;
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ProjectionRunner::Notify() {
  {
    std::lock_guard wake(wake_mutex_);
    notified_ = true;
  }
  wake_.notify_all();
}

Status ProjectionRunner::last_error() const {
  std::lock_guard wake(wake_mutex_);
  return last_error_;
}

bool ProjectionRunner::WaitForPosition(uint64_t target, std::chrono::milliseconds timeout) const {
  std::unique_lock wake(wake_mutex_);
  return wake_.wait_for(wake, timeout, [&] { return position_.load() >= target; });
}

void ProjectionRunner::Run() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point last_fold = Clock::now();
  for (;;) {
    {
      std::lock_guard wake(wake_mutex_);
      if (stop_) break;
      notified_ = false;
    }
    const uint64_t size = ledger_.tree_size();
    Status status = Status::Ok();
    bool folded = false;
    if (position_.load() < size) {
      std::lock_guard fold(fold_mutex_);
      status =
          Fold(slots_, std::min(size, position_.load() + options_.fold_step), FoldMode::kLive, {});
      folded = true;
      last_fold = Clock::now();
    } else if (options_.persist && Clock::now() - last_fold >= options_.idle_save_after) {
      std::lock_guard fold(fold_mutex_);
      status = SaveAllLocked(/*force=*/false);
    }
    std::unique_lock wake(wake_mutex_);
    last_error_ = status;
    // Keep going without waiting while there is more to fold and all is
    // well; otherwise sleep until notified, polled, or an idle save is due.
    if (folded && status.ok() && position_.load() < ledger_.tree_size()) continue;
    std::chrono::milliseconds wait = options_.poll_interval;
    if (options_.persist && folded) wait = std::min(wait, options_.idle_save_after);
    wake_.wait_for(wake, wait, [&] { return stop_ || notified_; });
  }
  Status saved;
  {
    std::lock_guard fold(fold_mutex_);
    saved = SaveAllLocked(/*force=*/true);
  }
  std::lock_guard wake(wake_mutex_);
  last_error_ = saved;
}

}  // namespace fupin::projections
