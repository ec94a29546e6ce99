// The access log (issue: "every authenticated read is written to an
// append-only access log, own column family, hash-chained, with token id,
// route, entity and time, readable by admins through GET /v1/access-log";
// supervised parties can be shown who looked at their data).
//
// Each entry is one authenticated request, numbered from 0 in the order
// the server answered them, stored in Cf::kAccessLog under its number, and
// chained: hash = SHA-256(prev_hash || canonical JSON of the entry without
// "hash"), prev_hash of entry 0 being 32 zero bytes; so removing, altering
// or reordering an entry breaks every hash after it.
//
// Thread-safe: Record may be called from every worker at once.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/status.h"
#include "ledger/store_db.h"

namespace fupin::api {

struct AccessEntry {
  uint64_t seq = 0;
  int64_t time_ms = 0;  // wall clock, Unix ms
  std::string token_id;
  std::string method;
  std::string route;   // the route template, "/v1/trail/{kind}/{id}"
  std::string target;  // the request target as received (path and query)
  std::string entity;  // "product:P-1", "record:41", a stream, or ""
  unsigned status = 0;
  std::string prev_hash;  // hex
  std::string hash;       // hex
};

struct AccessQuery {
  uint64_t from = 0;  // first entry number
  std::size_t limit = 100;
  std::string token_id;  // "" = any
  std::string entity;    // "" = any; exact
};

struct AccessPage {
  std::vector<AccessEntry> entries;
  std::optional<uint64_t> next;
};

class AccessLog {
 public:
  // Loads the last entry's number and hash. `store` and the clock outlive
  // the log. Errors: store errors, kDataLoss for an unreadable entry.
  static Result<std::unique_ptr<AccessLog>> Open(StoreDb& store, Clock clock);

  // Appends one entry (not synced: the WAL is flushed with the next synced
  // write or at close; an access log entry is not an acknowledged event).
  Status Record(std::string_view token_id, std::string_view method, std::string_view route,
                std::string_view target, std::string_view entity, unsigned status);

  // Entries from query.from on that match, at most query.limit; examines
  // at most `max_scanned` entries per call and says where to continue.
  Result<AccessPage> List(const AccessQuery& query, std::size_t max_scanned = 100'000) const;

  // Recomputes the chain over [0, size()); kDataLoss naming the first
  // entry whose hash or prev_hash does not match.
  Status VerifyChain() const;

  uint64_t size() const;

 private:
  AccessLog(StoreDb& store, Clock clock);

  StoreDb& store_;
  Clock clock_;
  mutable std::mutex mutex_;  // next_ and last_hash_, and the order of writes
  uint64_t next_ = 0;
  std::string last_hash_;  // raw 32 bytes
};

}  // namespace fupin::api
