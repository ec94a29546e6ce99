// RFC 4180 CSV as exported by spreadsheets and platforms: comma separated,
// fields optionally in double quotes ("" inside quotes is one quote), CRLF
// or LF line ends, quoted fields may span lines.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"

namespace fupin::intake {

struct CsvRow {
  std::size_t line = 0;  // 1-based line of the file on which the row starts
  std::vector<std::string> fields;
};

// Every row of `utf8` (already decoded, see text_encoding.h). Blank lines
// are skipped. kInvalidArgument naming the line for an unterminated quote
// or a quote in the middle of an unquoted field.
Result<std::vector<CsvRow>> ParseCsv(std::string_view utf8);

}  // namespace fupin::intake
