// Randomness from the OS (through OpenSSL's CSPRNG): event ids the ledger
// itself creates. Never used inside folds, projections or rules.
#pragma once

#include <string>

#include "ledger/status.h"

namespace fupin {

// n random bytes; kInternal if the CSPRNG fails.
Result<std::string> RandomBytes(std::size_t n);
// A random (version 4) UUID, lower-case.
Result<std::string> NewUuid();

}  // namespace fupin
