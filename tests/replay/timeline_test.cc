// replay timeline: every record naming the entity, in order, with its
// signature and inclusion proof checked; the terminal form is aligned.
#include "replay/timeline.h"

#include <gtest/gtest.h>

#include <sstream>

#include "replay/labels.h"
#include "tests/replay/replay_world.h"

namespace fupin::replay::testing {
namespace {

TEST(ReplayTimeline, EveryRecordOfTheEntityIsCheckedInOrder) {
  StatsWorld w;
  const uint64_t first = TellStory(w);
  w.ledger.Reopen();  // a checkpoint covering everything
  Result<Timeline> timeline = BuildTimeline(w.log(), "outlet:C-2", 0, UINT64_MAX);
  ASSERT_TRUE(timeline.ok()) << timeline.status().ToString();
  std::vector<uint64_t> seqs;
  for (const TimelineEntry& e : timeline->entries) {
    seqs.push_back(e.seq);
    EXPECT_EQ(e.signature, SignatureCheck::kValid) << e.seq;
    EXPECT_EQ(e.proof, ProofCheck::kValid) << e.seq;
    EXPECT_EQ(e.key_id, "operator-province");
  }
  // Deployed, S-2, S-3, closed.
  EXPECT_EQ(seqs, (std::vector<uint64_t>{first, first + 5, first + 8, first + 10}));
  EXPECT_TRUE(timeline->checkpoint_valid);
  EXPECT_TRUE(timeline->ok());
  Result<Timeline> window = BuildTimeline(w.log(), "outlet:C-2", first + 1, first + 8);
  ASSERT_TRUE(window.ok());
  EXPECT_EQ(window->entries.size(), 2u);
}

TEST(ReplayTimeline, RecordsBeyondTheCheckpointAreNotCoveredYetButNotFailures) {
  StatsWorld w;
  TellStory(w);
  w.ledger.Reopen();
  w.Sale("S-9", 3000, kInWindow, "P-1", "C-1");  // after the reopen's checkpoint
  Result<Timeline> timeline = BuildTimeline(w.log(), "sale:S-9", 0, UINT64_MAX);
  ASSERT_TRUE(timeline.ok());
  ASSERT_EQ(timeline->entries.size(), 1u);
  if (timeline->checkpoint.tree_size < w.size()) {
    EXPECT_EQ(timeline->entries[0].proof, ProofCheck::kNotCovered);
  } else {
    EXPECT_EQ(timeline->entries[0].proof, ProofCheck::kValid);
  }
  EXPECT_TRUE(timeline->ok());
}

TEST(ReplayTimeline, TerminalOutputHasChineseLabelsInAlignedColumns) {
  StatsWorld w;
  TellStory(w);
  w.ledger.Reopen();
  Result<Timeline> timeline = BuildTimeline(w.log(), "outlet:C-2", 0, UINT64_MAX);
  ASSERT_TRUE(timeline.ok());
  const std::string text = RenderTimelineText(*timeline);
  EXPECT_NE(text.find("网点设立"), std::string::npos);
  EXPECT_NE(text.find("销售"), std::string::npos);
  EXPECT_NE(text.find("网点撤销"), std::string::npos);
  // Header and record lines: the 签名 column starts at the same cell.
  std::istringstream lines(text);
  std::vector<std::size_t> starts;
  for (std::string line; std::getline(lines, line);) {
    const std::size_t at = line.find("operator-province");
    const std::size_t header = line.find("签名密钥");
    const std::size_t cut = at != std::string::npos ? at : header;
    if (cut != std::string::npos) starts.push_back(DisplayWidth(line.substr(0, cut)));
  }
  ASSERT_EQ(starts.size(), 5u);
  for (std::size_t s : starts) EXPECT_EQ(s, starts[0]);
}

TEST(ReplayTimeline, AnEntityNobodyNamedIsNotFound) {
  StatsWorld w;
  EXPECT_EQ(BuildTimeline(w.log(), "product:NOPE", 0, UINT64_MAX).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(ParseEntity("widget/X").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(*ParseEntity("buyer/ORG-1/p-2"), "buyer:ORG-1/p-2");
}

}  // namespace
}  // namespace fupin::replay::testing
