// Reading a range of the log for a fold: records [from, to) of the store,
// decoded on worker threads, handed to the fold in seq order.
//
// The fold itself is sequential (it is an ordered fold), so the parallelism
// is in reading and decoding: the range is cut into chunks, worker i reads
// and decodes chunks i, i + W, i + 2W, ... with its own iterator and
// decoder, and the calling thread consumes chunk after chunk in order. A
// bounded window of chunks in flight caps memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "ledger/status.h"
#include "ledger/store_db.h"
#include "projections/decoded_record.h"

namespace fupin::projections {

struct ScanOptions {
  // Records per chunk: large enough that handing a chunk between threads
  // costs nothing against decoding it (~1 ms of work), small enough that a
  // short catch-up after a commit does not wait for threads at all.
  std::size_t chunk_records = 1024;
  // Decoding threads; 0 picks one per hardware thread. Ranges of at most
  // one chunk are always decoded on the calling thread.
  std::size_t decode_threads = 0;
  // Chunks decoded ahead of the fold, per decoding thread.
  std::size_t chunks_ahead_per_thread = 4;
};

// Receives consecutive decoded records (seq order, no gaps). A non-ok
// status stops the scan and is returned by ScanDecoded.
using DecodedBatchSink = std::function<Status(std::span<const DecodedRecord>)>;

// Decodes the records with seq in [from, to) from `store` (Cf::kRecords)
// and passes them to `sink` on the calling thread, in order. The caller
// guarantees that [from, to) is committed (to <= the ledger's tree size).
// Errors: kDataLoss for a missing or undecodable record, the store's
// errors, and whatever `sink` returns. Thread-safe with respect to the
// store (readers may run beside the ledger's writer).
Status ScanDecoded(const StoreDb& store, uint64_t from, uint64_t to, const ScanOptions& options,
                   const DecodedBatchSink& sink);

}  // namespace fupin::projections
