// The stored record codec (ledger/record.h) on damaged bytes: every
// damaged form is kDataLoss from both decoders, never an exception (the
// fuzzer's findings in fuzz/regressions/store_codecs are replayed here).
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ledger/record.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

StoredRecord Sample() {
  StoredRecord record;
  record.seq = 41;
  record.leaf_data = R"({"event":{},"seq":41})";
  record.leaf_hash = merkle::LeafHash(merkle::HashAlg::kSha256, record.leaf_data);
  return record;
}

// The u64 length of the leaf data sits after the u32 version and u64 seq.
constexpr std::size_t kLengthAt = sizeof(uint32_t) + sizeof(uint64_t);

TEST(StoredRecordCodec, RoundTripsAndViewsInPlace) {
  const std::string bytes = EncodeStoredRecord(Sample());
  Result<StoredRecord> decoded = DecodeStoredRecord(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->leaf_data, Sample().leaf_data);
  Result<StoredRecordView> view = ViewStoredRecord(bytes);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->leaf_data, Sample().leaf_data);
}

TEST(StoredRecordCodec, ALeafLengthBeyondTheBytesIsDataLossNotAnAllocation) {
  const std::string good = EncodeStoredRecord(Sample());
  for (uint64_t length :
       {uint64_t{1} << 62, ~uint64_t{0}, uint64_t{1} << 33, uint64_t{good.size()}}) {
    std::string bytes = good;
    std::memcpy(bytes.data() + kLengthAt, &length, sizeof(length));
    Result<StoredRecord> decoded = DecodeStoredRecord(bytes);
    EXPECT_EQ(decoded.status().code(), ErrorCode::kDataLoss) << length;
    EXPECT_NE(decoded.status().message().find("exceeds"), std::string::npos)
        << decoded.status().message();
    EXPECT_EQ(ViewStoredRecord(bytes).status().code(), ErrorCode::kDataLoss) << length;
  }
}

TEST(StoredRecordCodec, TruncatedOrExtendedBytesAreDataLoss) {
  const std::string good = EncodeStoredRecord(Sample());
  for (std::size_t size = 0; size < good.size(); ++size) {
    EXPECT_EQ(DecodeStoredRecord(good.substr(0, size)).status().code(), ErrorCode::kDataLoss)
        << size;
    EXPECT_EQ(ViewStoredRecord(good.substr(0, size)).status().code(), ErrorCode::kDataLoss) << size;
  }
  EXPECT_EQ(DecodeStoredRecord(good + "x").status().code(), ErrorCode::kDataLoss);
}

// The fuzzer's reproducers: a selector byte (0: a stored record), then the
// bytes the decoders saw.
TEST(StoredRecordCodec, TheFuzzersFindingsAreDataLoss) {
  const std::filesystem::path dir =
      std::filesystem::path(testing::FixturePath("..")) / "fuzz/regressions/store_codecs";
  int replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("stored-record-", 0) != 0) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string input = bytes.str();
    ASSERT_FALSE(input.empty());
    ASSERT_EQ(input[0], '\0') << entry.path();
    EXPECT_FALSE(DecodeStoredRecord(input.substr(1)).ok()) << entry.path();
    EXPECT_FALSE(ViewStoredRecord(input.substr(1)).ok()) << entry.path();
    ++replayed;
  }
  EXPECT_GE(replayed, 3);
}

}  // namespace
}  // namespace fupin
