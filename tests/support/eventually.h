// Waiting for work another thread does on its own schedule (a collector,
// a runner): polls a condition with a deadline, so a test fails instead of
// hanging when the work never happens.
#pragma once

#include <chrono>
#include <thread>

namespace fupin::testing {

// True as soon as `done()` holds, false when it still does not after
// `patience`.
template <class Done>
bool Eventually(Done done, std::chrono::milliseconds patience = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace fupin::testing
