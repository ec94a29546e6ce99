// A projection: an ordered fold of the log's records into state.
//
// Contract for implementations:
//   - Apply is called once per record, in seq order, with no gaps, starting
//     at seq 0 for an empty state (or at the position a decoded state was
//     saved at). It is deterministic: it reads only the record and the
//     state -- no wall clock, no randomness, no I/O, and no iteration over
//     unordered containers where the order could reach state or output.
//   - Records were validated when appended, so Apply never fails: a record
//     it has no use for is skipped.
//   - EncodeState is a deterministic function of the logical state (equal
//     states give equal bytes), and DecodeState(EncodeState()) restores a
//     state that folds on exactly like the original. So a state folded
//     incrementally, one rebuilt from zero and one decoded from a snapshot
//     and folded on are interchangeable, byte for byte.
//   - version() changes whenever Apply's meaning or the encoding changes; a
//     stored state of another version is discarded and rebuilt from zero.
//
// Thread-safety: none inside a projection; the runner serializes Apply and
// guards readers with its lock.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ledger/status.h"
#include "projections/decoded_record.h"

namespace fupin::projections {

class Projection {
 public:
  virtual ~Projection() = default;

  // Stable identifier, [a-z_]+; prefixes the projection's keys in
  // Cf::kProjections.
  virtual std::string_view name() const = 0;
  virtual uint32_t version() const = 0;

  virtual void Apply(const DecodedRecord& record) = 0;

  // The whole state as bytes (cereal), and back. DecodeState replaces the
  // state; kDataLoss when the bytes are not a state of this version.
  virtual std::string EncodeState() const = 0;
  virtual Status DecodeState(std::string_view bytes) = 0;

  // A new, empty instance of the same projection (seq 0, nothing applied).
  virtual std::unique_ptr<Projection> NewEmpty() const = 0;
};

}  // namespace fupin::projections
