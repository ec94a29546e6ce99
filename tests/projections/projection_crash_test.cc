// Crash safety of projection state: a child process folds and saves the
// projections (small save and snapshot intervals, so it is almost always
// writing) while appending; the parent kills it with SIGKILL at random
// moments, reopens, and checks that the stored state is exactly the fold
// of the log up to its stored position, and that catching up from there
// gives the fold of the whole log.
//
// 10 rounds by default; FUPIN_CRASH_ROUNDS=100 for the long mode.
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
#include <thread>

#include "projections/ledger_projections.h"
#include "tests/projections/scenario.h"
#include "tests/support/fixtures.h"

namespace fupin::projections {
namespace {

int Rounds() {
  const char* env = std::getenv("FUPIN_CRASH_ROUNDS");
  return env != nullptr ? std::max(1, std::atoi(env)) : 10;
}

RunnerOptions BusyOptions() {
  RunnerOptions options;
  // Saves and snapshots as often as the intervals allow, whatever the
  // state's size.
  options.save_bytes_per_record = 1 << 20;
  options.persist_every = 7;
  options.snapshot_interval = 50;
  options.scan.chunk_records = 5;
  options.poll_interval = std::chrono::milliseconds(1);
  options.idle_save_after = std::chrono::milliseconds(0);
  return options;
}

// The child: appends the events not yet in the log while the background
// runner folds and saves, then rebuilds over and over until killed.
[[noreturn]] void FoldForever(const std::string& dir, const std::vector<std::string>& events) {
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir);
  if (!ledger.ok()) _exit(3);
  Result<std::unique_ptr<LedgerProjections>> projections =
      LedgerProjections::Open(**ledger, BusyOptions());
  if (!projections.ok()) _exit(4);
  (*projections)->runner().Start();
  for (std::size_t i = 0; i < events.size(); ++i) {
    AppendResult appended = (*ledger)->Append({*ParseEnvelope(events[i])});
    if (!appended.ok()) _exit(5);  // duplicates of earlier rounds are acknowledged, not refused
    (*projections)->runner().Notify();
  }
  for (;;) {
    if (!(*projections)->runner().Rebuild().ok()) _exit(6);
  }
}

std::string FoldedState(const Ledger& ledger, uint64_t position, std::size_t index) {
  if (index == LedgerProjections::kStatistics) {
    StatisticsProjection p;
    testing::FoldFromZero(ledger, position, p);
    return p.EncodeState();
  }
  EntityProjection p;
  testing::FoldFromZero(ledger, position, p);
  return p.EncodeState();
}

// The stored state (loaded by a fresh runner) equals the fold of the log up
// to the stored position, for both projections.
void CheckStoredState(const Ledger& ledger, int round) {
  RunnerOptions options = BusyOptions();
  options.persist = false;
  Result<std::unique_ptr<LedgerProjections>> projections = LedgerProjections::Open(ledger, options);
  ASSERT_TRUE(projections.ok()) << projections.status().ToString();
  ProjectionRunner& runner = (*projections)->runner();
  EXPECT_TRUE(runner.discarded().empty()) << "round " << round;
  for (std::size_t index : {LedgerProjections::kStatistics, LedgerProjections::kEntities}) {
    std::string stored;
    uint64_t position = 0;
    runner.Read(index, [&](const Projection& p, uint64_t at) {
      stored = p.EncodeState();
      position = at;
    });
    EXPECT_EQ(stored, FoldedState(ledger, position, index))
        << "round " << round << ", projection " << index << " at " << position;
  }
  ASSERT_TRUE(runner.CatchUp().ok());
  for (std::size_t index : {LedgerProjections::kStatistics, LedgerProjections::kEntities}) {
    runner.Read(index, [&](const Projection& p, uint64_t at) {
      EXPECT_EQ(at, ledger.tree_size());
      EXPECT_EQ(p.EncodeState(), FoldedState(ledger, at, index)) << "round " << round;
    });
  }
}

TEST(ProjectionCrashTest, StoredStateMatchesItsPositionAfterSigkill) {
  // The scenario's events, signed once, replayed into a fresh ledger.
  testing::StatsWorld world;
  testing::PlayScenario(world, [] {});
  for (int i = 0; i < 300; ++i) {
    world.Sale("S-bulk-" + std::to_string(i), 100 + i,
               "2020-09-2" + std::to_string(i % 10) + "T10:00:00+08:00");
  }
  std::vector<std::string> events;
  for (uint64_t seq = 2; seq < world.size(); ++seq) {
    boost::json::object leaf =
        boost::json::parse(world.log().ReadRecord(seq)->leaf_data).as_object();
    events.push_back(boost::json::serialize(leaf["event"]));
  }
  const std::string dir = fupin::testing::MakeTempDir("fupin-projection-crash");
  ASSERT_TRUE(Ledger::Init(dir, world.ledger.admin.public_b64(), "admin").ok());

  std::mt19937 random(20200930);
  for (int round = 0; round < Rounds(); ++round) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) FoldForever(dir, events);
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 600)(random)));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFEXITED(status)) {
      ASSERT_EQ(WEXITSTATUS(status), 0) << "child failed in round " << round;
    }
    Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    CheckStoredState(**ledger, round);
    if (::testing::Test::HasFailure()) break;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fupin::projections
