// Strict JSON parsing and the canonical form of SPEC §2.1 (RFC 8785, JCS,
// restricted to integers).
//
// ParseStrict accepts exactly the JSON the ledger admits: valid UTF-8, no
// duplicate member names, numbers only as integers within +/-(2^53-1) (no
// fraction, no exponent), bounded depth. Canonicalize writes members sorted
// by their UTF-16 code units (RFC 8785 §3.2.3), no whitespace, minimal
// escapes (only '"', '\\' and control characters below U+0020; \b \t \n \f \r
// by name, others as \u00xx lower-case), raw UTF-8 otherwise, integers in
// shortest decimal form. Thread-safe: no shared state.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/status.h"

namespace fupin::json {

// Largest magnitude of an integer in an event: 2^53 - 1 (I-JSON, RFC 7493).
inline constexpr int64_t kMaxSafeInteger = 9007199254740991;

struct ParseLimits {
  // Events nest at most 4 levels; 32 leaves room without allowing abuse.
  std::size_t max_depth = 32;
  // No single string in an event needs more than 64 KiB.
  std::size_t max_string_bytes = 64 * 1024;
  // Events have integers only. Configuration files (rule thresholds such
  // as 1.30) may allow numbers with a fraction or an exponent, stored as
  // double; integers stay int64 and within +-(2^53 - 1) either way.
  bool allow_fractions = false;
};

// Errors: kMalformedJson (syntax, truncation, trailing bytes, depth, string
// too long), kInvalidUtf8, kDuplicateKey, kNumberNotInteger,
// kNumberOutOfRange. Integers are stored as int64 in the value.
// Decisions at the edges:
//   - "-0" is accepted as the integer 0 (canonical "0", as JCS prints it);
//     "-0.0" has a fraction and is kNumberNotInteger.
//   - A number with a fraction or an exponent is kNumberNotInteger even when
//     it is also huge ("1e400"); an integer beyond int64/uint64 is
//     kNumberOutOfRange.
//   - kInvalidUtf8 covers invalid bytes inside strings and member names
//     (overlongs, encoded surrogates, truncated sequences, > U+10FFFF) and
//     escaped unpaired surrogates ("\ud800", "\udc00"): they have no UTF-8
//     form. A stray non-ASCII byte outside any string is kMalformedJson.
//   - Duplicate names are compared as bytes after unescaping: "a" and
//     "\u0061" collide; differently normalized names do not.
//   - Lengths count bytes after unescaping. Depth counts open objects and
//     arrays: max_depth 1 admits {"a":1} but not {"a":{}}.
// Messages say what and where: the JSON path ("body.rows[2]") and the byte
// offset ("at byte 17", or "near byte 17" just after the offending token).
// Every value of the document is allocated from `storage` (the default
// resource unless given; verification parses each chunk of the log into one
// monotonic resource).
Result<boost::json::value> ParseStrict(std::string_view text, const ParseLimits& limits = {},
                                       boost::json::storage_ptr storage = {});

// As ParseStrict, and the top level must be an object (else kNotAnObject).
Result<boost::json::object> ParseStrictObject(std::string_view text, const ParseLimits& limits = {},
                                              boost::json::storage_ptr storage = {});

// Checks a value built in code (not parsed) against the same number rules:
// kNumberNotInteger for doubles, kNumberOutOfRange beyond 2^53-1.
Status CheckIntegers(const boost::json::value& value);

// The canonical form of a value that satisfies the rules above (for a value
// built in code, check CheckIntegers first: a double is written as an
// integer only when it is one, otherwise not in JCS form). Never fails.
// AppendCanonical appends to `out` without clearing it.
std::string Canonicalize(const boost::json::value& value);
std::string Canonicalize(const boost::json::object& object);
void AppendCanonical(const boost::json::value& value, std::string& out);

}  // namespace fupin::json
