// A zero-copy view of a stored record, for the rebuild hot path.
//
// DecodeStoredRecord (ledger/record.h) owns the stored format and copies
// the leaf data out through a stream; a rebuild reads every record of the
// log, and that copy was a third of its decoding time. This view reads the
// same bytes in place. It understands exactly one layout -- the cereal
// binary encoding of stored record version kStoredRecordVersion (1):
//   u32 version | u64 seq | u64 n | n bytes of leaf data | 32-byte leaf hash
// (integers little-endian) -- and answers nullopt for anything else, so the
// caller falls back to DecodeStoredRecord, which reports precisely. A test
// pins the view to EncodeStoredRecord's bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "ledger/merkle.h"
#include "ledger/record.h"

namespace fupin::projections {

static_assert(kStoredRecordVersion == 1,
              "stored record layout changed: teach ViewStoredRecord the new version");

struct StoredRecordView {
  uint64_t seq = 0;
  std::string_view leaf_data;  // points into the viewed bytes
  merkle::Hash leaf_hash{};
};

// The view of `bytes` when they are a version-1 stored record, else nullopt.
std::optional<StoredRecordView> ViewStoredRecord(std::string_view bytes);

}  // namespace fupin::projections
