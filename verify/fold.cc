#include "verify/fold.h"

#include "ledger/codec.h"
#include "ledger/store_format.h"

namespace fupin::verify {
namespace {

// The scope genesis keys get (SPEC §2.4): every region.
inline constexpr std::string_view kWholeCountry = "000000";

bool IsKeyFailure(ErrorCode code) {
  switch (code) {
    case ErrorCode::kUnknownKey:
    case ErrorCode::kKeyRevoked:
    case ErrorCode::kKeyNotValid:
    case ErrorCode::kRoleNotAllowed:
    case ErrorCode::kOutOfScope:
    case ErrorCode::kNotOwnSupplier:
      return true;
    default:
      return false;
  }
}

const boost::json::string* StringField(const boost::json::object& body, std::string_view name) {
  const boost::json::value* v = body.if_contains(name);
  return v == nullptr ? nullptr : v->if_string();
}

// True when `name` is an array holding exactly the one string `only`.
bool IsSingleton(const boost::json::object& body, std::string_view name, std::string_view only) {
  const boost::json::value* v = body.if_contains(name);
  if (v == nullptr || !v->is_array() || v->get_array().size() != 1) return false;
  const boost::json::value& item = v->get_array()[0];
  return item.is_string() && item.get_string() == only;
}

}  // namespace

Result<const EntityState*> LogFold::View::Find(EntityKind kind, std::string_view id) const {
  store_format::AssignStateKey(static_cast<uint8_t>(kind), id, key_);
  auto it = states.find(key_);
  if (it == states.end()) return static_cast<const EntityState*>(nullptr);
  return &it->second.state;
}

const crypto::EventPublicKey* LogFold::KeyFor(const KeyState& state) {
  auto it = keys_.find(state.public_key);
  if (it != keys_.end()) return it->second.alg() == state.alg ? &it->second : nullptr;
  Result<crypto::EventPublicKey> key = crypto::EventPublicKey::FromRaw(state.alg, state.public_key);
  if (!key.ok()) return nullptr;
  return &keys_.emplace(state.public_key, std::move(key).value()).first->second;
}

// Seq 0 and 1 (SPEC §2.4): key.registered of the system key, self-signed,
// then of the admin key, signed by the system key; both role-only, scope
// 000000. They are trusted by the ledger rather than validated, so they
// are checked here against exactly that shape.
FoldOutcome LogFold::Genesis(uint64_t seq, const Envelope& envelope) {
  FoldOutcome out;
  auto fail = [&](std::string why) {
    out.failure.emplace(FailureKind::kEventInvalid,
                        "genesis record " + std::to_string(seq) + ": " + std::move(why));
    return out;
  };
  out.signer = &system_signer_;
  if (envelope.type != "key.registered") return fail("is not a key.registered");
  if (envelope.key_id != identity_.system_key_id) return fail("is not signed by the system key");
  const boost::json::string* key_id = StringField(envelope.body, "key_id");
  const boost::json::string* public_b64 = StringField(envelope.body, "public_key");
  if (key_id == nullptr || public_b64 == nullptr) return fail("lacks key_id or public_key");
  // The system key (seq 0) is Ed25519; the admin key (seq 1) either kind.
  const boost::json::string* alg_name = StringField(envelope.body, "alg");
  const std::optional<KeyAlg> alg = alg_name != nullptr ? ParseKeyAlg(*alg_name) : std::nullopt;
  if (!alg || (seq == 0 && *alg != KeyAlg::kEd25519)) return fail("names no usable alg");
  Result<crypto::EventPublicKey> parsed = crypto::EventPublicKey::FromBase64(*alg, *public_b64);
  if (!parsed.ok()) return fail("public_key is not a key of its alg");
  const std::string* raw = &parsed->raw();
  // Only seq 0 names the log's hash, and it is the one the log is read with.
  const boost::json::value* hash = envelope.body.if_contains("hash");
  if (seq == 1 && hash != nullptr) return fail("names a hash (only seq 0 does)");
  // No member means SHA-256, as LogHashOfGenesis reads it.
  const std::optional<merkle::HashAlg> declared =
      hash == nullptr     ? std::optional(merkle::HashAlg::kSha256)
      : hash->is_string() ? crypto::HashAlgFromName(hash->get_string())
                          : std::nullopt;
  if (seq == 0 && declared != identity_.hash) {
    return fail("names another hash than the log is read with");
  }
  const std::string_view role = seq == 0 ? "system" : "admin";
  if (!IsSingleton(envelope.body, "roles", role) ||
      !IsSingleton(envelope.body, "regions", kWholeCountry)) {
    return fail("must grant exactly role " + std::string(role) + " over 000000");
  }
  if (seq == 0 && (*key_id != identity_.system_key_id || *raw != identity_.system_key.raw())) {
    return fail("does not register the system key of meta");
  }
  KeyState key;
  key.alg = *alg;
  key.public_key = *raw;
  key.roles = seq == 0 ? kRoleSystem : kRoleAdmin;
  key.regions = {std::string(kWholeCountry)};
  out.validated.stream = "key:" + std::string(*key_id);
  out.validated.references = {out.validated.stream};
  out.validated.writes.push_back({EntityKind::kKey, std::string(*key_id), std::move(key)});
  return out;
}

FoldOutcome LogFold::Apply(uint64_t seq, const Envelope& envelope, int64_t recorded_ms) {
  FoldOutcome out;
  if (seq < 2) {
    out = Genesis(seq, envelope);
  } else {
    Result<const KeyState*> signer = FindEntity<KeyState>(view_, EntityKind::kKey, envelope.key_id);
    if (!signer.ok() || *signer == nullptr) {
      out.failure.emplace(
          FailureKind::kEventKey,
          "key \"" + envelope.key_id + "\" is not registered before seq " + std::to_string(seq));
    } else {
      out.signer = KeyFor(**signer);
      Result<ValidatedEvent> validated = ValidateEvent(envelope, **signer, recorded_ms, view_);
      if (validated.ok()) {
        out.validated = std::move(validated).value();
      } else {
        out.failure.emplace(IsKeyFailure(validated.status().code()) ? FailureKind::kEventKey
                                                                    : FailureKind::kEventInvalid,
                            validated.status().ToString());
      }
    }
    if (out.failure) {
      // What the stream would be, so later records of it are still chained.
      Result<std::string> stream = DeriveStream(envelope);
      if (stream.ok()) out.validated.stream = std::move(stream).value();
    }
  }
  if (!out.failure) {
    for (StateWrite& write : out.validated.writes) {
      std::string key = store_format::StateKey(static_cast<uint8_t>(write.kind), write.id);
      view_.states.insert_or_assign(std::move(key), Held{std::move(write.state), seq});
    }
    out.validated.writes.clear();
  }
  return out;
}

}  // namespace fupin::verify
