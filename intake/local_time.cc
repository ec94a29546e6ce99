#include "intake/local_time.h"

#include <cstdio>

#include "intake/sales_map.h"
#include "ledger/time.h"

namespace fupin::intake {
namespace {

Status NotTheFormat(std::string_view format) {
  return Status(ErrorCode::kInvalidField, "not a time as \"" + std::string(format) + "\"");
}

// Reads between `min_digits` and `max_digits` digits at `pos`.
bool ReadNumber(std::string_view cell, std::size_t& pos, int min_digits, int max_digits, int& out) {
  int digits = 0;
  out = 0;
  while (pos < cell.size() && digits < max_digits && cell[pos] >= '0' && cell[pos] <= '9') {
    out = out * 10 + (cell[pos] - '0');
    ++pos;
    ++digits;
  }
  return digits >= min_digits;
}

}  // namespace

Result<std::string> LocalTimeToRfc3339(std::string_view cell, std::string_view format,
                                       std::string_view zone) {
  if (format == kRfc3339TimeFormat) {
    if (!ParseRfc3339Millis(cell).ok()) {
      return Status(ErrorCode::kInvalidField,
                    "not an RFC 3339 time with an offset (\"2020-09-05T10:15:00+08:00\")");
    }
    return std::string(cell);
  }
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      if (pos == cell.size() || cell[pos] != format[i]) return NotTheFormat(format);
      ++pos;
      continue;
    }
    const char directive = format[++i];
    bool ok = true;
    switch (directive) {
      case 'Y':
        ok = ReadNumber(cell, pos, 4, 4, year);
        break;
      case 'm':
        ok = ReadNumber(cell, pos, 1, 2, month);
        break;
      case 'd':
        ok = ReadNumber(cell, pos, 1, 2, day);
        break;
      case 'H':
        ok = ReadNumber(cell, pos, 1, 2, hour);
        break;
      case 'M':
        ok = ReadNumber(cell, pos, 1, 2, minute);
        break;
      case 'S':
        ok = ReadNumber(cell, pos, 1, 2, second);
        break;
      default:  // "%%" and, for an unchecked format, anything else: itself
        ok = pos < cell.size() && cell[pos] == directive;
        ++pos;
    }
    if (!ok) return NotTheFormat(format);
  }
  if (pos != cell.size()) return NotTheFormat(format);
  char text[80];  // room for any int, though the format reads at most 4 digits
  std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute,
                second);
  std::string out = std::string(text) + std::string(zone);
  // The ledger's own parser decides what a real date and time is.
  if (!ParseRfc3339Millis(out).ok()) {
    return Status(ErrorCode::kInvalidField, "not a real date and time");
  }
  return out;
}

}  // namespace fupin::intake
