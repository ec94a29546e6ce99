// StoreDb over a store written by an earlier version, which lacks the
// column families added since (here: access_log).
#include "ledger/store_db.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>

#include "ledger/store_format.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

namespace sf = store_format;

class OlderStoreTest : public ::testing::Test {
 protected:
  // A RocksDB database with every column family but access_log, and one
  // record in `records`.
  OlderStoreTest() : dir_(testing::MakeTempDir("fupin-older-store")), path_(dir_ + "/db") {
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    families.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
    for (std::string_view name :
         {sf::kCfRecords, sf::kCfStreams, sf::kCfReferences, sf::kCfEventIds, sf::kCfMerkle,
          sf::kCfCheckpoints, sf::kCfState, sf::kCfMeta, sf::kCfProjections}) {
      families.emplace_back(std::string(name), rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(options, path_, families, &handles, &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok()) return;
    EXPECT_TRUE(db->Put(rocksdb::WriteOptions(), handles[1], sf::Uint64Key(0), "r0").ok());
    for (rocksdb::ColumnFamilyHandle* handle : handles) {
      EXPECT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
    }
    EXPECT_TRUE(db->Close().ok());
    delete db;
  }
  ~OlderStoreTest() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string dir_;
  std::string path_;
};

TEST_F(OlderStoreTest, ReadOnlyOpenReadsTheMissingFamilyAsEmpty) {
  Result<std::unique_ptr<StoreDb>> db = StoreDb::Open(path_, DbMode::kReadOnly);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  Result<std::optional<std::string>> record = (*db)->Get(Cf::kRecords, sf::Uint64Key(0));
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->value_or(""), "r0");
  Result<std::optional<std::string>> entry = (*db)->Get(Cf::kAccessLog, sf::Uint64Key(0));
  ASSERT_TRUE(entry.ok());
  EXPECT_FALSE(entry->has_value());
  int visited = 0;
  EXPECT_TRUE((*db)->Scan(Cf::kAccessLog, "", "", [&](auto, auto) { return ++visited > 0; }).ok());
  EXPECT_EQ(visited, 0);
  Result<std::optional<std::pair<std::string, std::string>>> last = (*db)->Last(Cf::kAccessLog, "");
  ASSERT_TRUE(last.ok());
  EXPECT_FALSE(last->has_value());
  Status write = (*db)->Write({{Cf::kAccessLog, sf::Uint64Key(0), "x"}}, false);
  EXPECT_EQ(write.code(), ErrorCode::kIoError);
  EXPECT_EQ(write.message(),
            "cannot write column family \"access_log\": the store is open read-only");
}

TEST_F(OlderStoreTest, ReadWriteOpenCreatesTheMissingFamily) {
  {
    Result<std::unique_ptr<StoreDb>> db = StoreDb::Open(path_, DbMode::kReadWrite);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE((*db)->Write({{Cf::kAccessLog, sf::Uint64Key(0), "entry"}}, true).ok());
  }
  Result<std::unique_ptr<StoreDb>> reopened = StoreDb::Open(path_, DbMode::kReadOnly);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  Result<std::optional<std::string>> entry = (*reopened)->Get(Cf::kAccessLog, sf::Uint64Key(0));
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->value_or(""), "entry");
  Result<std::optional<std::string>> record = (*reopened)->Get(Cf::kRecords, sf::Uint64Key(0));
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->value_or(""), "r0");
}

// A store closed after writing leaves nothing in its write-ahead log: the
// next open, read-only ones included, has no log to replay into memory.
TEST(StoreDbClose, WritesTheLogToTablesSoTheNextOpenReplaysNothing) {
  const std::string dir = testing::MakeTempDir("fupin-store-close");
  const std::string path = dir + "/db";
  auto log_bytes = [&] {
    std::uintmax_t bytes = 0;
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.path().extension() == ".log") bytes += entry.file_size();
    }
    return bytes;
  };
  {
    Result<std::unique_ptr<StoreDb>> db = StoreDb::Open(path, DbMode::kCreate);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    for (uint64_t seq = 0; seq < 100; ++seq) {
      ASSERT_TRUE((*db)
                      ->Write({{Cf::kRecords, sf::Uint64Key(seq), std::string(1000, 'r')},
                               {Cf::kMerkle, sf::Uint64Key(seq), std::string(32, 'm')}},
                              true)
                      .ok());
    }
    EXPECT_GT(log_bytes(), 100u * 1000u);  // still only in the log while open
  }
  EXPECT_EQ(log_bytes(), 0u);
  Result<std::unique_ptr<StoreDb>> reopened = StoreDb::Open(path, DbMode::kReadOnly);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  Result<std::optional<std::string>> last = (*reopened)->Get(Cf::kRecords, sf::Uint64Key(99));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->value_or(""), std::string(1000, 'r'));
  reopened->reset();
  // Without a block cache (verification's one pass) the store reads the same.
  Result<std::unique_ptr<StoreDb>> uncached =
      StoreDb::Open(path, DbMode::kReadOnly, StoreOpenOptions{.block_cache = false});
  ASSERT_TRUE(uncached.ok()) << uncached.status().ToString();
  last = (*uncached)->Get(Cf::kRecords, sf::Uint64Key(99));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->value_or(""), std::string(1000, 'r'));
  int scanned = 0;
  ASSERT_TRUE((*uncached)
                  ->Scan(Cf::kMerkle, "", "",
                         [&](std::string_view, std::string_view value) {
                           EXPECT_EQ(value, std::string(32, 'm'));
                           return ++scanned > 0;
                         })
                  .ok());
  EXPECT_EQ(scanned, 100);
  uncached->reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace
}  // namespace fupin
