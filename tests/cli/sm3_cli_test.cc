// SM3 logs from the command line (docs/format.md "SM3 logs"): `init --hash
// sm3` with an SM2 admin key, a refused --hash that writes nothing, and a
// `witness serve --sm3-log` that checks the log's consistency proofs with
// SM3 (one told it is a SHA-256 log refuses the same proof).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <sstream>

#include "api/client.h"
#include "ledger/codec.h"
#include "ledger/event.h"
#include "ledger/ledger.h"
#include "ledger/signed_note.h"
#include "tests/support/cli_process.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

using testing::RunCli;

class Sm3CliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("fupin-sm3-cli"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  std::string Keygen(const std::string& name, const std::string& alg) {
    testing::CliResult r = RunCli({"keygen", "--out", Path(name), "--alg", alg});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return std::string(boost::json::parse(r.out).at("public_key").as_string());
  }

  std::string dir_;
};

TEST_F(Sm3CliTest, InitHashSm3WithAnSm2AdminKeyMakesAnSm3Log) {
  const std::string admin = Keygen("admin.pem", "sm2");
  testing::CliResult r = RunCli(
      {"init", "--data", Path("ledger"), "--admin-public-key", admin, "--hash", "sm3", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const boost::json::object info = boost::json::parse(r.out).as_object();
  EXPECT_EQ(info.at("hash").as_string(), "sm3");
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(Path("ledger"));
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  EXPECT_EQ((*ledger)->info().hash, merkle::HashAlg::kSm3);
  EXPECT_EQ((*ledger)->info().log_id, info.at("log_id").as_string());
  const StoredRecord admin_record = std::move((*ledger)->ReadRecord(1)).value();
  const boost::json::object body =
      boost::json::parse(admin_record.leaf_data).at("event").at("body").as_object();
  EXPECT_EQ(body.at("alg").as_string(), "sm2");
  EXPECT_EQ(body.at("public_key").as_string(), admin);
  // The default stays SHA-256.
  testing::CliResult plain = RunCli({"init", "--data", Path("plain"), "--admin-public-key",
                                     Keygen("plain.pem", "ed25519"), "--json"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(boost::json::parse(plain.out).at("hash").as_string(), "sha256");
}

TEST_F(Sm3CliTest, AnotherHashOrABadAdminKeyIsRefusedAndNothingIsWritten) {
  const std::string admin = Keygen("admin.pem", "ed25519");
  for (const std::string hash : {"md5", "SM3", "sha3-256", ""}) {
    testing::CliResult r = RunCli(
        {"init", "--data", Path("ledger"), "--admin-public-key", admin, "--hash", hash, "--json"});
    EXPECT_EQ(r.exit_code, 2) << hash;
    EXPECT_NE(r.err.find("--hash"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(Path("ledger"))) << hash;
  }
  // 33 bytes are neither an Ed25519 key nor an SM2 point.
  testing::CliResult r = RunCli({"init", "--data", Path("ledger"), "--admin-public-key",
                                 Base64Encode(std::string(33, '\x04')), "--hash", "sm3", "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(boost::json::parse(r.out).at("error").at("code").as_string(), "invalid_argument");
  EXPECT_FALSE(std::filesystem::exists(Path("ledger/db")));
}

// Posts `old` and its proof with `note` to a witness; the HTTP status.
unsigned AddCheckpoint(const std::string& url, uint64_t old, const std::vector<merkle::Hash>& proof,
                       const std::string& note) {
  std::string body = "old " + std::to_string(old) + "\n";
  for (const merkle::Hash& h : proof) {
    body += Base64Encode(std::string_view(reinterpret_cast<const char*>(h.data()), h.size()));
    body += "\n";
  }
  body += "\n" + note;
  auto client = std::move(api::HttpClient::Create(url)).value();
  Result<api::ClientResponse> response = client->Post("/add-checkpoint", body);
  EXPECT_TRUE(response.ok());
  return response.ok() ? response->status : 0;
}

TEST_F(Sm3CliTest, AWitnessChecksAnSm3LogsConsistencyWithSm3) {
  const std::string admin = Keygen("admin.pem", "ed25519");
  testing::CliResult init = RunCli(
      {"init", "--data", Path("ledger"), "--admin-public-key", admin, "--hash", "sm3", "--json"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string vkey(boost::json::parse(init.out).at("vkey").as_string());
  // Two more records (each its own checkpoint), signed by `sign`.
  std::string note2;
  std::string note4;
  std::vector<merkle::Hash> proof;
  {
    testing::CliResult signed_events = RunCli(
        {"sign", "--key", Path("admin.pem"), "--key-id", "admin"},
        R"({"type":"region.defined","occurred_at":"2020-08-01T09:00:00+08:00",)"
        R"("body":{"code":"430000","name":"湖南省","level":"province","poverty_county":false}})"
        "\n"
        R"({"type":"region.defined","occurred_at":"2020-08-01T09:00:00+08:00",)"
        R"("body":{"code":"430100","name":"长沙市","level":"prefecture","parent":"430000",)"
        R"("poverty_county":false}})"
        "\n");
    ASSERT_EQ(signed_events.exit_code, 0) << signed_events.err;
    LedgerOptions options;
    options.checkpoint_interval_ms = 0;
    Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(Path("ledger"), options);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    std::vector<Envelope> events;
    std::istringstream lines(signed_events.out);
    for (std::string line; std::getline(lines, line);) {
      events.push_back(std::move(ParseEnvelope(line)).value());
    }
    AppendResult appended = (*ledger)->Append(std::move(events));
    ASSERT_TRUE(appended.ok()) << appended.status.ToString();
    ASSERT_EQ((*ledger)->tree_size(), 4u);
    note2 = note::FormatNote((*ledger)->NoteAt(2).value());
    Result<note::Note> at4 = (*ledger)->NoteAt(4);
    ASSERT_TRUE(at4.ok()) << at4.status().ToString();
    note4 = note::FormatNote(*at4);
    proof = std::move((*ledger)->ConsistencyPath(2, 4)).value();
  }
  Keygen("witness.pem", "ed25519");
  for (const bool told_sm3 : {true, false}) {
    const std::string data = Path(told_sm3 ? "witness-sm3" : "witness-sha256");
    testing::CliProcess witness = testing::StartCliProcess(
        {"witness", "serve", "--key", Path("witness.pem"), "--name", "省审计厅", "--data", data,
         "--listen", "127.0.0.1:0", told_sm3 ? "--sm3-log" : "--log", vkey});
    ASSERT_TRUE(witness.ready.contains("listening"));
    const std::string url(witness.ready.at("listening").as_string());
    EXPECT_EQ(AddCheckpoint(url, 0, {}, note2), 200u);
    // The same SM3 proof: consistent for a witness that hashes with SM3,
    // not for one that takes the log for a SHA-256 one.
    EXPECT_EQ(AddCheckpoint(url, 2, proof, note4), told_sm3 ? 200u : 422u) << told_sm3;
    EXPECT_EQ(testing::StopCliProcess(witness), 0);
  }
}

TEST_F(Sm3CliTest, WitnessServeNeedsALog) {
  Keygen("witness.pem", "ed25519");
  testing::CliResult r = RunCli({"witness", "serve", "--key", Path("witness.pem"), "--name", "w",
                                 "--data", Path("witness"), "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--sm3-log"), std::string::npos) << r.out << r.err;
}

}  // namespace
}  // namespace fupin
