// ParseEnvelope: the envelope schema of SPEC §2.1 and the two canonical
// byte strings of an event, built in one pass.
#include "ledger/event.h"

#include <array>
#include <memory>
#include <utility>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/crypto.h"
#include "ledger/event_types.h"
#include "ledger/gm_crypto.h"
#include "ledger/time.h"

namespace fupin {
namespace {

// A key id is looked up in the key registry, whose ids are at most 64
// characters; 128 refuses absurd input early while leaving room to report
// the lookup failure (kUnknownKey) instead of a schema error.
inline constexpr std::size_t kMaxKeyIdLength = 128;
// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
inline constexpr std::size_t kUuidLength = 36;

// The envelope's members, already in canonical (RFC 8785) order: all ASCII,
// so sorting by UTF-16 code units is plain byte order. "sig" is the only
// member left out of the signed form.
inline constexpr std::array<std::string_view, 8> kMembers = {
    "body", "expected_version", "id", "key", "occurred_at", "sig", "type", "v"};
enum Member : std::size_t { kBody, kExpectedVersion, kId, kKey, kOccurredAt, kSig, kType, kV };

Status Malformed(std::string message) {
  return Status(ErrorCode::kMalformedEvent, std::move(message));
}

// The signature's form is checked here, its algorithm only against the
// signer's key: 64 bytes (Ed25519), or what can be a DER SEQUENCE of two
// INTEGERs of at most kSm2MaxSignatureSize bytes (SM2, docs/format.md) --
// a SEQUENCE tag and a short-form length covering the rest. Anything else
// can verify under no key.
bool IsSignatureShaped(std::string_view signature) {
  if (signature.size() == crypto::kEd25519SignatureSize) return true;
  // SEQUENCE header (2) + two INTEGERs of at least one byte (3 each).
  constexpr std::size_t kMinDer = 8;
  return signature.size() >= kMinDer && signature.size() <= crypto::kSm2MaxSignatureSize &&
         signature[0] == 0x30 && static_cast<uint8_t>(signature[1]) == signature.size() - 2;
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// 8-4-4-4-12 lower-case hex digits; the version and variant nibbles are
// not checked, since clients choose ids and any unique value serves as the
// idempotency key.
bool IsLowerCaseUuid(std::string_view id) {
  if (id.size() != kUuidLength) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? id[i] != '-' : !IsLowerHex(id[i])) return false;
  }
  return true;
}

std::string_view View(const boost::json::string& s) { return {s.data(), s.size()}; }

// Finds each envelope member by name; refuses any other member.
Status CollectMembers(const boost::json::object& event,
                      std::array<const boost::json::value*, kMembers.size()>& found) {
  found.fill(nullptr);
  for (const auto& member : event) {
    const std::string_view key = member.key();
    bool known = false;
    for (std::size_t i = 0; i < kMembers.size() && !known; ++i) {
      if (kMembers[i] == key) {
        found[i] = &member.value();
        known = true;
      }
    }
    if (!known) return Malformed("unknown envelope member \"" + std::string(key) + "\"");
  }
  for (std::size_t i = 0; i < kMembers.size(); ++i) {
    if (found[i] == nullptr && i != kExpectedVersion) {
      return Malformed("envelope member \"" + std::string(kMembers[i]) + "\" is missing");
    }
  }
  return Status::Ok();
}

Result<std::string_view> StringMember(const boost::json::value& v, std::string_view name) {
  const boost::json::string* s = v.if_string();
  if (s == nullptr) return Malformed(std::string(name) + ": must be a string");
  return View(*s);
}

// Reads every envelope field except the body/event copies and the
// canonical forms.
Status ReadFields(const std::array<const boost::json::value*, kMembers.size()>& m, Envelope& out) {
  FUPIN_ASSIGN_OR_RETURN(std::string_view id, StringMember(*m[kId], "id"));
  if (!IsLowerCaseUuid(id)) return Malformed("id: must be a lower-case UUID");
  out.id.assign(id);

  FUPIN_ASSIGN_OR_RETURN(std::string_view type, StringMember(*m[kType], "type"));
  out.type.assign(type);
  const int64_t* v = m[kV]->if_int64();
  if (v == nullptr) return Malformed("v: must be an integer");
  out.v = *v;

  FUPIN_ASSIGN_OR_RETURN(std::string_view occurred_at,
                         StringMember(*m[kOccurredAt], "occurred_at"));
  Result<int64_t> occurred_ms = ParseRfc3339Millis(occurred_at);
  if (!occurred_ms.ok()) {
    return Malformed("occurred_at: must be an RFC 3339 timestamp with offset");
  }
  out.occurred_at.assign(occurred_at);
  out.occurred_at_ms = *occurred_ms;

  FUPIN_ASSIGN_OR_RETURN(std::string_view key, StringMember(*m[kKey], "key"));
  if (key.empty() || key.size() > kMaxKeyIdLength) {
    return Malformed("key: must be a key id of 1 to 128 characters");
  }
  out.key_id.assign(key);

  if (m[kExpectedVersion] != nullptr) {
    const int64_t* expected = m[kExpectedVersion]->if_int64();
    if (expected == nullptr || *expected < 0) {
      return Malformed("expected_version: must be a non-negative integer");
    }
    out.expected_version = *expected;
  }

  if (!m[kBody]->is_object()) return Malformed("body: must be an object");

  FUPIN_ASSIGN_OR_RETURN(std::string_view sig, StringMember(*m[kSig], "sig"));
  Result<std::string> signature = Base64Decode(sig);
  if (!signature.ok() || !IsSignatureShaped(*signature)) {
    return Malformed(
        "sig: must be base64 of a 64-byte Ed25519 signature or of a DER SM2 signature");
  }
  out.signature = std::move(signature).value();

  // Checked last so that a malformed envelope is reported as such even
  // when its type is also unknown.
  if (!IsKnownEventType(out.type) || out.v != kCatalogVersion) {
    return Status(ErrorCode::kUnknownEventType,
                  "unknown event type " + out.type + " v" + std::to_string(out.v));
  }
  return Status::Ok();
}

// JCS of the event (members in kMembers order) and, with the "sig" member
// cut out, the signed bytes; one serialization serves both.
void BuildCanonicalForms(const std::array<const boost::json::value*, kMembers.size()>& m,
                         Envelope& out) {
  std::string& canonical = out.canonical;
  std::size_t sig_begin = 0;
  std::size_t sig_end = 0;
  canonical += '{';
  bool first = true;
  for (std::size_t i = 0; i < kMembers.size(); ++i) {
    if (m[i] == nullptr) continue;
    if (i == kSig) sig_begin = canonical.size();
    if (!first) canonical += ',';
    canonical += '"';
    canonical += kMembers[i];
    canonical += "\":";
    json::AppendCanonical(*m[i], canonical);
    if (i == kSig) sig_end = canonical.size();
    first = false;
  }
  canonical += '}';
  // "body" always precedes "sig", so the cut never leaves a leading comma.
  out.signing_input.reserve(kEventSignaturePrefix.size() + canonical.size() -
                            (sig_end - sig_begin));
  out.signing_input += kEventSignaturePrefix;
  out.signing_input.append(canonical, 0, sig_begin);
  out.signing_input.append(canonical, sig_end);
}

// Everything of the envelope but its body, which the callers copy or move.
Result<Envelope> ParseMembers(const boost::json::object& event) {
  Envelope out;
  std::array<const boost::json::value*, kMembers.size()> members{};
  FUPIN_RETURN_IF_ERROR(CollectMembers(event, members));
  FUPIN_RETURN_IF_ERROR(ReadFields(members, out));
  BuildCanonicalForms(members, out);
  return out;
}

}  // namespace

bool IsKnownEventType(std::string_view type) { return ParseEventType(type).has_value(); }

Result<Envelope> ParseEnvelope(std::string_view json_text) {
  FUPIN_ASSIGN_OR_RETURN(boost::json::object parsed, json::ParseStrictObject(json_text));
  return ParseEnvelope(std::move(parsed));
}

Result<Envelope> ParseEnvelope(const boost::json::object& event) {
  Result<Envelope> out = ParseMembers(event);
  if (out.ok()) out->body = event.at("body").get_object();
  return out;
}

Result<Envelope> ParseEnvelope(boost::json::object&& event) {
  Result<Envelope> out = ParseMembers(event);
  if (!out.ok()) return out;
  // The body is move-constructed, not assigned: it keeps the storage it was
  // parsed into (an assignment across storages would copy it).
  boost::json::object& parsed_body = event.at("body").get_object();  // checked by ParseMembers
  boost::json::object& body = out->body;
  std::destroy_at(&body);
  std::construct_at(&body, std::move(parsed_body));
  return out;
}

}  // namespace fupin
