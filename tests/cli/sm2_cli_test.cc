// `keygen --alg sm2` and `sign` with the key it wrote: the SM2 key is
// registered by the admin's signed key.registered and its signed events
// are appended (docs/format.md, "SM2 keys").
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <sstream>

#include "ledger/codec.h"
#include "ledger/event.h"
#include "ledger/event_key.h"
#include "ledger/ledger.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

using testing::RunCli;

class Sm2CliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("fupin-sm2-cli"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  // keygen's output: {"alg", "public_key"}.
  boost::json::object Keygen(const std::string& name, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"keygen", "--out", Path(name)};
    args.insert(args.end(), extra.begin(), extra.end());
    testing::CliResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return boost::json::parse(r.out).as_object();
  }

  // One event signed by `sign` with `pem` as `key_id`.
  Envelope Sign(const std::string& pem, const std::string& key_id, const std::string& line) {
    testing::CliResult r = RunCli({"sign", "--key", Path(pem), "--key-id", key_id}, line + "\n");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Result<Envelope> envelope = ParseEnvelope(r.out.substr(0, r.out.find('\n')));
    EXPECT_TRUE(envelope.ok()) << envelope.status().ToString();
    return std::move(envelope).value();
  }

  std::string dir_;
};

TEST_F(Sm2CliTest, KeygenSm2WritesAnSm2PemWithMode0600AndPrintsItsPoint) {
  boost::json::object out = Keygen("op.pem", {"--alg", "sm2"});
  EXPECT_EQ(out.at("alg").as_string(), "sm2");
  Result<std::string> raw = Base64Decode(out.at("public_key").as_string());
  ASSERT_TRUE(raw.ok());
  ASSERT_EQ(raw->size(), 65u);
  EXPECT_EQ((*raw)[0], '\x04');
  struct stat st;
  ASSERT_EQ(stat(Path("op.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Result<crypto::Sm2PrivateKey> key = crypto::Sm2PrivateKey::ReadPemFile(Path("op.pem"));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->public_raw(), *raw);
}

TEST_F(Sm2CliTest, KeygenDefaultsToEd25519AndNamesIt) {
  boost::json::object out = Keygen("admin.pem");
  EXPECT_EQ(out.at("alg").as_string(), "ed25519");
  EXPECT_EQ(Base64Decode(out.at("public_key").as_string())->size(), 32u);
}

TEST_F(Sm2CliTest, KeygenRefusesAnUnknownAlg) {
  testing::CliResult r = RunCli({"keygen", "--out", Path("k.pem"), "--alg", "rsa"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(Path("k.pem")));
}

TEST_F(Sm2CliTest, Sm2KeyFromKeygenSignsEventsTheLedgerAccepts) {
  const boost::json::object admin = Keygen("admin.pem");
  const boost::json::object sm2 = Keygen("sm2.pem", {"--alg", "sm2"});
  ASSERT_EQ(RunCli({"init", "--data", Path("ledger"), "--admin-public-key",
                    std::string(admin.at("public_key").as_string())})
                .exit_code,
            0);
  // The admin registers the SM2 key with keygen's alg and public_key.
  boost::json::object body{{"key_id", "admin-sm2"},
                           {"alg", sm2.at("alg")},
                           {"public_key", sm2.at("public_key")},
                           {"roles", boost::json::array{"admin"}},
                           {"regions", boost::json::array{"000000"}}};
  boost::json::object registration{
      {"type", "key.registered"}, {"occurred_at", "2020-08-01T09:00:00+08:00"}, {"body", body}};
  Envelope registered = Sign("admin.pem", "admin", boost::json::serialize(registration));
  Envelope region = Sign(
      "sm2.pem", "admin-sm2",
      R"({"type":"region.defined","occurred_at":"2020-08-01T09:00:00+08:00",)"
      R"("body":{"code":"430000","name":"湖南省","level":"province","poverty_county":false}})");
  // The SM2 signature is DER, not 64 bytes.
  EXPECT_EQ(region.signature[0], '\x30');

  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(Path("ledger"));
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  AppendResult result = (*ledger)->Append({registered, region});
  ASSERT_TRUE(result.ok()) << result.status.ToString();
  EXPECT_EQ((*ledger)->tree_size(), 4u);
}

}  // namespace
}  // namespace fupin
