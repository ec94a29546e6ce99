// The text of a file people bring in: platforms export CSV in UTF-8 (with
// or without a byte-order mark) or in GBK/GB18030 (Excel on a Chinese
// Windows); the ledger works in UTF-8 only.
#pragma once

#include <string>
#include <string_view>

#include "ledger/status.h"

namespace fupin::intake {

enum class TextEncoding { kUtf8, kUtf8WithBom, kGb18030 };

// "utf-8", "utf-8-bom", "gb18030".
std::string_view TextEncodingName(TextEncoding encoding);

struct DecodedText {
  std::string utf8;  // without a byte-order mark
  TextEncoding encoding = TextEncoding::kUtf8;
};

// UTF-8 when the bytes are valid UTF-8 (a leading BOM is dropped);
// otherwise GB18030 (a superset of GBK and GB2312), converted to UTF-8.
// kInvalidUtf8 naming the byte offset when the bytes are neither.
Result<DecodedText> DecodeText(std::string_view bytes);

}  // namespace fupin::intake
