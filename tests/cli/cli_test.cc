// The keygen, init and sign subcommands, run as a user would run them.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <sstream>

#include "ledger/codec.h"
#include "ledger/crypto.h"
#include "ledger/event.h"
#include "ledger/ledger.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

using testing::RunCli;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("fupin-cli"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  // Creates a key with keygen and returns its public key.
  std::string Keygen(const std::string& name) {
    testing::CliResult r = RunCli({"keygen", "--out", Path(name)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return std::string(boost::json::parse(r.out).at("public_key").as_string());
  }

  std::string dir_;
};

TEST_F(CliTest, KeygenWritesPrivateKeyWithMode0600) {
  std::string public_key = Keygen("admin.pem");
  Result<std::string> raw = Base64Decode(public_key);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), 32u);
  struct stat st;
  ASSERT_EQ(stat(Path("admin.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Result<crypto::Ed25519PrivateKey> key = crypto::Ed25519PrivateKey::ReadPemFile(Path("admin.pem"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->public_raw(), *raw);
}

TEST_F(CliTest, KeygenRefusesToOverwrite) {
  Keygen("admin.pem");
  testing::CliResult r = RunCli({"keygen", "--out", Path("admin.pem")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("already_exists"), std::string::npos) << r.err;
}

TEST_F(CliTest, EveryCommandHasHelp) {
  for (const char* command : {"keygen", "init", "sign", "submit", "serve"}) {
    testing::CliResult r = RunCli({command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("--"), std::string::npos) << command;
  }
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunCli({}).exit_code, 2);
  EXPECT_EQ(RunCli({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(RunCli({"keygen"}).exit_code, 2);  // --out missing
}

TEST_F(CliTest, InitPrintsGenesisAndLedgerOpens) {
  std::string admin = Keygen("admin.pem");
  testing::CliResult r =
      RunCli({"init", "--data", Path("ledger"), "--admin-public-key", admin, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  boost::json::object info = boost::json::parse(r.out).as_object();
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(Path("ledger"));
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  EXPECT_EQ(info["log_id"].as_string(), (*ledger)->info().log_id);
  EXPECT_EQ(info["system_key_id"].as_string(), (*ledger)->info().system_key_id);
  EXPECT_EQ(info["system_public_key"].as_string(), (*ledger)->info().system_public_key);
  EXPECT_EQ((*ledger)->tree_size(), 2u);
}

TEST_F(CliTest, InitTwiceIsRefused) {
  std::string admin = Keygen("admin.pem");
  ASSERT_EQ(RunCli({"init", "--data", Path("ledger"), "--admin-public-key", admin}).exit_code, 0);
  testing::CliResult again =
      RunCli({"init", "--data", Path("ledger"), "--admin-public-key", admin});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already_exists"), std::string::npos) << again.err;
}

TEST_F(CliTest, InitWithBadKeyCreatesNothing) {
  testing::CliResult r =
      RunCli({"init", "--data", Path("ledger"), "--admin-public-key", "AAAA", "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(boost::json::parse(r.out).at("error").at("code").as_string(), "invalid_argument");
  EXPECT_FALSE(std::filesystem::exists(Path("ledger/db")));
  EXPECT_FALSE(std::filesystem::exists(Path("ledger/system-key.pem")));
}

TEST_F(CliTest, SignFillsIdVersionAndKeyAndVerifies) {
  Keygen("admin.pem");
  testing::CliResult r =
      RunCli({"sign", "--key", Path("admin.pem"), "--key-id", "admin"},
             "{\"type\":\"region.defined\",\"occurred_at\":\"2020-08-01T09:00:00+08:00\","
             "\"body\":{\"code\":\"430000\",\"name\":\"湖南省\",\"level\":\"province\",\"poverty_"
             "county\":false}}\n"
             "\n"
             "{\"id\":\"00000000-0000-4000-8000-000000000001\",\"type\":\"region.defined\",\"v\":1,"
             "\"occurred_at\":\"2020-08-01T09:00:00+08:00\",\"key\":\"admin\","
             "\"body\":{\"code\":\"430100\",\"name\":\"长沙市\",\"level\":\"prefecture\","
             "\"parent\":\"430000\",\"poverty_county\":false}}\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  Result<crypto::Ed25519PrivateKey> key = crypto::Ed25519PrivateKey::ReadPemFile(Path("admin.pem"));
  int count = 0;
  while (std::getline(lines, line)) {
    Result<Envelope> envelope = ParseEnvelope(line);
    ASSERT_TRUE(envelope.ok()) << envelope.status().ToString();
    EXPECT_EQ(envelope->key_id, "admin");
    EXPECT_TRUE(key->public_key().Verify(envelope->signing_input, envelope->signature));
    ++count;
  }
  EXPECT_EQ(count, 2);
  EXPECT_NE(r.out.find("00000000-0000-4000-8000-000000000001"), std::string::npos);
}

TEST_F(CliTest, SignRefusesOtherKeyIdAndWritesNothing) {
  Keygen("admin.pem");
  testing::CliResult r = RunCli(
      {"sign", "--key", Path("admin.pem"), "--key-id", "admin"},
      "{\"type\":\"region.defined\",\"occurred_at\":\"2020-08-01T09:00:00+08:00\",\"body\":{}}\n"
      "{\"type\":\"region.defined\",\"key\":\"someone\",\"occurred_at\":\"2020-08-01T09:00:00+08:"
      "00\",\"body\":{}}\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
}

TEST_F(CliTest, SignRefusesMalformedLine) {
  Keygen("admin.pem");
  testing::CliResult r = RunCli({"sign", "--key", Path("admin.pem"), "--key-id", "admin", "--json"},
                                "{\"type\":\"x\",\"amount\":1.5}\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(boost::json::parse(r.out).at("error").at("code").as_string(), "number_not_integer");
  EXPECT_NE(r.err.find("line 1"), std::string::npos);
}

TEST_F(CliTest, SignWithMissingKeyFileIsIoError) {
  testing::CliResult r = RunCli({"sign", "--key", Path("nope.pem"), "--key-id", "admin"}, "{}\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("io_error"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace fupin
