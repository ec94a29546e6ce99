// The same seed and scale give byte-identical output with any number of
// signing threads; another seed gives another campaign.
#include <gtest/gtest.h>

#include "tests/generator/generated_campaign.h"

namespace fupin::generator {
namespace {

using testing::FilesUnder;
using testing::GeneratedCampaign;

TEST(GeneratorDeterminism, SameSeedGivesIdenticalBytesWithAnyThreadCount) {
  GeneratedCampaign one_thread(42, "small", 1);
  GeneratedCampaign two_threads(42, "small", 2);
  const std::vector<std::string> files = FilesUnder(one_thread.dir());
  ASSERT_EQ(files, FilesUnder(two_threads.dir()));
  ASSERT_GT(files.size(), 6u);
  for (const std::string& file : files) {
    EXPECT_TRUE(one_thread.Read(file) == two_threads.Read(file)) << file << " differs";
  }
}

TEST(GeneratorDeterminism, DifferentSeedsGiveDifferentCampaigns) {
  GeneratedCampaign a(42, "small");
  GeneratedCampaign b(43, "small");
  EXPECT_NE(a.Read("events.jsonl"), b.Read("events.jsonl"));
  EXPECT_NE(a.Read("keys/admin.pem"), b.Read("keys/admin.pem"));
  EXPECT_NE(a.summary().admin_public_key, b.summary().admin_public_key);
}

}  // namespace
}  // namespace fupin::generator
