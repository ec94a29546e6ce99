#include "ledger/signing.h"

#include <utility>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/event.h"

namespace fupin {

Result<boost::json::object> SignEvent(boost::json::object event,
                                      const crypto::EventSigningKey& key) {
  if (event.contains("sig")) {
    return Status(ErrorCode::kInvalidArgument, "event is already signed");
  }
  FUPIN_RETURN_IF_ERROR(json::CheckIntegers(event));
  std::string input(kEventSignaturePrefix);
  input += json::Canonicalize(event);
  event["sig"] = Base64Encode(key.Sign(input));
  return event;
}

}  // namespace fupin
