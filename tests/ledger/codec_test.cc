#include "ledger/codec.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>

namespace fupin {
namespace {

std::string AllByteValues() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  return bytes;
}

void ExpectHexRejected(std::string_view hex) {
  Result<std::string> decoded = HexDecode(hex);
  ASSERT_FALSE(decoded.ok()) << "accepted \"" << hex << "\"";
  EXPECT_EQ(decoded.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(decoded.status().message().empty());
}

void ExpectBase64Rejected(std::string_view b64) {
  Result<std::string> decoded = Base64Decode(b64);
  ASSERT_FALSE(decoded.ok()) << "accepted \"" << b64 << "\"";
  EXPECT_EQ(decoded.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(decoded.status().message().empty());
}

TEST(HexTest, EncodesLowerCase) {
  EXPECT_EQ(HexEncode(std::string_view("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(HexEncode(std::string_view()), "");
}

TEST(HexTest, EncodesDigestSpan) {
  const std::array<uint8_t, 3> bytes = {0xde, 0xad, 0x0f};
  EXPECT_EQ(HexEncode(std::span<const uint8_t>(bytes)), "dead0f");
}

TEST(HexTest, RoundTripsEveryByteValue) {
  const std::string bytes = AllByteValues();
  Result<std::string> decoded = HexDecode(HexEncode(bytes));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, bytes);
}

TEST(HexTest, DecodesEmpty) {
  Result<std::string> decoded = HexDecode("");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, "");
}

TEST(HexTest, RejectsOddLength) {
  ExpectHexRejected("abc");
  ExpectHexRejected("0");
}

TEST(HexTest, RejectsUpperCase) {
  ExpectHexRejected("AB");
  ExpectHexRejected("aB");
}

TEST(HexTest, RejectsNonHexCharacters) {
  ExpectHexRejected("0g");
  ExpectHexRejected("zz");
  ExpectHexRejected(std::string_view("0\0", 2));
  ExpectHexRejected("\xc3\xa9");
}

TEST(HexTest, RejectsWhitespace) {
  ExpectHexRejected(" a");
  ExpectHexRejected("ab\n");
  ExpectHexRejected("ab cd");
}

TEST(Base64Test, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Test, DecodesRfc4648Vectors) {
  const std::array<std::pair<const char*, const char*>, 7> vectors = {{
      {"", ""},
      {"Zg==", "f"},
      {"Zm8=", "fo"},
      {"Zm9v", "foo"},
      {"Zm9vYg==", "foob"},
      {"Zm9vYmE=", "fooba"},
      {"Zm9vYmFy", "foobar"},
  }};
  for (const auto& [b64, plain] : vectors) {
    Result<std::string> decoded = Base64Decode(b64);
    ASSERT_TRUE(decoded.ok()) << b64 << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, plain) << b64;
  }
}

TEST(Base64Test, UsesStandardAlphabetForHighBits) {
  EXPECT_EQ(Base64Encode("\xfb\xff\xbf"), "+/+/");
}

TEST(Base64Test, RoundTripsEveryByteValueAndLength) {
  const std::string bytes = AllByteValues();
  for (std::size_t len = 0; len <= bytes.size(); ++len) {
    const std::string piece = bytes.substr(bytes.size() - len);
    Result<std::string> decoded = Base64Decode(Base64Encode(piece));
    ASSERT_TRUE(decoded.ok()) << len << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, piece) << len;
  }
}

TEST(Base64Test, RejectsMissingPadding) {
  ExpectBase64Rejected("Zg");
  ExpectBase64Rejected("Zm8");
  ExpectBase64Rejected("Zm9vYg");
}

TEST(Base64Test, RejectsExcessPadding) {
  ExpectBase64Rejected("Zg===");
  ExpectBase64Rejected("Z===");
  ExpectBase64Rejected("====");
  ExpectBase64Rejected("Zm9v====");
}

TEST(Base64Test, RejectsPaddingInsideData) {
  ExpectBase64Rejected("Zg==Zm9v");
  ExpectBase64Rejected("Zm=v");
  ExpectBase64Rejected("=m9v");
}

TEST(Base64Test, RejectsNonZeroTrailingBits) {
  // "Zh==" and "Zm9=" decode to "f" and "fo" under a lax decoder.
  ExpectBase64Rejected("Zh==");
  ExpectBase64Rejected("Zm9=");
}

TEST(Base64Test, RejectsWhitespace) {
  ExpectBase64Rejected("Zm9v\n");
  ExpectBase64Rejected("Zm9v YmFy");
  ExpectBase64Rejected(" Zm9vYmFy");
  ExpectBase64Rejected("Zm9v\r\nYmFy");
}

TEST(Base64Test, RejectsCharactersOutsideAlphabet) {
  ExpectBase64Rejected("Zm9-");  // base64url
  ExpectBase64Rejected("Zm9_");  // base64url
  ExpectBase64Rejected("Zm9.");
  ExpectBase64Rejected(std::string_view("Zm9\0", 4));
  ExpectBase64Rejected("Zm\xc3\xa9");
}

TEST(Base64Test, RejectsLengthNotMultipleOfFour) {
  ExpectBase64Rejected("Z");
  ExpectBase64Rejected("Zm9vY");
}

}  // namespace
}  // namespace fupin
