// The mirror's follow loop (docs/trust.md, "Mirrors"; docs/operations.md):
// over the source's public API it catches up with the checkpoint the
// source stands behind, re-verifying every record as `verify --full` would
// (Ledger::Replicate) and proving each stored stretch a prefix of that
// signed checkpoint, which must itself be consistent with the last one the
// mirror verified. Only verified records are stored, each durably, once.
//
// When the source contradicts a checkpoint the mirror verified, it stops
// following for good: the evidence (mirror/evidence.h) is written to
// DIR/mirror-evidence.json before anything else, served on
// /v1/mirror/evidence, raised in the status and metrics and logged. A
// mirror restarted over that directory stays stopped until an operator
// moves the file away.
//
// Threads: Start runs the loop on its own thread; status and evidence are
// read from any thread (api::MirrorView).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "api/mirror_view.h"
#include "ledger/ledger.h"
#include "ledger/status.h"
#include "ledger/tlog_checkpoint.h"
#include "ledger/witness_policy.h"
#include "mirror/evidence.h"
#include "mirror/source.h"

namespace fupin::mirror {

inline constexpr std::string_view kEvidenceFile = "mirror-evidence.json";

struct FollowerOptions {
  SourceOptions source;
  // Pause between rounds once caught up; after an error it backs off
  // from this up to 30 s.
  std::chrono::milliseconds interval{1000};
  // Records per request (the API's maximum page is 1000).
  std::size_t page_records = 1000;
  // Records per durable write: each stretch is proven a prefix of the
  // target checkpoint before it is written.
  std::size_t stretch_records = 10000;
  // Follow only checkpoints whose note carries this policy's quorum of
  // valid cosignatures (a mirror that trusts witnesses, not the operator).
  std::optional<WitnessPolicy> witness_policy;
  // Called after records or a checkpoint were stored (wake the server).
  std::function<void()> stored;
  // Progress lines on long catch-ups (stderr in the CLI); may be empty.
  std::function<void(const std::string&)> log;
  Clock clock = SystemClock();
};

// What one round did.
enum class RoundOutcome {
  kCaughtUp,      // local tree is the source's checkpoint
  kWaiting,       // nothing new to follow (source behind, or no quorum)
  kForkDetected,  // evidence stored; following stopped
};

// Opens the mirror in `data_dir`, creating it first from the source's
// genesis (records 0 and 1, and its checkpoint of size 2; Ledger::InitMirror)
// when the directory holds none. With source.public_key, a genesis
// checkpoint not signed by that key, or a mirror of another key, is
// kDataLoss (nothing is created). `created`, when given, is told the new
// mirror's identity.
Result<std::unique_ptr<Ledger>> OpenMirror(
    const std::string& data_dir, const SourceOptions& source,
    const std::function<void(const GenesisInfo&)>& created = {});

class Follower : public api::MirrorView {
 public:
  // Reads DIR/mirror-evidence.json if a previous run stored one.
  static Result<std::unique_ptr<Follower>> Create(Ledger& ledger, FollowerOptions options);
  ~Follower() override;  // Stop()

  // One round against the source's current checkpoint. Errors are the
  // transient ones (source unreachable, a refusal, a local write failing);
  // a fork is the outcome kForkDetected.
  Result<RoundOutcome> Round();
  // Rounds on a thread until Stop or a fork.
  void Start();
  void Stop();
  bool forked() const;
  // True when the last round left the mirror at the source's checkpoint.
  bool CaughtUp() const;
  // A mirror that witnesses its source (witness::WitnessOptions::vouch)
  // cosigns only records it verified: a checkpoint within its verified
  // tree must have that tree's root (else kInvalidField); one beyond it
  // is refused with kUnavailable (ask again) and becomes the next round's
  // target, so the mirror catches up with it at once.
  Status Vouch(const tlog::TreeHead& head, std::string_view note);

  // api::MirrorView
  std::string source() const override { return options_.source.url; }
  std::string StatusJson() const override;
  std::optional<std::string> EvidenceJson() const override;
  std::vector<api::MetricFamily> MetricFamilies() const override;
  const WitnessPolicy* witness_policy() const override {
    return options_.witness_policy ? &*options_.witness_policy : nullptr;
  }

 private:
  Follower(Ledger& ledger, FollowerOptions options)
      : ledger_(ledger), options_(std::move(options)) {}
  Result<RoundOutcome> Follow(Source& source, const SourceCheckpoint& target, bool hinted);
  // Checks `served` against the newest stored checkpoint; nullopt when it
  // may be followed (or is behind), the evidence when it contradicts it.
  Result<std::optional<Evidence>> Contradiction(Source& source, const ReplicatedCheckpoint& served,
                                                bool* behind);
  Status CatchUp(Source& source, const ReplicatedCheckpoint& target);
  Status StoreEvidence(Evidence evidence);
  void Log(const std::string& line) const;
  void Loop();

  Ledger& ledger_;
  FollowerOptions options_;
  std::unique_ptr<Source> source_;           // the loop's connection
  std::unique_ptr<Source> prefetch_source_;  // CatchUp's read-ahead connection

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
  // Status (under mu_).
  uint64_t source_size_ = 0;
  int64_t source_seen_ms_ = 0;     // when the source's checkpoint was last read
  int64_t behind_since_ms_ = 0;    // 0: caught up at the last round
  int64_t last_verified_ms_ = 0;   // when the last checkpoint was verified
  uint64_t verified_records_ = 0;  // stored by this process
  uint64_t rounds_ = 0;
  uint64_t errors_ = 0;
  std::string last_error_;
  std::string waiting_;  // why the last round did not follow
  std::optional<std::string> evidence_;
  std::string evidence_summary_;
  // A checkpoint a witness request asked about, beyond the mirror's tree.
  struct Hint {
    uint64_t size = 0;
    std::string note;
  };
  std::optional<Hint> hint_;
};

}  // namespace fupin::mirror
