// Verification of the projections' stored state (`fupin-ledger verify`):
// each stored state and kept snapshot must equal, byte for byte, the state
// a fresh fold of the log reaches at the same position (the projection
// contract of projection.h makes encodings deterministic).
//
// Thread-safety: Check may run beside a server writing the store, on a
// read-only view; it writes nothing.
#pragma once

#include <cstdint>
#include <string_view>

#include "ledger/verify.h"

namespace fupin::projections {

// Checks the statistics and entity projections of LedgerProjections.
// A stored state of another projection version is not compared (the
// server discards and rebuilds it at open; it is not tampering).
class ProjectionStateCheck final : public verify::DerivedStateCheck {
 public:
  std::string_view name() const override { return "projections"; }
  Status Check(const StoreDb& store, uint64_t tree_size, unsigned threads,
               verify::FailureSink& sink, uint64_t* checked) const override;
};

}  // namespace fupin::projections
