// The parts of the bundle layout shared by its writer and its verifier:
// which entity kinds have a stream of their own, and the Chinese summary,
// a pure function of proven content (so the verifier can recompute it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/record.h"
#include "replay/replay_source.h"

namespace fupin::replay {

// "product:P-1" -> "product:P-1": the stream whose records are the
// entity's own events; empty for kinds without one (sale, buyer: their
// events live on the outlet's stream).
std::string OwnStream(std::string_view entity);

struct SummaryInput {
  std::string entity;
  std::vector<const LeafFields*> trail;  // in seq order
  std::string chain_stream;              // empty: no chain
  std::size_t chain_length = 0;
  std::vector<std::string> key_ids;  // sorted, distinct
  const Checkpoint* checkpoint = nullptr;
};

std::string BundleSummary(const SummaryInput& input);

}  // namespace fupin::replay
