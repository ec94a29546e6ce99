// Replay against a data directory while a writer appends to it: each
// read-only open sees a consistent prefix of the log, and its answers
// equal a fresh fold of exactly that prefix.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <thread>

#include "projections/statistics_format.h"
#include "replay/state.h"
#include "replay/timeline.h"
#include "tests/replay/replay_world.h"
#include "tests/support/cli_runner.h"

namespace fupin::replay::testing {
namespace {

namespace pj = fupin::projections;

// Sales the writer appends while replay reads: enough for the reads to
// overlap the writes (each append waits for its own WAL sync).
inline constexpr int kWrites = 300;

TEST(ReplayBesideAWriter, EveryOpenSeesAConsistentPrefix) {
  StatsWorld w;
  TellStory(w);
  const uint64_t before = w.size();
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < kWrites; ++i) {
      w.Sale("W-" + std::to_string(i), 100 + i, kInWindow, "P-1", "C-1");
    }
    done = true;
  });
  std::vector<uint64_t> seen;
  std::vector<std::string> cli_outputs;
  for (int round = 0; round < 4 || (!done && round < 50); ++round) {
    Result<std::unique_ptr<Ledger>> reader = OpenReadOnly(w.ledger.dir());
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    const uint64_t size = (*reader)->tree_size();
    ASSERT_GE(size, before);
    seen.push_back(size);
    Result<ReplayState> state = StateAt(**reader, {size - 1, "CAMP-1", ""});
    ASSERT_TRUE(state.ok()) << state.status().ToString();
    pj::StatisticsProjection fresh;
    pj::testing::FoldFromZero(**reader, size, fresh);
    Result<pj::StatisticsTable> table = pj::BuildStatisticsTable(fresh.state(), "CAMP-1");
    ASSERT_TRUE(table.ok());
    EXPECT_EQ(boost::json::serialize(pj::StatisticsJson(state->campaigns[0].table)),
              boost::json::serialize(pj::StatisticsJson(*table)));
    Result<Timeline> timeline = BuildTimeline(**reader, "outlet:C-1", 0, size - 1);
    ASSERT_TRUE(timeline.ok());
    EXPECT_TRUE(timeline->ok());
    if (round == 1) {
      fupin::testing::CliResult cli =
          fupin::testing::RunCli({"replay", "state", "--data", w.ledger.dir(), "--as-of",
                                  "2030-01-01T00:00:00Z", "--campaign", "CAMP-1", "--json"});
      EXPECT_EQ(cli.exit_code, 0) << cli.err;
      cli_outputs.push_back(cli.out);
    }
  }
  writer.join();
  EXPECT_EQ(w.size(), before + kWrites);
  // The CLI's answer is the fold of the prefix it saw, whatever that was.
  ASSERT_EQ(cli_outputs.size(), 1u);
  boost::json::object answer = boost::json::parse(cli_outputs[0]).as_object();
  const uint64_t as_of = static_cast<uint64_t>(answer.at("as_of").as_int64());
  EXPECT_GE(as_of + 1, before);
  EXPECT_EQ(boost::json::serialize(answer.at("campaigns").as_array()[0].at("statistics")),
            boost::json::serialize(pj::StatisticsJson(w.TableAt(as_of + 1))));
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i], seen[i - 1]);
}

}  // namespace
}  // namespace fupin::replay::testing
