// fixtures/campaign-small/ is exactly what the documented command writes:
//   fupin-ledger generate --seed 20200901 --scale small --out fixtures/campaign-small
#include <gtest/gtest.h>

#include "tests/generator/generated_campaign.h"
#include "tests/support/fixtures.h"

namespace fupin::generator {
namespace {

using testing::FilesUnder;
using testing::GeneratedCampaign;

TEST(GoldenFixture, RegeneratesByteIdentically) {
  GeneratedCampaign fresh(20200901, "small");
  const std::string golden = fupin::testing::FixturePath("campaign-small");
  std::vector<std::string> checked_in = FilesUnder(golden);
  std::erase(checked_in, "README.md");  // the fixture's documentation
  ASSERT_EQ(FilesUnder(fresh.dir()), checked_in);
  for (const std::string& file : checked_in) {
    EXPECT_TRUE(fresh.Read(file) == testing::ReadFile(golden + "/" + file))
        << "fixtures/campaign-small/" << file
        << " differs from a fresh generation; regenerate it (see its README.md)";
  }
}

}  // namespace
}  // namespace fupin::generator
