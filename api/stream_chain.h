// The check of a stream's hash chain (SPEC §2.2) that the server runs on
// every stream it serves: a broken chain is reported, never served.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/status.h"

namespace fupin::api {

// Checks `entries`, read from the stream index starting at `first_version`:
//   - versions are consecutive from first_version;
//   - each record's stored leaf hash is the hash (`hash`, the log's) of its
//     leaf data;
//   - each record's leaf data names this stream, its version and its seq;
//   - each record's prev_stream_hash is the leaf hash of the record before
//     it ("" for version 1). entries[0] of a later version is the anchor of
//     a page: its own backward link is checked by the page before.
// kDataLoss naming the stream and version at the first break. Pure.
Status CheckStreamChain(merkle::HashAlg hash, std::string_view stream,
                        const std::vector<StreamEntry>& entries, uint64_t first_version);

}  // namespace fupin::api
