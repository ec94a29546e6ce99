#include "ledger/canonical_json.h"

#include <gtest/gtest.h>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <string_view>

#include "tests/support/fixtures.h"

namespace fupin::json {
namespace {

// Signature prefix of SPEC §2.1, prepended to the canonical form.
inline constexpr std::string_view kEventPrefix = "fupin-ledger/event/v1\n";

boost::json::value ContractVectors() {
  const std::string text = testing::ReadFixture("contract-vectors.json");
  boost::json::error_code ec;
  boost::json::value vectors = boost::json::parse(text, ec);
  EXPECT_FALSE(ec) << ec.message();
  return vectors;
}

std::string StringAt(const boost::json::value& v, std::string_view pointer) {
  boost::json::error_code ec;
  const boost::json::value* found = v.find_pointer(pointer, ec);
  if (found == nullptr || !found->is_string()) {
    ADD_FAILURE() << "no string at " << pointer;
    return "";
  }
  return std::string(found->get_string());
}

// Canonical form of strictly parsed `text`; "<error>" if it does not parse.
std::string Canon(std::string_view text, const ParseLimits& limits = {}) {
  Result<boost::json::value> parsed = ParseStrict(text, limits);
  if (!parsed.ok()) {
    ADD_FAILURE() << "rejected " << text << ": " << parsed.status().ToString();
    return "<error>";
  }
  return Canonicalize(*parsed);
}

ErrorCode ParseCode(std::string_view text, const ParseLimits& limits = {}) {
  return ParseStrict(text, limits).status().code();
}

std::string ParseMessage(std::string_view text) { return ParseStrict(text).status().message(); }

void ExpectCanonicalVector(std::size_t index) {
  const boost::json::value vectors = ContractVectors();
  const boost::json::value& vector = vectors.at("canonical").at(index);
  const std::string expected(vector.at("canonical_utf8").get_string());
  EXPECT_EQ(Canonicalize(vector.at("input")), expected);
  // The same through the strict parser, from Boost's (non-canonical) text.
  EXPECT_EQ(Canon(boost::json::serialize(vector.at("input"))), expected);
}

// ---- Contract vectors (fixtures/contract-vectors.json) ----

TEST(CanonicalJsonVectors, SortedMembers) { ExpectCanonicalVector(0); }

TEST(CanonicalJsonVectors, NestedEscapesAndChinese) { ExpectCanonicalVector(1); }

TEST(CanonicalJsonVectors, ControlsEmojiAndMinSafeInteger) { ExpectCanonicalVector(2); }

TEST(CanonicalJsonVectors, EventSigningInput) {
  const boost::json::value vectors = ContractVectors();
  Result<boost::json::object> unsigned_event =
      ParseStrictObject(boost::json::serialize(vectors.at("events").at(0).at("unsigned")));
  ASSERT_TRUE(unsigned_event.ok()) << unsigned_event.status().ToString();
  EXPECT_EQ(std::string(kEventPrefix) + Canonicalize(*unsigned_event),
            StringAt(vectors, "/events/0/signing_input_utf8"));
}

TEST(CanonicalJsonVectors, SignedEventWithoutSigGivesSigningInput) {
  const boost::json::value vectors = ContractVectors();
  Result<boost::json::object> event =
      ParseStrictObject(boost::json::serialize(vectors.at("events").at(0).at("signed")));
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  event->erase("sig");
  EXPECT_EQ(std::string(kEventPrefix) + Canonicalize(*event),
            StringAt(vectors, "/events/0/signing_input_utf8"));
}

TEST(CanonicalJsonVectors, RecordLeafData) {
  const boost::json::value vectors = ContractVectors();
  Result<boost::json::object> record =
      ParseStrictObject(boost::json::serialize(vectors.at("records").at(0).at("record")));
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  record->erase("leaf_hash");
  EXPECT_EQ(Canonicalize(*record), StringAt(vectors, "/records/0/leaf_data_utf8"));
}

TEST(CanonicalJsonVectors, CanonicalFormsAreFixedPoints) {
  const boost::json::value vectors = ContractVectors();
  for (const boost::json::value& vector : vectors.at("canonical").as_array()) {
    const std::string canonical(vector.at("canonical_utf8").get_string());
    EXPECT_EQ(Canon(canonical), canonical);
  }
  EXPECT_EQ(Canon(StringAt(vectors, "/records/0/leaf_data_utf8")),
            StringAt(vectors, "/records/0/leaf_data_utf8"));
}

// ---- Canonical output ----

TEST(CanonicalJsonOutput, RemovesWhitespace) {
  EXPECT_EQ(Canon(" { \"a\" : [ 1 , true , false , null ] }\n"), R"({"a":[1,true,false,null]})");
}

TEST(CanonicalJsonOutput, ShortEscapesByName) {
  EXPECT_EQ(Canon(R"(["\b\t\n\f\r"])"), R"(["\b\t\n\f\r"])");
}

TEST(CanonicalJsonOutput, OtherControlsAsLowerCaseHex) {
  EXPECT_EQ(Canon(R"(["\u0000\u000B\u001A\u001f"])"), R"(["\u0000\u000b\u001a\u001f"])");
}

TEST(CanonicalJsonOutput, EscapesQuoteAndBackslashOnly) {
  EXPECT_EQ(Canon(R"(["\"\\\/'"])"), R"(["\"\\/'"])");
}

TEST(CanonicalJsonOutput, DeleteLineSeparatorAndNonAsciiStayRaw) {
  EXPECT_EQ(Canon(R"(["\u007f\u2028\u2029\u4e2d\ud83d\ude00"])"),
            "[\"\x7f\u2028\u2029\u4e2d\U0001F600\"]");
}

TEST(CanonicalJsonOutput, ChineseRoundTrips) {
  const std::string text = "{\"名称\":\"永顺百合\",\"产地\":\"湖南省永顺县\"}";
  Result<boost::json::object> parsed = ParseStrictObject(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->at("名称").get_string(), "永顺百合");
  EXPECT_EQ(Canonicalize(*parsed), "{\"产地\":\"湖南省永顺县\",\"名称\":\"永顺百合\"}");
}

TEST(CanonicalJsonOutput, SortsNestedMembersAndKeepsArrayOrder) {
  EXPECT_EQ(Canon(R"({"b":[3,1,{"d":1,"c":2}],"ab":0,"a":{"z":1,"y":2}})"),
            R"({"a":{"y":2,"z":1},"ab":0,"b":[3,1,{"c":2,"d":1}]})");
}

TEST(CanonicalJsonOutput, SortsByUtf16CodeUnitsNotUtf8Bytes) {
  // UTF-16: 'a' 0061 < U+1F600 (D83D DE00) < U+E000 < U+FF01.
  // UTF-8 bytes would put U+1F600 (F0 ...) last.
  const std::string text = "{\"\uff01\":1,\"\U0001F600\":2,\"\ue000\":3,\"a\":4}";
  EXPECT_EQ(Canon(text), "{\"a\":4,\"\U0001F600\":2,\"\ue000\":3,\"\uff01\":1}");
}

TEST(CanonicalJsonOutput, SupplementaryCharactersSortAmongThemselves) {
  EXPECT_EQ(Canon("{\"\U0001F601\":1,\"\U00010000\":2,\"\U0001F600\":3}"),
            "{\"\U00010000\":2,\"\U0001F600\":3,\"\U0001F601\":1}");
}

TEST(CanonicalJsonOutput, NegativeZeroIsZero) {
  Result<boost::json::value> parsed = ParseStrict("-0");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_TRUE(parsed->is_int64());
  EXPECT_EQ(Canonicalize(*parsed), "0");
}

TEST(CanonicalJsonOutput, IntegersAreStoredAsInt64) {
  Result<boost::json::value> parsed = ParseStrict("[0,-1,9007199254740991]");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  for (const boost::json::value& element : parsed->get_array()) {
    EXPECT_TRUE(element.is_int64());
  }
  EXPECT_EQ(Canonicalize(*parsed), "[0,-1,9007199254740991]");
}

TEST(CanonicalJsonOutput, ObjectOverloadMatchesValueOverload) {
  boost::json::object object{{"b", 1}, {"a", boost::json::array{2, "x"}}};
  EXPECT_EQ(Canonicalize(object), Canonicalize(boost::json::value(object)));
  EXPECT_EQ(Canonicalize(object), R"({"a":[2,"x"],"b":1})");
}

TEST(CanonicalJsonOutput, IntegralDoubleBuiltInCodeIsWrittenAsInteger) {
  EXPECT_EQ(Canonicalize(boost::json::value{{"a", 2.0}, {"b", -0.0}}), R"({"a":2,"b":0})");
}

TEST(CanonicalJsonOutput, AppendCanonicalAppends) {
  std::string out = "prefix:";
  AppendCanonical(boost::json::value{{"k", nullptr}}, out);
  EXPECT_EQ(out, R"(prefix:{"k":null})");
}

TEST(CanonicalJsonOutput, IdempotentOnEscapedInput) {
  const std::string once = Canon(R"({"z":"\u00e9\t\u0001","a":[{"b":-5,"a":"\/"}],"m":{}})");
  EXPECT_EQ(Canon(once), once);
}

TEST(CanonicalJsonOutput, LongEscapedStringSplitIntoPartsRoundTrips) {
  // Longer than Boost's 4 KiB escape buffer, so it arrives in parts that
  // may split a multi-byte sequence.
  std::string text = "[\"";
  std::string expected_value;
  for (int i = 0; i < 3000; ++i) {
    text += "\\n中";
    expected_value += "\n中";
  }
  text += "\"]";
  Result<boost::json::value> parsed = ParseStrict(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->get_array()[0].get_string(), expected_value);
}

// ---- Rejections ----

TEST(CanonicalJsonReject, DuplicateKey) {
  EXPECT_EQ(ParseCode(R"({"a":1,"a":2})"), ErrorCode::kDuplicateKey);
  EXPECT_NE(ParseMessage(R"({"a":1,"a":2})").find("\"a\""), std::string::npos);
}

TEST(CanonicalJsonReject, NestedDuplicateKeyNamesItsPath) {
  const std::string text = R"({"body":{"rows":[{"x":1,"x":1}]}})";
  EXPECT_EQ(ParseCode(text), ErrorCode::kDuplicateKey);
  EXPECT_EQ(ParseMessage(text).rfind("body.rows[0]: ", 0), 0U) << ParseMessage(text);
}

TEST(CanonicalJsonReject, DuplicateKeyAfterUnescaping) {
  EXPECT_EQ(ParseCode(R"({"a":1,"\u0061":2})"), ErrorCode::kDuplicateKey);
}

TEST(CanonicalJsonReject, NamesDifferingInNormalizationAreDistinct) {
  EXPECT_EQ(ParseCode(R"({"\u00e9":1,"e\u0301":2})"), ErrorCode::kOk);
}

TEST(CanonicalJsonReject, Fraction) { EXPECT_EQ(ParseCode("1.0"), ErrorCode::kNumberNotInteger); }

TEST(CanonicalJsonReject, Exponent) {
  EXPECT_EQ(ParseCode("1e2"), ErrorCode::kNumberNotInteger);
  EXPECT_EQ(ParseCode("1E+2"), ErrorCode::kNumberNotInteger);
}

TEST(CanonicalJsonReject, NegativeZeroFraction) {
  EXPECT_EQ(ParseCode("-0.0"), ErrorCode::kNumberNotInteger);
}

TEST(CanonicalJsonReject, HugeExponentIsNotInteger) {
  EXPECT_EQ(ParseCode("1e400"), ErrorCode::kNumberNotInteger);
}

TEST(CanonicalJsonReject, TwoToThe53) {
  EXPECT_EQ(ParseCode("9007199254740992"), ErrorCode::kNumberOutOfRange);
}

TEST(CanonicalJsonReject, MinusTwoToThe53) {
  EXPECT_EQ(ParseCode("-9007199254740992"), ErrorCode::kNumberOutOfRange);
}

TEST(CanonicalJsonReject, MaxSafeIntegersAccepted) {
  EXPECT_EQ(ParseCode("9007199254740991"), ErrorCode::kOk);
  EXPECT_EQ(ParseCode("-9007199254740991"), ErrorCode::kOk);
}

TEST(CanonicalJsonReject, IntegersBeyondInt64AndUint64) {
  EXPECT_EQ(ParseCode("-9223372036854775808"), ErrorCode::kNumberOutOfRange);
  EXPECT_EQ(ParseCode("18446744073709551615"), ErrorCode::kNumberOutOfRange);
  EXPECT_EQ(ParseCode("99999999999999999999"), ErrorCode::kNumberOutOfRange);
  EXPECT_EQ(ParseCode("-99999999999999999999"), ErrorCode::kNumberOutOfRange);
}

TEST(CanonicalJsonReject, NumberErrorNamesMemberAndNumber) {
  const std::string message = ParseMessage(R"({"body":{"amount_fen":[1,12.5]}})");
  EXPECT_EQ(message.rfind("body.amount_fen[1]: number \"12.5\"", 0), 0U) << message;
}

TEST(CanonicalJsonReject, InvalidUtf8InString) {
  EXPECT_EQ(ParseCode("[\"\xff\"]"), ErrorCode::kInvalidUtf8);
  EXPECT_NE(ParseMessage("[\"ab\xff\"]").find("offset 4"), std::string::npos)
      << ParseMessage("[\"ab\xff\"]");
}

TEST(CanonicalJsonReject, InvalidUtf8InKey) {
  EXPECT_EQ(ParseCode("{\"k\xff\":1}"), ErrorCode::kInvalidUtf8);
  EXPECT_NE(ParseMessage("{\"k\xff\":1}").find("member name"), std::string::npos);
}

TEST(CanonicalJsonReject, OverlongEncoding) {
  EXPECT_EQ(ParseCode("\"\xc0\xaf\""), ErrorCode::kInvalidUtf8);
  EXPECT_EQ(ParseCode("\"\xe0\x80\xaf\""), ErrorCode::kInvalidUtf8);
}

TEST(CanonicalJsonReject, EncodedSurrogateAndBeyondUnicode) {
  EXPECT_EQ(ParseCode("\"\xed\xa0\x80\""), ErrorCode::kInvalidUtf8);
  EXPECT_EQ(ParseCode("\"\xf4\x90\x80\x80\""), ErrorCode::kInvalidUtf8);
}

TEST(CanonicalJsonReject, TruncatedMultiByteSequence) {
  EXPECT_EQ(ParseCode("\"\xe4\xb8\""), ErrorCode::kInvalidUtf8);
}

TEST(CanonicalJsonReject, InvalidUtf8AfterLongEscapedRun) {
  std::string text = "\"";
  for (int i = 0; i < 2000; ++i) text += "\\t中";
  text += "\xc3\"";
  EXPECT_EQ(ParseCode(text), ErrorCode::kInvalidUtf8);
}

TEST(CanonicalJsonReject, LoneHighSurrogateEscape) {
  EXPECT_EQ(ParseCode(R"(["\ud800"])"), ErrorCode::kInvalidUtf8);
  EXPECT_EQ(ParseCode(R"(["\uDBFFx"])"), ErrorCode::kInvalidUtf8);
  EXPECT_EQ(ParseCode(R"(["\ud800\n"])"), ErrorCode::kInvalidUtf8);
}

TEST(CanonicalJsonReject, LoneLowSurrogateEscape) {
  EXPECT_EQ(ParseCode(R"(["\udc00"])"), ErrorCode::kInvalidUtf8);
}

TEST(CanonicalJsonReject, HighSurrogateFollowedByNonLowEscape) {
  EXPECT_EQ(ParseCode(R"(["\ud800\u0041"])"), ErrorCode::kInvalidUtf8);
}

TEST(CanonicalJsonReject, EscapedBackslashBeforeUIsNotASurrogate) {
  EXPECT_EQ(Canon(R"(["\\ud800"])"), R"(["\\ud800"])");
  EXPECT_EQ(ParseCode(R"(["\\ud800\x"])"), ErrorCode::kMalformedJson);
}

TEST(CanonicalJsonReject, StrayByteOutsideStringIsMalformed) {
  EXPECT_EQ(ParseCode("\xff"), ErrorCode::kMalformedJson);
}

TEST(CanonicalJsonReject, Truncated) {
  EXPECT_EQ(ParseCode(R"({"a":1)"), ErrorCode::kMalformedJson);
  EXPECT_EQ(ParseCode(R"({"a":"b)"), ErrorCode::kMalformedJson);
}

TEST(CanonicalJsonReject, TrailingGarbage) {
  EXPECT_EQ(ParseCode(R"({"a":1} x)"), ErrorCode::kMalformedJson);
  EXPECT_EQ(ParseCode("{} {}"), ErrorCode::kMalformedJson);
  EXPECT_NE(ParseMessage("{} {}").find("byte 3"), std::string::npos) << ParseMessage("{} {}");
}

TEST(CanonicalJsonReject, TrailingWhitespaceAccepted) {
  EXPECT_EQ(ParseCode("{}\r\n\t "), ErrorCode::kOk);
}

TEST(CanonicalJsonReject, SyntaxErrorsGiveOffset) {
  EXPECT_EQ(ParseCode("{'a':1}"), ErrorCode::kMalformedJson);
  EXPECT_EQ(ParseCode("[1,]"), ErrorCode::kMalformedJson);
  EXPECT_EQ(ParseCode("[1] // comment"), ErrorCode::kMalformedJson);
  EXPECT_NE(ParseMessage("[01]").find("byte 2"), std::string::npos) << ParseMessage("[01]");
}

TEST(CanonicalJsonReject, DepthLimit) {
  const ParseLimits limits{.max_depth = 3};
  EXPECT_EQ(ParseCode(R"([{"a":[]}])", limits), ErrorCode::kOk);
  EXPECT_EQ(ParseCode(R"([{"a":[[]]}])", limits), ErrorCode::kMalformedJson);
}

TEST(CanonicalJsonReject, DepthOneAdmitsOnlyFlatContainers) {
  const ParseLimits limits{.max_depth = 1};
  EXPECT_EQ(ParseCode(R"({"a":1})", limits), ErrorCode::kOk);
  EXPECT_EQ(ParseCode(R"({"a":{}})", limits), ErrorCode::kMalformedJson);
}

TEST(CanonicalJsonReject, DefaultDepthLimit) {
  const std::string ok = std::string(32, '[') + std::string(32, ']');
  const std::string deep = std::string(33, '[') + std::string(33, ']');
  EXPECT_EQ(ParseCode(ok), ErrorCode::kOk);
  EXPECT_EQ(ParseCode(deep), ErrorCode::kMalformedJson);
}

TEST(CanonicalJsonReject, StringLengthLimit) {
  const ParseLimits limits{.max_string_bytes = 8};
  EXPECT_EQ(ParseCode(R"(["12345678"])", limits), ErrorCode::kOk);
  EXPECT_EQ(ParseCode(R"(["123456789"])", limits), ErrorCode::kMalformedJson);
  // Counted after unescaping: six escapes are six bytes.
  EXPECT_EQ(ParseCode(R"(["\n\n\n\n\n\n"])", limits), ErrorCode::kOk);
}

TEST(CanonicalJsonReject, KeyLengthLimit) {
  const ParseLimits limits{.max_string_bytes = 4};
  EXPECT_EQ(ParseCode(R"({"abcde":1})", limits), ErrorCode::kMalformedJson);
}

TEST(CanonicalJsonReject, NotAnObject) {
  EXPECT_EQ(ParseStrictObject("[1]").status().code(), ErrorCode::kNotAnObject);
  EXPECT_EQ(ParseStrictObject(R"("x")").status().code(), ErrorCode::kNotAnObject);
}

TEST(CanonicalJsonReject, ObjectErrorsPassThrough) {
  EXPECT_EQ(ParseStrictObject(R"({"a":1.5})").status().code(), ErrorCode::kNumberNotInteger);
}

TEST(CanonicalJsonReject, EmptyInput) {
  EXPECT_EQ(ParseCode(""), ErrorCode::kMalformedJson);
  EXPECT_EQ(ParseCode(" \n"), ErrorCode::kMalformedJson);
  EXPECT_EQ(ParseStrictObject("").status().code(), ErrorCode::kMalformedJson);
}

// ---- CheckIntegers ----

TEST(CanonicalJsonCheckIntegers, AcceptsSafeIntegers) {
  boost::json::value v{{"a", kMaxSafeInteger},
                       {"b", boost::json::array{-kMaxSafeInteger, 0}},
                       {"c", static_cast<uint64_t>(kMaxSafeInteger)}};
  EXPECT_EQ(CheckIntegers(v).code(), ErrorCode::kOk);
}

TEST(CanonicalJsonCheckIntegers, RejectsDoubleWithPath) {
  boost::json::value v{{"body", {{"rows", boost::json::array{1, 2.0}}}}};
  const Status status = CheckIntegers(v);
  EXPECT_EQ(status.code(), ErrorCode::kNumberNotInteger);
  EXPECT_EQ(status.message().rfind("body.rows[1]: ", 0), 0U) << status.message();
}

TEST(CanonicalJsonCheckIntegers, RejectsInt64BeyondSafeRange) {
  EXPECT_EQ(CheckIntegers(boost::json::value(kMaxSafeInteger + 1)).code(),
            ErrorCode::kNumberOutOfRange);
  EXPECT_EQ(CheckIntegers(boost::json::value(-kMaxSafeInteger - 1)).code(),
            ErrorCode::kNumberOutOfRange);
}

TEST(CanonicalJsonCheckIntegers, RejectsLargeUint64) {
  EXPECT_EQ(CheckIntegers(boost::json::value(uint64_t{1} << 63)).code(),
            ErrorCode::kNumberOutOfRange);
}

// Verification parses a chunk of the log into one monotonic resource:
// every value of the document, however deep, must live in the storage
// given, and a parse without one uses the default resource.
TEST(StrictParseTest, EveryValueLivesInTheStorageGiven) {
  const std::string text =
      R"({"a":{"b":[{"c":"a string longer than the small buffer"},[1,2]]},"d":"x"})";
  boost::json::storage_ptr storage =
      boost::json::make_shared_resource<boost::json::monotonic_resource>();
  Result<boost::json::object> parsed = ParseStrictObject(text, {}, storage);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->storage(), storage);
  const boost::json::object& a = parsed->at("a").as_object();
  EXPECT_EQ(a.storage(), storage);
  const boost::json::array& b = a.at("b").as_array();
  EXPECT_EQ(b.storage(), storage);
  EXPECT_EQ(b[0].as_object().storage(), storage);
  EXPECT_EQ(b[0].as_object().at("c").as_string().storage(), storage);
  EXPECT_EQ(b[1].as_array().storage(), storage);
  EXPECT_EQ(b[1].as_array()[0].storage(), storage);
  EXPECT_EQ(boost::json::serialize(*parsed), text);

  Result<boost::json::object> plain = ParseStrictObject(text);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->at("a").as_object().storage(), boost::json::storage_ptr());
  EXPECT_EQ(*plain, *parsed);
}

}  // namespace
}  // namespace fupin::json
