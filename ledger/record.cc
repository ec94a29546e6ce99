#include "ledger/record.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cereal/archives/binary.hpp>
#include <cereal/types/array.hpp>
#include <cereal/types/string.hpp>
#include <cstring>
#include <sstream>
#include <tuple>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/event.h"
#include "ledger/time.h"

namespace fupin {
namespace {

// cereal layout of a stored record, version kStoredRecordVersion:
// u32 version, u64 seq, string leaf_data, 32-byte leaf_hash.
struct StoredRecordV1 {
  uint32_t version = kStoredRecordVersion;
  uint64_t seq = 0;
  std::string leaf_data;
  merkle::Hash leaf_hash{};

  template <class Archive>
  void serialize(Archive& ar) {
    ar(version, seq, leaf_data, leaf_hash);
  }
};

}  // namespace

std::string BuildLeafData(const RecordHeader& header, std::string_view canonical_event) {
  boost::json::object rest;
  rest["prev_stream_hash"] = header.prev_stream_hash;
  rest["recorded_at"] = header.recorded_at;
  rest["seq"] = static_cast<int64_t>(header.seq);
  rest["stream"] = header.stream;
  rest["stream_version"] = static_cast<int64_t>(header.stream_version);
  std::string tail = json::Canonicalize(rest);
  // "event" sorts before every other member name, so the canonical record
  // is the event spliced in front of the canonical remainder.
  std::string out;
  out.reserve(canonical_event.size() + tail.size() + 16);
  out += "{\"event\":";
  out += canonical_event;
  out += ',';
  out.append(tail, 1, std::string::npos);
  return out;
}

std::string EncodeStoredRecord(const StoredRecord& record) {
  StoredRecordV1 v1{kStoredRecordVersion, record.seq, record.leaf_data, record.leaf_hash};
  std::ostringstream out(std::ios::binary);
  {
    cereal::BinaryOutputArchive archive(out);
    archive(v1);
  }
  return std::move(out).str();
}

namespace {

// The cereal binary layout of StoredRecordV1 in the host's byte order
// (as cereal writes it): u32 version | u64 seq | u64 n | n bytes | 32 bytes.
constexpr std::size_t kStoredHead = sizeof(uint32_t) + 2 * sizeof(uint64_t);
constexpr std::size_t kStoredHash = std::tuple_size_v<merkle::Hash>;

}  // namespace

Result<StoredRecord> DecodeStoredRecord(std::string_view bytes) {
  // cereal sizes a string to its stored length before reading it: a
  // damaged length would allocate up to 2^64 bytes (std::length_error or
  // std::bad_alloc, not a cereal::Exception). No leaf is longer than the
  // bytes that hold it.
  if (bytes.size() >= kStoredHead) {
    uint64_t size = 0;
    std::memcpy(&size, bytes.data() + sizeof(uint32_t) + sizeof(uint64_t), sizeof(size));
    if (size > bytes.size() - kStoredHead) {
      return Status(ErrorCode::kDataLoss, "stored record undecodable: its leaf data length " +
                                              std::to_string(size) + " exceeds its " +
                                              std::to_string(bytes.size()) + " bytes");
    }
  }
  StoredRecordV1 v1;
  try {
    std::istringstream in(std::string(bytes), std::ios::binary);
    cereal::BinaryInputArchive archive(in);
    archive(v1);
    if (in.peek() != std::char_traits<char>::eof()) {
      return Status(ErrorCode::kDataLoss, "stored record has trailing bytes");
    }
  } catch (const cereal::Exception& e) {
    return Status(ErrorCode::kDataLoss, std::string("stored record undecodable: ") + e.what());
  }
  if (v1.version != kStoredRecordVersion) {
    return Status(ErrorCode::kDataLoss,
                  "stored record of unknown version " + std::to_string(v1.version));
  }
  return StoredRecord{v1.seq, std::move(v1.leaf_data), v1.leaf_hash};
}

static_assert(kStoredRecordVersion == 1,
              "stored record layout changed: teach ViewStoredRecord the new version");

Result<StoredRecordView> ViewStoredRecord(std::string_view bytes) {
  constexpr std::size_t kHead = kStoredHead;
  constexpr std::size_t kHash = kStoredHash;
  uint32_t version = 0;
  uint64_t size = 0;
  if (bytes.size() >= kHead + kHash) {
    std::memcpy(&version, bytes.data(), sizeof(version));
    std::memcpy(&size, bytes.data() + sizeof(uint32_t) + sizeof(uint64_t), sizeof(size));
  }
  if (bytes.size() < kHead + kHash || version != kStoredRecordVersion ||
      size != bytes.size() - kHead - kHash) {
    // Not the layout: the full decoder says precisely why.
    FUPIN_RETURN_IF_ERROR(DecodeStoredRecord(bytes).status());
    return Status(ErrorCode::kDataLoss, "stored record layout not understood");
  }
  StoredRecordView view;
  std::memcpy(&view.seq, bytes.data() + sizeof(uint32_t), sizeof(view.seq));
  view.leaf_data = bytes.substr(kHead, size);
  std::memcpy(view.leaf_hash.data(), bytes.data() + kHead + size, kHash);
  return view;
}

std::string RecordJson(const StoredRecord& record) {
  std::string out;
  out.reserve(record.leaf_data.size() + 80);
  // The leaf data is a JSON object: drop its closing brace and append.
  out.append(record.leaf_data, 0, record.leaf_data.size() - 1);
  out += ",\"leaf_hash\":\"";
  out += HexEncode(record.leaf_hash);
  out += "\"}";
  return out;
}

namespace {

boost::json::object CheckpointObject(const Checkpoint& checkpoint) {
  boost::json::object object;
  object["log_id"] = checkpoint.log_id;
  object["tree_size"] = static_cast<int64_t>(checkpoint.tree_size);
  object["root_hash"] = HexEncode(checkpoint.root_hash);
  object["timestamp"] = checkpoint.timestamp;
  object["key"] = checkpoint.key_id;
  if (checkpoint.hash != crypto::HashAlg::kSha256) {
    object["hash"] = crypto::HashAlgName(checkpoint.hash);
  }
  return object;
}

}  // namespace

std::string CheckpointSigningInput(const Checkpoint& checkpoint) {
  std::string out(kCheckpointSignaturePrefix);
  out += json::Canonicalize(CheckpointObject(checkpoint));
  return out;
}

std::string CheckpointJson(const Checkpoint& checkpoint) {
  boost::json::object object = CheckpointObject(checkpoint);
  object["sig"] = Base64Encode(checkpoint.signature);
  return json::Canonicalize(object);
}

namespace {

// The checkpoint in `object`, which holds exactly its six members (seven
// with "hash") unless `other_members` allows more.
Result<Checkpoint> CheckpointOf(const boost::json::object& object, bool other_members) {
  auto str = [&](const char* name) -> const boost::json::string* {
    const boost::json::value* v = object.if_contains(name);
    return v == nullptr ? nullptr : v->if_string();
  };
  const boost::json::value* size = object.if_contains("tree_size");
  const boost::json::string* log_id = str("log_id");
  const boost::json::string* root = str("root_hash");
  const boost::json::string* timestamp = str("timestamp");
  const boost::json::string* key = str("key");
  const boost::json::string* sig = str("sig");
  // "sha256" is never written (its absence says it), so it is refused:
  // accepting it would let two byte forms carry one signature.
  const boost::json::value* hash = object.if_contains("hash");
  const bool sm3 = hash != nullptr && hash->is_string() && hash->get_string() == "sm3";
  if (hash != nullptr && !sm3) {
    return Status(ErrorCode::kDataLoss, "checkpoint: \"hash\" must be \"sm3\" when present");
  }
  const std::size_t members = sm3 ? 7 : 6;
  if ((!other_members && object.size() != members) || size == nullptr || !size->is_int64() ||
      size->get_int64() < 0 || log_id == nullptr || root == nullptr || timestamp == nullptr ||
      key == nullptr || sig == nullptr) {
    return Status(ErrorCode::kDataLoss, "checkpoint: fields missing or wrong");
  }
  Result<std::string> root_bytes = HexDecode(*root);
  Result<std::string> sig_bytes = Base64Decode(*sig);
  if (!root_bytes.ok() || root_bytes->size() != merkle::Hash().size() || !sig_bytes.ok()) {
    return Status(ErrorCode::kDataLoss, "checkpoint: bad root_hash or sig");
  }
  Checkpoint checkpoint;
  checkpoint.log_id = std::string(*log_id);
  checkpoint.tree_size = static_cast<uint64_t>(size->get_int64());
  std::copy(root_bytes->begin(), root_bytes->end(), checkpoint.root_hash.begin());
  checkpoint.timestamp = std::string(*timestamp);
  checkpoint.key_id = std::string(*key);
  checkpoint.signature = std::move(sig_bytes).value();
  checkpoint.hash = sm3 ? crypto::HashAlg::kSm3 : crypto::HashAlg::kSha256;
  return checkpoint;
}

Result<Checkpoint> ParseCheckpointObject(std::string_view text, bool other_members) {
  Result<boost::json::object> parsed = json::ParseStrictObject(text);
  if (!parsed.ok()) {
    return Status(ErrorCode::kDataLoss, "checkpoint: " + parsed.status().ToString());
  }
  return CheckpointOf(*parsed, other_members);
}

}  // namespace

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  return ParseCheckpointObject(text, /*other_members=*/false);
}

Result<Checkpoint> ParseServedCheckpoint(std::string_view text) {
  return ParseCheckpointObject(text, /*other_members=*/true);
}

Checkpoint SignCheckpoint(Checkpoint checkpoint, const crypto::Ed25519PrivateKey& key) {
  checkpoint.signature = key.Sign(CheckpointSigningInput(checkpoint));
  return checkpoint;
}

bool VerifyCheckpoint(const Checkpoint& checkpoint, const crypto::Ed25519PublicKey& key) {
  return key.Verify(CheckpointSigningInput(checkpoint), checkpoint.signature);
}

Result<int64_t> RecordedAtMillis(std::string_view leaf_data, uint64_t seq) {
  Result<boost::json::object> leaf = json::ParseStrictObject(leaf_data);
  const boost::json::value* at = leaf.ok() ? leaf->if_contains("recorded_at") : nullptr;
  Result<int64_t> ms = at != nullptr && at->is_string()
                           ? ParseRfc3339Millis(at->get_string())
                           : Result<int64_t>(Status(ErrorCode::kInvalidField, "missing"));
  if (!ms.ok()) {
    return Status(ErrorCode::kDataLoss,
                  "leaf data: recorded_at of seq " + std::to_string(seq) + " is unreadable");
  }
  return *ms;
}

Result<crypto::HashAlg> LogHashOfGenesis(std::string_view seq0_leaf_data) {
  Result<boost::json::object> leaf = json::ParseStrictObject(seq0_leaf_data);
  const boost::json::value* event = leaf.ok() ? leaf->if_contains("event") : nullptr;
  const boost::json::value* body =
      event != nullptr && event->is_object() ? event->get_object().if_contains("body") : nullptr;
  if (body == nullptr || !body->is_object()) {
    return Status(ErrorCode::kDataLoss, "leaf data of seq 0 has no event body");
  }
  const boost::json::value* hash = body->get_object().if_contains("hash");
  if (hash == nullptr) return crypto::HashAlg::kSha256;
  std::optional<crypto::HashAlg> alg =
      hash->is_string() ? crypto::HashAlgFromName(hash->get_string()) : std::nullopt;
  if (!alg) {
    return Status(ErrorCode::kDataLoss, "seq 0 names the log's hash " +
                                            boost::json::serialize(*hash) +
                                            ", neither \"sha256\" nor \"sm3\"");
  }
  return *alg;
}

Result<StoredRecord> ParseRecordJson(const boost::json::object& served) {
  boost::json::object leaf = served;
  const boost::json::value* seq = leaf.if_contains("seq");
  const boost::json::value* hash = leaf.if_contains("leaf_hash");
  if (seq == nullptr || !seq->is_int64() || seq->get_int64() < 0 || hash == nullptr ||
      !hash->is_string()) {
    return Status(ErrorCode::kDataLoss, "a served record has no seq or leaf_hash");
  }
  StoredRecord record;
  record.seq = static_cast<uint64_t>(seq->get_int64());
  Result<merkle::Hash> leaf_hash = HexDecodeFixed<merkle::kHashSize>(hash->get_string());
  if (!leaf_hash.ok()) {
    return Status(ErrorCode::kDataLoss,
                  "record " + std::to_string(record.seq) + ": leaf_hash is not 32 hex bytes");
  }
  record.leaf_hash = *leaf_hash;
  leaf.erase("leaf_hash");
  record.leaf_data = json::Canonicalize(leaf);
  return record;
}

boost::json::array HexPathJson(const std::vector<merkle::Hash>& path) {
  boost::json::array out;
  out.reserve(path.size());
  for (const merkle::Hash& hash : path) out.emplace_back(HexEncode(hash));
  return out;
}

Result<std::vector<merkle::Hash>> ParseHexPath(const boost::json::value& path) {
  const boost::json::array* items = path.if_array();
  if (items == nullptr) return Status(ErrorCode::kDataLoss, "a path is not an array");
  std::vector<merkle::Hash> hashes;
  hashes.reserve(items->size());
  for (const boost::json::value& item : *items) {
    const boost::json::string* hex = item.if_string();
    Result<merkle::Hash> hash = hex != nullptr
                                    ? HexDecodeFixed<merkle::kHashSize>(*hex)
                                    : Result<merkle::Hash>(Status(ErrorCode::kDataLoss, ""));
    if (!hash.ok()) {
      return Status(ErrorCode::kDataLoss, "a path entry is not a 32-byte hex hash");
    }
    hashes.push_back(*hash);
  }
  return hashes;
}

}  // namespace fupin
