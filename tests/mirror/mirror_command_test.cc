// `fupin-ledger mirror` as a process: killed with SIGKILL in the middle of
// its catch-up it resumes from its last stored record and ends with the
// source's exact log; refusals name their cause and create nothing.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/serialize.hpp>
#include <filesystem>

#include "ledger/codec.h"
#include "ledger/file_io.h"
#include "tests/mirror/mirror_fixture.h"
#include "tests/support/cli_process.h"
#include "tests/support/cli_runner.h"

namespace fupin::mirror::testing {
namespace {

namespace fs = std::filesystem;
using fupin::testing::CliResult;
using fupin::testing::Eventually;
using fupin::testing::RunCli;

class MirrorCommandTest : public MirrorDirTest {
 protected:
  // A mirror configuration with the auditor's token for its own API.
  std::string WriteConfig() {
    boost::json::object token{{"id", "aud-1"},
                              {"sha256", HexEncode(crypto::Sha256(kAuditorToken))},
                              {"role", "auditor"},
                              {"regions", boost::json::array{"430000"}}};
    boost::json::object config{{"tokens", boost::json::array{token}}};
    const std::string path = Path("mirror-config.json");
    EXPECT_TRUE(WriteFileDurably(path, boost::json::serialize(config)).ok());
    return path;
  }
};

std::vector<StoredRecord> AllRecords(const std::string& dir) {
  LedgerOptions read_only;
  read_only.read_only = true;
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir, read_only);
  EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
  if (!ledger.ok()) return {};
  std::vector<StoredRecord> out;
  for (uint64_t from = 0; from < (*ledger)->tree_size(); from += 1000) {
    std::vector<StoredRecord> page = std::move((*ledger)->ReadRecords(from, 1000)).value();
    out.insert(out.end(), page.begin(), page.end());
  }
  return out;
}

TEST_F(MirrorCommandTest, KilledDuringItsCatchUpItResumesAndStoresEachRecordOnce) {
  SourceLedger source(Path("source"), fupin::testing::TestClock());
  source.Append(0, Golden().lines.size());
  source.Serve();
  ASSERT_TRUE(Eventually([&] { return source.Quiet(); }));
  const uint64_t size = source.ledger().tree_size();

  fupin::testing::CliProcess mirror = fupin::testing::StartCliProcess(
      {"mirror", "--from", source.url(), "--data", Path("mirror"), "--token",
       std::string(kAuditorToken), "--listen", "127.0.0.1:0", "--config", WriteConfig(),
       "--stretch", "500"});
  ASSERT_TRUE(mirror.ready.contains("listening")) << boost::json::serialize(mirror.ready);
  EXPECT_EQ(mirror.ready.at("mirror_of").as_string(), source.url());
  const std::string url(mirror.ready.at("listening").as_string());
  const uint16_t port = static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
  // Killed once it has stored some of the log, not all.
  uint64_t stored_when_killed = 0;
  ASSERT_TRUE(Eventually([&] {
    api::testing::HttpReply status =
        api::testing::TestClient(port).Get("/v1/mirror/status", std::string(kAuditorToken));
    if (status.status != 200) return false;
    stored_when_killed = static_cast<uint64_t>(status.Json().at("local_tree_size").as_int64());
    return stored_when_killed > 1000;
  }));
  fupin::testing::StopCliProcess(mirror, SIGKILL);
  EXPECT_LT(stored_when_killed, size) << "the catch-up ended before the kill";
  const std::vector<StoredRecord> partial = AllRecords(Path("mirror"));
  ASSERT_GE(partial.size(), stored_when_killed);

  CliResult resumed = RunCli({"mirror", "--from", source.url(), "--data", Path("mirror"), "--token",
                              std::string(kAuditorToken), "--once", "--json"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  boost::json::object status = boost::json::parse(resumed.out).as_object();
  EXPECT_EQ(status.at("local_tree_size").as_int64(), static_cast<int64_t>(size));
  EXPECT_EQ(status.at("verified_records").as_int64(), static_cast<int64_t>(size - partial.size()));

  // The same records as the source's, each once, and the mirror verifies
  // as a ledger does.
  const std::vector<StoredRecord> theirs = AllRecords(source.dir() + "");
  const std::vector<StoredRecord> ours = AllRecords(Path("mirror"));
  ASSERT_EQ(ours.size(), size);
  for (uint64_t i = 0; i < size; ++i) {
    ASSERT_EQ(ours[i].leaf_data, theirs[i].leaf_data) << i;
    ASSERT_EQ(ours[i].seq, i);
  }
  CliResult verified = RunCli({"verify", "--data", Path("mirror"), "--json"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  CliResult stats = RunCli({"stats", "--data", Path("mirror"), "--campaign", "HN-2020-09"});
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
}

TEST_F(MirrorCommandTest, AnUnreachableSourceCreatesNothing) {
  CliResult r =
      RunCli({"mirror", "--from", "http://127.0.0.1:1", "--data", Path("mirror"), "--once"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("unreachable"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(Path("mirror") + "/db"));
}

TEST_F(MirrorCommandTest, AMirrorIsNeitherServedNorFollowedAsALedger) {
  SourceLedger source(Path("source"), fupin::testing::TestClock());
  source.Append(0, 500);
  source.Serve();
  ASSERT_TRUE(Eventually([&] { return source.Quiet(); }));
  // Pinned to another system key: refused, nothing created.
  CliResult wrong_key = RunCli({"mirror", "--from", source.url(), "--data", Path("pinned"),
                                "--token", std::string(kAuditorToken), "--public-key",
                                fupin::testing::TestSigner(9, "x").public_b64(), "--once"});
  EXPECT_EQ(wrong_key.exit_code, 1) << wrong_key.out << wrong_key.err;
  EXPECT_NE(wrong_key.err.find("not signed by the pinned system key"), std::string::npos)
      << wrong_key.err;
  EXPECT_FALSE(fs::exists(Path("pinned") + "/db"));
  CliResult not_a_key = RunCli({"mirror", "--from", source.url(), "--data", Path("pinned"),
                                "--public-key", "not-base64", "--once"});
  EXPECT_EQ(not_a_key.exit_code, 2) << not_a_key.err;
  const std::string key = source.ledger().info().system_public_key;
  CliResult once = RunCli({"mirror", "--from", source.url(), "--data", Path("mirror"), "--token",
                           std::string(kAuditorToken), "--public-key", key, "--once"});
  ASSERT_EQ(once.exit_code, 0) << once.out << once.err;
  // `serve` cannot sequence on a mirror: it holds no system key.
  CliResult serve = RunCli({"serve", "--data", Path("mirror"), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(serve.exit_code, 2);
  EXPECT_NE(serve.err.find("is a mirror of " + source.url()), std::string::npos) << serve.err;
  // A ledger's own directory is no mirror.
  source.Close();
  CliResult onto_ledger =
      RunCli({"mirror", "--from", "http://127.0.0.1:1", "--data", Path("source"), "--once"});
  EXPECT_EQ(onto_ledger.exit_code, 2);
  EXPECT_NE(onto_ledger.err.find("not a mirror"), std::string::npos) << onto_ledger.err;
  // Bad options are refused before anything is read.
  CliResult stretch = RunCli({"mirror", "--from", "http://127.0.0.1:1", "--data", Path("other"),
                              "--stretch", "0", "--once"});
  EXPECT_EQ(stretch.exit_code, 2);
  EXPECT_FALSE(fs::exists(Path("other")));
}

}  // namespace
}  // namespace fupin::mirror::testing
