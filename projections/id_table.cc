#include "projections/id_table.h"

#include <functional>
#include <utility>

namespace fupin::projections {

uint32_t IdTable::Tag(std::string_view id) {
  // std::hash of a string_view is deterministic in libstdc++ (no seed);
  // either way the table is rebuilt on decode and never reaches output.
  return static_cast<uint32_t>(std::hash<std::string_view>{}(id) >> 32);
}

std::string_view IdTable::id(uint32_t index) const {
  const uint64_t begin = index == 0 ? 0 : ends_[index - 1];
  return std::string_view(arena_).substr(begin, ends_[index] - begin);
}

std::size_t IdTable::Probe(std::string_view id, uint32_t tag) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = tag & mask;; slot = (slot + 1) & mask) {
    const uint64_t value = slots_[slot];
    if (value == 0) return slot;
    if (static_cast<uint32_t>(value >> 32) == tag &&
        this->id(static_cast<uint32_t>(value) - 1) == id) {
      return slot;
    }
  }
}

std::optional<uint32_t> IdTable::Find(std::string_view id) const {
  if (slots_.empty()) return std::nullopt;
  const uint64_t value = slots_[Probe(id, Tag(id))];
  if (value == 0) return std::nullopt;
  return static_cast<uint32_t>(value) - 1;
}

void IdTable::Place(uint64_t slot_value) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = static_cast<uint32_t>(slot_value >> 32) & mask;
  while (slots_[slot] != 0) slot = (slot + 1) & mask;
  slots_[slot] = slot_value;
}

void IdTable::Grow() {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(old.empty() ? kInitialSlots : old.size() * 2, 0);
  for (uint64_t value : old) {
    if (value != 0) Place(value);
  }
}

uint32_t IdTable::Intern(std::string_view id, bool* added) {
  // At most half full: probes stay short with linear probing.
  if ((ends_.size() + 1) * 2 > slots_.size()) Grow();
  const uint32_t tag = Tag(id);
  const std::size_t slot = Probe(id, tag);
  if (slots_[slot] != 0) {
    if (added != nullptr) *added = false;
    return static_cast<uint32_t>(slots_[slot]) - 1;
  }
  const auto index = static_cast<uint32_t>(ends_.size());
  arena_.append(id);
  ends_.push_back(arena_.size());
  slots_[slot] = (static_cast<uint64_t>(tag) << 32) | (static_cast<uint64_t>(index) + 1);
  if (added != nullptr) *added = true;
  return index;
}

Result<IdTable> IdTable::FromArena(std::string arena, std::vector<uint64_t> ends) {
  IdTable table;
  table.arena_ = std::move(arena);
  uint64_t previous = 0;
  for (uint64_t end : ends) {
    if (end < previous || end > table.arena_.size()) {
      return Status(ErrorCode::kDataLoss, "id table: ids out of the arena");
    }
    previous = end;
  }
  if (previous != table.arena_.size()) {
    return Status(ErrorCode::kDataLoss, "id table: arena longer than its ids");
  }
  std::size_t slots = kInitialSlots;
  while (slots < ends.size() * 2 + 2) slots *= 2;
  table.slots_.assign(slots, 0);
  table.ends_ = std::move(ends);
  for (uint32_t index = 0; index < table.ends_.size(); ++index) {
    std::string_view id = table.id(index);
    const uint32_t tag = Tag(id);
    const std::size_t slot = table.Probe(id, tag);
    if (table.slots_[slot] != 0) return Status(ErrorCode::kDataLoss, "id table: repeated id");
    table.slots_[slot] = (static_cast<uint64_t>(tag) << 32) | (static_cast<uint64_t>(index) + 1);
  }
  return table;
}

}  // namespace fupin::projections
