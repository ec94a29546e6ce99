// The request target (RFC 9112 origin-form): decoded path segments and
// query parameters, and strict readers for the parameters the routes take.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/status.h"

namespace fupin::api {

struct Target {
  std::vector<std::string> segments;  // percent-decoded, "/v1/events" -> {"v1","events"}
  std::vector<std::pair<std::string, std::string>> params;  // percent-decoded, in order
};

// kInvalidArgument unless `target` is an origin-form target ("/path?query").
Result<Target> ParseTarget(std::string_view target);

// kInvalidArgument when a parameter is not in `allowed` or is repeated:
// a misspelt "form=" must not silently become "from" defaulted to 0.
Status CheckParams(const Target& target, std::initializer_list<std::string_view> allowed);

// The value of a parameter, if present.
std::optional<std::string_view> Param(const Target& target, std::string_view name);
// The value of a parameter that must be present and non-empty;
// kInvalidArgument naming it otherwise.
Result<std::string> RequiredParam(const Target& target, std::string_view name);

// A decimal integer 0 <= n <= 2^63-1: digits only, no sign, no leading
// zeros except "0". kInvalidArgument naming `what` otherwise.
Result<uint64_t> ParseCount(std::string_view text, std::string_view what);

// A parameter read with ParseCount, or `fallback` when absent.
Result<uint64_t> CountParam(const Target& target, std::string_view name, uint64_t fallback);

}  // namespace fupin::api
