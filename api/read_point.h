// The point in the log a read of records answers as of, and with
// `proofs=1` the signed checkpoint that proves it (SPEC §2.3, §5): shared
// by GET /v1/trail and GET /v1/streams.
//
// A proven answer holds only records the checkpoint covers: without as_of
// it answers as of the latest checkpoint (which may lag the log by up to
// the checkpoint interval, one second), so every record carries an
// inclusion proof against that one signed tree head.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/handlers.h"
#include "api/target.h"
#include "ledger/ledger.h"
#include "ledger/record.h"
#include "ledger/status.h"

namespace fupin::api {

// as_of: nullopt when absent; a seq below the ledger's tree size, or an
// RFC 3339 time meaning the last record recorded at or before it
// (ledger/as_of.h); kInvalidArgument for anything else, a seq beyond the
// log or a time before its first record.
Result<std::optional<uint64_t>> AsOfParam(const Target& target, const Ledger& ledger);

// proofs: false when absent, true for "1"; kInvalidArgument otherwise.
Result<bool> ProofsParam(const Target& target);

struct ReadPoint {
  uint64_t end = 0;                      // the answer holds records with seq < end
  std::optional<Checkpoint> checkpoint;  // set when proofs were asked for
};

// Without proofs: end = as_of + 1, or the tree size. With proofs: the
// checkpoint is the published one (PublishedCheckpoint: with witnesses,
// the newest at quorum), or with as_of and no witnesses the first stored
// checkpoint whose tree size exceeds as_of (found by one seek in the
// checkpoint index), and end = min(as_of + 1, its tree size). kUnavailable
// when no (witnessed) checkpoint covers as_of yet (the ledger signs one
// within a second of a commit, witnesses cosign it within their interval);
// store errors.
Result<ReadPoint> ResolveReadPoint(const ServerState& state, std::optional<uint64_t> as_of,
                                   bool proofs);

// The record as GET /v1/events/{seq} serves it; with a checkpoint in
// `point`, plus "proof":{"tree_size":N,"path":[hex…]} (RFC 9162 §2.1.3)
// against it. Errors: the ledger's proof errors.
Result<std::string> ServedRecordJson(const Ledger& ledger, const StoredRecord& record,
                                     const ReadPoint& point);

}  // namespace fupin::api
