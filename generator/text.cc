#include "generator/text.h"

#include "generator/timeline.h"
#include "ledger/codec.h"

namespace fupin::generator {

std::string Padded(int64_t n, int width) {
  std::string s = std::to_string(n);
  if (static_cast<int>(s.size()) < width) {
    s.insert(0, static_cast<std::size_t>(width) - s.size(), '0');
  }
  return s;
}

std::string Hex(uint64_t value, int digits, bool upper) {
  const std::string_view alphabet = upper ? kHexDigitsUpper : kHexDigitsLower;
  std::string out(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = alphabet[value & 0xF];
    value >>= 4;
  }
  return out;
}

std::string Yuan(int64_t fen) { return std::to_string(fen / 100) + "." + Padded(fen % 100, 2); }

std::string MonthDay(int32_t day) {
  const std::string d = FormatDay(day);  // YYYY-MM-DD
  return std::to_string(std::stoi(d.substr(5, 2))) + "月" +
         std::to_string(std::stoi(d.substr(8, 2))) + "日";
}

}  // namespace fupin::generator
