// Reading a worksheet out of an .xlsx workbook (ECMA-376 SpreadsheetML): a
// ZIP container (libzip) of XML parts (pugixml). Only what a filled-in form
// needs: cell values as written (numbers as their decimal text, strings
// with shared strings resolved), which cells hold formulas and whether the
// producer stored their result, and the merged ranges.
//
// Hostile input is expected: every part is size-limited before it is
// inflated, and errors are values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/status.h"

namespace fupin::intake {

// The largest workbook, and the largest single part once inflated: a filled
// form is a few kilobytes; these leave room for any real one and stop a
// ZIP bomb before it is inflated.
inline constexpr std::size_t kMaxWorkbookBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxPartBytes = 32 * 1024 * 1024;

struct XlsxCell {
  enum class Kind { kEmpty, kNumber, kText, kBool, kError };
  Kind kind = Kind::kEmpty;
  std::string text;           // a number's decimal text as stored, or the string
  bool formula = false;       // the cell holds a formula (<f>)
  bool cached_value = false;  // ... and the producer stored its result (<v>)
};

// A rectangle of merged cells, 1-based rows and 0-based columns, inclusive.
struct MergedRange {
  uint32_t first_row = 0;
  uint32_t first_column = 0;
  uint32_t last_row = 0;
  uint32_t last_column = 0;
  std::string ref;  // as written, e.g. "A1:K1"
};

struct XlsxSheet {
  std::string name;
  // (1-based row, 0-based column) -> cell; only cells present in the part.
  std::map<std::pair<uint32_t, uint32_t>, XlsxCell> cells;
  std::vector<MergedRange> merges;
};

// The sheet named `preferred` when the workbook has one, else its first
// sheet. kInvalidArgument (with a reason a person can act on) when the
// bytes are not an .xlsx workbook, a part is missing or malformed, or a
// size limit is exceeded.
Result<XlsxSheet> ReadXlsxSheet(std::string_view bytes, std::string_view preferred);

// "A" -> 0, "Z" -> 25, "AA" -> 26; and back.
std::string ColumnLetters(uint32_t column);

}  // namespace fupin::intake
