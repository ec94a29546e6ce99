// Interned entity ids: each distinct id gets the next index (0, 1, 2, ...),
// so fold state can hold compact indexes instead of strings.
//
// Why not std::unordered_map<std::string, uint32_t>: a rebuild interns a
// million sale ids and looks up products and outlets for every sale; node
// allocations and pointer chasing made those maps the largest cost of the
// fold. Here ids live back to back in one arena, and lookups go through an
// open-addressing table of 8-byte slots (a 32-bit hash tag and the index),
// so an insert is about one cache miss and a snapshot is two memcpys.
//
// The table is never serialized or iterated: only the arena (ids in index
// order) is state, and FromArena rebuilds the table. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"

namespace fupin::projections {

class IdTable {
 public:
  IdTable() = default;

  // The index of `id`, or nullopt when it was never interned.
  std::optional<uint32_t> Find(std::string_view id) const;
  // The index of `id`, interning it (as index size()) when new; `added`
  // says which.
  uint32_t Intern(std::string_view id, bool* added = nullptr);

  uint32_t size() const { return static_cast<uint32_t>(ends_.size()); }
  std::string_view id(uint32_t index) const;

  // The state: ids concatenated in index order, and where each one ends.
  const std::string& arena() const { return arena_; }
  const std::vector<uint64_t>& ends() const { return ends_; }
  // Rebuilds a table from its state. kDataLoss when the ends are not
  // increasing within the arena or an id repeats.
  static Result<IdTable> FromArena(std::string arena, std::vector<uint64_t> ends);

 private:
  // Slots hold (tag << 32) | (index + 1); 0 is empty. The tag is the upper
  // half of the id's hash and also picks the home slot, so growing the
  // table never rehashes a string.
  static constexpr std::size_t kInitialSlots = 16;

  static uint32_t Tag(std::string_view id);
  // The slot holding `id` (tag matched and id compared), or the empty slot
  // where it would go.
  std::size_t Probe(std::string_view id, uint32_t tag) const;
  void Place(uint64_t slot_value);
  void Grow();

  std::string arena_;
  std::vector<uint64_t> ends_;
  std::vector<uint64_t> slots_;
};

}  // namespace fupin::projections
