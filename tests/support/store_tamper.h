// Test support: altering a closed ledger's store directly, the way an
// intruder with file access would (tests/verify).
#pragma once

#include <cstdint>

#include "ledger/store_db.h"

namespace fupin::testing {

// Recomputes every Merkle node of the first `size` records from their
// stored leaf hashes, as an intruder covering their tracks would. Fails the
// test when a record is unreadable or the write fails.
void RebuildMerkle(StoreDb& db, uint64_t size);

}  // namespace fupin::testing
