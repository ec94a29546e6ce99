#include "api/projection_wait.h"

namespace fupin::api {

bool WaitForProjections(const ServerState& state) {
  if (state.projections == nullptr) return false;
  projections::ProjectionRunner& runner = state.projections->runner();
  runner.Notify();
  return runner.WaitForPosition(state.ledger.tree_size(), kCatchUpWait);
}

}  // namespace fupin::api
