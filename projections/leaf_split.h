// Private to projections/: finds the parts of a record's leaf data a
// fold needs without building a DOM of the whole record.
//
// The leaf data (SPEC §2.2) is a JSON object {"event":{...},"seq":...,
// "stream":...,...} whose event holds the body plus long strings no fold
// reads (id, sig, prev_stream_hash, recorded_at): parsing all of it into a
// DOM was most of the decoding cost. SplitLeaf walks the two outer levels
// once, keeping the wanted members' raw text and handing the body to the
// caller's JSON parser, so only the body is parsed (and scanned once). It accepts exactly what the
// ledger writes (JCS: no whitespace, member names without escapes) and returns nullopt for anything
// else, including a wanted string that holds an escape; the decoder then parses the whole record
// with Boost.JSON instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace fupin::projections {

struct LeafParts {
  uint64_t seq = 0;
  std::string_view stream;  // unescaped contents
  std::string_view type;
  std::string_view occurred_at;
  std::string_view key;
};

// Parses the JSON object at the start of `text` (which continues past it)
// and returns how many characters it took, or 0 when it could not.
using BodyParser = std::function<std::size_t(std::string_view text)>;

std::optional<LeafParts> SplitLeaf(std::string_view leaf, const BodyParser& parse_body);

}  // namespace fupin::projections
