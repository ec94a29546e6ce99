// Server metrics in the Prometheus text exposition format 0.0.4.
//
// What is measured here is what the server can see from outside the
// Ledger: requests by route template, method and status; request latency;
// the latency of Ledger::Append (signature checks plus waiting for the
// durable group commit) and the events per append; appended, duplicate and
// rejected events (by error code); appends in flight (an upper bound on
// the commit-group size the ledger can form); connections. The ledger's
// internal commit-group size and WAL sync latency are not exposed by
// Ledger and are therefore not reported.
//
// Thread-safety: every method may be called from any thread at once.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "api/route.h"
#include "ledger/ledger.h"
#include "ledger/status.h"

namespace fupin::api {

// A metric family measured outside the HTTP layer (projections, rules),
// handed to Render when /metrics is read.
struct MetricFamily {
  std::string name;
  std::string type;  // "gauge" or "counter"
  std::string help;
  // Label text (`rule="FP-03",severity="alert"`, or "" for none) and value.
  std::vector<std::pair<std::string, uint64_t>> samples;
};

class Metrics {
 public:
  Metrics();

  // One answered request (including refusals made by the session itself,
  // under RouteId::kUnmatched).
  void ObserveRequest(RouteId route, unsigned status, double seconds);

  // Around one Ledger::Append call.
  void AppendStarted();
  void AppendFinished(std::size_t events, double seconds);
  void EventsAppended(std::size_t appended, std::size_t duplicates);
  // One refused append: the code of the offending event.
  void EventRejected(ErrorCode code);

  void ConnectionOpened();
  void ConnectionClosed();
  void ConnectionRefused();  // over max_connections
  void DeadlineExpired();    // a read, write or idle deadline closed a session

  // The exposition text; `tree_size` is the ledger's committed size,
  // `commits` its group-commit counters and `families` what other parts of
  // the server measure.
  std::string Render(uint64_t tree_size, const CommitStats& commits,
                     const std::vector<MetricFamily>& families = {}) const;

 private:
  struct Histogram {
    explicit Histogram(const std::vector<double>* bounds);
    void Observe(double value);
    const std::vector<double>* bounds;
    std::vector<uint64_t> counts;  // per bucket, not cumulative
    double sum = 0;
    uint64_t count = 0;
  };

  mutable std::mutex mu_;
  std::map<std::tuple<RouteId, unsigned>, uint64_t> requests_;
  std::vector<Histogram> latency_;  // by RouteId
  Histogram append_latency_;
  Histogram append_events_;
  std::map<ErrorCode, uint64_t> rejected_;

  std::atomic<int64_t> appends_in_flight_{0};
  std::atomic<uint64_t> events_appended_{0};
  std::atomic<uint64_t> events_duplicate_{0};
  std::atomic<int64_t> connections_open_{0};
  std::atomic<uint64_t> connections_refused_{0};
  std::atomic<uint64_t> deadlines_expired_{0};
};

}  // namespace fupin::api
