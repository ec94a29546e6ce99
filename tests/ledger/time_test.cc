#include "ledger/time.h"

#include <gtest/gtest.h>

namespace fupin {
namespace {

// 2020-09-05T02:15:00Z.
inline constexpr int64_t kSaleInstantMs = 1599272100000;

int64_t MustParse(std::string_view text) {
  Result<int64_t> ms = ParseRfc3339Millis(text);
  EXPECT_TRUE(ms.ok()) << text << ": " << ms.status().ToString();
  return ms.ok() ? *ms : 0;
}

TEST(TimeTest, ParsesOffsetAndZuluToTheSameInstant) {
  EXPECT_EQ(MustParse("2020-09-05T10:15:00+08:00"), kSaleInstantMs);
  EXPECT_EQ(MustParse("2020-09-05T02:15:00Z"), kSaleInstantMs);
}

TEST(TimeTest, ParsesNegativeHalfHourOffset) {
  // 2020-09-04T20:45:00-05:30 is 02:15Z the next day.
  EXPECT_EQ(MustParse("2020-09-04T20:45:00-05:30"), kSaleInstantMs);
}

TEST(TimeTest, ParsesEpoch) { EXPECT_EQ(MustParse("1970-01-01T00:00:00Z"), 0); }

TEST(TimeTest, ParsesBeforeEpoch) { EXPECT_EQ(MustParse("1969-12-31T23:59:59.999Z"), -1); }

TEST(TimeTest, FractionIsTruncatedToMillis) {
  EXPECT_EQ(MustParse("2020-09-05T02:15:01.123Z"), kSaleInstantMs + 1123);
  EXPECT_EQ(MustParse("2020-09-05T02:15:01.1Z"), kSaleInstantMs + 1100);
  EXPECT_EQ(MustParse("2020-09-05T02:15:01.123999999Z"), kSaleInstantMs + 1123);
}

TEST(TimeTest, RejectsTimestampsWithoutOffset) {
  EXPECT_EQ(ParseRfc3339Millis("2020-09-05T10:15:00").status().code(), ErrorCode::kInvalidField);
  EXPECT_EQ(ParseRfc3339Millis("2020-09-05").status().code(), ErrorCode::kInvalidField);
}

TEST(TimeTest, RejectsMalformedTimestamps) {
  for (std::string_view bad : {
           "2020-09-05 10:15:00+08:00",        // space instead of T
           "2020-09-05T10:15+08:00",           // no seconds
           "2020-09-05T24:00:00Z",             // hour 24
           "2020-09-05T10:60:00Z",             // minute 60
           "2020-09-05T10:15:60Z",             // leap second refused
           "2020-09-05T10:15:00.Z",            // empty fraction
           "2020-09-05T10:15:00.1234567890Z",  // 10 fraction digits
           "2020-09-05T10:15:00+0800",         // offset without colon
           "2020-09-05T10:15:00+24:00",        // offset hour 24
           "2020-09-05T10:15:00+08:00x",       // trailing byte
           "2020-02-30T00:00:00Z",             // no such day
           "2020-13-01T00:00:00Z",             // no such month
           "2020-9-05T10:15:00Z",              // one-digit month
           "2020-09-05t10:15:00z",             // lower-case designators
           "",
       }) {
    EXPECT_EQ(ParseRfc3339Millis(bad).status().code(), ErrorCode::kInvalidField) << bad;
  }
}

TEST(TimeTest, ParseDateHandlesLeapYears) {
  EXPECT_TRUE(ParseDate("2020-02-29").ok());
  EXPECT_TRUE(ParseDate("2000-02-29").ok());  // divisible by 400
  EXPECT_EQ(ParseDate("2019-02-29").status().code(), ErrorCode::kInvalidField);
  EXPECT_EQ(ParseDate("1900-02-29").status().code(), ErrorCode::kInvalidField);
}

TEST(TimeTest, ParseDateRejectsInvalidDates) {
  for (std::string_view bad : {"2020-02-30", "2020-04-31", "2020-00-10", "2020-01-00", "2020-1-1",
                               "2020/01/01", "2020-01-01T00:00:00Z", "20200101", ""}) {
    EXPECT_EQ(ParseDate(bad).status().code(), ErrorCode::kInvalidField) << bad;
  }
}

TEST(TimeTest, ParseDateCountsDaysSinceEpoch) {
  EXPECT_EQ(*ParseDate("1970-01-01"), 0);
  EXPECT_EQ(*ParseDate("1970-01-02"), 1);
  EXPECT_EQ(*ParseDate("1969-12-31"), -1);
  EXPECT_EQ(*ParseDate("2020-09-01"), 18506);
}

TEST(TimeTest, FormatDateRoundTrips) {
  for (std::string_view date : {"1970-01-01", "2020-02-29", "2020-09-30", "2020-12-31",
                                "1969-12-31", "2000-03-01", "2100-02-28"}) {
    EXPECT_EQ(FormatDate(*ParseDate(date)), date);
  }
}

TEST(TimeTest, FormatUtcMillisAlwaysHasThreeFractionDigits) {
  EXPECT_EQ(FormatUtcMillis(kSaleInstantMs + 1123), "2020-09-05T02:15:01.123Z");
  EXPECT_EQ(FormatUtcMillis(kSaleInstantMs), "2020-09-05T02:15:00.000Z");
  EXPECT_EQ(FormatUtcMillis(-1), "1969-12-31T23:59:59.999Z");
}

TEST(TimeTest, FormatUtcSeconds) {
  EXPECT_EQ(FormatUtcSeconds(kSaleInstantMs / 1000 + 2), "2020-09-05T02:15:02Z");
  EXPECT_EQ(FormatUtcSeconds(0), "1970-01-01T00:00:00Z");
}

TEST(TimeTest, FormattedMillisParseBack) {
  const int64_t ms = MustParse("2020-02-29T23:59:59.999+08:00");
  EXPECT_EQ(MustParse(FormatUtcMillis(ms)), ms);
}

TEST(TimeTest, ShanghaiDayAtTheCampaignEnd) {
  // The last second of September in Shanghai and the first of October fall
  // on different business days, although both are on 2020-09-30 in UTC.
  EXPECT_EQ(FormatDate(ShanghaiDay(MustParse("2020-09-30T23:59:59+08:00"))), "2020-09-30");
  EXPECT_EQ(FormatDate(ShanghaiDay(MustParse("2020-10-01T00:00:00+08:00"))), "2020-10-01");
  EXPECT_EQ(FormatDate(ShanghaiDay(MustParse("2020-09-30T16:00:00Z"))), "2020-10-01");
  EXPECT_EQ(FormatDate(ShanghaiDay(MustParse("2020-09-30T15:59:59.999Z"))), "2020-09-30");
}

TEST(TimeTest, ShanghaiDayOfOtherOffsets) {
  // 23:00 in New Delhi (+05:30) is already 01:30 the next day in Shanghai.
  EXPECT_EQ(FormatDate(ShanghaiDay(MustParse("2020-09-30T23:00:00+05:30"))), "2020-10-01");
  EXPECT_EQ(FormatDate(ShanghaiDay(MustParse("2020-09-30T11:00:00-05:30"))), "2020-10-01");
}

TEST(TimeTest, ShanghaiDayBeforeEpoch) {
  EXPECT_EQ(ShanghaiDay(-8 * 3600 * 1000), 0);
  EXPECT_EQ(ShanghaiDay(-8 * 3600 * 1000 - 1), -1);
}

}  // namespace
}  // namespace fupin
