// Strict JSON (ledger/canonical_json.h): ParseStrict under the limits of
// events and of configuration files, and the canonical form (RFC 8785) of
// whatever it accepts.
//
// Input: a selector byte, then the JSON text. Selector bit 0: allow
// fractions (configuration files); bit 1: a tight depth limit of 4 (the
// depth check at its edge); bit 2: parse as an object (ParseStrictObject).
//
// Invariants: the canonical form of an accepted document parses again and
// is its own canonical form (idempotence), and CheckIntegers accepts what
// ParseStrict accepted under the event limits.
#include <boost/json/monotonic_resource.hpp>
#include <string>

#include "fuzz/fuzz_input.h"
#include "ledger/canonical_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace fupin;
  const fuzz::SelectedInput in = fuzz::Select(data, size);
  json::ParseLimits limits;
  limits.allow_fractions = (in.selector & 1) != 0;
  if ((in.selector & 2) != 0) limits.max_depth = 4;

  boost::json::monotonic_resource arena;
  if ((in.selector & 4) != 0) {
    Result<boost::json::object> object = json::ParseStrictObject(in.bytes, limits, &arena);
    if (!object.ok()) return 0;
    if (limits.allow_fractions && !json::CheckIntegers(*object).ok()) return 0;
    const std::string canonical = json::Canonicalize(*object);
    Result<boost::json::object> again = json::ParseStrictObject(canonical, limits);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(json::Canonicalize(*again) == canonical);
    return 0;
  }
  Result<boost::json::value> value = json::ParseStrict(in.bytes, limits, &arena);
  if (!value.ok()) return 0;
  if (!limits.allow_fractions) FUZZ_CHECK(json::CheckIntegers(*value).ok());
  const std::string canonical = json::Canonicalize(*value);
  // A document with fractions is written in a form that is not JCS's
  // (canonical_json.h: doubles are for configuration files, never signed):
  // its reparse is only checked under the event rules.
  if (limits.allow_fractions && !json::CheckIntegers(*value).ok()) return 0;
  Result<boost::json::value> again = json::ParseStrict(canonical, limits);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(json::Canonicalize(*again) == canonical);
  return 0;
}
