// The stream hash-chain check the server runs before serving a stream:
// intact chains pass, every kind of break is data loss.
#include "api/stream_chain.h"

#include <gtest/gtest.h>

#include "ledger/codec.h"
#include "ledger/record.h"

namespace fupin::api {
namespace {

constexpr std::string_view kStream = "outlet:C-1";

// A chain of `n` records of kStream (versions 1..n) at seqs 10, 11, ….
std::vector<StreamEntry> Chain(int n) {
  std::vector<StreamEntry> entries;
  std::string previous;
  for (int i = 0; i < n; ++i) {
    RecordHeader header;
    header.seq = 10 + i;
    header.recorded_at = "2020-09-05T02:15:00.000Z";
    header.stream = std::string(kStream);
    header.stream_version = i + 1;
    header.prev_stream_hash = previous;
    StoredRecord record;
    record.seq = header.seq;
    record.leaf_data = BuildLeafData(header, "{\"id\":\"e" + std::to_string(i) + "\"}");
    record.leaf_hash = merkle::LeafHash(merkle::HashAlg::kSha256, record.leaf_data);
    previous = HexEncode(record.leaf_hash);
    entries.push_back({header.stream_version, record});
  }
  return entries;
}

// Replaces the record at `index` by one built from `header`.
void Rewrite(std::vector<StreamEntry>& entries, std::size_t index, const RecordHeader& header) {
  StoredRecord& record = entries[index].record;
  record.leaf_data = BuildLeafData(header, "{\"id\":\"forged\"}");
  record.leaf_hash = merkle::LeafHash(merkle::HashAlg::kSha256, record.leaf_data);
}

RecordHeader HeaderOf(const std::vector<StreamEntry>& entries, std::size_t index) {
  RecordHeader header;
  header.seq = entries[index].record.seq;
  header.recorded_at = "2020-09-05T02:15:00.000Z";
  header.stream = std::string(kStream);
  header.stream_version = entries[index].version;
  header.prev_stream_hash = index == 0 ? "" : HexEncode(entries[index - 1].record.leaf_hash);
  return header;
}

TEST(StreamChainTest, IntactChainPasses) {
  EXPECT_TRUE(CheckStreamChain(merkle::HashAlg::kSha256, kStream, Chain(5), 1).ok());
  EXPECT_TRUE(CheckStreamChain(merkle::HashAlg::kSha256, kStream, {}, 1).ok());
}

TEST(StreamChainTest, PageStartingAtItsAnchorPasses) {
  std::vector<StreamEntry> chain = Chain(6);
  std::vector<StreamEntry> page(chain.begin() + 2, chain.end());  // versions 3..6
  EXPECT_TRUE(CheckStreamChain(merkle::HashAlg::kSha256, kStream, page, 3).ok());
}

TEST(StreamChainTest, WrongPreviousHashIsDataLoss) {
  std::vector<StreamEntry> chain = Chain(4);
  RecordHeader header = HeaderOf(chain, 2);
  header.prev_stream_hash = HexEncode(chain[0].record.leaf_hash);  // skips version 2
  Rewrite(chain, 2, header);
  Status status = CheckStreamChain(merkle::HashAlg::kSha256, kStream, chain, 1);
  EXPECT_EQ(status.code(), ErrorCode::kDataLoss);
  EXPECT_NE(status.message().find("version 3"), std::string::npos) << status.message();
}

TEST(StreamChainTest, FirstVersionWithAPreviousHashIsDataLoss) {
  std::vector<StreamEntry> chain = Chain(2);
  RecordHeader header = HeaderOf(chain, 0);
  header.prev_stream_hash = std::string(64, 'a');
  Rewrite(chain, 0, header);
  EXPECT_EQ(CheckStreamChain(merkle::HashAlg::kSha256, kStream, chain, 1).code(),
            ErrorCode::kDataLoss);
}

TEST(StreamChainTest, MissingVersionIsDataLoss) {
  std::vector<StreamEntry> chain = Chain(4);
  chain.erase(chain.begin() + 1);
  Status status = CheckStreamChain(merkle::HashAlg::kSha256, kStream, chain, 1);
  EXPECT_EQ(status.code(), ErrorCode::kDataLoss);
  EXPECT_NE(status.message().find("missing"), std::string::npos) << status.message();
}

TEST(StreamChainTest, TamperedLeafDataIsDataLoss) {
  std::vector<StreamEntry> chain = Chain(3);
  std::string& data = chain[1].record.leaf_data;
  data.replace(data.find("e1"), 2, "e9");
  EXPECT_EQ(CheckStreamChain(merkle::HashAlg::kSha256, kStream, chain, 1).code(),
            ErrorCode::kDataLoss);
}

TEST(StreamChainTest, RecordOfAnotherStreamIsDataLoss) {
  std::vector<StreamEntry> chain = Chain(3);
  RecordHeader header = HeaderOf(chain, 2);
  header.stream = "outlet:C-2";
  Rewrite(chain, 2, header);
  EXPECT_EQ(CheckStreamChain(merkle::HashAlg::kSha256, kStream, chain, 1).code(),
            ErrorCode::kDataLoss);
}

TEST(StreamChainTest, VersionInLeafDataMustMatchTheIndex) {
  std::vector<StreamEntry> chain = Chain(3);
  RecordHeader header = HeaderOf(chain, 2);
  header.stream_version = 7;
  Rewrite(chain, 2, header);
  EXPECT_EQ(CheckStreamChain(merkle::HashAlg::kSha256, kStream, chain, 1).code(),
            ErrorCode::kDataLoss);
}

}  // namespace
}  // namespace fupin::api
