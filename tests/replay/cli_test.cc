// The replay and verify-bundle commands: exit codes (0 ok, 1 a failed
// check, 2 usage or I/O), JSON errors, and that a refused command writes
// nothing -- neither the output file nor anything in the data directory.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "tests/replay/replay_world.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fixtures.h"
#include "tests/support/loaded_campaign.h"

namespace fupin::replay::testing {
namespace {

namespace fs = std::filesystem;
using fupin::testing::CliResult;
using fupin::testing::ReadWholeFile;
using fupin::testing::RunCli;

// Every file under `dir` with its size and modification time.
std::map<std::string, std::pair<uintmax_t, fs::file_time_type>> Listing(const std::string& dir) {
  std::map<std::string, std::pair<uintmax_t, fs::file_time_type>> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      out[entry.path().string()] = {entry.file_size(), entry.last_write_time()};
    }
  }
  return out;
}

std::string ErrorCodeOf(const CliResult& result) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(result.out, ec);
  if (ec || !v.is_object() || !v.as_object().contains("error")) return "";
  return std::string(v.at("error").at("code").as_string());
}

class ReplayCliTest : public ::testing::Test {
 protected:
  ReplayCliTest() : out_dir_(fupin::testing::MakeTempDir("fupin-replay-cli")) {
    TellStory(w_);
    log_id_ = w_.log().info().log_id;
    system_key_ = w_.log().info().system_public_key;
    w_.ledger.Close();
    data_ = w_.ledger.dir();
  }
  ~ReplayCliTest() override { fs::remove_all(out_dir_); }

  StatsWorld w_;
  std::string out_dir_;
  std::string data_;
  std::string log_id_;
  std::string system_key_;
};

TEST_F(ReplayCliTest, BadInputExitsTwoAndWritesNothing) {
  const auto before = Listing(data_);
  const std::string out = out_dir_ + "/bundle.json";
  struct Case {
    std::vector<std::string> args;
    std::string code;
  };
  const std::vector<Case> cases = {
      {{"replay", "bundle", "widget/X", "--data", data_, "--out", out, "--json"},
       "invalid_argument"},
      {{"replay", "bundle", "product/NOPE", "--data", data_, "--out", out, "--json"}, "not_found"},
      {{"replay", "state", "--data", data_, "--as-of", "100000", "--json"}, "invalid_argument"},
      {{"replay", "state", "--data", data_, "--as-of", "1999-01-01T00:00:00Z", "--json"},
       "invalid_argument"},
      {{"replay", "timeline", "widget/X", "--data", data_, "--json"}, "invalid_argument"},
      {{"replay", "diff", "--data", data_, "--from", "5", "--to", "100000", "--json"},
       "invalid_argument"},
      {{"replay", "what-if", "--data", data_, "--rules", out_dir_ + "/missing.json", "--json"},
       "io_error"},
      {{"replay", "state", "--data", out_dir_ + "/no-ledger", "--as-of", "1", "--json"},
       "not_found"},
      {{"verify-bundle", out_dir_ + "/missing.json", "--json"}, "io_error"},
  };
  for (const Case& c : cases) {
    CliResult result = RunCli(c.args);
    EXPECT_EQ(result.exit_code, 2) << c.args[1] << " " << c.args[2] << ": " << result.err;
    EXPECT_EQ(ErrorCodeOf(result), c.code) << c.args[1] << " " << c.args[2] << ": " << result.out;
  }
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out + ".partial"));
  EXPECT_FALSE(fs::exists(out_dir_ + "/no-ledger"));
  EXPECT_EQ(Listing(data_), before);
}

TEST_F(ReplayCliTest, ABundleWrittenByTheCliVerifiesOfflineAndATamperedOneExitsOne) {
  const std::string out = out_dir_ + "/p1.json";
  CliResult built =
      RunCli({"replay", "bundle", "product/P-1", "--data", data_, "--out", out, "--json"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  CliResult ok =
      RunCli({"verify-bundle", out, "--log-id", log_id_, "--system-key", system_key_, "--json"});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(boost::json::parse(ok.out).at("trust_anchor").as_string(), "given");
  CliResult bare = RunCli({"verify-bundle", out});
  EXPECT_EQ(bare.exit_code, 0) << bare.out;
  EXPECT_NE(bare.err.find("trust anchor not given"), std::string::npos);

  // Change one character of the last record's signature.
  std::string text = ReadWholeFile(out);
  const std::size_t sig = text.rfind("\\\"sig\\\":\\\"");
  ASSERT_NE(sig, std::string::npos);
  const std::size_t at = sig + 12;  // inside the base64, past the escaped quotes
  text[at] = text[at] == 'A' ? 'B' : 'A';
  std::ofstream(out, std::ios::trunc) << text;
  CliResult bad = RunCli({"verify-bundle", out, "--json"});
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_EQ(boost::json::parse(bad.out).at("reason").as_string().subview().substr(0, 12),
            "proof of seq");

  std::ofstream(out, std::ios::trunc) << "{not json";
  EXPECT_EQ(RunCli({"verify-bundle", out}).exit_code, 2);
}

TEST_F(ReplayCliTest, EverySubcommandAnswersInJson) {
  const std::vector<std::vector<std::string>> commands = {
      {"replay", "state", "--data", data_, "--as-of", "20", "--region", "433127", "--json"},
      {"replay", "timeline", "product/P-1", "--data", data_, "--json"},
      {"replay", "diff", "--data", data_, "--from", "10", "--to", "25", "--json"},
  };
  for (const auto& args : commands) {
    CliResult result = RunCli(args);
    EXPECT_EQ(result.exit_code, 0) << args[1] << ": " << result.err;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(result.out, ec);
    EXPECT_FALSE(ec) << args[1] << ": " << result.out;
    EXPECT_TRUE(v.is_object());
  }
  CliResult text = RunCli({"replay", "timeline", "outlet/C-2", "--data", data_});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("网点设立"), std::string::npos);
}

}  // namespace
}  // namespace fupin::replay::testing
