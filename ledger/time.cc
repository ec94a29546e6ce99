#include "ledger/time.h"

#include <cstdio>

namespace fupin {
namespace {

inline constexpr int64_t kMillisPerSecond = 1000;
// RFC 3339 allows fractions of any length; nanoseconds are the finest unit
// any producer sends, and a bound keeps hostile input short.
inline constexpr std::size_t kMaxFractionDigits = 9;

// Howard Hinnant's days_from_civil: proleptic Gregorian date -> days since
// 1970-01-01, exact for every year
// (http://howardhinnant.github.io/date_algorithms.html).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

// The inverse of DaysFromCivil.
CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `count` digits at text[pos...]; false if any is not a digit.
bool ReadDigits(std::string_view text, std::size_t pos, std::size_t count, unsigned& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!IsDigit(text[i])) return false;
    out = out * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return true;
}

// "YYYY-MM-DD" at the start of text; days since epoch, or false.
bool ParseDatePrefix(std::string_view text, int64_t& days) {
  unsigned y, m, d;
  if (!ReadDigits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' ||
      !ReadDigits(text, 5, 2, m) || text[7] != '-' || !ReadDigits(text, 8, 2, d)) {
    return false;
  }
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return false;
  days = DaysFromCivil(y, m, d);
  return true;
}

Status InvalidTimestamp(std::string_view text) {
  return Status(ErrorCode::kInvalidField,
                "not an RFC 3339 timestamp with offset: \"" + std::string(text) + "\"");
}

}  // namespace

// Deliberately stricter than RFC 3339: upper-case 'T' and 'Z' only, and no
// leap second (:60), because every producer of this ledger writes that form
// and one spelling per instant keeps audit output comparable.
Result<int64_t> ParseRfc3339Millis(std::string_view text) {
  int64_t days = 0;
  unsigned hh, mm, ss;
  if (!ParseDatePrefix(text, days) || text.size() < 20 || text[10] != 'T' ||
      !ReadDigits(text, 11, 2, hh) || text[13] != ':' || !ReadDigits(text, 14, 2, mm) ||
      text[16] != ':' || !ReadDigits(text, 17, 2, ss) || hh > 23 || mm > 59 || ss > 59) {
    return InvalidTimestamp(text);
  }
  std::size_t pos = 19;
  int64_t millis = 0;
  if (text[pos] == '.') {
    ++pos;
    const std::size_t first = pos;
    int64_t scale = 100;
    while (pos < text.size() && IsDigit(text[pos])) {
      millis += (text[pos] - '0') * scale;  // digits past ms are truncated
      scale /= 10;
      ++pos;
    }
    const std::size_t digits = pos - first;
    if (digits == 0 || digits > kMaxFractionDigits) return InvalidTimestamp(text);
  }
  if (pos >= text.size()) return InvalidTimestamp(text);
  int64_t offset_minutes = 0;
  if (text[pos] == 'Z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    unsigned oh, om;
    if (!ReadDigits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !ReadDigits(text, pos + 4, 2, om) || oh > 23 || om > 59) {
      return InvalidTimestamp(text);
    }
    offset_minutes = (text[pos] == '-' ? -1 : 1) * static_cast<int64_t>(oh * 60 + om);
    pos += 6;
  } else {
    return InvalidTimestamp(text);
  }
  if (pos != text.size()) return InvalidTimestamp(text);
  const int64_t local_seconds = days * 86400 + hh * 3600 + mm * 60 + ss;
  return (local_seconds - offset_minutes * 60) * kMillisPerSecond + millis;
}

Result<int32_t> ParseDate(std::string_view text) {
  int64_t days = 0;
  if (text.size() != 10 || !ParseDatePrefix(text, days)) {
    return Status(ErrorCode::kInvalidField, "not a YYYY-MM-DD date: \"" + std::string(text) + "\"");
  }
  return static_cast<int32_t>(days);
}

std::string FormatDate(int32_t days_since_epoch) {
  const CivilDate c = CivilFromDays(days_since_epoch);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month,
                c.day);
  return buf;
}

std::string FormatUtcMillis(int64_t unix_millis) {
  const int64_t days = FloorDiv(unix_millis, kMillisPerDay);
  const int64_t in_day = unix_millis - days * kMillisPerDay;
  const CivilDate c = CivilFromDays(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(c.year), c.month, c.day,
                static_cast<long long>(in_day / 3'600'000),
                static_cast<long long>(in_day / 60'000 % 60),
                static_cast<long long>(in_day / 1000 % 60), static_cast<long long>(in_day % 1000));
  return buf;
}

namespace {

// Local seconds since the epoch as "YYYY-MM-DDThh:mm:ss" + zone.
std::string FormatLocalSeconds(int64_t local_seconds, const char* zone) {
  const int64_t days = FloorDiv(local_seconds, 86400);
  const int64_t in_day = local_seconds - days * 86400;
  const CivilDate c = CivilFromDays(days);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld%s",
                static_cast<long long>(c.year), c.month, c.day,
                static_cast<long long>(in_day / 3600), static_cast<long long>(in_day / 60 % 60),
                static_cast<long long>(in_day % 60), zone);
  return buf;
}

}  // namespace

std::string FormatUtcSeconds(int64_t unix_seconds) { return FormatLocalSeconds(unix_seconds, "Z"); }

std::string FormatShanghaiSeconds(int64_t unix_seconds) {
  return FormatLocalSeconds(unix_seconds + kShanghaiOffsetMillis / 1000, "+08:00");
}

}  // namespace fupin
