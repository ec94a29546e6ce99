// Records (SPEC §2.2) and checkpoints (SPEC §2.3): their leaf bytes, their
// stored encoding and their served JSON.
//
// The leaf data bytes are produced once, when the record is sequenced, and
// stored verbatim inside a versioned cereal structure; every later hash or
// proof is computed from those stored bytes, never from a re-serialization.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/crypto.h"
#include "ledger/merkle.h"
#include "ledger/status.h"

namespace fupin {

// Version of the stored record structure (not of the leaf data, which is
// fixed by the contract).
inline constexpr uint32_t kStoredRecordVersion = 1;

// What the ledger derives for an event when it sequences it.
struct RecordHeader {
  uint64_t seq = 0;
  std::string recorded_at;  // FormatUtcMillis of the record time
  std::string stream;
  uint64_t stream_version = 0;   // 1 for the first record of a stream
  std::string prev_stream_hash;  // lower-case hex, empty for version 1
};

// JCS of {event, prev_stream_hash, recorded_at, seq, stream, stream_version}
// given the canonical bytes of the signed event.
std::string BuildLeafData(const RecordHeader& header, std::string_view canonical_event);

struct StoredRecord {
  uint64_t seq = 0;
  std::string leaf_data;  // verbatim leaf bytes
  merkle::Hash leaf_hash{};
};

std::string EncodeStoredRecord(const StoredRecord& record);
// kDataLoss when the bytes are not a stored record of a known version.
Result<StoredRecord> DecodeStoredRecord(std::string_view bytes);

// A stored record read in place; leaf_data points into the viewed bytes.
struct StoredRecordView {
  uint64_t seq = 0;
  std::string_view leaf_data;
  merkle::Hash leaf_hash{};
};
// Accepts exactly what DecodeStoredRecord accepts, without copying the
// leaf data out (verification reads every record of the log); kDataLoss
// with DecodeStoredRecord's message otherwise.
Result<StoredRecordView> ViewStoredRecord(std::string_view bytes);

// The record time (Unix ms) in a record's leaf data; kDataLoss naming `seq`
// when its recorded_at is missing or unreadable.
Result<int64_t> RecordedAtMillis(std::string_view leaf_data, uint64_t seq);

// The served record: the leaf data object plus "leaf_hash" (not canonical
// order; clients re-canonicalize to check the hash).
std::string RecordJson(const StoredRecord& record);
// The inverse: seq and leaf_hash as served, the leaf data re-canonicalized
// from the other members (whether the hash is the leaf data's is for the
// caller to check). kDataLoss when seq or leaf_hash is missing or malformed.
Result<StoredRecord> ParseRecordJson(const boost::json::object& served);

// A Merkle proof's path on the wire: lower-case hex hashes.
boost::json::array HexPathJson(const std::vector<merkle::Hash>& path);
// kDataLoss unless `path` is an array of 32-byte lower-case hex hashes.
Result<std::vector<merkle::Hash>> ParseHexPath(const boost::json::value& path);

// The log's hash as seq 0 declares it (hash_alg.h): SHA-256 unless the
// record's event body names "hash":"sm3". kDataLoss when the leaf data is
// not a record object or names another hash.
Result<crypto::HashAlg> LogHashOfGenesis(std::string_view seq0_leaf_data);

// A signed tree head.
struct Checkpoint {
  std::string log_id;  // hex leaf hash of seq 0
  // The log's hash: "hash":"sm3" in the JSON of an SM3 log's checkpoints,
  // no member for SHA-256 (so SHA-256 checkpoints keep SPEC §2.3's bytes).
  crypto::HashAlg hash = crypto::HashAlg::kSha256;
  uint64_t tree_size = 0;
  merkle::Hash root_hash{};
  std::string timestamp;  // RFC 3339, seconds, UTC
  std::string key_id;     // the ledger's system key
  std::string signature;  // raw 64 bytes
};

// JCS of the checkpoint without "sig", prefixed by the checkpoint domain
// separator: the bytes the system key signs.
std::string CheckpointSigningInput(const Checkpoint& checkpoint);
// JCS of the whole checkpoint, "sig" as base64 (stored and served form).
std::string CheckpointJson(const Checkpoint& checkpoint);
// Parses the JSON form; kDataLoss when malformed (it only ever comes from
// the store or a bundle).
Result<Checkpoint> ParseCheckpoint(std::string_view json);
// The SPEC §2.3 members of a served checkpoint answer that may hold more
// (GET /v1/checkpoint adds its C2SP forms); the others are ignored, and the
// signature covers only these.
Result<Checkpoint> ParseServedCheckpoint(std::string_view json);
Checkpoint SignCheckpoint(Checkpoint unsigned_checkpoint, const crypto::Ed25519PrivateKey& key);
bool VerifyCheckpoint(const Checkpoint& checkpoint, const crypto::Ed25519PublicKey& key);

}  // namespace fupin
