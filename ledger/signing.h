// Signing events (SPEC §2.1): what `fupin-ledger sign`, genesis, the
// generator and the ledger's own flags use.
#pragma once

#include <boost/json/object.hpp>

#include "ledger/crypto.h"
#include "ledger/event_key.h"
#include "ledger/status.h"

namespace fupin {

// Adds "sig": the key's signature (Ed25519, or SM2 as DER; event_key.h)
// over kEventSignaturePrefix + JCS(event). The event must not hold a "sig"
// yet (kInvalidArgument) and must satisfy the number rules of
// canonical_json.h (their codes). The "key" member is not checked against
// the signing key: the ledger refuses mismatches as bad signatures.
Result<boost::json::object> SignEvent(boost::json::object unsigned_event,
                                      const crypto::EventSigningKey& key);

}  // namespace fupin
