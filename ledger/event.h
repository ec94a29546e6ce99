// The signed event envelope of SPEC §2.1 and its parsing.
//
// An Envelope is produced from untrusted bytes by ParseEnvelope; it has
// passed the strict JSON rules (canonical_json.h) and the envelope schema,
// but neither the signature nor the catalog rules have been checked yet
// (see signature.h and validation.h). Thread-compatible value type.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/status.h"

namespace fupin {

// Domain-separation prefixes of the signed bytes (SPEC §2.1, §2.3).
inline constexpr std::string_view kEventSignaturePrefix = "fupin-ledger/event/v1\n";
inline constexpr std::string_view kCheckpointSignaturePrefix = "fupin-ledger/checkpoint/v1\n";

struct Envelope {
  std::string id;              // lower-case UUID, the idempotency key
  std::string type;            // e.g. "sale.recorded"
  int64_t v = 1;               // schema version of the type
  std::string occurred_at;     // RFC 3339 with offset, as sent
  int64_t occurred_at_ms = 0;  // the same instant, Unix milliseconds (UTC)
  std::string key_id;
  std::optional<int64_t> expected_version;
  std::string signature;     // raw 64 bytes, decoded from `sig`
  boost::json::object body;  // the body as sent (strictly parsed)

  // "fupin-ledger/event/v1\n" + JCS(event without sig): what the key signed.
  std::string signing_input;
  // JCS of the whole event, `sig` included; equal bytes <=> same content.
  std::string canonical;
};

// Parses one event from JSON text. Errors: the JSON codes of
// canonical_json.h, kNotAnObject, kMalformedEvent (envelope fields missing,
// unknown or of the wrong type, bad UUID/timestamp/base64),
// kUnknownEventType (type or v not in the catalog).
Result<Envelope> ParseEnvelope(std::string_view json_text);
// Same, from an already strictly parsed object (e.g. one item of a batch).
Result<Envelope> ParseEnvelope(const boost::json::object& event);
// Same, taking the object over instead of copying it (verification parses
// every record of the log; the copy was a fifth of its parse). The body
// keeps the storage the event was parsed into as long as the Envelope is
// moved by construction: a move assignment into an existing Envelope
// copies the body into the target's storage.
Result<Envelope> ParseEnvelope(boost::json::object&& event);

// True for the 18 types of SPEC §2.5 (all at v == 1).
bool IsKnownEventType(std::string_view type);

}  // namespace fupin
