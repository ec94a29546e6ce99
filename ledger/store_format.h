// The on-disk layout of the ledger's RocksDB database: column families and
// key/value encodings. Shared by the writer, the readers and verification
// so they can never disagree. Documented in docs/format.md ("Store").
//
// All integers in keys are big-endian so that RocksDB's bytewise order is
// numeric order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/merkle.h"

namespace fupin::store_format {

// Bumped when the layout changes incompatibly; stored in meta.
inline constexpr std::string_view kLayoutVersion = "1";

inline constexpr std::string_view kCfRecords = "records";  // seq -> StoredRecord
inline constexpr std::string_view kCfStreams = "streams";  // stream\0version -> seq, leaf hash
inline constexpr std::string_view kCfReferences = "references";    // entity\0seq -> ""
inline constexpr std::string_view kCfEventIds = "event_ids";       // id -> seq, content hash
inline constexpr std::string_view kCfMerkle = "merkle";            // level, index -> hash
inline constexpr std::string_view kCfCheckpoints = "checkpoints";  // tree size -> JSON
inline constexpr std::string_view kCfState = "state";              // kind, id -> EntityState
inline constexpr std::string_view kCfMeta = "meta";                // name -> value
inline constexpr std::string_view kCfProjections = "projections";  // owned by projections
inline constexpr std::string_view kCfAccessLog = "access_log";     // entry number -> JSON (api/)
// tree size -> the checkpoint as a C2SP signed note (tlog_checkpoint.h):
// the system key's signature, then the witnesses' cosignatures as gathered.
inline constexpr std::string_view kCfNotes = "notes";

// Meta entries.
inline constexpr std::string_view kMetaLayout = "layout_version";
inline constexpr std::string_view kMetaLogId = "log_id";
inline constexpr std::string_view kMetaSystemKeyId = "system_key_id";
inline constexpr std::string_view kMetaSystemPublicKey = "system_public_key";
// The C2SP origin (`init --origin`); a ledger without one has
// tlog::DefaultOrigin(log id).
inline constexpr std::string_view kMetaOrigin = "origin";
// Set in a mirror's data directory (Ledger::InitMirror): the source's URL.
inline constexpr std::string_view kMetaMirrorSource = "mirror_source";

// The system key's PEM file inside the data directory.
inline constexpr std::string_view kSystemKeyFile = "system-key.pem";
// The RocksDB database inside the data directory.
inline constexpr std::string_view kDbDir = "db";

std::string Uint64Key(uint64_t value);
std::optional<uint64_t> ParseUint64Key(std::string_view key);

std::string StreamKey(std::string_view stream, uint64_t version);
std::string StreamPrefix(std::string_view stream);  // stream + '\0'
// value: u64 seq + 32-byte leaf hash
std::string StreamValue(uint64_t seq, const merkle::Hash& leaf_hash);
bool ParseStreamValue(std::string_view value, uint64_t* seq, merkle::Hash* leaf_hash);

std::string ReferenceKey(std::string_view entity, uint64_t seq);
std::string ReferencePrefix(std::string_view entity);

// value: u64 seq + SHA-256 of the canonical event (content identity)
std::string EventIdValue(uint64_t seq, const crypto::Digest& content);
bool ParseEventIdValue(std::string_view value, uint64_t* seq, crypto::Digest* content);

std::string MerkleKey(merkle::NodeId id);

std::string StateKey(uint8_t kind, std::string_view id);
// The same into `out`, reusing its buffer (lookups in a hot loop).
void AssignStateKey(uint8_t kind, std::string_view id, std::string& out);

}  // namespace fupin::store_format
