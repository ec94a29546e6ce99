// `backup` and `restore`: a backup taken while the ledger is appending
// restores to a ledger that verifies clean and has the same root at the
// backed-up size; restore refuses to overwrite anything.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "ledger/ledger.h"
#include "tests/support/cli_runner.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

namespace fs = std::filesystem;
using testing::RunCli;

boost::json::object ParseOut(const testing::CliResult& result) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(result.out, ec);
  EXPECT_FALSE(ec) << result.out << result.err;
  return ec || !parsed.is_object() ? boost::json::object() : parsed.as_object();
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override { scratch_ = testing::MakeTempDir("fupin-backup"); }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(scratch_, ec);
  }
  std::string scratch_;
};

TEST_F(BackupTest, BackupWhileAppendingRestoresVerifiedWithEqualRoots) {
  testing::TestLedger world;
  world.SeedWorld();
  std::atomic<bool> stop{false};
  std::atomic<int> appended{0};
  std::thread appender([&] {
    for (int i = 0; !stop.load(); ++i) {
      AppendResult result = world.TryAppend(
          world.op.Sign("sale.recorded", testing::SaleBody("S-" + std::to_string(i), 1, 3500)));
      if (!result.ok()) {
        ADD_FAILURE() << result.status.ToString();
        return;
      }
      appended.fetch_add(1);
    }
  });
  while (appended.load() < 20) std::this_thread::yield();
  const std::string backup_dir = scratch_ + "/backup";
  testing::CliResult backup =
      RunCli({"backup", "--data", world.dir(), "--to", backup_dir, "--json"});
  stop.store(true);
  appender.join();
  ASSERT_EQ(backup.exit_code, 0) << backup.out << backup.err;
  boost::json::object taken = ParseOut(backup);
  EXPECT_TRUE(taken["from_live_copy"].as_bool());
  const uint64_t size = static_cast<uint64_t>(taken["tree_size"].as_int64());
  EXPECT_GT(size, 20u);
  EXPECT_LE(size, world.ledger().tree_size());
  // The staged copy is gone.
  for (const fs::directory_entry& entry : fs::directory_iterator(world.dir())) {
    EXPECT_EQ(entry.path().filename().string().rfind("backup-staging", 0), std::string::npos);
  }

  const std::string restored_dir = scratch_ + "/restored";
  testing::CliResult restore =
      RunCli({"restore", "--from", backup_dir, "--to", restored_dir, "--json"});
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  boost::json::object restored = ParseOut(restore);
  EXPECT_EQ(std::string(restored["verification"].as_object()["status"].as_string()), "clean");
  EXPECT_EQ(restored["tree_size"].as_int64(), static_cast<int64_t>(size));

  LedgerOptions read_only;
  read_only.read_only = true;
  auto copy = Ledger::Open(restored_dir, read_only);
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  ASSERT_EQ((*copy)->tree_size(), size);
  EXPECT_EQ(*(*copy)->RootAt(size), *world.ledger().RootAt(size));
  EXPECT_TRUE(fs::exists(restored_dir + "/system-key.pem"));
}

TEST_F(BackupTest, SecondBackupOfAStoppedLedgerIsIncremental) {
  testing::TestLedger world;
  world.SeedWorld();
  world.Close();
  const std::string backup_dir = scratch_ + "/backup";
  testing::CliResult first =
      RunCli({"backup", "--data", world.dir(), "--to", backup_dir, "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  world.Reopen();
  world.MustAppend(world.op.Sign("sale.recorded", testing::SaleBody("S-1", 1, 3500)));
  world.Close();
  testing::CliResult second =
      RunCli({"backup", "--data", world.dir(), "--to", backup_dir, "--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  boost::json::object a = ParseOut(first);
  boost::json::object b = ParseOut(second);
  EXPECT_FALSE(b["from_live_copy"].as_bool());
  EXPECT_EQ(a["backup_id"].as_int64() + 1, b["backup_id"].as_int64());
  EXPECT_EQ(a["tree_size"].as_int64() + 1, b["tree_size"].as_int64());
  const std::string restored_dir = scratch_ + "/restored";
  testing::CliResult restore = RunCli({"restore", "--from", backup_dir, "--to", restored_dir});
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
}

TEST_F(BackupTest, RestoreRefusesANonEmptyDirectoryAndTouchesNothing) {
  testing::TestLedger world;
  world.SeedWorld();
  world.Close();
  const std::string backup_dir = scratch_ + "/backup";
  ASSERT_EQ(RunCli({"backup", "--data", world.dir(), "--to", backup_dir}).exit_code, 0);
  const std::string target = scratch_ + "/occupied";
  fs::create_directories(target);
  { std::ofstream(target + "/keep.txt") << "mine"; }
  testing::CliResult result = RunCli({"restore", "--from", backup_dir, "--to", target, "--json"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("exists and is not empty"), std::string::npos) << result.err;
  EXPECT_EQ(std::string(ParseOut(result)["error"].as_object()["code"].as_string()),
            "already_exists");
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(target)) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"keep.txt"});
}

TEST_F(BackupTest, RestoreFromADirectoryThatIsNoBackupCreatesNothing) {
  const std::string target = scratch_ + "/restored";
  testing::CliResult result = RunCli({"restore", "--from", scratch_, "--to", target});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("is not a backup directory"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(target));
}

}  // namespace
}  // namespace fupin
