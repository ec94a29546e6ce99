#include "intake/yuan.h"

#include <string>

#include "ledger/canonical_json.h"

namespace fupin::intake {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Status NotAnAmount(std::string_view why) {
  return Status(ErrorCode::kInvalidField, std::string(why));
}

// The whole part's digits, with commas checked to sit between groups of
// three ("1,234,567"); empty when the grouping is wrong.
std::string WholeDigits(std::string_view whole) {
  if (whole.find(',') == std::string_view::npos) return std::string(whole);
  std::string digits;
  std::size_t group = 0;
  bool first_group = true;
  for (char c : whole) {
    if (c == ',') {
      if (group == 0 || group > 3 || (!first_group && group != 3)) return "";
      first_group = false;
      group = 0;
      continue;
    }
    digits.push_back(c);
    ++group;
  }
  if (group != 3) return "";
  return digits;
}

}  // namespace

Result<int64_t> ParseYuanAsFen(std::string_view text) {
  if (text.empty()) return NotAnAmount("empty; an amount in 元 is required");
  if (text.front() == '-') return NotAnAmount("negative; a sale's amount is positive");
  const std::size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  for (char c : whole) {
    if (!IsDigit(c) && c != ',') return NotAnAmount("not an amount in 元 (digits and one '.')");
  }
  for (char c : fraction) {
    if (!IsDigit(c)) return NotAnAmount("not an amount in 元 (digits and one '.')");
  }
  if (whole.empty() || (dot != std::string_view::npos && fraction.empty())) {
    return NotAnAmount("not an amount in 元 (digits on both sides of the '.')");
  }
  if (fraction.size() > 2) {
    return NotAnAmount("more than 2 decimals; 元 amounts are exact to the 分");
  }
  const std::string digits = WholeDigits(whole);
  if (digits.empty()) return NotAnAmount("thousands separators ',' misplaced");
  // Fen digits: the whole part then exactly two decimals.
  std::string fen_digits = digits + std::string(fraction) + std::string(2 - fraction.size(), '0');
  const std::size_t first = fen_digits.find_first_not_of('0');
  if (first == std::string::npos) return int64_t{0};
  fen_digits.erase(0, first);
  // 2^53-1 has 16 digits: anything longer is out of range before parsing.
  if (fen_digits.size() > 16) return NotAnAmount("too large (at most 2^53-1 分)");
  int64_t fen = 0;
  for (char c : fen_digits) fen = fen * 10 + (c - '0');
  if (fen > json::kMaxSafeInteger) return NotAnAmount("too large (at most 2^53-1 分)");
  return fen;
}

std::string FormatFenAsYuan(int64_t fen) {
  const std::string cents = std::to_string(fen % 100);
  return std::to_string(fen / 100) + "." + (cents.size() == 1 ? "0" + cents : cents);
}

}  // namespace fupin::intake
