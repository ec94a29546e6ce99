// Crash safety: a child process appends and reports every acknowledged
// event; the parent kills it with SIGKILL at random moments, reopens the
// store and checks that nothing acknowledged was lost and that the log,
// its indexes and its Merkle tree still agree.
//
// 20 rounds by default; FUPIN_CRASH_ROUNDS=200 for the long mode.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "ledger/codec.h"
#include "ledger/ledger.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"

namespace fupin {
namespace {

using testing::SaleBody;

int Rounds() {
  const char* env = std::getenv("FUPIN_CRASH_ROUNDS");
  return env != nullptr ? std::max(1, std::atoi(env)) : 20;
}

// Runs in the child: appends every event (duplicates of earlier rounds are
// acknowledged again) and writes each acknowledged id to `fd`.
[[noreturn]] void AppendForever(const std::string& dir, const std::vector<std::string>& events,
                                int fd) {
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir);
  if (!ledger.ok()) _exit(3);
  std::size_t i = 0;
  while (i < events.size()) {
    // Alternate single events and small batches so both paths are killed.
    std::size_t n = (i % 3 == 0) ? 1 : std::min<std::size_t>(4, events.size() - i);
    std::vector<Envelope> batch;
    for (std::size_t k = 0; k < n; ++k) batch.push_back(*ParseEnvelope(events[i + k]));
    AppendResult result = (*ledger)->Append(batch);
    if (!result.ok()) _exit(4);
    for (const AppendedEvent& e : result.events) {
      std::string line = e.id + "\n";
      if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(5);
    }
    i += n;
  }
  _exit(0);
}

// Checks the reopened store against itself and the acknowledged ids.
void CheckStore(Ledger& ledger, const std::set<std::string>& acknowledged) {
  uint64_t size = ledger.tree_size();
  merkle::InMemoryNodes recomputed(merkle::HashAlg::kSha256);
  for (uint64_t seq = 0; seq < size; ++seq) {
    Result<StoredRecord> record = ledger.ReadRecord(seq);
    ASSERT_TRUE(record.ok()) << "gap at seq " << seq << ": " << record.status().ToString();
    ASSERT_EQ(record->leaf_hash, merkle::LeafHash(merkle::HashAlg::kSha256, record->leaf_data))
        << "seq " << seq;
    recomputed.AppendLeaf(record->leaf_hash);
    boost::json::object object = boost::json::parse(record->leaf_data).as_object();
    std::string id(object["event"].as_object()["id"].as_string());
    Result<std::optional<uint64_t>> found = ledger.FindEvent(id);
    ASSERT_TRUE(found.ok() && found->has_value()) << "event-id index lacks seq " << seq;
    ASSERT_EQ(**found, seq);
  }
  ASSERT_EQ(*ledger.RootAt(size), recomputed.Root());
  for (const std::string& id : acknowledged) {
    Result<std::optional<uint64_t>> found = ledger.FindEvent(id);
    ASSERT_TRUE(found.ok() && found->has_value()) << "acknowledged event " << id << " lost";
  }
  Result<std::vector<StreamEntry>> stream = ledger.ReadStream("outlet:C-1", 1, 1000000);
  ASSERT_TRUE(stream.ok());
  std::string prev;
  for (std::size_t i = 0; i < stream->size(); ++i) {
    const StreamEntry& entry = (*stream)[i];
    ASSERT_EQ(entry.version, i + 1);
    boost::json::object object = boost::json::parse(entry.record.leaf_data).as_object();
    ASSERT_EQ(object["prev_stream_hash"].as_string(), prev);
    prev = HexEncode(entry.record.leaf_hash);
  }
  Result<Checkpoint> checkpoint = ledger.LatestCheckpoint();
  ASSERT_TRUE(checkpoint.ok());
  ASSERT_TRUE(VerifyCheckpoint(*checkpoint, ledger.system_public_key()));
  ASSERT_EQ(checkpoint->root_hash, *ledger.RootAt(checkpoint->tree_size));
}

TEST(LedgerCrash, AcknowledgedEventsSurviveSigkill) {
  // Build the world and the events in a scratch ledger, then replay them.
  testing::TestLedger world;
  world.SeedWorld();
  std::vector<std::string> events;
  for (uint64_t seq = 2; seq < world.ledger().tree_size(); ++seq) {
    boost::json::object object =
        boost::json::parse(world.ledger().ReadRecord(seq)->leaf_data).as_object();
    events.push_back(boost::json::serialize(object["event"]));
  }
  for (int i = 0; i < 3000; ++i) {
    events.push_back(
        world.op.SignJson("sale.recorded", SaleBody("S-" + std::to_string(i), 1, 3500)));
  }

  std::string dir = testing::MakeTempDir("fupin-crash");
  ASSERT_TRUE(Ledger::Init(dir, world.admin.public_b64(), "admin").ok());

  std::mt19937 random(20200901);
  std::set<std::string> acknowledged;
  int rounds = Rounds();
  for (int round = 0; round < rounds; ++round) {
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(pipe_fds[0]);
      AppendForever(dir, events, pipe_fds[1]);
    }
    close(pipe_fds[1]);
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 400)(random)));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    std::string received;
    char buf[4096];
    ssize_t n;
    while ((n = read(pipe_fds[0], buf, sizeof(buf))) > 0) received.append(buf, n);
    close(pipe_fds[0]);
    if (WIFEXITED(status)) {
      ASSERT_EQ(WEXITSTATUS(status), 0) << "child failed in round " << round;
    }
    std::size_t start = 0;
    for (std::size_t end; (end = received.find('\n', start)) != std::string::npos;
         start = end + 1) {
      acknowledged.insert(received.substr(start, end - start));
    }

    Result<std::unique_ptr<Ledger>> reopened = Ledger::Open(dir);
    ASSERT_TRUE(reopened.ok()) << "round " << round << ": " << reopened.status().ToString();
    CheckStore(**reopened, acknowledged);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_GT(acknowledged.size(), 0u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fupin
