// Helpers of the event, validation and entity-state tests: real signed
// envelopes built by hand (independently of ledger/signing.h) and an
// in-memory LedgerView.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/crypto.h"
#include "ledger/entity_state.h"
#include "ledger/event.h"

namespace fupin::event_test {

inline constexpr std::string_view kTestUuid = "0b5e2f4c-3d1a-4e8b-9c7d-2a1b3c4d5e6f";
inline constexpr std::string_view kOccurredAt = "2020-09-05T10:15:00+08:00";

// A deterministic Ed25519 key: 32 copies of `seed_byte`.
inline crypto::Ed25519PrivateKey SeededKey(uint8_t seed_byte) {
  Result<crypto::Ed25519PrivateKey> key = crypto::Ed25519PrivateKey::FromSeed(
      std::string(crypto::kEd25519SeedSize, static_cast<char>(seed_byte)));
  EXPECT_TRUE(key.ok()) << key.status().ToString();
  return std::move(key).value();
}

inline boost::json::object ParseObject(std::string_view json) {
  return boost::json::parse(json).as_object();
}

// An unsigned envelope with the usual members.
inline boost::json::object UnsignedEvent(std::string_view type, boost::json::object body,
                                         std::string_view key_id = "test-key") {
  boost::json::object event;
  event["id"] = kTestUuid;
  event["type"] = type;
  event["v"] = 1;
  event["occurred_at"] = kOccurredAt;
  event["key"] = key_id;
  event["body"] = std::move(body);
  return event;
}

// Adds "sig" over kEventSignaturePrefix + JCS(event) and returns the text.
inline std::string SignToJson(boost::json::object event, const crypto::Ed25519PrivateKey& key) {
  std::string message(kEventSignaturePrefix);
  message += json::Canonicalize(event);
  event["sig"] = Base64Encode(key.Sign(message));
  return boost::json::serialize(event);
}

inline Envelope MustParse(const std::string& json) {
  Result<Envelope> envelope = ParseEnvelope(json);
  EXPECT_TRUE(envelope.ok()) << envelope.status().ToString() << "\n" << json;
  return envelope.ok() ? std::move(envelope).value() : Envelope{};
}

// Entity state in a std::map; Apply() stores an event's writes, as the
// ledger does when it appends.
class FakeLedgerView : public LedgerView {
 public:
  Result<const EntityState*> Find(EntityKind kind, std::string_view id) const override {
    auto it = states_.find({kind, std::string(id)});
    if (it == states_.end()) return static_cast<const EntityState*>(nullptr);
    return &it->second;
  }
  void Put(EntityKind kind, std::string id, EntityState state) {
    states_[{kind, std::move(id)}] = std::move(state);
  }
  void Apply(const std::vector<StateWrite>& writes) {
    for (const StateWrite& w : writes) Put(w.kind, w.id, w.state);
  }

 private:
  std::map<std::pair<EntityKind, std::string>, EntityState> states_;
};

}  // namespace fupin::event_test
