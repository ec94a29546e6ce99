#include "intake/text_encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace fupin::intake {
namespace {

// "订单编号,数量\n" in UTF-8 and, as Excel on a Chinese Windows saves it, in GBK.
inline constexpr std::string_view kHeaderUtf8 = "订单编号,数量\n";
inline constexpr std::string_view kHeaderGbk =
    "\xB6\xA9\xB5\xA5\xB1\xE0\xBA\xC5,\xCA\xFD\xC1\xBF\n";

TEST(TextEncodingTest, ValidUtf8IsKeptAsIs) {
  Result<DecodedText> text = DecodeText(kHeaderUtf8);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->utf8, kHeaderUtf8);
  EXPECT_EQ(text->encoding, TextEncoding::kUtf8);
}

TEST(TextEncodingTest, ByteOrderMarkIsDropped) {
  Result<DecodedText> text = DecodeText("\xEF\xBB\xBF" + std::string(kHeaderUtf8));
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->utf8, kHeaderUtf8);
  EXPECT_EQ(text->encoding, TextEncoding::kUtf8WithBom);
}

TEST(TextEncodingTest, GbkIsConvertedToUtf8) {
  Result<DecodedText> text = DecodeText(kHeaderGbk);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->utf8, kHeaderUtf8);
  EXPECT_EQ(text->encoding, TextEncoding::kGb18030);
}

TEST(TextEncodingTest, Gb18030FourByteSequenceIsConverted) {
  // U+20000 (𠀀), outside GBK: GB18030 spells it in four bytes.
  Result<DecodedText> text = DecodeText("\x95\x32\x82\x36");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->utf8, "\xF0\xA0\x80\x80");
  EXPECT_EQ(text->encoding, TextEncoding::kGb18030);
}

TEST(TextEncodingTest, EmptyFileIsUtf8) {
  Result<DecodedText> text = DecodeText("");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->utf8, "");
  EXPECT_EQ(text->encoding, TextEncoding::kUtf8);
}

TEST(TextEncodingTest, NeitherEncodingNamesTheByteOffset) {
  // 0xFF can lead no GB18030 character and is never UTF-8.
  Result<DecodedText> text = DecodeText("ab\xB6\xA9\xFFz");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), ErrorCode::kInvalidUtf8);
  EXPECT_NE(text.status().message().find("byte offset 4"), std::string::npos)
      << text.status().message();
}

TEST(TextEncodingTest, TruncatedGbkCharacterIsRefused) {
  Result<DecodedText> text = DecodeText("ab\xB6");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), ErrorCode::kInvalidUtf8);
  EXPECT_NE(text.status().message().find("byte offset 2"), std::string::npos)
      << text.status().message();
}

TEST(TextEncodingTest, BadByteAfterByteOrderMarkIsNotReadAsGbk) {
  // The same bytes decode as GBK without the mark; with it they must be UTF-8.
  Result<DecodedText> text = DecodeText(
      "\xEF\xBB\xBF"
      "a" +
      std::string(kHeaderGbk));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), ErrorCode::kInvalidUtf8);
  EXPECT_NE(text.status().message().find("byte offset 4"), std::string::npos)
      << text.status().message();
}

TEST(TextEncodingTest, NamesAreStable) {
  EXPECT_EQ(TextEncodingName(TextEncoding::kUtf8), "utf-8");
  EXPECT_EQ(TextEncodingName(TextEncoding::kUtf8WithBom), "utf-8-bom");
  EXPECT_EQ(TextEncodingName(TextEncoding::kGb18030), "gb18030");
}

}  // namespace
}  // namespace fupin::intake
