// Deterministic randomness for the campaign generator.
//
// Everything the generator draws comes from here: a SplitMix64 counter
// generator keyed by (seed, stream), and integer-only helpers on top of it.
// No std:: distributions (their algorithms differ between standard
// libraries) and no floating point, so the same seed gives the same bytes
// with any compiler, standard library and thread count.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fupin::generator {

// SplitMix64's finalizer: a bijective 64-bit mix with full avalanche.
uint64_t Mix64(uint64_t x);
// FNV-1a of the bytes, then Mix64: names a stream ("sales", "prices").
uint64_t HashText(std::string_view text);
// A key for stream `name` number `index` under `seed`.
uint64_t StreamKey(uint64_t seed, std::string_view name, uint64_t index = 0);

// A lower-case UUID (RFC 9562 version 8, "vendor-specific") derived from
// the seed and an ordinal: distinct ordinals give distinct ids (the 128
// bits are two bijective mixes of distinct inputs, so a collision needs a
// 64-bit collision of both halves).
std::string DeriveUuid(uint64_t seed, uint64_t ordinal);

// A stream of 64-bit values. Cheap to copy; not thread-safe.
class Rng {
 public:
  Rng(uint64_t seed, std::string_view stream, uint64_t index = 0)
      : state_(StreamKey(seed, stream, index)) {}
  explicit Rng(uint64_t key) : state_(key) {}

  uint64_t Next();
  // Uniform in [0, n) for n >= 1 (modulo bias below 2^-40 for the n used
  // here, and deterministic either way).
  uint64_t Below(uint64_t n);
  // Uniform in [lo, hi], lo <= hi.
  int64_t Between(int64_t lo, int64_t hi);
  // True with probability per_million / 10^6.
  bool Chance(int64_t per_million);
  // An index drawn with the given non-negative integer weights (sum > 0).
  std::size_t Weighted(const std::vector<int64_t>& weights);

 private:
  uint64_t state_;
};

// A stateless draw: the `index`-th value of stream `key`, uniform in
// [0, n). For attributes that must not depend on the order of other draws
// (a product's price level at an outlet, a household's pseudonym).
uint64_t HashBelow(uint64_t key, uint64_t index, uint64_t n);

// A fixed-point fraction in [0, 2^32): the k-th point of the golden-ratio
// (Weyl) sequence offset by `offset`. Consecutive points are spread evenly
// over the unit interval, which keeps small samples balanced.
uint32_t GoldenPoint(uint64_t k, uint32_t offset);

}  // namespace fupin::generator
