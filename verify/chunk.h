// Internal to verification (verify.cc): the part of the record pass that
// needs no state folded from earlier records, done on worker threads one
// aligned chunk of the log at a time.
//
// A chunk is the records [begin, begin + 2^k) of the log (fewer at its end
// or at a gap). Because it is aligned, every complete Merkle subtree over
// its leaves is a node the ledger stored, and none of them depends on
// records outside it: the worker reads the records through its own cursor,
// decodes them in place, recomputes every leaf hash, rebuilds the chunk's
// subtrees and compares each with the stored node, and (full modes) parses
// each leaf into its envelope. What is left for the verifying thread is
// joining the chunk's largest subtrees onto the log's edge (the few nodes
// above the chunk), the checkpoint roots and the ordered fold.
//
// Thread-safety: ReadChunk reads the store through cursors of its own and
// writes only its ChunkResult; the plan and checkpoint sizes are read-only.
#pragma once

#include <boost/json/monotonic_resource.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ledger/crypto.h"
#include "ledger/event.h"
#include "ledger/event_key.h"
#include "ledger/merkle.h"
#include "ledger/record.h"
#include "ledger/status.h"
#include "ledger/store_db.h"
#include "verify/verify.h"

namespace fupin::verify {

// A failure found on a worker, added to the sink by the verifying thread.
struct Finding {
  FailureKind kind = FailureKind::kRecordMissing;
  std::optional<uint64_t> seq;
  std::string detail;
};

// One record of a full or since-last pass, parsed on a worker, folded on
// the verifying thread, its signature checked on a worker again.
struct Entry {
  uint64_t seq = 0;
  bool parsed = false;  // decoded, and its leaf data a canonical record
  merkle::Hash computed{};
  Envelope envelope;
  RecordHeader header;
  int64_t recorded_ms = 0;
  // Digests of the stream and event-id index entries the record implies
  // (IndexEntryDigest), computed beside the parse.
  uint64_t stream_digest = 0;
  uint64_t event_id_digest = 0;
  // Decided by the fold, consumed by the signature worker.
  const crypto::EventPublicKey* signer = nullptr;
  std::vector<std::string> references;  // valid records only
  // Results of the signature worker.
  bool signature_ok = true;
  uint64_t reference_digest = 0;
  int32_t reference_count = 0;
};

struct ChunkPlan {
  uint64_t begin = 0;
  uint64_t end = 0;                                 // one past its last seq, <= log_end
  uint64_t log_end = 0;                             // one past the last record key of the store
  bool parse = false;                               // full and since-last: parse every leaf
  crypto::SipHasher::Key index_key{};               // the run's key of index digests (parse only)
  merkle::HashAlg hash = merkle::HashAlg::kSha256;  // the log's
};

struct ChunkResult {
  // Where the entries' parsed bodies live (parse only): one monotonic
  // resource per chunk instead of a few dozen separate allocations and
  // frees per record. Declared first, so it outlives the entries. The
  // bodies hold it through a plain (not reference-counted) storage_ptr,
  // which tells Boost.JSON that freeing into it is a no-op: destroying a
  // chunk's bodies does not walk them. Nothing may keep JSON of a body
  // beyond its chunk (a copy-constructed boost::json value keeps its
  // source's storage): what outlives the chunk is typed or std::string.
  std::unique_ptr<boost::json::monotonic_resource> arena;
  uint64_t begin = 0;
  uint64_t count = 0;          // records read: end - begin unless a gap stopped it
  bool stopped = false;        // the log has a gap in or just after this chunk
  std::vector<Entry> entries;  // parse only, one per record read
  std::vector<Finding> findings;
  // The chunk's complete subtrees (global ids), largest first: one node for
  // a whole chunk.
  std::vector<merkle::NodeWrite> edge;
  // For each checkpoint size inside the chunk, the chunk's edge at it.
  struct CheckpointEdge {
    uint64_t size = 0;
    std::vector<merkle::NodeWrite> edge;
  };
  std::vector<CheckpointEdge> checkpoint_edges;
  uint64_t merkle_nodes = 0;  // stored nodes compared
  Status status;              // a cursor error: the pass could not run
};

// The right edge of the log's Merkle tree: its complete subtrees (global
// ids), largest first, grown by leaves or by whole aligned subtrees. A
// value type.
class LogEdge {
 public:
  // An empty edge at leaf `begin`: 0 for the log's own edge, a chunk's
  // first seq for the edge a worker grows over that chunk alone.
  // `hash` is the log's.
  explicit LogEdge(merkle::HashAlg hash, uint64_t begin = 0) : hash_(hash), size_(begin) {}
  // Appends the complete subtree `node`, which must start at size() and
  // be no larger than the smallest subtree on the edge; adds to *completed
  // the nodes the join completes above it (not `node` itself).
  void Append(const merkle::NodeWrite& node, std::vector<merkle::NodeWrite>* completed);
  merkle::Hash Root() const;               // merkle::EmptyRoot(hash) when empty
  uint64_t size() const { return size_; }  // the leaf after the edge
  const std::vector<merkle::NodeWrite>& nodes() const { return nodes_; }

 private:
  merkle::HashAlg hash_;
  std::vector<merkle::NodeWrite> nodes_;
  uint64_t size_ = 0;
};

// Reads and checks the chunk `plan` names into *out (see the file
// comment). `checkpoint_sizes` ascending.
void ReadChunk(const StoreDb& store, const ChunkPlan& plan,
               std::span<const uint64_t> checkpoint_sizes, ChunkResult* out);

// Order-independent digest of one index entry: verification adds the
// entries the records imply and subtracts those stored, per seq. Keyed with
// the run's secret (crypto::SipHasher says why); every hasher of a run must
// hold the same key.
uint64_t IndexEntryDigest(crypto::SipHasher& hasher, std::string_view key, std::string_view value);

}  // namespace fupin::verify
