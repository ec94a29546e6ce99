// Decoding stored records for folds: the fast split path, the whole-DOM
// fallback, genesis, and corruption.
#include "projections/decoded_record.h"

#include <gtest/gtest.h>

#include "ledger/time.h"
#include "projections/leaf_split.h"
#include "tests/projections/stats_world.h"

namespace fupin::projections {
namespace {

using testing::StatsWorld;

DecodedRecord MustDecode(std::string_view leaf) {
  RecordDecoder decoder;
  DecodedRecord record;
  Status decoded = decoder.Decode(leaf, record);
  EXPECT_TRUE(decoded.ok()) << decoded.ToString();
  return record;
}

TEST(DecodedRecordTest, SaleDecodesHeaderAndTypedBody) {
  StatsWorld w;
  w.Sale("S-1", 4200, "2020-09-30T23:59:59+08:00");
  Result<StoredRecord> stored = w.log().ReadRecord(w.size() - 1);
  ASSERT_TRUE(stored.ok());
  DecodedRecord record = MustDecode(stored->leaf_data);
  EXPECT_EQ(record.seq, w.size() - 1);
  EXPECT_EQ(record.type, EventType::kSaleRecorded);
  EXPECT_EQ(record.stream, "outlet:C-1");
  EXPECT_EQ(record.key_id, "operator-province");
  EXPECT_EQ(record.occurred_at_ms, *ParseRfc3339Millis("2020-09-30T23:59:59+08:00"));
  EXPECT_EQ(record.occurred_day, *ParseDate("2020-09-30"));
  const auto& sale = std::get<SaleRecorded>(record.body);
  EXPECT_EQ(sale.sale_id, "S-1");
  EXPECT_EQ(sale.amount_fen, 4200);
}

TEST(DecodedRecordTest, EveryRecordOfTheSeededWorldDecodes) {
  StatsWorld w;
  for (uint64_t seq = 0; seq < w.size(); ++seq) {
    DecodedRecord record = MustDecode(w.log().ReadRecord(seq)->leaf_data);
    EXPECT_EQ(record.seq, seq);
  }
}

TEST(DecodedRecordTest, GenesisSystemKeyDecodesWithRoleSystem) {
  StatsWorld w;
  DecodedRecord record = MustDecode(w.log().ReadRecord(0)->leaf_data);
  ASSERT_EQ(record.type, EventType::kKeyRegistered);
  EXPECT_EQ(std::get<KeyRegistered>(record.body).roles, kRoleSystem);
}

TEST(DecodedRecordTest, NonCanonicalTextTakesTheWholeParseAndDecodesTheSame) {
  StatsWorld w;
  w.Outlet("Q-1", "counter", "430102");
  const std::string leaf = w.log().ReadRecord(w.size() - 1)->leaf_data;
  const std::string spaced = "{ " + leaf.substr(1);  // whitespace: not what the ledger writes
  ASSERT_FALSE(SplitLeaf(spaced, [](std::string_view) { return std::size_t{1}; }).has_value());
  DecodedRecord fast = MustDecode(leaf);
  DecodedRecord slow = MustDecode(spaced);
  EXPECT_EQ(slow.seq, fast.seq);
  EXPECT_EQ(slow.stream, fast.stream);
  EXPECT_EQ(slow.occurred_at_ms, fast.occurred_at_ms);
  EXPECT_EQ(std::get<OutletDeployed>(slow.body).outlet_id,
            std::get<OutletDeployed>(fast.body).outlet_id);
}

TEST(DecodedRecordTest, EscapedStringsInTheBodyAreUnescaped) {
  StatsWorld w;
  w.ledger.MustAppend(w.province_op.Sign("outlet.deployed",
                                         {{"outlet_id", "Q-2"},
                                          {"kind", "counter"},
                                          {"name", "网点 \"东门\" {一号}"},
                                          {"region", "430102"}},
                                         testing::kSeedDay));
  DecodedRecord record = MustDecode(w.log().ReadRecord(w.size() - 1)->leaf_data);
  EXPECT_EQ(std::get<OutletDeployed>(record.body).name, "网点 \"东门\" {一号}");
}

TEST(DecodedRecordTest, TruncatedLeafIsDataLoss) {
  StatsWorld w;
  const std::string leaf = w.log().ReadRecord(w.size() - 1)->leaf_data;
  RecordDecoder decoder;
  DecodedRecord record;
  EXPECT_EQ(decoder.Decode(leaf.substr(0, leaf.size() / 2), record).code(), ErrorCode::kDataLoss);
}

TEST(DecodedRecordTest, UnknownTypeIsDataLoss) {
  StatsWorld w;
  w.Outlet("Q-1", "counter", "430102");
  std::string leaf = w.log().ReadRecord(w.size() - 1)->leaf_data;
  leaf.replace(leaf.find("\"outlet.deployed\""), 17, "\"outlet.exploded\"");
  RecordDecoder decoder;
  DecodedRecord record;
  EXPECT_EQ(decoder.Decode(leaf, record).code(), ErrorCode::kDataLoss);
}

}  // namespace
}  // namespace fupin::projections
