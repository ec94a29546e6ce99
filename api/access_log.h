// The access log (issue: "every authenticated read is written to an
// append-only access log, own column family, hash-chained, with token id,
// route, entity and time, readable by admins through GET /v1/access-log";
// supervised parties can be shown who looked at their data).
//
// Each entry is one authenticated request, numbered from 0 in the order
// the server answered them, stored in Cf::kAccessLog under its number
// (8-byte big-endian) as the canonical JSON (RFC 8785) of
//   {"v":1,"seq":N,"time":"2024-05-01T02:15:01.123Z","token_id":"sup-1",
//    "method":"GET","route":"/v1/trail/{kind}/{id}",
//    "target":"/v1/trail/product/P-1?proofs=1","entity":"product:P-1",
//    "status":200,"prev_hash":"<64 hex>","hash":"<64 hex>"}
// and chained: hash = SHA-256(prev_hash || canonical JSON of the entry
// without "hash"), with prev_hash as its 32 raw bytes, 32 zero bytes for
// entry 0; so removing, altering or reordering an entry breaks every hash
// after it. Strings that are not valid UTF-8 (a percent-decoded entity
// can be anything) are stored with their bytes >= 0x80 and '%'
// percent-encoded. docs/api.md ("Access log, TLS, caching and
// compression") has a worked example.
//
// What the chain cannot show on its own: the loss of the newest entries
// while the server was down (nothing outside the log records its head).
// While the server runs, VerifyChain also compares the chain's end with
// the head it holds in memory.
//
// Thread-safe: Record, List, VerifyChain and size may be called from every
// worker at once; Record calls are serialized, in entry order.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/crypto.h"
#include "ledger/ledger.h"
#include "ledger/status.h"
#include "ledger/store_db.h"

namespace fupin::api {

// The version of the entry JSON ("v"); bumped when its members change.
inline constexpr int64_t kAccessEntryVersion = 1;

struct AccessEntry {
  uint64_t seq = 0;
  int64_t time_ms = 0;  // wall clock, Unix ms; "time" in RFC 3339 UTC
  std::string token_id;
  std::string method;
  std::string route;   // the route template, "/v1/trail/{kind}/{id}"
  std::string target;  // the request target as received (path and query)
  std::string entity;  // "product:P-1", "record:41", a stream, or ""
  unsigned status = 0;
  std::string prev_hash;  // hex
  std::string hash;       // hex
};

// The entry as stored and served (with "hash" unless `with_hash` is false:
// the hash covers the rest).
boost::json::object AccessEntryJson(const AccessEntry& entry, bool with_hash = true);

struct AccessQuery {
  uint64_t from = 0;  // first entry number
  std::size_t limit = 100;
  std::string token_id;  // "" = any
  std::string entity;    // "" = any; exact
};

struct AccessPage {
  std::vector<AccessEntry> entries;
  // Where the next page starts: after the last entry returned when the
  // page is full, after the last entry examined when max_scanned was
  // reached; nullopt once the end of the log was reached.
  std::optional<uint64_t> next;
};

class AccessLog {
 public:
  // Loads the last entry's number and hash. `store` outlives the log.
  // Errors: store errors, kDataLoss for an unreadable last entry (the
  // server then refuses to start rather than log into a broken chain).
  static Result<std::unique_ptr<AccessLog>> Open(StoreDb& store, Clock clock);

  // Appends one entry (not synced: the WAL is flushed with the next synced
  // write or at close; an access log entry is not an acknowledged event).
  // On error nothing was appended and the next Record retries the number.
  Status Record(std::string_view token_id, std::string_view method, std::string_view route,
                std::string_view target, std::string_view entity, unsigned status);

  // Entries from query.from on that match, at most query.limit; examines
  // at most `max_scanned` entries per call and says where to continue.
  // kDataLoss for an entry that cannot be read.
  Result<AccessPage> List(const AccessQuery& query, std::size_t max_scanned = 100'000) const;

  // Recomputes the chain over [0, size()); kDataLoss naming the first
  // entry that is missing or whose hash or prev_hash does not match.
  Status VerifyChain() const;

  uint64_t size() const;

 private:
  AccessLog(StoreDb& store, Clock clock);

  StoreDb& store_;
  Clock clock_;
  mutable std::mutex mutex_;  // next_ and last_hash_, and the order of writes
  uint64_t next_ = 0;
  crypto::Digest last_hash_{};  // of entry next_ - 1; zeros when empty
};

}  // namespace fupin::api
