#include "intake/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fupin::intake {
namespace {

using Fields = std::vector<std::string>;

std::vector<CsvRow> MustParse(std::string_view text) {
  Result<std::vector<CsvRow>> rows = ParseCsv(text);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? *rows : std::vector<CsvRow>{};
}

TEST(CsvReaderTest, SplitsFieldsAndRows) {
  std::vector<CsvRow> rows = MustParse("订单编号,数量\nA1,3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"订单编号", "数量"}));
  EXPECT_EQ(rows[0].line, 1u);
  EXPECT_EQ(rows[1].fields, (Fields{"A1", "3"}));
  EXPECT_EQ(rows[1].line, 2u);
}

TEST(CsvReaderTest, AcceptsCrLfLoneCrAndNoFinalLineEnd) {
  std::vector<CsvRow> rows = MustParse("a,b\r\nc,d\re,f");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].fields, (Fields{"c", "d"}));
  EXPECT_EQ(rows[2].fields, (Fields{"e", "f"}));
  EXPECT_EQ(rows[2].line, 3u);
}

TEST(CsvReaderTest, QuotedFieldsKeepCommasQuotesAndLineEnds) {
  std::vector<CsvRow> rows = MustParse("\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\"\nnext,row\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"a,b", "say \"hi\"", "two\nlines"}));
  // The row after a field spanning two lines starts on line 3.
  EXPECT_EQ(rows[1].line, 3u);
}

TEST(CsvReaderTest, EmptyFieldsAreKept) {
  std::vector<CsvRow> rows = MustParse(",x,,\n\"\",y\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"", "x", "", ""}));
  EXPECT_EQ(rows[1].fields, (Fields{"", "y"}));
}

TEST(CsvReaderTest, BlankLinesAreSkippedButCounted) {
  std::vector<CsvRow> rows = MustParse("a\n\n\r\nb\n\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields, (Fields{"b"}));
  EXPECT_EQ(rows[1].line, 4u);
}

TEST(CsvReaderTest, SpacesAreNotTrimmed) {
  std::vector<CsvRow> rows = MustParse(" a , b\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{" a ", " b"}));
}

TEST(CsvReaderTest, EmptyTextHasNoRows) { EXPECT_TRUE(MustParse("").empty()); }

TEST(CsvReaderTest, UnterminatedQuoteNamesTheLineItOpened) {
  Result<std::vector<CsvRow>> rows = ParseCsv("a,b\nc,\"open\nstill open\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(rows.status().message().find("line 2"), std::string::npos) << rows.status().message();
  EXPECT_NE(rows.status().message().find("not closed"), std::string::npos);
}

TEST(CsvReaderTest, QuoteInsideUnquotedFieldIsRefused) {
  Result<std::vector<CsvRow>> rows = ParseCsv("a,b\nc,5\"7\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(rows.status().message().find("line 2"), std::string::npos) << rows.status().message();
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsRefused) {
  Result<std::vector<CsvRow>> rows = ParseCsv("\"a\"b,c\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(rows.status().message().find("line 1"), std::string::npos) << rows.status().message();
}

}  // namespace
}  // namespace fupin::intake
