// Gathers witnesses' cosignatures on the ledger's checkpoints (C2SP
// tlog-witness v1.0.0 as a client): one thread per configured witness
// submits the newest checkpoint note with a consistency proof from the size
// that witness last cosigned, learning that size from a 409 when it does
// not know it, at most once per interval; verified cosignatures are stored
// beside the checkpoint (Ledger::AddCosignatures). Failures back off
// exponentially up to kMaxBackoff. Ingest never waits for any of it.
//
// witnessed_size() is the newest checkpoint whose stored note meets the
// quorum: what GET /checkpoint serves and what proofs are given against
// when witnesses are configured (docs/trust.md).
//
// Thread-safety: every public member may be called from any thread.
// Ownership: the Ledger is borrowed and must outlive the collector.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/witness_policy.h"

namespace fupin::api {

class HttpClient;

// A witness that keeps failing is asked again at most this rarely.
inline constexpr std::chrono::milliseconds kMaxWitnessBackoff{60'000};
// At startup, how many stored notes back the collector looks for the
// newest one that meets the quorum.
inline constexpr uint64_t kWitnessedSearchDepth = 1000;

struct WitnessProgress {
  std::string name;
  std::string url;
  uint64_t cosigned_size = 0;    // the newest size it cosigned for this ledger
  uint64_t submissions = 0;      // add-checkpoint requests sent
  uint64_t failures = 0;         // requests that did not yield a cosignature
  std::string last_error;        // empty after a success
  int64_t last_cosigned_ms = 0;  // wall clock of the last success
};

class WitnessCollector {
 public:
  // `interval`: at most one submission per witness per interval.
  WitnessCollector(Ledger& ledger, WitnessPolicy policy, std::chrono::milliseconds interval);
  ~WitnessCollector();  // Stop()
  WitnessCollector(const WitnessCollector&) = delete;
  WitnessCollector& operator=(const WitnessCollector&) = delete;

  // Finds the newest witnessed checkpoint stored and starts the threads.
  void Start();
  // Joins the threads; a request in flight finishes first (bounded by the
  // client's request timeout). Idempotent.
  void Stop();

  const WitnessPolicy& policy() const { return policy_; }
  // 0 while no stored checkpoint meets the quorum.
  uint64_t witnessed_size() const { return witnessed_size_.load(std::memory_order_acquire); }
  std::vector<WitnessProgress> progress() const;

 private:
  void Run(std::size_t index);
  // Asks witness `index` to cosign the newest checkpoint; `known_size` is
  // the size it last cosigned as far as the collector knows (learned from
  // its 409s). Ok when the checkpoint is cosigned and stored.
  Status Submit(std::size_t index, HttpClient& client, uint64_t& known_size);
  // Records a note at `size` meeting the quorum.
  void ConsiderWitnessed(uint64_t size);

  Ledger& ledger_;
  const WitnessPolicy policy_;
  const std::chrono::milliseconds interval_;
  std::atomic<uint64_t> witnessed_size_{0};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::vector<WitnessProgress> progress_;  // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace fupin::api
