// `fupin-ledger stats` run as a process on a data directory that another
// process (this test's ledger) holds open for writing, as a server would.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "projections/statistics_format.h"
#include "tests/projections/stats_world.h"
#include "tests/support/fixtures.h"

namespace fupin::projections {
namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;
};

CliRun Stats(const std::string& args) {
  std::string command = std::string(FUPIN_CLI_PATH) + " stats " + args + " 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  CliRun run;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe.get()))
    run.out.append(buf.data(), n);
  int status = pclose(pipe.release());
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(StatsCommandTest, PrintsTheSameJsonAsTheLibraryBesideAWriter) {
  testing::StatsWorld w;
  w.Sale("S-1", 12345, testing::kInWindow);
  CliRun run = Stats("--data " + w.ledger.dir() + " --campaign CAMP-1");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, RenderStatisticsJson(w.Table()) + "\n");
}

TEST(StatsCommandTest, AsOfShowsTheTableAtThatSeq) {
  testing::StatsWorld w;
  const uint64_t before = w.size();
  w.Sale("S-1", 12345, testing::kInWindow);
  CliRun run = Stats("--data " + w.ledger.dir() + " --campaign CAMP-1 --as-of " +
                     std::to_string(before - 1));
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, RenderStatisticsJson(w.TableAt(before)) + "\n");
}

TEST(StatsCommandTest, CsvOfOnePrefectureWithItsCounties) {
  testing::StatsWorld w;
  CliRun run =
      Stats("--data " + w.ledger.dir() + " --campaign CAMP-1 --region 430100 --format csv");
  ASSERT_EQ(run.exit_code, 0);
  Result<StatisticsTable> filtered = FilterRows(w.Table(), {"430100", std::nullopt});
  ASSERT_TRUE(filtered.ok());
  EXPECT_EQ(run.out, RenderStatisticsCsv(*filtered));
}

TEST(StatsCommandTest, RebuildGivesTheSameTable) {
  testing::StatsWorld w;
  w.Sale("S-1", 500, testing::kInWindow);
  CliRun run = Stats("--data " + w.ledger.dir() + " --campaign CAMP-1 --rebuild");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, RenderStatisticsJson(w.Table()) + "\n");
}

TEST(StatsCommandTest, XlsxGoesToTheOutFile) {
  testing::StatsWorld w;
  const std::string dir = fupin::testing::MakeTempDir("fupin-stats-cli");
  const std::string out = dir + "/table.xlsx";
  CliRun run =
      Stats("--data " + w.ledger.dir() + " --campaign CAMP-1 --format xlsx --json --out " + out);
  ASSERT_EQ(run.exit_code, 0);
  boost::json::object summary = boost::json::parse(run.out).as_object();
  EXPECT_EQ(summary.at("rows").as_int64(), 5);
  std::ifstream file(out, std::ios::binary);
  std::string magic(2, '\0');
  file.read(magic.data(), 2);
  EXPECT_EQ(magic, "PK");
  std::filesystem::remove_all(dir);
}

TEST(StatsCommandTest, UnknownCampaignExitsTwoWithAJsonError) {
  testing::StatsWorld w;
  CliRun run = Stats("--data " + w.ledger.dir() + " --campaign NOPE --json");
  EXPECT_EQ(run.exit_code, 2);
  boost::json::object error = boost::json::parse(run.out).as_object().at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), "not_found");
}

TEST(StatsCommandTest, AsOfBeyondTheLogExitsTwo) {
  testing::StatsWorld w;
  CliRun run =
      Stats("--data " + w.ledger.dir() + " --campaign CAMP-1 --as-of " + std::to_string(w.size()));
  EXPECT_EQ(run.exit_code, 2);
}

TEST(StatsCommandTest, MissingDataDirectoryExitsTwo) {
  CliRun run = Stats("--data /nonexistent/fupin --campaign CAMP-1");
  EXPECT_EQ(run.exit_code, 2);
}

}  // namespace
}  // namespace fupin::projections
