#include "witness/witness_state.h"

#include <boost/json/object.hpp>
#include <cstring>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/file_io.h"

namespace fupin::witness {
namespace {

// Bumped if the file's shape ever changes.
inline constexpr int64_t kStateVersion = 1;

Status Corrupt(const std::string& path, std::string_view what) {
  return Status(ErrorCode::kDataLoss, "witness state " + path + ": " + std::string(what));
}

std::string Encode(const std::map<std::string, CosignedHead, std::less<>>& logs) {
  boost::json::object entries;
  for (const auto& [origin, head] : logs) {
    boost::json::object entry;
    entry["size"] = static_cast<int64_t>(head.size);
    entry["root"] = Base64Encode(
        std::string_view(reinterpret_cast<const char*>(head.root.data()), head.root.size()));
    entries[origin] = std::move(entry);
  }
  boost::json::object root;
  root["version"] = kStateVersion;
  root["logs"] = std::move(entries);
  return json::Canonicalize(root) + "\n";
}

}  // namespace

Result<WitnessState> WitnessState::Load(std::string path) {
  WitnessState state(path);
  Result<std::string> bytes = ReadFileBytes(path);
  if (!bytes.ok()) {
    if (bytes.status().code() == ErrorCode::kNotFound) return state;
    return bytes.status();
  }
  Result<boost::json::object> root = json::ParseStrictObject(*bytes);
  if (!root.ok()) return Corrupt(path, root.status().message());
  const boost::json::value* version = root->if_contains("version");
  const boost::json::value* logs = root->if_contains("logs");
  if (version == nullptr || !version->is_int64() || version->get_int64() != kStateVersion ||
      logs == nullptr || !logs->is_object()) {
    return Corrupt(path, "not a version 1 state");
  }
  for (const auto& [origin, value] : logs->get_object()) {
    const boost::json::object* entry = value.if_object();
    const boost::json::value* size = entry ? entry->if_contains("size") : nullptr;
    const boost::json::value* root_hash = entry ? entry->if_contains("root") : nullptr;
    if (size == nullptr || !size->is_int64() || size->get_int64() < 0 || root_hash == nullptr ||
        !root_hash->is_string()) {
      return Corrupt(path, "entry of " + std::string(origin) + " is malformed");
    }
    CosignedHead head;
    head.size = static_cast<uint64_t>(size->get_int64());
    Result<std::string> raw = Base64Decode(root_hash->get_string());
    if (!raw.ok() || raw->size() != head.root.size()) {
      return Corrupt(path, "root of " + std::string(origin) + " is not 32 bytes of base64");
    }
    std::memcpy(head.root.data(), raw->data(), head.root.size());
    state.logs_.emplace(std::string(origin), head);
  }
  return state;
}

std::optional<CosignedHead> WitnessState::Latest(std::string_view origin) const {
  auto it = logs_.find(origin);
  if (it == logs_.end()) return std::nullopt;
  return it->second;
}

Status WitnessState::Update(const std::string& origin, const CosignedHead& head) {
  std::map<std::string, CosignedHead, std::less<>> next = logs_;
  next[origin] = head;
  FUPIN_RETURN_IF_ERROR(WriteFileDurably(path_, Encode(next), 0600));
  logs_ = std::move(next);
  return Status::Ok();
}

}  // namespace fupin::witness
