#include "intake/text_encoding.h"

#include <iconv.h>

#include <cerrno>
#include <memory>
#include <string>

#include "ledger/utf8.h"

namespace fupin::intake {
namespace {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Converted in pieces so memory stays proportional to the file, not to a
// worst-case expansion guess (a GB18030 byte pair becomes at most 4 bytes).
inline constexpr std::size_t kChunkSize = 64 * 1024;

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};
using IconvHandle = std::unique_ptr<void, IconvCloser>;

Status Gb18030Error(std::size_t offset, std::string_view why) {
  return Status(ErrorCode::kInvalidUtf8,
                "the file is neither UTF-8 nor GB18030/GBK: " + std::string(why) +
                    " at byte offset " + std::to_string(offset));
}

Result<std::string> Gb18030ToUtf8(std::string_view bytes) {
  iconv_t raw = iconv_open("UTF-8", "GB18030");
  if (raw == reinterpret_cast<iconv_t>(-1)) {
    return Status(ErrorCode::kInternal, "iconv cannot convert GB18030 to UTF-8 on this system");
  }
  IconvHandle cd(raw);
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  // iconv's interface takes non-const input; it never writes through it.
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char buffer[kChunkSize];
  while (in_left > 0) {
    char* out_ptr = buffer;
    std::size_t out_left = sizeof(buffer);
    const std::size_t rc =
        iconv(static_cast<iconv_t>(cd.get()), &in, &in_left, &out_ptr, &out_left);
    out.append(buffer, static_cast<std::size_t>(out_ptr - buffer));
    if (rc != static_cast<std::size_t>(-1)) continue;
    const std::size_t offset = static_cast<std::size_t>(in - bytes.data());
    if (errno == E2BIG) continue;
    if (errno == EINVAL) return Gb18030Error(offset, "a character cut off by the end of the file");
    return Gb18030Error(offset, "a byte sequence that is no character");
  }
  return out;
}

}  // namespace

std::string_view TextEncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8:
      return "utf-8";
    case TextEncoding::kUtf8WithBom:
      return "utf-8-bom";
    case TextEncoding::kGb18030:
      return "gb18030";
  }
  return "utf-8";
}

Result<DecodedText> DecodeText(std::string_view bytes) {
  if (bytes.starts_with(kUtf8Bom)) {
    // A byte-order mark declares UTF-8: a bad byte after it is an error,
    // not a hint to guess GB18030 (which would read it as other characters).
    std::string_view rest = bytes.substr(kUtf8Bom.size());
    Utf8Validator validator;
    const std::size_t bad = validator.Feed(rest);
    if (bad != std::string_view::npos || !validator.Complete()) {
      const std::size_t offset =
          kUtf8Bom.size() + (bad == std::string_view::npos ? rest.size() : bad);
      return Status(ErrorCode::kInvalidUtf8,
                    "the file starts with a UTF-8 byte-order mark but is not "
                    "UTF-8 at byte offset " +
                        std::to_string(offset));
    }
    return DecodedText{std::string(rest), TextEncoding::kUtf8WithBom};
  }
  if (IsValidUtf8(bytes)) return DecodedText{std::string(bytes), TextEncoding::kUtf8};
  FUPIN_ASSIGN_OR_RETURN(std::string utf8, Gb18030ToUtf8(bytes));
  return DecodedText{std::move(utf8), TextEncoding::kGb18030};
}

}  // namespace fupin::intake
