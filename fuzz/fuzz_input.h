// What every fuzz target shares: the input split into a selector byte (which
// parser, which options) and the bytes the parser sees, and the one way a
// target reports a broken invariant.
//
// A parser returning an error Status is never a finding: only crashes,
// sanitizer reports, leaks, timeouts and a failed FUZZ_CHECK are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace fupin::fuzz {

struct SelectedInput {
  uint8_t selector = 0;
  std::string_view bytes;
};

// The first byte selects, the rest is parsed; an empty input selects 0 and
// parses nothing.
inline SelectedInput Select(const uint8_t* data, std::size_t size) {
  if (size == 0) return {};
  return {data[0], std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1)};
}

inline std::string_view Bytes(const uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace fupin::fuzz

// An invariant of the code under test (a round trip, an agreement of two
// decoders) that must hold for every input: abort so libFuzzer keeps the
// input as a crash.
#define FUZZ_CHECK(condition)                                                                 \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (false)
