#include "intake/form_cell.h"

#include <charconv>

#include "ledger/canonical_json.h"

namespace fupin::intake {
namespace {

// Fen per 万元, and the decimals a 万元 figure may carry.
inline constexpr int kFenDigitsPerWan = 6;
inline constexpr int kWanDecimals = 2;
// Longer digit strings are out of range before any arithmetic (2^53-1 has
// 16 digits).
inline constexpr std::size_t kMaxDigits = 16;

Status Bad(std::string reason) { return Status(ErrorCode::kInvalidField, std::move(reason)); }

// An exact decimal: value = digits × 10^-scale, digits without leading
// zeros ("" for zero), trailing fractional zeros removed.
struct Decimal {
  bool negative = false;
  std::string digits;
  int scale = 0;
};

// "12", "-0.50", "1.2E+3", "1e-2" (no thousands separators). False when
// the text is not such a number.
bool ParseDecimal(std::string_view text, Decimal& out) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) out.negative = text[i++] == '-';
  std::string digits;
  int scale = 0;
  bool seen_digit = false;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits += c;
      seen_digit = true;
      if (seen_point) ++scale;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!seen_digit) return false;
  if (i < text.size()) {
    if (text[i] != 'e' && text[i] != 'E') return false;
    ++i;
    int exponent = 0;
    const char* begin = text.data() + i;
    if (i < text.size() && text[i] == '+') ++begin;
    auto [end, ec] = std::from_chars(begin, text.data() + text.size(), exponent);
    if (ec != std::errc() || end != text.data() + text.size() || exponent > 30 || exponent < -30) {
      return false;
    }
    scale -= exponent;
  }
  if (scale < 0) {
    digits.append(static_cast<std::size_t>(-scale), '0');
    scale = 0;
  }
  while (scale > 0 && !digits.empty() && digits.back() == '0') {
    digits.pop_back();
    --scale;
  }
  const std::size_t first = digits.find_first_not_of('0');
  digits.erase(0, first == std::string::npos ? digits.size() : first);
  out.digits = std::move(digits);
  out.scale = scale;
  if (out.digits.empty()) out.negative = false;  // -0 is 0
  return true;
}

std::string DecimalText(const Decimal& d) {
  std::string digits = d.digits;
  if (digits.size() <= static_cast<std::size_t>(d.scale)) {
    digits.insert(0, static_cast<std::size_t>(d.scale) - digits.size() + 1, '0');
  }
  if (d.scale > 0) digits.insert(digits.size() - static_cast<std::size_t>(d.scale), ".");
  return (d.negative ? "-" : "") + digits;
}

// Rounds to `scale` decimals, half away from zero, on the digit string.
Decimal RoundTo(Decimal d, int scale) {
  if (d.scale <= scale) return d;
  std::string digits = d.digits;
  digits.insert(0, static_cast<std::size_t>(d.scale) + 1, '0');  // room for carries
  const std::size_t keep = digits.size() - static_cast<std::size_t>(d.scale - scale);
  const bool up = digits[keep] >= '5';
  digits.resize(keep);
  for (std::size_t i = digits.size(); up && i-- > 0;) {
    if (digits[i] == '9') {
      digits[i] = '0';
    } else {
      ++digits[i];
      break;
    }
  }
  Decimal out;
  out.negative = d.negative;
  out.digits = digits;
  out.scale = scale;
  // Normalize (leading and trailing zeros) through the parser.
  Decimal normalized;
  ParseDecimal(DecimalText(out), normalized);
  return normalized;
}

bool SameDouble(const std::string& a, const std::string& b) {
  double x = 0;
  double y = 0;
  auto rx = std::from_chars(a.data(), a.data() + a.size(), x);
  auto ry = std::from_chars(b.data(), b.data() + b.size(), y);
  return rx.ec == std::errc() && ry.ec == std::errc() && x == y;
}

// digits × 10^shift as an integer within the ledger's range.
Result<int64_t> Scaled(const std::string& digits, int shift) {
  if (digits.empty()) return int64_t{0};
  if (digits.size() + static_cast<std::size_t>(shift) > kMaxDigits) return Bad("数值过大");
  int64_t value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  for (int i = 0; i < shift; ++i) value *= 10;
  if (value > json::kMaxSafeInteger) return Bad("数值过大");
  return value;
}

// The cell as an exact decimal, or the reason it is not a number.
Result<Decimal> ReadDecimal(const XlsxCell& cell) {
  if (cell.formula && !cell.cached_value) {
    return Bad("公式没有保存计算结果：请在表格软件中重新计算并保存，或把公式替换为数值");
  }
  switch (cell.kind) {
    case XlsxCell::Kind::kEmpty:
      return Bad("未填写（没有请填 0）");
    case XlsxCell::Kind::kBool:
      return Bad("是逻辑值，不是数字");
    case XlsxCell::Kind::kError:
      return Bad("是错误值 " + cell.text + "，不是数字");
    case XlsxCell::Kind::kNumber:
    case XlsxCell::Kind::kText:
      break;
  }
  const std::string text = CellText(cell);
  if (text.empty()) return Bad("未填写（没有请填 0）");
  if (text.find(',') != std::string::npos || text.find("，") != std::string::npos) {
    return Bad("含分隔符：请只填数字");
  }
  Decimal d;
  if (!ParseDecimal(text, d)) return Bad("不是数字");
  if (d.negative) return Bad("不能为负数");
  return d;
}

}  // namespace

std::string CellText(const XlsxCell& cell) {
  std::string_view text = cell.text;
  constexpr std::string_view kFullWidthSpace = "\u3000";
  bool trimmed = true;
  while (trimmed) {
    trimmed = false;
    for (std::string_view space :
         {std::string_view(" "), std::string_view("\t"), std::string_view("\r"),
          std::string_view("\n"), kFullWidthSpace}) {
      if (text.starts_with(space)) {
        text.remove_prefix(space.size());
        trimmed = true;
      }
      if (text.ends_with(space)) {
        text.remove_suffix(space.size());
        trimmed = true;
      }
    }
  }
  return std::string(text);
}

Result<int64_t> ReadCountCell(const XlsxCell& cell) {
  FUPIN_ASSIGN_OR_RETURN(Decimal d, ReadDecimal(cell));
  if (d.scale > 0) return Bad("应为整数");
  return Scaled(d.digits, 0);
}

Result<int64_t> ReadWanYuanCell(const XlsxCell& cell) {
  FUPIN_ASSIGN_OR_RETURN(Decimal d, ReadDecimal(cell));
  if (d.scale > kWanDecimals) {
    const Decimal rounded = RoundTo(d, kWanDecimals);
    // A number cell's text is its producer's print of a double; when the
    // double is the one nearest to a two-decimal value, that value is what
    // was typed.
    if (cell.kind != XlsxCell::Kind::kNumber || !SameDouble(DecimalText(d), DecimalText(rounded))) {
      return Bad("万元最多两位小数（精确到百元）");
    }
    d = rounded;
  }
  return Scaled(d.digits, kFenDigitsPerWan - d.scale);
}

}  // namespace fupin::intake
