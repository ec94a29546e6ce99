// What a mirror reads from its source, over the source's public API (SPEC
// §5, docs/api.md): pages of records, checkpoints, proofs. Answers are
// parsed strictly. A source that cannot be reached is kIoError; a refusal
// (401, 403, 404, 503…) or an answer that is not what the API promises is
// kUnavailable naming the route: the mirror retries, for nothing unsigned
// proves anything against the source.
//
// Not thread-safe: one Source per thread (it holds one connection).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/client.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "ledger/record.h"
#include "ledger/status.h"

namespace fupin::mirror {

struct SourceOptions {
  std::string url;    // "http://HOST:PORT" or "https://…"
  std::string token;  // a bearer token with read access to every region
  std::string cacert;
  // The log's system public key (base64) as known independently; when set,
  // a source whose genesis registers another key is refused before
  // anything is created, and an existing mirror of another key too.
  std::string public_key;
};

// GET /v1/checkpoint: the checkpoint the source stands behind.
struct SourceCheckpoint {
  ReplicatedCheckpoint replicated;  // §2.3 members, and the note when served
  std::string origin;
};

class Source {
 public:
  static Result<std::unique_ptr<Source>> Connect(const SourceOptions& options);

  const std::string& url() const { return url_; }
  Result<SourceCheckpoint> Latest();
  // GET /v1/checkpoints/{size}; nullopt when the source signed none there.
  Result<std::optional<Checkpoint>> CheckpointAt(uint64_t size);
  // GET /v1/events?from=&limit=: the records as stored (leaf data
  // re-canonicalized from the served JSON, leaf hash as served).
  Result<std::vector<StoredRecord>> Records(uint64_t from, std::size_t limit);
  // GET /v1/proof/consistency and /v1/proof/inclusion: the paths.
  Result<std::vector<merkle::Hash>> Consistency(uint64_t first, uint64_t second);
  Result<std::vector<merkle::Hash>> Inclusion(uint64_t seq, uint64_t tree_size);

 private:
  Source(std::string url, std::unique_ptr<api::HttpClient> client)
      : url_(std::move(url)), client_(std::move(client)) {}
  // The body of a 200 answer to GET `target`; the errors above otherwise.
  Result<std::string> Get(const std::string& target, bool not_found_ok = false);
  // The "path" of a proof answer.
  Result<std::vector<merkle::Hash>> Path(const std::string& target);

  std::string url_;
  std::unique_ptr<api::HttpClient> client_;
};

}  // namespace fupin::mirror
