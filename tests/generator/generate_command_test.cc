// `fupin-ledger generate` on the command line: exit codes and the refusal
// to write into a non-empty directory.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>

#include "tests/generator/generated_campaign.h"
#include "tests/support/fixtures.h"

namespace fupin::generator {
namespace {

int RunGenerate(const std::string& args) {
  const std::string command =
      std::string(FUPIN_CLI_PATH) + " generate " + args + " >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(GenerateCommand, RefusesANonEmptyOutputDirectory) {
  const std::string dir = fupin::testing::MakeTempDir("fupin-gen-cli");
  std::ofstream(dir + "/already-here") << "x";
  EXPECT_EQ(RunGenerate("--seed 1 --scale small --out " + dir), 2);
  EXPECT_EQ(testing::FilesUnder(dir), std::vector<std::string>{"already-here"});
  std::filesystem::remove_all(dir);
}

TEST(GenerateCommand, RefusesAnUnknownScale) {
  const std::string dir = fupin::testing::MakeTempDir("fupin-gen-cli");
  EXPECT_EQ(RunGenerate("--seed 1 --scale enormous --out " + dir + "/out"), 2);
  EXPECT_FALSE(std::filesystem::exists(dir + "/out"));
  std::filesystem::remove_all(dir);
}

TEST(GenerateCommand, WritesTheCampaignAndExitsZero) {
  const std::string dir = fupin::testing::MakeTempDir("fupin-gen-cli");
  ASSERT_EQ(RunGenerate("--seed 5 --scale small --out " + dir + "/out --json"), 0);
  for (const char* file :
       {"events.jsonl", "labels.jsonl", "expected/stats.json", "expected/stats.csv",
        "keys/keys.json", "keys/README.txt", "keys/admin.pem", "manifest.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir + "/out/" + file)) << file;
  }
  const auto mode = std::filesystem::status(dir + "/out/keys/admin.pem").permissions();
  EXPECT_EQ(mode & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fupin::generator
