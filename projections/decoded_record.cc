#include "projections/decoded_record.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <utility>

#include "ledger/crypto.h"
#include "ledger/time.h"
#include "projections/leaf_split.h"

namespace fupin::projections {
namespace {

Status Corrupt(std::string_view what) {
  return Status(ErrorCode::kDataLoss, "stored record: " + std::string(what));
}

const boost::json::string* StringMember(const boost::json::object& object, std::string_view name) {
  const boost::json::value* v = object.if_contains(name);
  return v != nullptr ? v->if_string() : nullptr;
}

// The header fields, from their text.
Status FillHeader(uint64_t seq, std::string_view type, std::string_view occurred_at,
                  std::string_view stream, std::string_view key, DecodedRecord& out) {
  out.seq = seq;
  std::optional<EventType> parsed_type = ParseEventType(type);
  if (!parsed_type) {
    return Corrupt("seq " + std::to_string(seq) + " has unknown type " + std::string(type));
  }
  Result<int64_t> millis = ParseRfc3339Millis(occurred_at);
  if (!millis.ok()) return Corrupt("seq " + std::to_string(seq) + ": " + millis.status().message());
  out.type = *parsed_type;
  out.occurred_at_ms = *millis;
  out.occurred_day = ShanghaiDay(*millis);
  out.stream.assign(stream);
  out.key_id.assign(key);
  return Status::Ok();
}

// The whole-DOM path: reads everything but the body from the parsed leaf.
Status ReadHeader(const boost::json::object& leaf, DecodedRecord& out,
                  const boost::json::object*& body) {
  const boost::json::value* seq = leaf.if_contains("seq");
  if (seq == nullptr || !seq->is_int64() || seq->get_int64() < 0) {
    return Corrupt("no seq");
  }
  const boost::json::string* stream = StringMember(leaf, "stream");
  const boost::json::value* event_value = leaf.if_contains("event");
  if (stream == nullptr || event_value == nullptr || !event_value->is_object()) {
    return Corrupt("seq " + std::to_string(seq->get_int64()) + " has no stream or event");
  }
  const boost::json::object& event = event_value->get_object();
  const boost::json::string* type = StringMember(event, "type");
  const boost::json::string* occurred_at = StringMember(event, "occurred_at");
  const boost::json::string* key = StringMember(event, "key");
  const boost::json::value* body_value = event.if_contains("body");
  if (type == nullptr || occurred_at == nullptr || key == nullptr || body_value == nullptr ||
      !body_value->is_object()) {
    return Corrupt("seq " + std::to_string(seq->get_int64()) + " has an incomplete event");
  }
  body = &body_value->get_object();
  return FillHeader(static_cast<uint64_t>(seq->get_int64()), *type, *occurred_at, *stream, *key,
                    out);
}

// Genesis (SPEC §2.4): seq 0 registers the ledger's own key with role
// system, which the catalog parser refuses for every appended event (only
// genesis may grant it). Read that one record's fields directly.
Result<EventBody> DecodeGenesisKey(const boost::json::object& body) {
  const boost::json::string* key_id = StringMember(body, "key_id");
  const boost::json::string* public_b64 = StringMember(body, "public_key");
  const boost::json::value* regions = body.if_contains("regions");
  if (key_id == nullptr || public_b64 == nullptr || regions == nullptr || !regions->is_array()) {
    return Corrupt("seq 0 is not the genesis key registration");
  }
  Result<crypto::Ed25519PublicKey> key = crypto::Ed25519PublicKey::FromBase64(*public_b64);
  if (!key.ok()) return Corrupt("seq 0 has an invalid system public key");
  KeyRegistered e;
  e.key_id.assign(key_id->data(), key_id->size());
  e.public_key = key->raw();
  e.roles = kRoleSystem;
  for (const boost::json::value& region : regions->get_array()) {
    if (!region.is_string()) return Corrupt("seq 0 has an invalid scope");
    e.regions.emplace_back(region.get_string().data(), region.get_string().size());
  }
  return EventBody(std::move(e));
}

}  // namespace

namespace {

boost::json::parse_options TrustedRecordOptions() {
  boost::json::parse_options options;
  // The leaf bytes passed strict UTF-8 validation when the event was
  // appended (canonical_json.h); checking again would cost a fifth of the
  // parse.
  options.allow_invalid_utf8 = true;
  return options;
}

}  // namespace

RecordDecoder::RecordDecoder()
    : arena_(new unsigned char[kArenaBytes]), parser_({}, TrustedRecordOptions()) {}

Status RecordDecoder::ParseJson(std::string_view text, boost::json::monotonic_resource& arena,
                                std::optional<boost::json::value>& out) {
  parser_.reset(&arena);
  boost::system::error_code ec;
  parser_.write(text.data(), text.size(), ec);
  if (ec) return Corrupt("leaf data is not JSON: " + ec.message());
  // Constructed from the released value, so it keeps the arena; assigning
  // it to a value of another resource would copy it.
  out.emplace(parser_.release());
  if (!out->is_object()) return Corrupt("leaf data holds a non-object");
  return Status::Ok();
}

Status RecordDecoder::Decode(std::string_view leaf_data, DecodedRecord& out) {
  // The arena is rewound for every record: the DOM lives only while the
  // typed body is read out of it, and the value dies before the resource.
  boost::json::monotonic_resource arena(arena_.get(), kArenaBytes);
  std::optional<boost::json::value> parsed;
  const boost::json::object* body = nullptr;
  auto parse_body = [&](std::string_view text) -> std::size_t {
    parser_.reset(&arena);
    boost::system::error_code ec;
    const std::size_t taken = parser_.write_some(text.data(), text.size(), ec);
    if (ec) return 0;                   // write_some fails unless a complete value was read
    parsed.emplace(parser_.release());  // keeps the arena (see ParseJson)
    return parsed->is_object() ? taken : 0;
  };
  if (std::optional<LeafParts> parts = SplitLeaf(leaf_data, parse_body)) {
    // The usual path: the header fields are read in place, and only the
    // body went through the JSON parser.
    FUPIN_RETURN_IF_ERROR(
        FillHeader(parts->seq, parts->type, parts->occurred_at, parts->stream, parts->key, out));
    body = &parsed->get_object();
  } else {
    parsed.reset();
    FUPIN_RETURN_IF_ERROR(ParseJson(leaf_data, arena, parsed));
    FUPIN_RETURN_IF_ERROR(ReadHeader(parsed->get_object(), out, body));
  }
  FUPIN_ASSIGN_OR_RETURN(EventBody typed, DecodeBody(out.seq, out.type, *body));
  out.body = std::move(typed);
  return Status::Ok();
}

Result<EventBody> DecodeBody(uint64_t seq, EventType type, const boost::json::object& body) {
  Result<EventBody> typed = ParseEventBody(type, body);
  if (!typed.ok() && seq == 0 && type == EventType::kKeyRegistered) typed = DecodeGenesisKey(body);
  if (!typed.ok()) return Corrupt("seq " + std::to_string(seq) + ": " + typed.status().message());
  return typed;
}

}  // namespace fupin::projections
