// Chinese labels of the replay tool's terminal output, and column
// alignment by display width (a CJK character takes two terminal cells).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fupin::replay {

// "sale.recorded" -> "销售"; the type itself when it is not in the catalog.
std::string_view EventTypeLabel(std::string_view type);
// "product" -> "产品", ..., the kind itself when unknown.
std::string_view EntityKindLabel(std::string_view kind);

// Terminal cells `text` occupies: 2 for East Asian wide characters
// (U+1100.., U+2E80..U+A4CF, U+AC00..U+D7A3, U+F900..U+FAFF,
// U+FE30..U+FE4F, U+FF00..U+FF60, U+FFE0..U+FFE6), 1 otherwise.
std::size_t DisplayWidth(std::string_view text);
// `text` padded with spaces on the right to `width` cells.
std::string PadRight(std::string_view text, std::size_t width);
// `text` padded with spaces on the left to `width` cells.
std::string PadLeft(std::string_view text, std::size_t width);

}  // namespace fupin::replay
