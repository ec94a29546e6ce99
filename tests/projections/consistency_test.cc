// Incremental folding, rebuild from zero, as_of folds from snapshots and a
// restart from the stored state all give the same state, byte for byte,
// at every seq of a varied history.
#include <gtest/gtest.h>

#include <map>

#include "projections/statistics_format.h"
#include "tests/projections/scenario.h"

namespace fupin::projections {
namespace {

using testing::StatsWorld;

// Small intervals so the history crosses many snapshot boundaries and
// saves; the behaviour does not depend on their size.
RunnerOptions SmallIntervals() {
  RunnerOptions options;
  options.snapshot_interval = 5;
  // Saves and snapshots as often as the intervals allow, whatever the
  // state's size.
  options.save_bytes_per_record = 1 << 20;
  options.persist_every = 3;
  options.scan.chunk_records = 4;
  return options;
}

struct Recorded {
  std::string statistics;  // EncodeState
  std::string entities;
  std::string table_json;
};

class ConsistencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    projections_ = std::move(LedgerProjections::Open(w_.log(), SmallIntervals())).value();
    Record();
    testing::PlayScenario(w_, [&] { Record(); });
  }

  // Folds the live state one record further (as after a commit) and keeps
  // what it looks like at this position.
  void Record() {
    ASSERT_TRUE(projections_->runner().CatchUp().ok());
    Recorded r;
    uint64_t position = 0;
    projections_->runner().Read(LedgerProjections::kStatistics,
                                [&](const Projection& p, uint64_t at) {
                                  r.statistics = p.EncodeState();
                                  position = at;
                                });
    projections_->runner().Read(LedgerProjections::kEntities, [&](const Projection& p, uint64_t) {
      r.entities = p.EncodeState();
    });
    Result<StatisticsTable> table = projections_->Statistics("CAMP-1", std::nullopt);
    ASSERT_TRUE(table.ok());
    r.table_json = RenderStatisticsJson(*table);
    recorded_[position] = std::move(r);
  }

  StatsWorld w_;
  std::unique_ptr<LedgerProjections> projections_;
  std::map<uint64_t, Recorded> recorded_;  // by position
};

TEST_F(ConsistencyTest, RebuildFromZeroEqualsIncrementalState) {
  const Recorded& last = recorded_.rbegin()->second;
  ASSERT_TRUE(projections_->runner().Rebuild().ok());
  projections_->runner().Read(LedgerProjections::kStatistics, [&](const Projection& p, uint64_t) {
    EXPECT_EQ(p.EncodeState(), last.statistics);
  });
  projections_->runner().Read(LedgerProjections::kEntities, [&](const Projection& p, uint64_t) {
    EXPECT_EQ(p.EncodeState(), last.entities);
  });
}

TEST_F(ConsistencyTest, AsOfFoldEqualsIncrementalStateAtEverySeq) {
  for (const auto& [position, expected] : recorded_) {
    Result<std::unique_ptr<Projection>> statistics =
        projections_->runner().StateAt(LedgerProjections::kStatistics, position);
    ASSERT_TRUE(statistics.ok()) << statistics.status().ToString();
    EXPECT_EQ((*statistics)->EncodeState(), expected.statistics) << "position " << position;
    Result<std::unique_ptr<Projection>> entities =
        projections_->runner().StateAt(LedgerProjections::kEntities, position);
    ASSERT_TRUE(entities.ok());
    EXPECT_EQ((*entities)->EncodeState(), expected.entities) << "position " << position;
  }
}

TEST_F(ConsistencyTest, AsOfTableEqualsTheLiveTableAtThatSeq) {
  for (const auto& [position, expected] : recorded_) {
    Result<StatisticsTable> table = projections_->Statistics("CAMP-1", position - 1);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    EXPECT_EQ(RenderStatisticsJson(*table), expected.table_json) << "as_of " << position - 1;
  }
}

TEST_F(ConsistencyTest, FoldFromZeroWithoutStoredStateEqualsIncrementalState) {
  for (const auto& [position, expected] : recorded_) {
    StatisticsProjection statistics;
    testing::FoldFromZero(w_.log(), position, statistics);
    EXPECT_EQ(statistics.EncodeState(), expected.statistics) << "position " << position;
    EntityProjection entities;
    testing::FoldFromZero(w_.log(), position, entities);
    EXPECT_EQ(entities.EncodeState(), expected.entities) << "position " << position;
  }
}

TEST_F(ConsistencyTest, RestartResumesFromTheStoredStateUnchanged) {
  ASSERT_TRUE(projections_->runner().Save().ok());
  const uint64_t size = w_.size();
  projections_.reset();
  w_.ledger.Reopen();
  projections_ = std::move(LedgerProjections::Open(w_.log(), SmallIntervals())).value();
  EXPECT_TRUE(projections_->runner().discarded().empty());
  EXPECT_EQ(projections_->runner().position(), size);  // nothing left to fold
  projections_->runner().Read(LedgerProjections::kStatistics, [&](const Projection& p, uint64_t) {
    EXPECT_EQ(p.EncodeState(), recorded_.at(size).statistics);
  });
}

TEST_F(ConsistencyTest, DecodedStateEncodesToTheSameBytes) {
  const Recorded& last = recorded_.rbegin()->second;
  StatisticsProjection statistics;
  ASSERT_TRUE(statistics.DecodeState(last.statistics).ok());
  EXPECT_EQ(statistics.EncodeState(), last.statistics);
  EntityProjection entities;
  ASSERT_TRUE(entities.DecodeState(last.entities).ok());
  EXPECT_EQ(entities.EncodeState(), last.entities);
}

TEST_F(ConsistencyTest, TruncatedStateIsDataLoss) {
  const std::string& bytes = recorded_.rbegin()->second.statistics;
  StatisticsProjection statistics;
  Status decoded = statistics.DecodeState(bytes.substr(0, bytes.size() / 2));
  EXPECT_EQ(decoded.code(), ErrorCode::kDataLoss);
}

}  // namespace
}  // namespace fupin::projections
