// `fupin-ledger verify` as operators run it: exit codes, the JSON report,
// where the result is kept, and no false alarms after restarts and
// compactions.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>

#include "ledger/ledger.h"
#include "ledger/record.h"
#include "ledger/store_db.h"
#include "ledger/store_format.h"
#include "tests/support/cli_runner.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"
#include "verify/verify.h"

namespace fupin {
namespace {

namespace fs = std::filesystem;
namespace sf = store_format;
using testing::RunCli;

boost::json::object ParseOut(const testing::CliResult& result) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(result.out, ec);
  EXPECT_FALSE(ec) << result.out << result.err;
  return ec || !parsed.is_object() ? boost::json::object() : parsed.as_object();
}

void AppendSales(testing::TestLedger& world, int from, int count) {
  for (int i = from; i < from + count; ++i) {
    world.MustAppend(
        world.op.Sign("sale.recorded", testing::SaleBody("S-" + std::to_string(i), 1, 3500)));
  }
}

TEST(VerifyCommand, MissingDataDirExitsTwoAndCreatesNothing) {
  const std::string missing = testing::MakeTempDir("fupin-verify-missing") + "/nothing-here";
  testing::CliResult result = RunCli({"verify", "--data", missing, "--json"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("no data directory at " + missing), std::string::npos) << result.err;
  EXPECT_EQ(std::string(ParseOut(result)["error"].as_object()["code"].as_string()), "not_found");
  EXPECT_FALSE(fs::exists(missing));
  fs::remove_all(fs::path(missing).parent_path());
}

TEST(VerifyCommand, CleanAfterRestartsAndCompactionsThenSinceLastChecksOnlyNewSignatures) {
  testing::TestLedger world;
  world.SeedWorld();
  AppendSales(world, 0, 10);
  world.Reopen();
  AppendSales(world, 10, 10);
  world.Close();
  {
    auto db = StoreDb::Open(world.dir() + "/db", DbMode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->CompactAll().ok());
  }
  testing::CliResult full = RunCli({"verify", "--data", world.dir(), "--json"});
  ASSERT_EQ(full.exit_code, 0) << full.out << full.err;
  boost::json::object report = ParseOut(full);
  EXPECT_EQ(std::string(report["status"].as_string()), "clean");
  EXPECT_EQ(std::string(report["mode"].as_string()), "full");
  EXPECT_EQ(std::string(report["saved_to"].as_string()), "meta");
  const int64_t size = report["verified_tree_size"].as_int64();
  EXPECT_EQ(report["counts"].as_object()["signatures"].as_int64(), size);

  world.Reopen();
  AppendSales(world, 20, 5);
  world.Close();
  testing::CliResult since = RunCli({"verify", "--data", world.dir(), "--since-last", "--json"});
  ASSERT_EQ(since.exit_code, 0) << since.out << since.err;
  boost::json::object incremental = ParseOut(since);
  EXPECT_EQ(std::string(incremental["mode"].as_string()), "since_last");
  const int64_t anchor = incremental["since"].as_object()["tree_size"].as_int64();
  EXPECT_EQ(anchor, size);
  EXPECT_EQ(incremental["verified_tree_size"].as_int64(), size + 5);
  EXPECT_EQ(incremental["counts"].as_object()["signatures"].as_int64(), 5);
}

TEST(VerifyCommand, TamperedLedgerExitsOneWithTheFirstFailure) {
  testing::TestLedger world;
  world.SeedWorld();
  AppendSales(world, 0, 5);
  const uint64_t seq = world.ledger().tree_size() - 2;
  world.Close();
  {
    auto db = std::move(StoreDb::Open(world.dir() + "/db", DbMode::kReadWrite)).value();
    StoredRecord record = *DecodeStoredRecord(**db->Get(Cf::kRecords, sf::Uint64Key(seq)));
    record.leaf_data[50] = static_cast<char>(record.leaf_data[50] ^ 0x02);
    ASSERT_TRUE(
        db->Write({{Cf::kRecords, sf::Uint64Key(seq), EncodeStoredRecord(record)}}, true).ok());
  }
  testing::CliResult result = RunCli({"verify", "--data", world.dir(), "--json"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  boost::json::object report = ParseOut(result);
  EXPECT_EQ(std::string(report["status"].as_string()), "tampered");
  boost::json::object first = report["first_failure"].as_object();
  EXPECT_EQ(first["seq"].as_int64(), static_cast<int64_t>(seq));
  EXPECT_EQ(std::string(first["kind"].as_string()), "leaf_hash");
  // A tampered result is kept too, so /v1/integrity reports it.
  auto db = std::move(StoreDb::Open(world.dir() + "/db", DbMode::kReadOnly)).value();
  auto last = verify::LoadLastVerification(*db, world.dir());
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_FALSE((*last)->clean());
}

TEST(VerifyCommand, BesideARunningLedgerKeepsTheResultInAFile) {
  testing::TestLedger world;  // open read-write: holds the database lock
  world.SeedWorld();
  testing::CliResult result = RunCli({"verify", "--data", world.dir(), "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(std::string(ParseOut(result)["saved_to"].as_string()), "file");
  EXPECT_TRUE(fs::exists(world.dir() + "/" + std::string(verify::kVerifyResultFile)));
  // What the server reads through its own store handle.
  auto last = verify::LoadLastVerification(world.ledger().store(), world.dir());
  ASSERT_TRUE(last.ok() && last->has_value()) << last.status().ToString();
  EXPECT_TRUE((*last)->clean());
  EXPECT_EQ((*last)->tree_size, world.ledger().tree_size());
}

TEST(VerifyCommand, SinceLastWithoutAnEarlierRunFallsBackToFull) {
  testing::TestLedger world;
  world.SeedWorld();
  world.Close();
  testing::CliResult result = RunCli({"verify", "--data", world.dir(), "--since-last", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  boost::json::object report = ParseOut(result);
  EXPECT_EQ(std::string(report["mode"].as_string()), "full");
  EXPECT_NE(std::string(report["note"].as_string()).find("full verification"), std::string::npos);
}

}  // namespace
}  // namespace fupin
