// The figures of a filled-in form, read from spreadsheet cells: counts and
// 万元 amounts as exact decimals. A number cell holds the decimal text its
// producer wrote for a binary double ("12.35", "1.2E+3", and sometimes
// "12.349999999999999"); a text cell holds what the person typed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "intake/xlsx_reader.h"
#include "ledger/status.h"

namespace fupin::intake {

// A cell's count: a whole number ≥ 0. kInvalidField with the reason, in
// Chinese, otherwise (blank, text, fraction, negative, too large, a formula
// without a stored result, an error value).
Result<int64_t> ReadCountCell(const XlsxCell& cell);

// A cell's 万元 amount with at most two decimals, as fen (1 万元 =
// 1,000,000 分), by decimal-string arithmetic. A number cell whose stored
// text has more decimals is accepted only when it is exactly the double
// nearest to its two-decimal rounding (the producer printed the binary
// value of what was typed); a text cell must have at most two decimals.
Result<int64_t> ReadWanYuanCell(const XlsxCell& cell);

// The cell's text for messages and names: trimmed of ASCII and full-width
// spaces and line breaks.
std::string CellText(const XlsxCell& cell);

}  // namespace fupin::intake
