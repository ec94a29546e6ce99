// The command line of witnessed checkpoints: `init --origin`, `witness vkey`,
// `witness serve` as its own process (restarted on its state), and
// `verify --witness-policy`.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>

#include "api/client.h"
#include "ledger/ledger.h"
#include "ledger/signed_note.h"
#include "tests/support/cli_process.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

using testing::RunCli;

class WitnessCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("fupin-witness-cli"); }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string Keygen(const std::string& name) {
    testing::CliResult r = RunCli({"keygen", "--out", Path(name)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return std::string(boost::json::parse(r.out).at("public_key").as_string());
  }
  boost::json::object Init(const std::string& origin) {
    std::string admin = Keygen("admin.pem");
    testing::CliResult r = RunCli({"init", "--data", Path("ledger"), "--admin-public-key", admin,
                                   "--origin", origin, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return boost::json::parse(r.out).as_object();
  }

  std::string dir_;
};

// A `witness serve` child process and the URL it printed.
struct WitnessProcess {
  testing::CliProcess process;
  std::string url;
};

WitnessProcess StartWitness(const std::vector<std::string>& args) {
  WitnessProcess witness{testing::StartCliProcess(args), ""};
  const boost::json::value* listening = witness.process.ready.if_contains("listening");
  EXPECT_TRUE(listening != nullptr && listening->is_string()) << "no ready line";
  if (listening != nullptr && listening->is_string()) witness.url = listening->get_string();
  return witness;
}

int Stop(const WitnessProcess& witness) { return testing::StopCliProcess(witness.process); }

TEST_F(WitnessCommandTest, InitPrintsTheOriginAndTheSystemKeysVkey) {
  boost::json::object info = Init("hunan.fupin.example/ledger/2020");
  EXPECT_EQ(info.at("origin").as_string(), "hunan.fupin.example/ledger/2020");
  Result<note::VerifierKey> vkey = note::ParseVerifierKey(info.at("vkey").as_string());
  ASSERT_TRUE(vkey.ok()) << vkey.status().ToString();
  EXPECT_EQ(vkey->name, "hunan.fupin.example/ledger/2020");
  EXPECT_EQ(vkey->type, note::kTypeEd25519);
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(Path("ledger"));
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ((*ledger)->info().origin, "hunan.fupin.example/ledger/2020");
  EXPECT_EQ((*ledger)->note_key().public_key, vkey->public_key);
}

TEST_F(WitnessCommandTest, InitWithABadOriginCreatesNothing) {
  std::string admin = Keygen("admin.pem");
  for (const std::string& origin :
       std::vector<std::string>{"has space", "has+plus", std::string(256, 'a')}) {
    testing::CliResult r = RunCli({"init", "--data", Path("ledger"), "--admin-public-key", admin,
                                   "--origin", origin, "--json"});
    EXPECT_EQ(r.exit_code, 2) << origin;
    EXPECT_EQ(boost::json::parse(r.out).at("error").at("code").as_string(), "invalid_argument");
    EXPECT_FALSE(std::filesystem::exists(Path("ledger/db")));
  }
}

TEST_F(WitnessCommandTest, InitWithoutAnOriginNamesTheLogByItsId) {
  std::string admin = Keygen("admin.pem");
  testing::CliResult r =
      RunCli({"init", "--data", Path("ledger"), "--admin-public-key", admin, "--json"});
  ASSERT_EQ(r.exit_code, 0);
  boost::json::object info = boost::json::parse(r.out).as_object();
  EXPECT_EQ(info.at("origin").as_string(),
            "fupin-ledger/" + std::string(info.at("log_id").as_string()));
}

TEST_F(WitnessCommandTest, VkeyIsTheCosignerKeyOfTheNameAndKey) {
  Keygen("witness.pem");
  testing::CliResult r =
      RunCli({"witness", "vkey", "--key", Path("witness.pem"), "--name", "省审计厅"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Result<note::VerifierKey> vkey =
      note::ParseVerifierKey(boost::json::parse(r.out).at("vkey").as_string());
  ASSERT_TRUE(vkey.ok()) << vkey.status().ToString();
  EXPECT_EQ(vkey->name, "省审计厅");
  EXPECT_EQ(vkey->type, note::kTypeCosignatureV1);
  testing::CliResult bad =
      RunCli({"witness", "vkey", "--key", Path("witness.pem"), "--name", "a b", "--json"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST_F(WitnessCommandTest, ServeCosignsAndRemembersItsSizeAcrossARestart) {
  boost::json::object info = Init("fupin.example/witnessed");
  Keygen("witness.pem");
  const std::vector<std::string> args = {
      "witness",  "serve",        "--key",  Path("witness.pem"),
      "--name",   "湘西州扶贫办", "--data", Path("witness"),
      "--listen", "127.0.0.1:0",  "--log",  std::string(info.at("vkey").as_string())};
  std::string note_text;
  {
    Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(Path("ledger"));
    ASSERT_TRUE(ledger.ok());
    note_text = note::FormatNote((*ledger)->NoteAt(2).value());
  }
  WitnessProcess witness = StartWitness(args);
  auto client = std::move(api::HttpClient::Create(witness.url)).value();
  Result<api::ClientResponse> cosigned = client->Post("/add-checkpoint", "old 0\n\n" + note_text);
  ASSERT_TRUE(cosigned.ok());
  EXPECT_EQ(cosigned->status, 200u) << cosigned->body;
  EXPECT_EQ(Stop(witness), 0);

  WitnessProcess restarted = StartWitness(args);
  auto again = std::move(api::HttpClient::Create(restarted.url)).value();
  Result<api::ClientResponse> stale = again->Post("/add-checkpoint", "old 0\n\n" + note_text);
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(stale->status, 409u);
  EXPECT_EQ(stale->content_type, "text/x.tlog.size");
  EXPECT_EQ(stale->body, "2\n");
  EXPECT_EQ(Stop(restarted), 0);
}

TEST_F(WitnessCommandTest, ServeRefusesALogKeyThatIsNotAVkey) {
  Keygen("witness.pem");
  testing::CliResult r = RunCli({"witness", "serve", "--key", Path("witness.pem"), "--name", "w",
                                 "--data", Path("witness"), "--log", "not-a-vkey", "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--log"), std::string::npos) << r.err;
}

TEST_F(WitnessCommandTest, VerifyWithAPolicyNamesTheMissingWitness) {
  Init("fupin.example/unwitnessed");
  Keygen("witness.pem");
  testing::CliResult vkey =
      RunCli({"witness", "vkey", "--key", Path("witness.pem"), "--name", "省审计厅"});
  std::ofstream(Path("policy.json"))
      << R"({"witness_quorum":1,"witnesses":[{"name":"省审计厅","vkey":")"
      << boost::json::parse(vkey.out).at("vkey").as_string().c_str() << "\"}]}";
  testing::CliResult r =
      RunCli({"verify", "--data", Path("ledger"), "--witness-policy", Path("policy.json")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("witness_quorum"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("省审计厅"), std::string::npos) << r.out;
  std::ofstream(Path("bad-policy.json")) << R"({"witness_quorum":2,"witnesses":[]})";
  testing::CliResult bad =
      RunCli({"verify", "--data", Path("ledger"), "--witness-policy", Path("bad-policy.json")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("quorum"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace fupin
