// Runs the rule engine live: follows the log after commits, in order, off
// the acknowledgement path, and appends the flags the engine decides as
// flag.raised events signed by the ledger's system key.
//
// Restart: the runner saves the engine's and the flag book's state in the
// store (Cf::kProjections, under "rules/head" and "rules/state" in the
// projections' layout, projection_layout.h) while it folds, at most every
// persist_every records and within the same write budget as the
// projections, once the log is quiet, and when it stops. It saves only
// where every flag decided so far is in the log. On open it starts from
// that state and folds only the records after it; a state of another
// kRuleStateVersion, another rule configuration or another log (the leaf
// hash of its last record differs), or one that does not decode, is
// discarded and the log is folded from zero.
//
// Either way the engine re-decides flags the log may already hold. A
// decided flag's event id is deterministic (engine.h), and a flag whose
// event id is already in the log is not appended again: flags raised
// before a crash are neither lost nor doubled, and a flag raised under an
// earlier configuration stays as it was raised (its summary may have other
// numbers than today's configuration would give).
//
// Threads: one background thread folds and appends (Start/Stop/Notify from
// any thread); readers use Read, under a shared lock.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "ledger/ledger.h"
#include "ledger/status.h"
#include "projections/record_scan.h"
#include "rules/engine.h"
#include "rules/flag_book.h"
#include "rules/rule_config.h"

namespace fupin::rules {

struct RuleRunnerOptions {
  RuleEngineLimits limits;
  // Re-read the tree size at least this often without Notify.
  std::chrono::milliseconds poll_interval{200};
  // Records folded between two flushes of decided flags to the log.
  uint64_t fold_step = 50'000;
  projections::ScanOptions scan;
  // False on a mirror: the source appends the flags; the runner only folds
  // the log (the flag.raised records it replicates) and drops its own
  // decisions.
  bool append_flags = true;
  // Save the state and start from it (above). Off (and it must be off on a
  // read-only ledger): fold from zero and write nothing.
  bool persist = true;
  // Records between two saves while folding, and the write budget (a save
  // is due only after state bytes / save_bytes_per_record records): the
  // same trade as projections::RunnerOptions.
  uint64_t persist_every = 50'000;
  uint64_t save_bytes_per_record = 64;
  // A caught-up runner saves once no record arrived for this long.
  std::chrono::milliseconds idle_save_after{1000};
};

struct RuleRunnerStats {
  uint64_t position = 0;         // records folded
  uint64_t lag = 0;              // committed records not folded yet
  uint64_t flags_appended = 0;   // flag.raised events this runner wrote
  uint64_t flags_pending = 0;    // decided, not yet in the log
  std::size_t open_flags = 0;    // in the log, not resolved
  int64_t clock_ms = 0;          // the business clock
  uint64_t restored_at = 0;      // position of the saved state it started from
  bool discarded_state = false;  // a saved state was there and unusable
  uint64_t saved_at = 0;         // position of the last save (0: none yet)
};

class RuleRunner {
 public:
  // Builds the engine from `config`. Errors: the engine's (a bad config).
  // `ledger` must outlive the runner and be writable to append flags.
  static Result<std::unique_ptr<RuleRunner>> Open(Ledger& ledger, const RuleConfig& config,
                                                  RuleRunnerOptions options = {});
  ~RuleRunner();  // Stop()
  RuleRunner(const RuleRunner&) = delete;
  RuleRunner& operator=(const RuleRunner&) = delete;

  void Start();
  void Stop();
  void Notify();

  // Folds and appends on the calling thread until every record, the flags
  // it appended included, is folded. Errors: scan errors, refused appends
  // (kUnavailable on a read-only ledger).
  Status CatchUp();
  // True once the runner has folded at least `target` records and flushed
  // every flag decided up to there.
  bool WaitForPosition(uint64_t target, std::chrono::milliseconds timeout) const;

  RuleRunnerStats stats() const;
  Status last_error() const;
  // Runs `read` on the engine and the flag book under the shared lock.
  void Read(const std::function<void(const RuleEngine&, const FlagBook&)>& read) const;

 private:
  RuleRunner(Ledger& ledger, std::unique_ptr<RuleEngine> engine, RuleRunnerOptions options);
  // Starts from the saved state when there is a usable one; `fresh` builds
  // the empty engine that replaces a half-restored one.
  Status Restore(const std::function<Result<std::unique_ptr<RuleEngine>>()>& fresh);
  // Saves the state at folded_ when nothing is pending and a save is due
  // (or `force`, when anything was folded since the last save).
  Status SaveIfDue(bool force);
  // Folds [folded_, target) and appends what was decided; the caller holds
  // fold_mutex_. A failed append keeps the undelivered flags in pending_
  // (the engine never folds a record twice) and the next call retries.
  // `interruptible` (the background thread): Stop ends the fold at its
  // next step.
  Status FoldTo(uint64_t target, bool interruptible = false);
  Status Flush();
  void Run();

  Ledger& ledger_;
  const RuleRunnerOptions options_;
  mutable std::shared_mutex state_mutex_;  // engine_ and book_
  std::unique_ptr<RuleEngine> engine_;
  FlagBook book_;
  std::mutex fold_mutex_;
  // Guarded by fold_mutex_: records the engine folded, and the flags it
  // decided that are not in the log yet.
  uint64_t folded_ = 0;
  std::vector<RaisedFlag> pending_;
  std::atomic<uint64_t> position_{0};  // folded and flushed
  std::atomic<uint64_t> flags_appended_{0};
  std::atomic<uint64_t> flags_pending_{0};
  // Guarded by fold_mutex_: the position and size of the last save.
  uint64_t saved_at_ = 0;
  std::size_t saved_bytes_ = 0;
  std::atomic<uint64_t> saved_position_{0};  // saved_at_, for stats()
  uint64_t restored_at_ = 0;
  bool discarded_state_ = false;

  mutable std::mutex wake_mutex_;
  mutable std::condition_variable wake_;
  bool stop_ = false;
  // Set by Stop: a long fold (the first start on a large log) ends at its
  // next step instead of folding the rest of the log first.
  std::atomic<bool> stopping_{false};
  bool notified_ = false;
  Status last_error_;
  std::thread thread_;
};

// The flag.raised event of a decided flag, unsigned (SignAsSystem adds
// key and sig): deterministic in the flag.
boost::json::object FlagRaisedEvent(const RaisedFlag& flag);

}  // namespace fupin::rules
