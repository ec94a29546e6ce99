// The layout of Cf::kProjections: where a projection's state, its position
// and its snapshots live, and their encodings. Shared by the runner (which
// writes) and every reader (the CLI, as_of folds). Documented with an
// example in docs/projections.md ("Column family layout").
//
// Keys ("<name>" is Projection::name(), "/" a literal separator, <pos> a
// big-endian u64 so that bytewise order is numeric order):
//   <name>/head          ProjectionHead: version, position, the leaf hash
//                        of the last applied record, kept snapshots, and
//                        where the current state blob is
//   <name>/state         StateBlob of the current state, unless that state
//                        sits at a snapshot position
//   <name>/snap/<pos>    StateBlob kept for as_of folds (position = pos)
//
// A head and the state blob it names are always written in one WriteBatch,
// so a crash never leaves a position without its state or the reverse.
// "Position" is the number of records applied: the state after records
// [0, position), i.e. as of seq position - 1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/merkle.h"
#include "ledger/status.h"

namespace fupin::projections {

// Version of the layout and of the head/blob encodings below (not of any
// projection's state, which each projection versions itself).
inline constexpr uint32_t kProjectionLayoutVersion = 1;

struct ProjectionHead {
  uint32_t projection_version = 0;
  uint64_t position = 0;
  // Leaf hash of record position - 1 (zero for position 0): proves that the
  // state was folded from this log, not from another one restored here.
  merkle::Hash last_leaf_hash{};
  std::vector<uint64_t> snapshots;  // kept snapshot positions, ascending
  // True when the current state is the snapshot at `position` (then no
  // <name>/state blob is written for it).
  bool state_in_snapshot = false;
};

// A projection state with the header that makes it self-describing.
struct StateBlob {
  uint32_t projection_version = 0;
  uint64_t position = 0;
  merkle::Hash last_leaf_hash{};
  std::string state;  // Projection::EncodeState()
};

std::string HeadKey(std::string_view name);
std::string StateKey(std::string_view name);
std::string SnapshotKey(std::string_view name, uint64_t position);

std::string EncodeHead(const ProjectionHead& head);
// kDataLoss when the bytes are not a head of kProjectionLayoutVersion.
Result<ProjectionHead> DecodeHead(std::string_view bytes);

std::string EncodeStateBlob(const StateBlob& blob);
// kDataLoss when the bytes are not a blob of kProjectionLayoutVersion.
Result<StateBlob> DecodeStateBlob(std::string_view bytes);

}  // namespace fupin::projections
