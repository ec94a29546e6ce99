// Posting signed events to a ledger server (POST /v1/events, SPEC §5) in
// batches: what `submit`, `import sales` and `report import` share.
//
// Safe to retry: a request that failed on the network or with a 5xx is
// sent again with backoff, and the server acknowledges an event it already
// holds (same id, same content) as a duplicate. A batch the server refuses
// because of one event (its answer names the event's index) is sent again
// without that event, so one bad event never blocks its neighbours; a
// batch too large for the server (413) is split.
//
// Not thread-safe: one EventSubmitter per thread.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/client.h"
#include "ledger/status.h"

namespace fupin::cli {

// SPEC §5: the server takes at most 1000 events per request.
inline constexpr std::size_t kMaxSubmitBatch = 1000;

struct SubmitTarget {
  std::string url;          // "http://HOST:PORT" or "https://HOST:PORT"
  std::string token;        // bearer token sent with each request; empty: none
  std::string cacert;       // PEM CA file for https; empty: the system's store
  std::size_t batch = 500;  // events per request, 1..kMaxSubmitBatch
  int retries = 5;          // retries of one request on network errors or 5xx
};

// An event the server refused, with its answer's problem code and detail.
struct SubmitRejection {
  std::size_t number = 0;  // the caller's number of the event (see Add)
  std::string code;        // "amount_mismatch", "unknown_reference", "http_400", ...
  std::string detail;
};

struct SubmitSummary {
  std::size_t events = 0;  // events handed to the submitter
  std::size_t appended = 0;
  std::size_t duplicates = 0;
  std::vector<SubmitRejection> rejected;
  uint64_t tree_size = 0;  // the log's size in the server's last answer; 0 if none
};

class EventSubmitter {
 public:
  // kInvalidArgument for a URL that is not http(s), kIoError for a CA file
  // that cannot be loaded. With `progress`, a counter is redrawn on stderr
  // after each request, when stderr is a terminal.
  static Result<std::unique_ptr<EventSubmitter>> Create(const SubmitTarget& target, bool progress);
  ~EventSubmitter();
  EventSubmitter(const EventSubmitter&) = delete;
  EventSubmitter& operator=(const EventSubmitter&) = delete;

  // Queues one signed event (its JSON text) under the caller's `number`,
  // posting the queue when it holds a batch. An error (kIoError: the
  // server could not be reached or kept failing after the retries) stops
  // the submission; what was acknowledged until then is in summary().
  Status Add(std::size_t number, std::string event);
  // Posts what is queued and ends the progress line.
  Status Finish();

  const SubmitSummary& summary() const { return summary_; }

 private:
  struct Queued {
    std::size_t number = 0;
    std::string text;
  };
  EventSubmitter(std::unique_ptr<api::HttpClient> client, const SubmitTarget& target,
                 bool progress);
  Status Post(std::vector<Queued> batch);
  Result<api::ClientResponse> PostWithRetries(const std::string& body);
  void Count(const boost::json::object& answer);
  void ShowProgress(bool final) const;

  std::unique_ptr<api::HttpClient> client_;
  std::size_t batch_size_;
  int retries_;
  bool progress_;
  std::vector<Queued> queue_;
  SubmitSummary summary_;
};

// Submits `canonical_events` in order, numbered 1.. by their position;
// the summary of what the server answered. An error as for Add, its
// message saying how many events were acknowledged before it (re-running
// is safe: those come back as duplicates).
Result<SubmitSummary> SubmitSignedEvents(const SubmitTarget& target,
                                         std::vector<std::string> canonical_events, bool progress);

}  // namespace fupin::cli
