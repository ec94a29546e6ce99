// The runner: background catch-up, lag, saving and resuming, version
// changes, foreign logs, snapshots and as_of bounds.
#include "projections/projection_runner.h"

#include <gtest/gtest.h>

#include "projections/projection_layout.h"
#include "tests/projections/stats_world.h"

namespace fupin::projections {
namespace {

using testing::StatsWorld;

// Counts records and sums their seqs: enough state to tell folds apart.
class CountingProjection final : public Projection {
 public:
  // `padding` bytes are appended to the encoding: a state of that size.
  explicit CountingProjection(uint32_t version = 1, std::size_t padding = 0)
      : version_(version), padding_(padding) {}
  std::string_view name() const override { return "counting"; }
  uint32_t version() const override { return version_; }
  void Apply(const DecodedRecord& record) override {
    ++count_;
    seq_sum_ += record.seq;
  }
  std::string EncodeState() const override {
    return std::to_string(count_) + "/" + std::to_string(seq_sum_) + std::string(padding_, ' ');
  }
  Status DecodeState(std::string_view bytes) override {
    const std::size_t slash = bytes.find('/');
    if (slash == std::string_view::npos) return Status(ErrorCode::kDataLoss, "bad state");
    const std::size_t pad = std::min(bytes.size(), bytes.find(' ', slash));
    count_ = std::stoull(std::string(bytes.substr(0, slash)));
    seq_sum_ = std::stoull(std::string(bytes.substr(slash + 1, pad - slash - 1)));
    padding_ = bytes.size() - pad;
    return Status::Ok();
  }
  std::unique_ptr<Projection> NewEmpty() const override {
    return std::make_unique<CountingProjection>(version_, padding_);
  }

 private:
  uint32_t version_;
  std::size_t padding_;
  uint64_t count_ = 0;
  uint64_t seq_sum_ = 0;
};

std::unique_ptr<ProjectionRunner> OpenCounting(const Ledger& ledger, uint32_t version = 1,
                                               RunnerOptions options = {},
                                               std::size_t padding = 0) {
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<CountingProjection>(version, padding));
  Result<std::unique_ptr<ProjectionRunner>> runner =
      ProjectionRunner::Open(ledger, std::move(projections), options);
  EXPECT_TRUE(runner.ok()) << runner.status().ToString();
  return std::move(runner).value();
}

std::string LiveState(const ProjectionRunner& runner) {
  std::string state;
  runner.Read(0, [&](const Projection& p, uint64_t) { state = p.EncodeState(); });
  return state;
}

TEST(ProjectionRunnerTest, BackgroundThreadCatchesUpAfterNotify) {
  StatsWorld w;
  auto runner = OpenCounting(w.log());
  runner->Start();
  w.Sale("S-1", 100, testing::kInWindow);
  runner->Notify();
  EXPECT_TRUE(runner->WaitForPosition(w.size(), std::chrono::seconds(10)));
  EXPECT_EQ(runner->lag(), 0u);
  EXPECT_TRUE(runner->last_error().ok());
}

TEST(ProjectionRunnerTest, LagIsTreeSizeMinusPosition) {
  StatsWorld w;
  auto runner = OpenCounting(w.log());
  EXPECT_EQ(runner->position(), 0u);
  EXPECT_EQ(runner->lag(), w.size());
  ASSERT_TRUE(runner->CatchUp().ok());
  w.Sale("S-1", 100, testing::kInWindow);
  EXPECT_EQ(runner->lag(), 1u);
}

TEST(ProjectionRunnerTest, ResumesFromTheSavedPositionAfterRestart) {
  StatsWorld w;
  {
    auto runner = OpenCounting(w.log());
    ASSERT_TRUE(runner->CatchUp().ok());
    ASSERT_TRUE(runner->Save().ok());
  }
  auto runner = OpenCounting(w.log());
  EXPECT_EQ(runner->position(), w.size());
  EXPECT_TRUE(runner->discarded().empty());
}

TEST(ProjectionRunnerTest, StopSavesTheStateOfTheBackgroundThread) {
  StatsWorld w;
  {
    auto runner = OpenCounting(w.log());
    runner->Start();
    ASSERT_TRUE(runner->WaitForPosition(w.size(), std::chrono::seconds(10)));
    runner->Stop();
  }
  EXPECT_EQ(OpenCounting(w.log())->position(), w.size());
}

TEST(ProjectionRunnerTest, VersionChangeDiscardsTheStoredStateAndFoldsFromZero) {
  StatsWorld w;
  std::string folded;
  {
    auto runner = OpenCounting(w.log(), 1);
    ASSERT_TRUE(runner->CatchUp().ok());
    ASSERT_TRUE(runner->Save().ok());
    folded = LiveState(*runner);
  }
  auto runner = OpenCounting(w.log(), 2);
  EXPECT_EQ(runner->discarded(), std::vector<std::string>{"counting"});
  EXPECT_EQ(runner->position(), 0u);
  ASSERT_TRUE(runner->CatchUp().ok());
  EXPECT_EQ(LiveState(*runner), folded);
}

TEST(ProjectionRunnerTest, StateFoldedFromAnotherLogIsDiscarded) {
  StatsWorld a;
  StatsWorld b;  // same shape, other signatures and times: other leaf hashes
  {
    auto runner = OpenCounting(a.log());
    ASSERT_TRUE(runner->CatchUp().ok());
    ASSERT_TRUE(runner->Save().ok());
  }
  // Copy a's stored projection into b, as a restore mix-up would.
  std::vector<DbPut> copied;
  for (const std::string& key : {HeadKey("counting"), StateKey("counting")}) {
    Result<std::optional<std::string>> value = a.log().store().Get(Cf::kProjections, key);
    ASSERT_TRUE(value.ok() && value->has_value());
    copied.push_back({Cf::kProjections, key, **value});
  }
  ASSERT_TRUE(b.log().store().Write(copied, true).ok());
  auto runner = OpenCounting(b.log());
  EXPECT_EQ(runner->discarded(), std::vector<std::string>{"counting"});
  EXPECT_EQ(runner->position(), 0u);
}

TEST(ProjectionRunnerTest, SnapshotsAreKeptAtEveryInterval) {
  StatsWorld w;
  RunnerOptions options;
  options.snapshot_interval = 4;
  auto runner = OpenCounting(w.log(), 1, options);
  ASSERT_TRUE(runner->CatchUp().ok());
  ASSERT_TRUE(runner->Save().ok());
  Result<std::optional<std::string>> head =
      w.log().store().Get(Cf::kProjections, HeadKey("counting"));
  ASSERT_TRUE(head.ok() && head->has_value());
  Result<ProjectionHead> decoded = DecodeHead(**head);
  ASSERT_TRUE(decoded.ok());
  std::vector<uint64_t> expected;
  for (uint64_t p = 4; p <= w.size(); p += 4) expected.push_back(p);
  EXPECT_EQ(decoded->snapshots, expected);
  EXPECT_EQ(decoded->position, w.size());
}

std::vector<uint64_t> StoredSnapshots(const Ledger& ledger) {
  Result<std::optional<std::string>> head =
      ledger.store().Get(Cf::kProjections, HeadKey("counting"));
  if (!head.ok() || !head->has_value()) return {};
  Result<ProjectionHead> decoded = DecodeHead(**head);
  return decoded.ok() ? decoded->snapshots : std::vector<uint64_t>{};
}

TEST(ProjectionRunnerTest, LargeStatesSpaceTheirSnapshotsByTheWriteBudget) {
  StatsWorld w;
  RunnerOptions options;
  options.snapshot_interval = 4;
  options.save_bytes_per_record = 64;
  // 512 bytes of state: a snapshot only after 512 / 64 = 8 records.
  auto runner = OpenCounting(w.log(), 1, options, 512 - 6);
  ASSERT_TRUE(runner->CatchUp().ok());
  ASSERT_TRUE(runner->Save().ok());
  EXPECT_EQ(StoredSnapshots(w.log()), (std::vector<uint64_t>{4, 12}));
}

TEST(ProjectionRunnerTest, AsOfFoldsFromTheNearestSnapshot) {
  StatsWorld w;
  RunnerOptions options;
  options.snapshot_interval = 4;
  auto runner = OpenCounting(w.log(), 1, options);
  ASSERT_TRUE(runner->CatchUp().ok());
  uint64_t folded = 0;
  Result<std::unique_ptr<Projection>> state =
      runner->StateAt(0, 10, [&](uint64_t position, uint64_t) { folded = position; });
  ASSERT_TRUE(state.ok());
  CountingProjection expected;
  testing::FoldFromZero(w.log(), 10, expected);
  EXPECT_EQ((*state)->EncodeState(), expected.EncodeState());
  EXPECT_EQ(folded, 10u);  // folded 8 -> 10 from the snapshot at 8
}

TEST(ProjectionRunnerTest, AsOfBeyondTheLogIsInvalidArgument) {
  StatsWorld w;
  auto runner = OpenCounting(w.log());
  Result<std::unique_ptr<Projection>> state = runner->StateAt(0, w.size() + 1);
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.status().code(), ErrorCode::kInvalidArgument);
}

TEST(ProjectionRunnerTest, RebuildSwapsInAStateEqualToTheIncrementalOne) {
  StatsWorld w;
  auto runner = OpenCounting(w.log());
  ASSERT_TRUE(runner->CatchUp().ok());
  const std::string incremental = LiveState(*runner);
  uint64_t last_progress = 0;
  ASSERT_TRUE(runner->Rebuild([&](uint64_t position, uint64_t) { last_progress = position; }).ok());
  EXPECT_EQ(last_progress, w.size());
  EXPECT_EQ(runner->position(), w.size());
  EXPECT_EQ(LiveState(*runner), incremental);
}

TEST(ProjectionRunnerTest, RebuildWhileTheBackgroundThreadServes) {
  StatsWorld w;
  auto runner = OpenCounting(w.log());
  runner->Start();
  for (int i = 0; i < 5; ++i) {
    w.Sale("S-" + std::to_string(i), 100, testing::kInWindow);
    runner->Notify();
  }
  ASSERT_TRUE(runner->Rebuild().ok());
  ASSERT_TRUE(runner->WaitForPosition(w.size(), std::chrono::seconds(10)));
  CountingProjection expected;
  testing::FoldFromZero(w.log(), w.size(), expected);
  EXPECT_EQ(LiveState(*runner), expected.EncodeState());
}

TEST(ProjectionRunnerTest, DuplicateProjectionNamesAreInvalidArgument) {
  StatsWorld w;
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<CountingProjection>());
  projections.push_back(std::make_unique<CountingProjection>());
  Result<std::unique_ptr<ProjectionRunner>> runner =
      ProjectionRunner::Open(w.log(), std::move(projections));
  ASSERT_FALSE(runner.ok());
  EXPECT_EQ(runner.status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fupin::projections
