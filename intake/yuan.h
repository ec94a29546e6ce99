// Money as people write it (元 with up to two decimals, 分 being the
// second) converted to the ledger's integer 分 by decimal-string
// arithmetic: no floating point ever touches an amount.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/status.h"

namespace fupin::intake {

// "12", "12.5", "12.50", "1,234.50" (commas only between groups of three
// digits) -> 1200, 1250, 1250, 123450. Not negative, at most 2^53-1 fen.
// kInvalidField with the reason ("more than 2 decimals", ...) otherwise;
// the message names neither the value nor where it was (the caller does).
Result<int64_t> ParseYuanAsFen(std::string_view text);

// 1250 -> "12.50": the inverse for a non-negative amount, for messages.
std::string FormatFenAsYuan(int64_t fen);

}  // namespace fupin::intake
