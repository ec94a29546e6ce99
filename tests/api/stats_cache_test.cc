// StatsCache: an entry is served only at the position it was rendered at.
#include "api/stats_cache.h"

#include <gtest/gtest.h>

namespace fupin::api {
namespace {

TEST(StatsCache, ServesAnEntryOnlyAtItsPosition) {
  StatsCache cache;
  EXPECT_FALSE(cache.Find("k", 10));
  cache.Store("k", 10, "table at 10");
  EXPECT_EQ(cache.Find("k", 10), "table at 10");
  EXPECT_FALSE(cache.Find("k", 11));
  EXPECT_FALSE(cache.Find("other", 10));
}

TEST(StatsCache, ANewerPositionDropsEveryOlderEntry) {
  StatsCache cache;
  cache.Store("a", 10, "a at 10");
  cache.Store("b", 10, "b at 10");
  cache.Store("a", 11, "a at 11");
  EXPECT_EQ(cache.Find("a", 11), "a at 11");
  EXPECT_FALSE(cache.Find("b", 11));
  EXPECT_FALSE(cache.Find("b", 10));
}

TEST(StatsCache, ASlowRequestsOlderAnswerIsNotKept) {
  StatsCache cache;
  cache.Store("a", 11, "a at 11");
  cache.Store("a", 10, "a at 10");
  EXPECT_EQ(cache.Find("a", 11), "a at 11");
  EXPECT_FALSE(cache.Find("a", 10));
}

TEST(StatsCache, StaysBounded) {
  StatsCache cache;
  for (std::size_t i = 0; i <= StatsCache::kMaxEntries; ++i) {
    cache.Store("k" + std::to_string(i), 5, "v");
  }
  // The entry past the bound started the cache over.
  EXPECT_FALSE(cache.Find("k0", 5));
  EXPECT_EQ(cache.Find("k" + std::to_string(StatsCache::kMaxEntries), 5), "v");
}

}  // namespace
}  // namespace fupin::api
