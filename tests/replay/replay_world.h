// Test support for replay: the projections' StatsWorld with a short story
// on top (a second county outlet and household, a second product, sales,
// a refund, a promotion, a late revocation and a closing), and helpers to
// read records back.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "ledger/ledger.h"
#include "replay/replay_source.h"
#include "tests/projections/stats_world.h"

namespace fupin::replay::testing {

using projections::testing::kInWindow;
using projections::testing::kSeedDay;
using projections::testing::StatsWorld;

// Appends the story; returns the seq of its first record.
inline uint64_t TellStory(StatsWorld& w) {
  const uint64_t first = w.size();
  w.Outlet("C-2", "counter", "433127");
  w.Outlet("Z-1", "zone_offline", "430102");
  w.Household("H-2", "433127", 3);
  w.Certify("P-2", {"H-1", "H-2"}, kSeedDay);
  w.Sale("S-1", 5000, kInWindow, "P-1", "C-1");
  w.Sale("S-2", 12000, "2020-09-11T10:00:00+08:00", "P-2", "C-2");
  w.Promotion("PR-1", "430102", "2020-09-12");
  w.Refund("S-1", 1000, "2020-09-13T10:00:00+08:00");
  w.Sale("S-3", 7000, "2020-09-14T10:00:00+08:00", "P-1", "C-2");
  w.Revoke("P-2", "2020-09-10T12:00:00+08:00");  // late: S-2 stops counting
  w.Close("C-2", "2020-09-20T10:00:00+08:00");
  return first;
}

// recorded_at of a record.
inline std::string RecordedAt(const Ledger& ledger, uint64_t seq) {
  Result<StoredRecord> record = ledger.ReadRecord(seq);
  EXPECT_TRUE(record.ok());
  if (!record.ok()) return "";
  Result<LeafFields> leaf = ParseLeaf(record->leaf_data);
  EXPECT_TRUE(leaf.ok());
  return leaf.ok() ? leaf->recorded_at : "";
}

}  // namespace fupin::replay::testing
