// Private to ledger/projections: finds the parts of a record's leaf data a
// fold needs without building a DOM of the whole record.
//
// The leaf data (SPEC §2.2) is a JSON object {"event":{...},"seq":...,
// "stream":...,...} whose event holds the body plus long strings no fold
// reads (id, sig, prev_stream_hash, recorded_at): parsing all of it into a
// DOM was most of the decoding cost. SplitLeaf walks the two outer levels
// once, keeping each member's raw text, so only the body goes through the
// JSON parser. It accepts exactly what the ledger writes (JCS: no
// whitespace, member names without escapes) and returns nullopt for
// anything else, including a wanted string that holds an escape; the
// decoder then parses the whole record with Boost.JSON instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fupin::projections {

struct LeafParts {
  uint64_t seq = 0;
  std::string_view stream;       // unescaped contents
  std::string_view type;
  std::string_view occurred_at;
  std::string_view key;
  std::string_view body;         // the body object's JSON text
};

std::optional<LeafParts> SplitLeaf(std::string_view leaf);

}  // namespace fupin::projections
