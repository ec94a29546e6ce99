// Text encodings of bytes used on the wire: lower-case hex (hashes) and
// standard base64 with padding (keys, signatures). Decoders are strict:
// no whitespace, no missing padding, no non-canonical trailing bits.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "ledger/status.h"

namespace fupin {

// The one home of the hex digits: lower-case on the wire (hashes, JCS's
// \u00xx escapes), upper-case where a format asks for it (percent-encoding).
inline constexpr std::string_view kHexDigitsLower = "0123456789abcdef";
inline constexpr std::string_view kHexDigitsUpper = "0123456789ABCDEF";

std::string HexEncode(std::string_view bytes);
std::string HexEncode(std::span<const uint8_t> bytes);
// kInvalidArgument on odd length or a character outside [0-9a-f]
// (upper-case is refused: hashes are lower-case hex on the wire).
Result<std::string> HexDecode(std::string_view hex);
// Exactly `N` bytes of lower-case hex (a hash); kInvalidArgument otherwise.
template <std::size_t N>
Result<std::array<uint8_t, N>> HexDecodeFixed(std::string_view hex) {
  if (hex.size() != 2 * N) {
    return Status(
        ErrorCode::kInvalidArgument,
        "expected " + std::to_string(2 * N) + " hex digits, got " + std::to_string(hex.size()));
  }
  FUPIN_ASSIGN_OR_RETURN(std::string raw, HexDecode(hex));
  std::array<uint8_t, N> out;
  std::copy(raw.begin(), raw.end(), out.begin());
  return out;
}
// True when `hex` is the lower-case hex of `bytes`, without building a
// string (verification compares every record's chain link this way).
bool IsHexOf(std::string_view hex, std::span<const uint8_t> bytes);

std::string Base64Encode(std::string_view bytes);
// kInvalidArgument on any deviation from RFC 4648 §4 with padding.
Result<std::string> Base64Decode(std::string_view b64);

}  // namespace fupin
