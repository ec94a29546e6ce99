// Text of generated ids and descriptions: zero-padded numbers, hex
// pseudonyms, amounts in 元, Chinese dates. Pure functions.
#pragma once

#include <cstdint>
#include <string>

namespace fupin::generator {

// "0042" for (42, 4); wider numbers are not cut.
std::string Padded(int64_t n, int width);
// The low 4 x `digits` bits as hex digits, upper or lower case.
std::string Hex(uint64_t value, int digits, bool upper = true);
// "45.80" for 4580 fen (non-negative amounts).
std::string Yuan(int64_t fen);
// "9月15日" for a day since 1970-01-01.
std::string MonthDay(int32_t day);

}  // namespace fupin::generator
