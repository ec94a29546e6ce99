#include "ledger/codec.h"

#include <array>
#include <cstddef>

namespace fupin {
namespace {

inline constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Marks a byte that is not a digit of the encoding in the decode tables.
inline constexpr int8_t kNotADigit = -1;

// Byte -> nibble; only lower-case letters, so upper-case hex is refused by
// the same lookup that decodes.
constexpr std::array<int8_t, 256> MakeHexTable() {
  std::array<int8_t, 256> table{};
  table.fill(kNotADigit);
  for (int i = 0; i < 16; ++i) {
    table[static_cast<unsigned char>(kHexDigitsLower[i])] = static_cast<int8_t>(i);
  }
  return table;
}

constexpr std::array<int8_t, 256> MakeBase64Table() {
  std::array<int8_t, 256> table{};
  table.fill(kNotADigit);
  for (int i = 0; i < 64; ++i) {
    table[static_cast<unsigned char>(kBase64Alphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}

inline constexpr std::array<int8_t, 256> kHexTable = MakeHexTable();
inline constexpr std::array<int8_t, 256> kBase64Table = MakeBase64Table();

// Names the offending byte by value: it may be a control character or part
// of a multi-byte sequence that would garble the message if echoed.
std::string DescribeByte(unsigned char c) {
  std::string out = "0x";
  out += kHexDigitsLower[c >> 4];
  out += kHexDigitsLower[c & 0x0f];
  return out;
}

Status InvalidCharacter(std::string_view what, unsigned char c, std::size_t offset) {
  return Status(ErrorCode::kInvalidArgument, std::string(what) + ": invalid character " +
                                                 DescribeByte(c) + " at offset " +
                                                 std::to_string(offset));
}

std::string HexEncodeBytes(const unsigned char* data, std::size_t size) {
  std::string out(size * 2, '\0');
  char* dst = out.data();
  for (std::size_t i = 0; i < size; ++i) {
    dst[2 * i] = kHexDigitsLower[data[i] >> 4];
    dst[2 * i + 1] = kHexDigitsLower[data[i] & 0x0f];
  }
  return out;
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  return HexEncodeBytes(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::string HexEncode(std::span<const uint8_t> bytes) {
  return HexEncodeBytes(bytes.data(), bytes.size());
}

Result<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return Status(ErrorCode::kInvalidArgument, "hex: odd length " + std::to_string(hex.size()));
  }
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto hi = static_cast<unsigned char>(hex[2 * i]);
    const auto lo = static_cast<unsigned char>(hex[2 * i + 1]);
    const int8_t hi_value = kHexTable[hi];
    const int8_t lo_value = kHexTable[lo];
    if (hi_value == kNotADigit) return InvalidCharacter("hex", hi, 2 * i);
    if (lo_value == kNotADigit) return InvalidCharacter("hex", lo, 2 * i + 1);
    out[i] = static_cast<char>((hi_value << 4) | lo_value);
  }
  return out;
}

bool IsHexOf(std::string_view hex, std::span<const uint8_t> bytes) {
  if (hex.size() != 2 * bytes.size()) return false;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (hex[2 * i] != kHexDigitsLower[bytes[i] >> 4] ||
        hex[2 * i + 1] != kHexDigitsLower[bytes[i] & 0x0f]) {
      return false;
    }
  }
  return true;
}

std::string Base64Encode(std::string_view bytes) {
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t size = bytes.size();
  std::string out((size + 2) / 3 * 4, '\0');
  char* dst = out.data();
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const uint32_t group =
        (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | uint32_t{in[i + 2]};
    *dst++ = kBase64Alphabet[(group >> 18) & 0x3f];
    *dst++ = kBase64Alphabet[(group >> 12) & 0x3f];
    *dst++ = kBase64Alphabet[(group >> 6) & 0x3f];
    *dst++ = kBase64Alphabet[group & 0x3f];
  }
  const std::size_t rest = size - i;
  if (rest == 1) {
    const uint32_t group = uint32_t{in[i]} << 16;
    *dst++ = kBase64Alphabet[(group >> 18) & 0x3f];
    *dst++ = kBase64Alphabet[(group >> 12) & 0x3f];
    *dst++ = '=';
    *dst++ = '=';
  } else if (rest == 2) {
    const uint32_t group = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8);
    *dst++ = kBase64Alphabet[(group >> 18) & 0x3f];
    *dst++ = kBase64Alphabet[(group >> 12) & 0x3f];
    *dst++ = kBase64Alphabet[(group >> 6) & 0x3f];
    *dst++ = '=';
  }
  return out;
}

// Strict on purpose: a signature or key has exactly one accepted text form,
// so two different strings can never decode to the same bytes.
Result<std::string> Base64Decode(std::string_view b64) {
  if (b64.size() % 4 != 0) {
    return Status(ErrorCode::kInvalidArgument,
                  "base64: length " + std::to_string(b64.size()) + " is not a multiple of 4");
  }
  // Padding may only close the final quantum, and at most two '='.
  std::size_t padding = 0;
  if (!b64.empty() && b64[b64.size() - 1] == '=') {
    padding = (b64[b64.size() - 2] == '=') ? 2 : 1;
  }
  const std::size_t digits = b64.size() - padding;
  std::string out;
  out.reserve(b64.size() / 4 * 3 - padding);

  uint32_t group = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const auto c = static_cast<unsigned char>(b64[i]);
    const int8_t value = kBase64Table[c];
    if (value == kNotADigit) {
      if (c == '=') {
        return Status(ErrorCode::kInvalidArgument,
                      "base64: misplaced padding at offset " + std::to_string(i));
      }
      return InvalidCharacter("base64", c, i);
    }
    group = (group << 6) | static_cast<uint32_t>(value);
    if (i % 4 == 3) {
      out.push_back(static_cast<char>(group >> 16));
      out.push_back(static_cast<char>(group >> 8));
      out.push_back(static_cast<char>(group));
      group = 0;
    }
  }
  // The unused low bits of the last digit must be zero, or several texts
  // would decode to the same bytes.
  if (padding == 2) {
    if ((group & 0x0f) != 0) {
      return Status(ErrorCode::kInvalidArgument, "base64: non-zero trailing bits before padding");
    }
    out.push_back(static_cast<char>(group >> 4));
  } else if (padding == 1) {
    if ((group & 0x03) != 0) {
      return Status(ErrorCode::kInvalidArgument, "base64: non-zero trailing bits before padding");
    }
    out.push_back(static_cast<char>(group >> 10));
    out.push_back(static_cast<char>(group >> 2));
  }
  return out;
}

}  // namespace fupin
