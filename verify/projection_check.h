// Verification of the projections' stored state (`fupin-ledger verify`):
// each stored state and kept snapshot must equal, byte for byte, the state
// a fresh fold of the log reaches at the same position (the projection
// contract of projection.h makes encodings deterministic). The fresh fold
// is fed the records the verification pass parsed (DerivedFold):
// the log is not read a second time.
//
// Thread-safety: Begin may run beside a server writing the store, on a
// read-only view; it writes nothing. The fold it returns is used by the
// verifying thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "verify/verify.h"

namespace fupin::verify {

// Checks the statistics and entity projections of LedgerProjections.
// A stored state of another projection version is not compared (the
// server discards and rebuilds it at open; it is not tampering).
class ProjectionStateCheck final : public DerivedStateCheck {
 public:
  std::string_view name() const override { return "projections"; }
  Result<std::unique_ptr<DerivedFold>> Begin(const StoreDb& store, uint64_t log_end,
                                             FailureSink& sink) const override;
};

}  // namespace fupin::verify
