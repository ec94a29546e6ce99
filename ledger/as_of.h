// "As of" a point of the log, named by a seq or by a time: replay
// (`--as-of`) and the API (`as_of=`) resolve it the same way.
#pragma once

#include <cstdint>
#include <string_view>

#include "ledger/ledger.h"
#include "ledger/status.h"

namespace fupin {

// "41" -> seq 41; an RFC 3339 time -> the last seq whose recorded_at is at
// or before it (recorded_at never decreases, so a binary search over the
// records, O(log n) reads). `what` names the input in messages
// ("--as-of", "query parameter \"as_of\""). Errors: kInvalidArgument for
// text that is neither, a seq at or beyond the tree size, a time before the
// first record, or an empty log; kDataLoss for a record whose recorded_at
// cannot be read.
Result<uint64_t> ResolveAsOf(const Ledger& ledger, std::string_view text, std::string_view what);

}  // namespace fupin
