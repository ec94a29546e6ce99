#include "generator/random.h"

#include <cstdio>

namespace fupin::generator {
namespace {

// 2^64 / golden ratio: the Weyl increment of SplitMix64.
inline constexpr uint64_t kGolden64 = 0x9E3779B97F4A7C15ull;
// 2^32 / golden ratio, for the 32-bit low-discrepancy sequence.
inline constexpr uint32_t kGolden32 = 0x9E3779B9u;

}  // namespace

uint64_t Mix64(uint64_t x) {
  x += kGolden64;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t HashText(std::string_view text) {
  uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a offset basis
  for (char c : text) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001B3ull;  // FNV-1a prime
  }
  return Mix64(h);
}

uint64_t StreamKey(uint64_t seed, std::string_view name, uint64_t index) {
  return Mix64(Mix64(seed) ^ HashText(name) ^ Mix64(index * kGolden64 + 1));
}

std::string DeriveUuid(uint64_t seed, uint64_t ordinal) {
  const uint64_t base = StreamKey(seed, "event-id");
  uint64_t hi = Mix64(base ^ (2 * ordinal));
  uint64_t lo = Mix64(base ^ (2 * ordinal + 1));
  // Version 8 in the high nibble of octet 6, variant 10 in octet 8.
  hi = (hi & ~0x000000000000F000ull) | 0x0000000000008000ull;
  lo = (lo & ~0xC000000000000000ull) | 0x8000000000000000ull;
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return buf;
}

uint64_t Rng::Next() {
  state_ += kGolden64;
  return Mix64(state_);
}

uint64_t Rng::Below(uint64_t n) { return n <= 1 ? 0 : Next() % n; }

int64_t Rng::Between(int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
}

bool Rng::Chance(int64_t per_million) {
  return static_cast<int64_t>(Below(1'000'000)) < per_million;
}

std::size_t Rng::Weighted(const std::vector<int64_t>& weights) {
  int64_t total = 0;
  for (int64_t w : weights) total += w;
  int64_t pick = static_cast<int64_t>(Below(static_cast<uint64_t>(total)));
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (pick < weights[i]) return i;
    pick -= weights[i];
  }
  return weights.size() - 1;
}

uint64_t HashBelow(uint64_t key, uint64_t index, uint64_t n) {
  return n <= 1 ? 0 : Mix64(key ^ Mix64(index)) % n;
}

uint32_t GoldenPoint(uint64_t k, uint32_t offset) {
  return static_cast<uint32_t>(k * kGolden32) + offset;
}

}  // namespace fupin::generator
