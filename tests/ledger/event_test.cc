#include "ledger/event.h"

#include <gtest/gtest.h>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "ledger/event_types.h"
#include "tests/ledger/event_test_helpers.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

using event_test::MustParse;
using event_test::ParseObject;
using event_test::SeededKey;
using event_test::SignToJson;
using event_test::UnsignedEvent;

boost::json::object SaleBody() {
  return ParseObject(R"({"sale_id":"S-1","product_id":"P-1","outlet_id":"C-1",
      "quantity":2,"unit_price_fen":3500,"amount_fen":7000,"buyer_kind":"individual"})");
}

std::string SignedSale() {
  return SignToJson(UnsignedEvent("sale.recorded", SaleBody()), SeededKey(1));
}

// The signed sale as an object, to be altered by a test and re-serialized.
boost::json::object SignedSaleObject() { return boost::json::parse(SignedSale()).as_object(); }

ErrorCode CodeOf(const boost::json::object& event) {
  return ParseEnvelope(boost::json::serialize(event)).status().code();
}

TEST(EventEnvelopeTest, ContractVectorSigningInputMatchesByteForByte) {
  const boost::json::value vectors =
      boost::json::parse(testing::ReadFixture("contract-vectors.json"));
  const boost::json::object& vector = vectors.at("events").at(0).as_object();
  Result<Envelope> envelope = ParseEnvelope(boost::json::serialize(vector.at("signed")));
  ASSERT_TRUE(envelope.ok()) << envelope.status().ToString();
  EXPECT_EQ(envelope->signing_input, vector.at("signing_input_utf8").as_string());
  EXPECT_EQ(envelope->canonical, json::Canonicalize(vector.at("signed").as_object()));
  Result<crypto::Ed25519PublicKey> key =
      crypto::Ed25519PublicKey::FromBase64(vectors.at("ed25519_public_b64").as_string().c_str());
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(key->Verify(envelope->signing_input, envelope->signature));
}

TEST(EventEnvelopeTest, ReadsEveryEnvelopeField) {
  boost::json::object event = UnsignedEvent("sale.recorded", SaleBody(), "op-430102-01");
  event["expected_version"] = 12;
  const Envelope envelope = MustParse(SignToJson(event, SeededKey(1)));
  EXPECT_EQ(envelope.id, event_test::kTestUuid);
  EXPECT_EQ(envelope.type, "sale.recorded");
  EXPECT_EQ(envelope.v, 1);
  EXPECT_EQ(envelope.occurred_at, event_test::kOccurredAt);
  EXPECT_EQ(envelope.occurred_at_ms, 1599272100000);
  EXPECT_EQ(envelope.key_id, "op-430102-01");
  EXPECT_EQ(envelope.expected_version, 12);
  EXPECT_EQ(envelope.signature.size(), 64u);
  EXPECT_EQ(envelope.body, SaleBody());
  EXPECT_NE(envelope.canonical.find("\"sig\":\""), std::string::npos);
}

TEST(EventEnvelopeTest, SigningInputIsPrefixAndCanonicalFormWithoutSig) {
  boost::json::object event = UnsignedEvent("sale.recorded", SaleBody());
  event["expected_version"] = 0;
  const crypto::Ed25519PrivateKey key = SeededKey(2);
  const std::string signed_json = SignToJson(event, key);
  const Envelope envelope = MustParse(signed_json);
  EXPECT_EQ(envelope.signing_input, std::string(kEventSignaturePrefix) + json::Canonicalize(event));
  EXPECT_EQ(envelope.canonical, json::Canonicalize(boost::json::parse(signed_json).as_object()));
  EXPECT_TRUE(key.public_key().Verify(envelope.signing_input, envelope.signature));
}

TEST(EventEnvelopeTest, ParsesAnAlreadyParsedObjectAlike) {
  const std::string json = SignedSale();
  Result<Envelope> from_object = ParseEnvelope(boost::json::parse(json).as_object());
  ASSERT_TRUE(from_object.ok()) << from_object.status().ToString();
  EXPECT_EQ(from_object->canonical, MustParse(json).canonical);
  EXPECT_EQ(from_object->signing_input, MustParse(json).signing_input);
}

TEST(EventEnvelopeTest, TakesAParsedObjectOverAlikeKeepingItsStorage) {
  const std::string json = SignedSale();
  boost::json::storage_ptr storage =
      boost::json::make_shared_resource<boost::json::monotonic_resource>();
  boost::json::object event = boost::json::parse(json, storage).as_object();
  Result<Envelope> taken = ParseEnvelope(std::move(event));
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  EXPECT_EQ(taken->body.storage(), storage);
  const Envelope copied = MustParse(json);
  EXPECT_EQ(taken->body, copied.body);
  EXPECT_EQ(taken->canonical, copied.canonical);
  EXPECT_EQ(taken->signing_input, copied.signing_input);
}

TEST(EventEnvelopeTest, RejectsUpperCaseUuid) {
  boost::json::object event = SignedSaleObject();
  event["id"] = "0B5E2F4C-3D1A-4E8B-9C7D-2A1B3C4D5E6F";
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsUuidWithoutDashes) {
  boost::json::object event = SignedSaleObject();
  event["id"] = "0b5e2f4c3d1a4e8b9c7d2a1b3c4d5e6f";
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsMissingSig) {
  boost::json::object event = SignedSaleObject();
  event.erase("sig");
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsMissingId) {
  boost::json::object event = SignedSaleObject();
  event.erase("id");
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsSigOfWrongLength) {
  boost::json::object event = SignedSaleObject();
  event["sig"] = Base64Encode(std::string(63, 'x'));
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsSigThatIsNotBase64) {
  boost::json::object event = SignedSaleObject();
  std::string sig(event["sig"].as_string());
  sig[0] = '*';
  event["sig"] = sig;
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsUnknownMember) {
  boost::json::object event = SignedSaleObject();
  event["stream"] = "outlet:C-1";
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsOccurredAtWithoutOffset) {
  boost::json::object event = SignedSaleObject();
  event["occurred_at"] = "2020-09-05T10:15:00";
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsNegativeExpectedVersion) {
  boost::json::object event = SignedSaleObject();
  event["expected_version"] = -1;
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsExpectedVersionThatIsNotAnInteger) {
  boost::json::object event = SignedSaleObject();
  event["expected_version"] = "12";
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsBodyThatIsNotAnObject) {
  boost::json::object event = SignedSaleObject();
  event["body"] = boost::json::array{1, 2};
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsEmptyKey) {
  boost::json::object event = SignedSaleObject();
  event["key"] = "";
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsOverlongKey) {
  boost::json::object event = SignedSaleObject();
  event["key"] = std::string(129, 'k');
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsTypeThatIsNotAString) {
  boost::json::object event = SignedSaleObject();
  event["type"] = 7;
  EXPECT_EQ(CodeOf(event), ErrorCode::kMalformedEvent);
}

TEST(EventEnvelopeTest, RejectsUnknownType) {
  EXPECT_EQ(ParseEnvelope(SignToJson(UnsignedEvent("sale.cancelled", SaleBody()), SeededKey(1)))
                .status()
                .code(),
            ErrorCode::kUnknownEventType);
}

TEST(EventEnvelopeTest, RejectsVersionTwo) {
  boost::json::object event = UnsignedEvent("sale.recorded", SaleBody());
  event["v"] = 2;
  EXPECT_EQ(ParseEnvelope(SignToJson(event, SeededKey(1))).status().code(),
            ErrorCode::kUnknownEventType);
}

TEST(EventEnvelopeTest, RejectsJsonArray) {
  EXPECT_EQ(ParseEnvelope("[1,2]").status().code(), ErrorCode::kNotAnObject);
}

TEST(EventEnvelopeTest, RejectsTruncatedJson) {
  const std::string json = SignedSale();
  EXPECT_EQ(ParseEnvelope(std::string_view(json).substr(0, json.size() - 1)).status().code(),
            ErrorCode::kMalformedJson);
}

TEST(EventEnvelopeTest, RejectsFractionalNumberInBody) {
  const std::string json = SignedSale();
  std::string altered = json;
  const std::size_t at = altered.find("\"quantity\":2");
  ASSERT_NE(at, std::string::npos);
  altered.replace(at, 12, "\"quantity\":2.5");
  EXPECT_EQ(ParseEnvelope(altered).status().code(), ErrorCode::kNumberNotInteger);
}

TEST(EventEnvelopeTest, KnowsExactlyTheEighteenCatalogTypes) {
  int known = 0;
  for (std::size_t i = 0; i < kEventTypeCount; ++i) {
    const std::string_view name = EventTypeName(static_cast<EventType>(i));
    EXPECT_TRUE(IsKnownEventType(name)) << name;
    EXPECT_EQ(ParseEventType(name), static_cast<EventType>(i));
    ++known;
  }
  EXPECT_EQ(known, 18);
  EXPECT_FALSE(IsKnownEventType("sale.Recorded"));
  EXPECT_FALSE(IsKnownEventType(""));
}

}  // namespace
}  // namespace fupin
