// gzip (RFC 1952) for response bodies: the only code that includes zlib.
#pragma once

#include <string>
#include <string_view>

#include "ledger/status.h"

namespace fupin::api {

// The gzip member of `data`, as one deflate stream. Thread-safe (no shared
// state). kInternal when zlib fails (out of memory).
Result<std::string> Gzip(std::string_view data);

}  // namespace fupin::api
