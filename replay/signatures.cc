#include "replay/signatures.h"

#include "ledger/crypto.h"
#include "ledger/event.h"

namespace fupin::replay {

namespace bj = boost::json;

// A key's stream holds its registrations and revocation: a handful.
inline constexpr std::size_t kKeyStreamLimit = 1000;

Result<std::string> RegisteredPublicKey(const LeafFields& leaf, std::string_view key_id) {
  const bj::value* body = leaf.event.if_contains("body");
  if (leaf.type != "key.registered" || body == nullptr || !body->is_object()) {
    return Status(ErrorCode::kNotFound, "not a key.registered record");
  }
  const bj::value* id = body->as_object().if_contains("key_id");
  const bj::value* key = body->as_object().if_contains("public_key");
  if (id == nullptr || !id->is_string() || id->as_string() != key_id || key == nullptr ||
      !key->is_string()) {
    return Status(ErrorCode::kNotFound, "not a registration of key " + std::string(key_id));
  }
  return std::string(key->as_string());
}

Result<bool> VerifyEventSignature(const LeafFields& leaf, std::string_view public_key_b64) {
  Result<Envelope> envelope = ParseEnvelope(leaf.event);
  if (!envelope.ok()) {
    return Status(ErrorCode::kDataLoss, "event: " + envelope.status().message());
  }
  Result<crypto::Ed25519PublicKey> key = crypto::Ed25519PublicKey::FromBase64(public_key_b64);
  if (!key.ok()) return Status(ErrorCode::kDataLoss, "public key: " + key.status().message());
  return key->Verify(envelope->signing_input, envelope->signature);
}

Status KeyRegistry::Load(std::string_view key_id) {
  std::map<uint64_t, std::string> found;
  FUPIN_ASSIGN_OR_RETURN(std::vector<StreamEntry> entries,
                         ledger_.ReadStream("key:" + std::string(key_id), 1, kKeyStreamLimit));
  for (const StreamEntry& entry : entries) {
    FUPIN_ASSIGN_OR_RETURN(LeafFields leaf, ParseLeaf(entry.record.leaf_data));
    Result<std::string> key = RegisteredPublicKey(leaf, key_id);
    if (key.ok()) found.emplace(leaf.seq, std::move(key).value());
  }
  registrations_.emplace(std::string(key_id), std::move(found));
  return Status::Ok();
}

Result<RegisteredKey> KeyRegistry::KeyAt(std::string_view key_id, uint64_t seq) {
  auto it = registrations_.find(key_id);
  if (it == registrations_.end()) {
    FUPIN_RETURN_IF_ERROR(Load(key_id));
    it = registrations_.find(key_id);
  }
  const std::map<uint64_t, std::string>& regs = it->second;
  auto after = regs.upper_bound(seq);
  if (after == regs.begin()) {
    return Status(ErrorCode::kNotFound,
                  "key " + std::string(key_id) + " not registered at seq " + std::to_string(seq));
  }
  --after;
  return RegisteredKey{std::string(key_id), after->second, after->first};
}

}  // namespace fupin::replay
