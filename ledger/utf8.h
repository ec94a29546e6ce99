// UTF-8 validation (RFC 3629: no overlongs, no UTF-16 surrogates, nothing
// above U+10FFFF), the one home of the rule for the strict JSON parser and
// for anything else that must tell UTF-8 from other bytes (the access log).
// Pure; a Utf8Validator is used by one thread at a time.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace fupin {

// Streaming: the JSON parser is handed long or escaped strings in parts,
// which may split a multi-byte sequence.
class Utf8Validator {
 public:
  // Index of the first invalid byte of `s`, or npos.
  std::size_t Feed(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (need_ > 0) {
        if (p[i] < lo_ || p[i] > hi_) return i;
        --need_;
        lo_ = 0x80;
        hi_ = 0xBF;
        continue;
      }
      // ASCII fast path, eight bytes at a time.
      uint64_t word;
      while (i + 8 <= n && (std::memcpy(&word, p + i, 8), (word & 0x8080808080808080ULL) == 0)) {
        i += 8;
      }
      if (i == n) break;
      if (p[i] >= 0x80 && !Open(p[i])) return i;
    }
    return std::string_view::npos;
  }

  // True when no multi-byte sequence is left open.
  bool Complete() const { return need_ == 0; }
  void Reset() { need_ = 0; }

 private:
  // Sets what must follow lead byte `c`; false if `c` cannot lead.
  bool Open(unsigned char c) {
    lo_ = 0x80;
    hi_ = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      need_ = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need_ = 2;
      if (c == 0xE0) lo_ = 0xA0;  // no overlong 3-byte forms
      if (c == 0xED) hi_ = 0x9F;  // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      need_ = 3;
      if (c == 0xF0) lo_ = 0x90;  // no overlong 4-byte forms
      if (c == 0xF4) hi_ = 0x8F;  // nothing above U+10FFFF
    } else {
      return false;
    }
    return true;
  }

  int need_ = 0;             // continuation bytes still expected
  unsigned char lo_ = 0x80;  // range of the next continuation byte
  unsigned char hi_ = 0xBF;
};

// Whether all of `text` is well-formed UTF-8.
inline bool IsValidUtf8(std::string_view text) {
  Utf8Validator validator;
  return validator.Feed(text) == std::string_view::npos && validator.Complete();
}

}  // namespace fupin
