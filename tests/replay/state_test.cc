// replay state: at every seq of a small world, the table and targets equal
// LedgerProjections' as_of answer and a fresh fold from zero; entity states
// equal a fresh entity fold; times resolve to the last seq at or before.
#include "replay/state.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "ledger/time.h"
#include "projections/ledger_projections.h"
#include "projections/statistics_format.h"
#include "projections/targets_format.h"
#include "tests/replay/replay_world.h"

namespace fupin::replay::testing {
namespace {

namespace pj = fupin::projections;
using boost::json::serialize;
using pj::testing::RowOf;

TEST(ReplayState, EqualsTheProjectionsAsOfAnswerAndAFreshFoldAtEverySeq) {
  StatsWorld w;
  TellStory(w);
  Result<std::unique_ptr<pj::LedgerProjections>> projections =
      pj::LedgerProjections::Open(w.log(), pj::RunnerOptions{.persist = false});
  ASSERT_TRUE(projections.ok());
  std::size_t compared = 0;
  for (uint64_t seq = 0; seq < w.size(); ++seq) {
    Result<ReplayState> state = StateAt(w.log(), {seq, "CAMP-1", ""});
    auto fresh = w.Fold(seq + 1);
    Result<pj::StatisticsTable> fresh_table = pj::BuildStatisticsTable(fresh->state(), "CAMP-1");
    Result<pj::StatisticsTable> as_of = (*projections)->Statistics("CAMP-1", seq);
    if (!fresh_table.ok()) {
      // Before campaign.defined: every source says the campaign is unknown.
      EXPECT_EQ(state.status().code(), ErrorCode::kNotFound) << seq;
      EXPECT_EQ(as_of.status().code(), ErrorCode::kNotFound) << seq;
      continue;
    }
    ASSERT_TRUE(state.ok()) << seq << ": " << state.status().ToString();
    ASSERT_TRUE(as_of.ok()) << seq;
    ASSERT_EQ(state->campaigns.size(), 1u);
    const std::string replayed = serialize(pj::StatisticsJson(state->campaigns[0].table));
    EXPECT_EQ(replayed, serialize(pj::StatisticsJson(*as_of))) << seq;
    EXPECT_EQ(replayed, serialize(pj::StatisticsJson(*fresh_table))) << seq;
    Result<pj::TargetsReport> targets = (*projections)->Targets("CAMP-1", seq);
    ASSERT_TRUE(targets.ok());
    EXPECT_EQ(serialize(pj::TargetsJson(state->campaigns[0].targets)),
              serialize(pj::TargetsJson(*targets)))
        << seq;
    pj::EntityProjection entities;
    pj::testing::FoldFromZero(w.log(), seq + 1, entities);
    EXPECT_EQ(state->entities->EncodeState(), entities.EncodeState()) << seq;
    ++compared;
  }
  EXPECT_GT(compared, 10u);
}

TEST(ReplayState, TheStoryMovesTheFiguresAsItShould) {
  StatsWorld w;
  const uint64_t first = TellStory(w);
  // After S-1 (5000) and S-2 (12000), before the refund and the revocation.
  Result<ReplayState> mid = StateAt(w.log(), {first + 5, "CAMP-1", ""});
  Result<ReplayState> end = StateAt(w.log(), {w.size() - 1, "CAMP-1", ""});
  ASSERT_TRUE(mid.ok() && end.ok());
  EXPECT_EQ(RowOf(mid->campaigns[0].table, "430000").sales_fen, 17000);
  // Refund of 1000 on S-1, S-2 revoked retroactively, S-3 (7000) added.
  EXPECT_EQ(RowOf(end->campaigns[0].table, "430000").sales_fen, 4000 + 7000);
}

TEST(ReplayState, ARegionFiltersTheRowsAndListsItsEntities) {
  StatsWorld w;
  TellStory(w);
  Result<ReplayState> state = StateAt(w.log(), {w.size() - 1, "", "433127"});
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  ASSERT_EQ(state->campaigns.size(), 1u);
  for (const pj::StatisticsRow& row : state->campaigns[0].table.rows) {
    EXPECT_EQ(row.region, "433127");
  }
  std::vector<std::string> listed;
  for (const RegionEntity& e : state->region_entities)
    listed.push_back(e.kind + ":" + e.id + ":" + e.status);
  EXPECT_EQ(listed, (std::vector<std::string>{"product:P-1:certified", "product:P-2:revoked",
                                              "supplier:SUP-1:registered", "household:H-1:poor",
                                              "household:H-2:poor", "outlet:C-2:closed"}));
}

TEST(ReplayState, ATimeResolvesToTheLastSeqRecordedAtOrBeforeIt) {
  StatsWorld w;
  TellStory(w);
  const uint64_t size = w.size();
  for (uint64_t seq = 0; seq < size; ++seq) {
    const std::string at = RecordedAt(w.log(), seq);
    Result<uint64_t> resolved = ResolveAsOf(w.log(), at);
    ASSERT_TRUE(resolved.ok()) << at;
    EXPECT_GE(*resolved, seq);
    EXPECT_EQ(RecordedAt(w.log(), *resolved), at);
    if (*resolved + 1 < size) {
      EXPECT_GT(RecordedAt(w.log(), *resolved + 1), at);
    }
  }
  Result<int64_t> first = ParseRfc3339Millis(RecordedAt(w.log(), 0));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(ResolveAsOf(w.log(), FormatUtcMillis(*first - 1)).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(*ResolveAsOf(w.log(), "2030-01-01T00:00:00Z"), size - 1);
}

TEST(ReplayState, ASeqBeyondTheLogOrGarbageIsRefused) {
  StatsWorld w;
  EXPECT_EQ(ResolveAsOf(w.log(), std::to_string(w.size())).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(ResolveAsOf(w.log(), "yesterday").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(StateAt(w.log(), {w.size(), "", ""}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(StateAt(w.log(), {w.size() - 1, "NO-SUCH", ""}).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace fupin::replay::testing
