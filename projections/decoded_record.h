// A record as projections fold it: the header fields they need and the
// typed body, decoded from the verbatim leaf data (SPEC §2.2) once.
//
// This is the rebuild hot path. Records in the log were validated when they
// were appended, so decoding does no canonicalization and no signature or
// state checks: the header fields are picked out of the leaf text
// (leaf_split.h), only the body is parsed by Boost.JSON into a reused
// arena, then the typed body parser of ledger/event_types.h reads it.
#pragma once

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/event_types.h"
#include "ledger/merkle.h"
#include "ledger/status.h"

namespace fupin::projections {

struct DecodedRecord {
  uint64_t seq = 0;
  EventType type = EventType::kKeyRegistered;
  // The event's business time (occurred_at) in Unix milliseconds, and its
  // Asia/Shanghai calendar day (days since 1970-01-01): every date of the
  // statistics (SPEC §3) is this day.
  int64_t occurred_at_ms = 0;
  int32_t occurred_day = 0;
  std::string stream;  // "outlet:C-1"
  std::string key_id;  // the signing key
  EventBody body;
  // Leaf hash of the record as stored (set by the scan, not by the
  // decoder): states remember the hash of their last record so that a
  // stored state is only ever resumed on the log it was folded from.
  merkle::Hash leaf_hash{};
};

// The typed body of the record at `seq` from its parsed JSON (the genesis
// registration of the system key included, which the catalog parser
// refuses for any other seq). kDataLoss when it is not a body of `type`.
Result<EventBody> DecodeBody(uint64_t seq, EventType type, const boost::json::object& body);

// Decodes leaf data into DecodedRecord. Keeps a parser and an arena that
// are reused from one record to the next, so it is cheap to call in a loop.
// Not thread-safe: use one decoder per thread.
class RecordDecoder {
 public:
  RecordDecoder();
  RecordDecoder(const RecordDecoder&) = delete;
  RecordDecoder& operator=(const RecordDecoder&) = delete;

  // Fills `out` from the leaf data of a stored record. kDataLoss when the
  // bytes are not a record of the v1 catalog (they came from the store, so
  // anything unreadable is corruption, not bad input).
  Status Decode(std::string_view leaf_data, DecodedRecord& out);

 private:
  // One arena block holds the DOM of any ordinary record (< 2 KiB of
  // text); a larger one (a report with 138 rows) spills to the heap.
  static constexpr std::size_t kArenaBytes = 64 * 1024;

  // Parses `text` into `out`, allocating from `arena`.
  Status ParseJson(std::string_view text, boost::json::monotonic_resource& arena,
                   std::optional<boost::json::value>& out);

  std::unique_ptr<unsigned char[]> arena_;
  boost::json::parser parser_;
};

}  // namespace fupin::projections
