// Validation of a parsed event against the catalog of SPEC §2.5 and the
// ledger's state, and authorization of its signer (SPEC §2.4).
//
// Pure functions of (envelope, signer, recorded_at, view): no I/O beyond the
// view's lookups, no clock, no randomness. The signature itself is checked
// by the caller (signature.h) before; expected_version and idempotency are
// the store's concern.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/entity_state.h"
#include "ledger/event.h"
#include "ledger/event_types.h"
#include "ledger/status.h"

namespace fupin {

// What appending a valid event implies.
struct ValidatedEvent {
  // The stream the event belongs to, derived from type and body
  // (SPEC §2.5), e.g. "outlet:C-430102-0001", "report:CAMP-1:430100".
  std::string stream;
  // Every entity the event names, as "kind:id" (its own stream entity
  // included; household ids of benefit claims and payments and the
  // buyer_ref as "buyer:REF" included), sorted and unique. Feeds the
  // reference index that audit trails read.
  std::vector<std::string> references;
  // Entity states to store with the record.
  std::vector<StateWrite> writes;
  // The body, typed (verification folds it on into the projections).
  std::optional<EventBody> body;
};

// Checks, in this order, and returns the first failure:
//  1. the signer: not revoked (kKeyRevoked), valid at recorded_at_ms
//     (kKeyNotValid), holds a role the type needs (kRoleNotAllowed);
//  2. the body: required fields, types, unknown fields, enumerations,
//     formats (kInvalidField), references (kUnknownReference), uniqueness
//     (kAlreadyExists), arithmetic (kAmountMismatch, kRefundExceedsSale),
//     check characters (kInvalidUscc), flag state (kFlagAlreadyResolved);
//  3. the scope: the event's region(s) inside the signer's scope
//     (kOutOfScope); a supplier key pays only for its own supplier
//     (kNotOwnSupplier).
// Errors from the view (kIoError, kDataLoss) are passed through.
Result<ValidatedEvent> ValidateEvent(const Envelope& envelope, const KeyState& signer,
                                     int64_t recorded_at_ms, const LedgerView& view);

// The stream of an event whose body is already known to be valid.
// Exposed for verification tools that re-derive streams from records.
Result<std::string> DeriveStream(const Envelope& envelope);

}  // namespace fupin
