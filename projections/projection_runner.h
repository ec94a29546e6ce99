// Keeps projections caught up with the log, persists them, and answers
// as_of questions from snapshots.
//
// One runner folds a set of projections in one pass over the records (each
// record is decoded once for all of them). Each projection has its own
// position (records applied), so one whose version changed can be rebuilt
// from zero while the others resume where they were.
//
// Persistence (when RunnerOptions::persist): a projection's state and
// position are written together in one WriteBatch (projection_layout.h)
// every `persist_every` records, when caught up and idle, and on Stop. A
// crash loses at most the records since the last save, which are folded
// again from the log on restart. At multiples of `snapshot_interval` the
// state is also kept as a snapshot, so an as_of fold starts from the
// nearest snapshot instead of from zero. A save writes the whole state, so
// saves and kept snapshots are spaced out as the state grows: never more
// than `save_bytes_per_record` bytes of state per record folded.
//
// Threads: the runner's background thread (Start) folds after commits;
// CatchUp, Rebuild and StateAt may be called from any thread. At most one
// thread folds the live state at a time; readers (Read) hold a shared lock
// and never wait for more than one batch of Apply. Appending to the ledger
// never waits for the runner.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <thread>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/status.h"
#include "projections/projection.h"
#include "projections/projection_layout.h"
#include "projections/record_scan.h"

namespace fupin::projections {

struct RunnerOptions {
  // Write states to Cf::kProjections. Off for read-only ledgers (the CLI
  // beside a running server), where folds stay in memory.
  bool persist = true;
  // Start from the stored states and snapshots. Off to fold from zero
  // whatever is stored (`fupin-ledger stats --rebuild`).
  bool use_stored_state = true;
  // Records between two saves while catching up: bounds the work redone
  // after a crash (~0.1 s of folding) against the cost of writing the
  // whole state, which grows with the log.
  uint64_t persist_every = 50'000;
  // Positions that are multiples of this keep a snapshot for as_of folds;
  // an as_of answer then folds at most this many records in memory (more
  // once the budget below spaces snapshots further).
  uint64_t snapshot_interval = 100'000;
  // The write budget of saves and snapshots: a save is due only after
  // state bytes / this many records. 64 bytes per record is a tenth of
  // what the log itself writes per record (~650 bytes), so a state that
  // grows with the log (one fact per sale) never makes saving dominate:
  // a 40 MB state is saved every 625,000 records, not every 50,000.
  uint64_t save_bytes_per_record = 64;
  // A caught-up runner saves its state once no record arrived for this
  // long, so a quiet server restarts without folding anything.
  std::chrono::milliseconds idle_save_after{1000};
  // The background thread re-reads the tree size at least this often even
  // without Notify, so a commit nobody notified waits at most this long.
  std::chrono::milliseconds poll_interval{200};
  // Largest range one background fold takes before letting a rebuild or a
  // save in between.
  uint64_t fold_step = 100'000;
  ScanOptions scan;
};

// Called after each folded batch: records applied so far and the target.
using ProgressFn = std::function<void(uint64_t position, uint64_t target)>;

class ProjectionRunner {
 public:
  // Loads each projection's stored state when its version matches and it
  // was folded from this log (leaf hash check); otherwise the projection
  // starts from zero (discarded() tells which). Folds nothing yet.
  // Errors: kInvalidArgument (no projections, duplicate names), store
  // errors. `ledger` must outlive the runner.
  static Result<std::unique_ptr<ProjectionRunner>> Open(
      const Ledger& ledger, std::vector<std::unique_ptr<Projection>> projections,
      RunnerOptions options = {});
  // Stops the background thread (saving, as Stop does).
  ~ProjectionRunner();
  ProjectionRunner(const ProjectionRunner&) = delete;
  ProjectionRunner& operator=(const ProjectionRunner&) = delete;

  // Starts / stops the background catch-up thread. Stop saves the states
  // when persisting. Both idempotent.
  void Start();
  void Stop();
  // Wakes the background thread: records were committed. Never blocks.
  void Notify();

  // Folds the live states up to the tree size read at the call, on the
  // calling thread, saving as configured. Errors: the scan's (kDataLoss,
  // store errors) and the store's on save.
  Status CatchUp(const ProgressFn& progress = {});
  // Folds fresh, empty states from zero up to the tree size, while the live
  // states keep serving (and catching up); then swaps them in under the
  // lock and saves. Progress is reported on the calling thread.
  Status Rebuild(const ProgressFn& progress = {});
  // Saves every live state now (no-op without persist).
  Status Save();

  // Lowest position among the projections; lag is tree_size - position.
  uint64_t position() const { return position_.load(); }
  uint64_t lag() const;
  // Waits until position() >= target or the timeout passes; true if
  // reached.
  bool WaitForPosition(uint64_t target, std::chrono::milliseconds timeout) const;
  // The last error of the background thread (ok when none).
  Status last_error() const;
  // Names of projections whose stored state was discarded at Open.
  const std::vector<std::string>& discarded() const { return discarded_; }

  std::size_t size() const { return slots_.size(); }
  // Runs `read` on the live state of projection `index` with its position,
  // under the shared lock. Keep it short: folding waits for it.
  void Read(std::size_t index,
            const std::function<void(const Projection&, uint64_t position)>& read) const;
  // A private copy of projection `index` at `position` (records
  // [0, position)), folded in memory from the nearest stored state at or
  // before it, or from zero; the live state is untouched. Errors:
  // kInvalidArgument when position > tree_size, scan and store errors.
  Result<std::unique_ptr<Projection>> StateAt(std::size_t index, uint64_t position,
                                              const ProgressFn& progress = {}) const;

 private:
  struct Slot {
    std::unique_ptr<Projection> projection;
    uint64_t position = 0;
    merkle::Hash last_leaf_hash{};
    std::vector<uint64_t> snapshots;  // kept snapshot positions, ascending
    uint64_t saved_position = 0;      // position of the stored head
    std::size_t state_bytes = 0;      // size of the last saved state
  };

  // What a fold may write: live slots save heads, states and snapshots; a
  // rebuild's private slots only snapshots (their head is written at the
  // swap); an as_of fold nothing.
  enum class FoldMode { kLive, kRebuild, kPrivate };

  ProjectionRunner(const Ledger& ledger, RunnerOptions options);
  Status Load(Slot& slot);
  // Folds `slots` from their lowest position to `target`. Live slots are
  // the runner's own, guarded by state_mutex_ (the caller holds
  // fold_mutex_); others are private to the caller.
  Status Fold(std::vector<Slot>& slots, uint64_t target, FoldMode mode,
              const ProgressFn& progress) const;
  // Folds one batch into `slots`, saving at snapshot boundaries.
  Status ApplyBatch(std::vector<Slot>& slots, std::span<const DecodedRecord> batch,
                    FoldMode mode) const;
  // Saves one slot, as a kept snapshot or as the rolling state;
  // `write_head` false stores only the snapshot (rebuild before its swap).
  Status SaveSlot(Slot& slot, bool write_head, bool as_snapshot) const;
  // Records a slot must fold between two saves (or kept snapshots, at
  // least `floor`), given the size of its state.
  uint64_t SaveSpacing(const Slot& slot, uint64_t floor) const;
  uint64_t LastSnapshot(const Slot& slot) const;
  // Saves every live slot that changed; unless `force`, only those whose
  // write budget allows it.
  Status SaveAllLocked(bool force);
  // A private slot for an as_of fold: the live state when it is the nearest
  // start at or before `position`, else the nearest kept snapshot, else
  // empty.
  Result<std::unique_ptr<Slot>> StartingPoint(std::size_t index, uint64_t position) const;
  void Run();
  uint64_t LowestPosition(const std::vector<Slot>& slots) const;
  Result<merkle::Hash> LeafHashBefore(uint64_t position) const;

  const Ledger& ledger_;
  const RunnerOptions options_;
  std::vector<std::string> discarded_;

  // Guards the live slots' projections and positions. Only a thread
  // holding fold_mutex_ changes them (under the exclusive lock); saved
  // positions are only touched by that thread.
  mutable std::shared_mutex state_mutex_;
  std::mutex fold_mutex_;     // one folder of the live slots
  std::mutex rebuild_mutex_;  // one rebuild at a time
  std::vector<Slot> slots_;
  // Slot::snapshots of every slot: appended by saves, read by as_of folds.
  mutable std::mutex snapshots_mutex_;
  // Lowest live position; mutable because the (const) fold code updates it
  // when it folds the live slots.
  mutable std::atomic<uint64_t> position_{0};

  mutable std::mutex wake_mutex_;
  mutable std::condition_variable wake_;  // Notify, Stop, and position waits
  bool stop_ = false;
  bool notified_ = false;
  Status last_error_;
  std::thread thread_;
};

}  // namespace fupin::projections
