#include "replay/signatures.h"

#include "ledger/codec.h"
#include "ledger/event.h"
#include "ledger/event_key.h"

namespace fupin::replay {

namespace bj = boost::json;

// A key's stream holds its registrations and revocation: a handful.
inline constexpr std::size_t kKeyStreamLimit = 1000;

Result<PublicKeyText> RegisteredPublicKey(const LeafFields& leaf, std::string_view key_id) {
  const bj::value* body = leaf.event.if_contains("body");
  if (leaf.type != "key.registered" || body == nullptr || !body->is_object()) {
    return Status(ErrorCode::kNotFound, "not a key.registered record");
  }
  const bj::value* id = body->as_object().if_contains("key_id");
  const bj::value* key = body->as_object().if_contains("public_key");
  const bj::value* alg = body->as_object().if_contains("alg");
  if (id == nullptr || !id->is_string() || id->as_string() != key_id || key == nullptr ||
      !key->is_string() || alg == nullptr || !alg->is_string()) {
    return Status(ErrorCode::kNotFound, "not a registration of key " + std::string(key_id));
  }
  std::optional<KeyAlg> parsed = ParseKeyAlg(alg->as_string());
  if (!parsed) {
    return Status(ErrorCode::kNotFound,
                  "registration of key " + std::string(key_id) + " names an unknown alg");
  }
  return PublicKeyText{*parsed, std::string(key->as_string())};
}

Result<bool> VerifyEventSignature(const LeafFields& leaf, const PublicKeyText& key) {
  Result<Envelope> envelope = ParseEnvelope(leaf.event);
  if (!envelope.ok()) {
    return Status(ErrorCode::kDataLoss, "event: " + envelope.status().message());
  }
  Result<std::string> raw = Base64Decode(key.b64);
  std::optional<bool> valid = raw.ok()
                                  ? crypto::VerifyEventSignatureWithThreadCache(
                                        key.alg, *raw, envelope->signing_input, envelope->signature)
                                  : std::nullopt;
  if (!valid) {
    return Status(ErrorCode::kDataLoss,
                  "public key: not a valid " + std::string(KeyAlgName(key.alg)) + " key");
  }
  return *valid;
}

Status KeyRegistry::Load(std::string_view key_id) {
  std::map<uint64_t, PublicKeyText> found;
  FUPIN_ASSIGN_OR_RETURN(std::vector<StreamEntry> entries,
                         ledger_.ReadStream("key:" + std::string(key_id), 1, kKeyStreamLimit));
  for (const StreamEntry& entry : entries) {
    FUPIN_ASSIGN_OR_RETURN(LeafFields leaf, ParseLeaf(entry.record.leaf_data));
    Result<PublicKeyText> key = RegisteredPublicKey(leaf, key_id);
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
  const std::map<uint64_t, PublicKeyText>& regs = it->second;
  auto after = regs.upper_bound(seq);
  if (after == regs.begin()) {
    return Status(ErrorCode::kNotFound,
                  "key " + std::string(key_id) + " not registered at seq " + std::to_string(seq));
  }
  --after;
  return RegisteredKey{std::string(key_id), after->second, after->first};
}

}  // namespace fupin::replay
